"""Ingestion + extraction throughput (adverts/s) in fast mode vs default mode, and quality checks.

Generates synthetic adverts from ESCO (deterministic seed), then ingests them into a fresh store
``--repeats`` times in ``fast`` mode and in ``default`` mode (a smaller slice: default mode is
slower), reporting the median adverts/s of each and their ratio. The index builds (minutes once
with the ``ml`` extra) are done before timing. On the fast-mode store it also measures:

- deduplication precision / recall on the planted re-posts and cross-posts (cluster-aware: a
  found pair is right when both adverts copy the same original);
- occupation normalisation accuracy (stored occupation == the occupation the advert was
  written from);
- recall of the planted rising skills (adverts whose text plants one and whose skills hold it).

Usage::

    python benchmarks/bench_ingest.py --adverts 2000 --default-adverts 300 --repeats 3

The ESCO database and indexes are kept in ``--work`` (default ``/tmp/skillpass-bench-intel``)
so re-runs skip the import and the index builds. ``--lexical`` benchmarks without embeddings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from skillpass.app import SkillPass, build
from skillpass.config import Environment, Settings
from skillpass.intelligence.ingest import write_adverts
from skillpass.intelligence.repository import TaxonomyReads
from skillpass.intelligence.service import IntelligenceService
from skillpass.matching.models import MatchMode
from skillpass.matching.service import MatchingService


def _app(work: Path, esco: Path, database: Path | None) -> SkillPass:
    if database is not None:  # an ESCO database (and its index cache) built elsewhere: read only
        settings = Settings(
            environment=Environment.TEST,
            data_dir=database.parent / "data",
            database_url=f"sqlite:///{database}",
        )
        return build(settings, migrate=False)
    settings = Settings(
        environment=Environment.TEST,
        data_dir=work / "data",
        database_url=f"sqlite:///{work / 'esco.sqlite3'}",
    )
    app = build(settings)
    if TaxonomyReads(app.engine).taxonomy_version() is None:
        app.taxonomy.import_esco(esco)
    return app


def _quality(store: Path, truth: dict[str, Any], texts: dict[str, str]) -> dict[str, float]:
    duplicates = pq.read_table(store / "duplicates.parquet").to_pylist()
    parent = {d["advert_id"]: d["duplicate_of"] for d in truth["duplicates"]}

    def root(advert_id: str) -> str:
        while advert_id in parent:
            advert_id = parent[advert_id]
        return advert_id

    right = sum(
        1
        for d in duplicates
        if d["advert_id"] in parent and root(d["advert_id"]) == root(d["duplicate_of"])
    )
    adverts = pq.read_table(store / "adverts", columns=["advert_id", "occupation_uri"]).to_pylist()
    known = [a for a in adverts if a["advert_id"] in truth["occupations"]]
    occupation_ok = sum(
        1 for a in known if a["occupation_uri"] == truth["occupations"][a["advert_id"]]
    )
    skills = pq.read_table(store / "advert_skills", columns=["advert_id", "skill_uri"]).to_pylist()
    found = {(s["advert_id"], s["skill_uri"]) for s in skills}
    planted = [
        (advert_id, e["uri"])
        for advert_id, text in texts.items()
        for e in truth["emerging"]
        if e["label"] in text
    ]
    kept = {a["advert_id"] for a in adverts}
    planted = [p for p in planted if p[0] in kept]
    return {
        "dedup_precision": round(right / max(len(duplicates), 1), 4),
        "dedup_recall": round(right / max(len(parent), 1), 4),
        "planted_duplicates": len(parent),
        "occupation_accuracy": round(occupation_ok / max(len(known), 1), 4),
        "planted_skill_recall": round(sum(p in found for p in planted) / max(len(planted), 1), 4),
        "planted_skill_mentions": len(planted),
    }


def _ingest(service: IntelligenceService, path: Path, store: Path, mode: MatchMode) -> float:
    shutil.rmtree(store, ignore_errors=True)
    began = time.perf_counter()
    report = service.ingest([path], store=store, mode=mode)
    seconds = time.perf_counter() - began
    return report.rows / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--adverts", type=int, default=2000)
    parser.add_argument("--default-adverts", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/skillpass-bench-intel"))
    parser.add_argument(
        "--esco",
        type=Path,
        default=Path(os.environ.get("SKILLPASS_ESCO", "../shared/data/esco-v1.2.0-en")),
    )
    parser.add_argument("--lexical", action="store_true", help="Without embeddings.")
    parser.add_argument(
        "--database",
        type=Path,
        help="Reuse an ESCO SQLite database whose indexes are built (e.g. the matching "
        "benchmark's /tmp/skillpass-bench-matching/en/skillpass.sqlite3); read only.",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    app = _app(args.work, args.esco, args.database)
    matching = MatchingService(app.engine, app.settings.data_dir, semantic=not args.lexical)
    service = IntelligenceService(app.engine, app.settings.data_dir, matching, app.capabilities)
    print(
        "warming up the matching engine (index builds are not timed)...",
        file=sys.stderr,
        flush=True,
    )
    matching.warm_up()
    adverts = args.work / f"adverts-{args.seed}-{args.adverts}.jsonl"
    generated = app.intelligence.generate(args.adverts, args.seed, adverts)
    truth = json.loads(Path(generated.truth).read_text())
    texts = {}
    rows = [json.loads(line) for line in adverts.read_text().splitlines()]
    for row in rows:
        texts[f"{row['source']}:{row['id']}"] = row["text"]
    small = args.work / f"adverts-{args.seed}-{args.default_adverts}-slice.jsonl"
    write_adverts(iter(rows[: args.default_adverts]), small)
    # one untimed pass over the slice loads models and caches in both modes
    for warm in ("store-warm", "store-warm2"):
        shutil.rmtree(args.work / warm, ignore_errors=True)
    service.ingest([small], store=args.work / "store-warm", mode=MatchMode.FAST)
    service.ingest([small], store=args.work / "store-warm2", mode=MatchMode.DEFAULT)
    fast = [
        _ingest(service, adverts, args.work / "store-fast", MatchMode.FAST)
        for _ in range(args.repeats)
    ]
    default = [
        _ingest(service, small, args.work / "store-default", MatchMode.DEFAULT)
        for _ in range(args.repeats)
    ]
    result = {
        "adverts": args.adverts,
        "default_adverts": args.default_adverts,
        "repeats": args.repeats,
        "semantic": matching.semantic,
        "fast_adverts_per_s": round(statistics.median(fast), 1),
        "default_adverts_per_s": round(statistics.median(default), 1),
        "fast_over_default": round(statistics.median(fast) / statistics.median(default), 2),
        "cpus": os.cpu_count(),
        **_quality(args.work / "store-fast", truth, texts),
    }
    app.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
