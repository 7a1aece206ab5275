"""Taxonomy search: latency (median, p95) and accuracy, against the obvious alternative.

The alternative a user would reach for is RapidFuzz's ``process.extract`` with ``WRatio`` over
every label (no index). Both are measured on the same queries:

* the acceptance queries of the foundation issue, and
* 200 ESCO preferred labels with one synthetic typo each (a swapped, dropped or doubled letter),
  where the right answer is the concept the label came from (hit@1, hit@3).

Usage::

    python benchmarks/bench_search.py --esco ../shared/data/esco-v1.2.0-en [--queries 200]

The full ESCO is imported into a temporary SQLite database first (not timed here; see
``bench_import.py``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from skillpass.app import build
from skillpass.config import Environment, Settings
from skillpass.taxonomy import repository
from skillpass.taxonomy.models import ConceptType


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, required=True, help="ESCO CSV download (folder/zip)")
    parser.add_argument("--queries", type=int, default=200, help="typo queries to generate")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            environment=Environment.TEST,
            data_dir=Path(tmp),
            database_url=f"sqlite:///{tmp}/bench.sqlite3",
        )
        app = build(settings)
        print("importing ESCO (not timed here) ...", flush=True)
        app.taxonomy.import_esco(args.esco)

        started = time.perf_counter()
        app.taxonomy.search("warm", limit=1)
        print(f"index build (cold, first query): {time.perf_counter() - started:.2f} s")

        rows = list(repository.iter_search_rows(app.engine))
        label_texts = [r[5] for r in rows if r[4] != "description"]
        label_owner = [r[0] for r in rows if r[4] != "description"]
        preferred = [(r[0], r[5]) for r in rows if r[4] == "preferred" and r[3] == "en"]
        rng = random.Random(args.seed)
        sample = rng.sample(preferred, args.queries)
        queries = [(" ".join(_typo(w, rng) for w in text.split()), uri) for uri, text in sample]
        acceptance = [
            ("python", ConceptType.SKILL),
            ("pyhton programing", None),
            ("machine learning engineer", ConceptType.OCCUPATION),
        ]

        ours: list[float] = []
        ours_hits = [0, 0]
        for query, uri in queries:
            t = time.perf_counter()
            hits = app.taxonomy.search(query, limit=10)
            ours.append((time.perf_counter() - t) * 1000)
            uris = [h.uri for h in hits]
            ours_hits[0] += uris[:1] == [uri]
            ours_hits[1] += uri in uris[:3]

        naive: list[float] = []
        naive_hits = [0, 0]
        for query, uri in queries[:50]:
            t = time.perf_counter()
            found = process.extract(query, label_texts, scorer=fuzz.WRatio, limit=30)
            naive.append((time.perf_counter() - t) * 1000)
            uris = list(dict.fromkeys(label_owner[i] for _, _, i in found))
            naive_hits[0] += uris[:1] == [uri]
            naive_hits[1] += uri in uris[:3]

        print("\nacceptance queries (top 3):")
        for query, ctype in acceptance:
            hits = app.taxonomy.search(query, concept_type=ctype, limit=3)
            print(f"  {query!r}: " + " | ".join(f"{h.label} ({h.score:.2f})" for h in hits))

        n, m = len(queries), len(naive)
        print(f"\n{'method':<40}{'median ms':>10}{'p95 ms':>10}{'hit@1':>8}{'hit@3':>8}")
        print(
            f"{'SkillPass index (warm)':<40}{statistics.median(ours):>10.2f}"
            f"{_percentile(ours, 0.95):>10.2f}{ours_hits[0] / n:>8.0%}{ours_hits[1] / n:>8.0%}"
        )
        print(
            f"{'RapidFuzz WRatio scan, all labels':<40}{statistics.median(naive):>10.2f}"
            f"{_percentile(naive, 0.95):>10.2f}{naive_hits[0] / m:>8.0%}{naive_hits[1] / m:>8.0%}"
        )
        ratio = statistics.median(naive) / statistics.median(ours)
        print(f"\nmedian speed-up over the scan: {ratio:.0f}x ({len(label_texts):,} labels)")
        app.close()


if __name__ == "__main__":
    main()
