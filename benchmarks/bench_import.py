"""Benchmark: full ESCO import into a fresh database, against the naive alternative.

Imports the whole English ESCO download N times (default 3) into a fresh temporary SQLite database
(and into a fresh PostgreSQL schema when ``--postgres-url`` or ``SKILLPASS_TEST_POSTGRES_URL`` is
set) and prints the median, minimum and maximum seconds and rows written per second. Capability
resolution is replaced by a no-op so the figure is the importer's own.

The naive alternative is what a user would write first:

* ``pandas.read_csv`` + ``DataFrame.to_sql`` for every CSV file, when pandas is installed;
* otherwise the SQLAlchemy ORM, one ``session.add`` per CSV row, measured on a sample of the
  occupation–skill relations (both with one commit at the end and with a commit per row) and
  extrapolated to the number of rows the real import writes.

Run it standalone::

    python benchmarks/bench_import.py --esco ../shared/data/esco-v1.2.0-en --runs 3
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session, registry

from skillpass.progress import NullProgress
from skillpass.storage.db import create_db_engine, upgrade_schema
from skillpass.storage.tables import occupation_skills
from skillpass.taxonomy.importer import import_esco

DEFAULT_ESCO = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco-v1.2.0-en"
#: Counts in ImportReport.counts that are rows written (the others are derived).
ROW_COUNTS = (
    "skills",
    "occupations",
    "skill_groups",
    "isco_groups",
    "labels",
    "broader_relations",
    "collection_members",
    "relations",
    "skill_relations",
)


def _no_capabilities(_connection: Connection, _version: str) -> dict[str, int]:
    return {}


@contextmanager
def sqlite_engine() -> Iterator[Engine]:
    """A migrated engine on a fresh temporary SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade_schema(engine)
        try:
            yield engine
        finally:
            engine.dispose()


def postgres_engine_factory(url: str) -> Callable[[], Any]:
    """A factory of context managers yielding engines on fresh PostgreSQL schemas."""

    @contextmanager
    def factory() -> Iterator[Engine]:
        schema = f"sp_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in url else "?"
        engine = create_db_engine(f"{url}{separator}options=-csearch_path%3D{schema}")
        try:
            upgrade_schema(engine)
            yield engine
        finally:
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    return factory


def time_imports(esco: Path, runs: int, make_engine: Callable[[], Any]) -> tuple[list[float], int]:
    """Seconds of each full import, and the rows one import writes."""
    seconds: list[float] = []
    rows = 0
    for _ in range(runs):
        with make_engine() as engine:
            started = time.perf_counter()
            report = import_esco(
                engine,
                esco,
                version=None,
                progress=NullProgress(),
                resolve_capabilities=_no_capabilities,
            )
            seconds.append(time.perf_counter() - started)
            rows = sum(report.counts[key] for key in ROW_COUNTS)
    return seconds, rows


def naive_pandas(esco: Path) -> float:
    """Seconds for pandas.read_csv + DataFrame.to_sql of every CSV into a fresh SQLite file."""
    import pandas as pd

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'pandas.sqlite3'}")
        started = time.perf_counter()
        for file in sorted(esco.glob("*.csv")):
            frame = pd.read_csv(file, dtype=str, keep_default_na=False)
            frame.to_sql(file.stem, engine, index=False)
        elapsed = time.perf_counter() - started
        engine.dispose()
    return elapsed


class _OccupationSkill:
    """An ORM class mapped onto the occupation_skills table for the naive benchmark."""

    def __init__(self, **values: str) -> None:
        for key, value in values.items():
            setattr(self, key, value)


def naive_orm(esco: Path, sample: int, *, commit_each: bool) -> float:
    """Seconds per row for ORM add-per-row of ``sample`` relation rows read with csv.DictReader."""
    mapper = registry()
    mapper.map_imperatively(_OccupationSkill, occupation_skills)
    try:
        with sqlite_engine() as engine, Session(engine) as session:
            started = time.perf_counter()
            with (esco / "occupationSkillRelations_en.csv").open(encoding="utf-8") as handle:
                for number, row in enumerate(csv.DictReader(handle)):
                    if number == sample:
                        break
                    session.add(
                        _OccupationSkill(
                            occupation_uri=row["occupationUri"],
                            skill_uri=row["skillUri"],
                            relation_type=row["relationType"],
                        )
                    )
                    if commit_each:
                        session.commit()
            session.commit()
            return (time.perf_counter() - started) / sample
    finally:
        mapper.dispose()


def describe(name: str, seconds: list[float], rows: int) -> str:
    """One result line: median, min, max seconds and rows per second at the median."""
    median = statistics.median(seconds)
    return (
        f"{name:<24} median {median:6.2f} s  min {min(seconds):6.2f} s  "
        f"max {max(seconds):6.2f} s  {rows / median:>9,.0f} rows/s  ({len(seconds)} runs)"
    )


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the benchmarks, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=Path(os.environ.get("SKILLPASS_ESCO", "")))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres-url", default=os.environ.get("SKILLPASS_TEST_POSTGRES_URL"))
    parser.add_argument("--orm-sample", type=int, default=5_000)
    args = parser.parse_args(argv)
    esco: Path = args.esco if str(args.esco) not in {"", "."} else DEFAULT_ESCO
    if not (esco / "skills_en.csv").exists() and esco.suffix != ".zip":
        parser.error(f"no ESCO download at {esco}; pass --esco PATH")

    print(f"ESCO download: {esco}")
    seconds, rows = time_imports(esco, args.runs, sqlite_engine)
    print(f"rows written per import: {rows:,}")
    print(describe("skillpass, SQLite", seconds, rows))
    if args.postgres_url:
        pg_seconds, _ = time_imports(esco, args.runs, postgres_engine_factory(args.postgres_url))
        print(describe("skillpass, PostgreSQL", pg_seconds, rows))
    median = statistics.median(seconds)

    if importlib.util.find_spec("pandas") is not None:
        naive = naive_pandas(esco)
        print(
            f"naive: pandas.read_csv + to_sql of every file as-is (raw copies: no validation, "
            f"labels not split, no relations resolved): {naive:.2f} s "
            f"= {naive / median:.2f}x skillpass's time"
        )
    else:
        print("pandas is not installed: naive alternative = ORM session.add per row (sample)")
    for commit_each in (False, True):
        sample = args.orm_sample if not commit_each else max(args.orm_sample // 5, 100)
        per_row = naive_orm(esco, sample, commit_each=commit_each)
        estimate = per_row * rows
        how = "commit per row" if commit_each else "one commit"
        print(
            f"naive: ORM add per row, {how}: {per_row * 1e6:,.0f} µs/row on {sample:,} rows "
            f"-> {estimate:,.0f} s extrapolated to {rows:,} rows "
            f"= {estimate / median:.0f}x skillpass's time"
        )


if __name__ == "__main__":
    main()
