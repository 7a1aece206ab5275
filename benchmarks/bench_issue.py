"""Issue-and-sign throughput, and a large concurrent batch with no duplicated status index.

Part 1 — throughput: ``IssuanceService.issue`` end to end (build the OB3 credential from the
stored example definition, pick a random status index, sign, store) for

* ``ob3`` with Data Integrity ``eddsa-rdfc-2022`` (RDF canonicalisation),
* ``ob3`` with ``eddsa-jcs-2022`` (JSON canonicalisation),
* ``ob3-jwt`` (VC-JWT, EdDSA),
* ``elm`` (ELM v3 sealed JAdES-style),

one learner after another in one warm process, in credentials per second.

Part 2 — a batch of ``--batch`` learners (default 10,000) through ``issue_batch`` with
``--workers`` threads, then the check that no ``(status list, index)`` pair is used twice.

Usage::

    python benchmarks/bench_issue.py [--runs 100] [--batch 10000] [--workers 8]
        [--batch-format ob3-jwt] [--database-url postgresql+psycopg://…]

SQLite (a temporary file) unless ``--database-url`` is given; on PostgreSQL use an empty schema.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from skillpass.app import SkillPass, build
from skillpass.config import Environment, Settings
from skillpass.credentials.records import BatchRow

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "micro-credential.yaml"


def _app(folder: Path, database_url: str | None) -> SkillPass:
    settings = Settings(
        environment=Environment.TEST,
        data_dir=folder,
        database_url=database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
    )
    return build(settings)


def throughput(app: SkillPass, achievement_id: str, runs: int) -> None:
    """Print credentials/s for each format, issued one by one."""
    cases = [
        ("ob3", "eddsa-rdfc-2022"),
        ("ob3", "eddsa-jcs-2022"),
        ("ob3-jwt", "eddsa-rdfc-2022"),
        ("elm", "eddsa-rdfc-2022"),
    ]
    print(f"Issue-and-sign throughput ({runs} credentials each, sequential, warm):")
    print(f"  {'format':<26} {'credentials/s':>14} {'ms each':>9}")
    for fmt, suite in cases:
        for i in range(3):  # warm caches (contexts, key decryption)
            app.credentials.issue(
                achievement_id, f"warm{i}@example.org", format=fmt, cryptosuite=suite
            )
        start = time.perf_counter()
        for i in range(runs):
            app.credentials.issue(
                achievement_id,
                f"learner{i}@example.org",
                f"Learner {i}",
                format=fmt,
                cryptosuite=suite,  # type: ignore[arg-type]
            )
        elapsed = time.perf_counter() - start
        label = f"{fmt} ({suite})" if fmt == "ob3" else fmt
        print(f"  {label:<26} {runs / elapsed:>14.1f} {1000 * elapsed / runs:>9.2f}")


def batch(app: SkillPass, achievement_id: str, size: int, workers: int, fmt: str) -> None:
    """Issue ``size`` credentials with ``workers`` threads and check every index is unique."""
    rows = [
        BatchRow(email=f"batch{i}@example.org", name=f"Batch {i}", external_id=f"b-{i}")
        for i in range(size)
    ]
    before = len(app.credentials.repository.all_status_indices())
    start = time.perf_counter()
    result = app.credentials.issue_batch(achievement_id, rows, fmt, workers=workers)
    elapsed = time.perf_counter() - start
    slots = app.credentials.repository.all_status_indices()
    duplicates = [slot for slot, count in Counter(slots).items() if count > 1]
    lists = len({list_id for list_id, _ in slots})
    print(
        f"\nBatch: {size} credentials ({fmt}), {workers} threads: {elapsed:.1f} s "
        f"({size / elapsed:.0f}/s); issued {result.issued}, failed {result.failed}"
    )
    print(
        f"Status index check: {len(slots) - before} new entries, {len(slots)} in total over "
        f"{lists} list(s), duplicated (list, index) pairs: {len(duplicates)} "
        f"-> {'OK' if not duplicates and result.issued == size else 'FAILED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--batch-format", default="ob3-jwt", choices=["ob3", "ob3-jwt", "elm"])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder), args.database_url)
        try:
            issuer = app.issuers.create(
                name="Benchmark University", country="SE", kind="university"
            )
            achievement = app.achievements.create_from_file(issuer.id, EXAMPLE)
            print(f"Database: {app.engine.url.get_backend_name()}")
            throughput(app, achievement.id, args.runs)
            batch(app, achievement.id, args.batch, args.workers, args.batch_format)
        finally:
            app.close()


if __name__ == "__main__":
    main()
