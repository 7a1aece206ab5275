"""Train the skill reranker of the matching engine (CPU, a few minutes once the index is built).

The reranker (:mod:`skillpass.matching.rerank`) re-orders the best 30 fused candidates of an
English skill query. It is a gradient-boosted tree ensemble (scikit-learn's
``HistGradientBoostingClassifier``, exported to plain arrays) trained on SkillSkape **train**
only. The query adapter is itself trained on SkillSkape train, so its similarities on train
sentences are over-confident; the features are therefore **cross-fitted**: train is cut into
``--folds`` parts and each part's features come from an adapter trained on the other parts. Dev is
used only to report (and to choose the few settings below); test is never read.

Usage::

    python scripts/train_matching_reranker.py \
        --train ../shared/data/benchmarks/skillskape/train.csv \
        --dev ../shared/data/benchmarks/skillskape/dev.csv \
        --output src/skillpass/matching/data/skill_reranker.npz

It uses (and, the first time, builds) the same ESCO database and index as
``benchmarks/matching.py`` (``--work``, default ``/tmp/skillpass-bench-matching``). Needs the
``ml`` extra plus torch (adapter) and scikit-learn. Deterministic (fixed seeds).
"""

from __future__ import annotations

import argparse
import ast
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_matching_adapter import train_adapter

from skillpass.app import SkillPass, build
from skillpass.config import Environment, Settings
from skillpass.matching.engine import MatchingEngine
from skillpass.matching.rerank import CANDIDATES, FEATURES, Reranker
from skillpass.matching.semantic import shared_minilm
from skillpass.matching.service import MatchingService
from skillpass.matching.text import clean_query

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def open_app(work: Path, esco: Path) -> SkillPass:
    """The benchmark's English ESCO database (imported on first use)."""
    folder = work / "en"
    folder.mkdir(parents=True, exist_ok=True)
    app = build(
        Settings(
            environment=Environment.TEST,
            data_dir=folder / "data",
            database_url=f"sqlite:///{folder / 'skillpass.sqlite3'}",
        )
    )
    marker = folder / "imported"
    if not marker.exists():
        app.taxonomy.import_esco(esco)
        marker.write_text("ok")
    return app


def read_split(path: Path, uris: dict[str, int]) -> list[tuple[str, set[int]]]:
    """(cleaned sentence, gold concept indexes) of a SkillSkape split; unknown labels dropped."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gold = {uris[s] for s in ast.literal_eval(row["skills"]) if s in uris}
            if gold:
                rows.append((clean_query(row["sentence"]), gold))
    return rows


def features_of(
    engine: MatchingEngine,
    rows: list[tuple[str, set[int]]],
    adapter: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates, features and 0/1 labels of ``rows``."""
    cands, feats = [], []
    for start in range(0, len(rows), 64):
        c, f = engine.skill_candidates([s for s, _ in rows[start : start + 64]], adapter=adapter)
        cands.append(c)
        feats.append(f)
    candidates = np.concatenate(cands)
    labels = np.array(
        [[int(c in gold) for c in row] for row, (_, gold) in zip(candidates, rows, strict=True)]
    )
    return candidates, np.concatenate(feats), labels


def truncate(x: np.ndarray, k: int) -> np.ndarray:
    """Features of the first ``k`` candidates from features computed over more of them.

    Only the features relative to the candidate set change (gaps to its best, label rank).
    """
    x = x[:, :k].copy()
    for name in ("label", "lexical"):
        column = x[..., FEATURES.index(name)]
        x[..., FEATURES.index(f"{name}_gap")] = column - column.max(axis=1, keepdims=True)
    label = x[..., FEATURES.index("label")]
    rank = np.argsort(np.argsort(-label, axis=1, kind="stable"), axis=1, kind="stable")
    x[..., FEATURES.index("label_rank")] = np.log1p(rank)
    return x


def rank_metrics(
    candidates: np.ndarray, scores: np.ndarray, rows: list[tuple[str, set[int]]]
) -> dict[str, float]:
    """RP@5, RP@10 and MRR (in %) of candidates ordered by ``scores`` (gold beyond them missed).

    Gold counts are over known labels only, so figures are slightly above the benchmark's,
    which keeps labels missing from ESCO v1.2 in the denominator.
    """
    order = np.argsort(-scores, axis=1, kind="stable")
    ranked = np.take_along_axis(candidates, order, axis=1)
    rp5, rp10, mrr = [], [], []
    for row, (_, gold) in zip(ranked, rows, strict=True):
        hits = [int(c) in gold for c in row]
        rp5.append(sum(hits[:5]) / min(5, len(gold)))
        rp10.append(sum(hits[:10]) / min(10, len(gold)))
        mrr.append(next((1 / (i + 1) for i, h in enumerate(hits) if h), 0.0))
    return {
        "RP@5": 100 * float(np.mean(rp5)),
        "RP@10": 100 * float(np.mean(rp10)),
        "MRR": 100 * float(np.mean(mrr)),
    }


def main() -> None:
    """Cross-fit features on train, fit the trees, report dev, write the ensemble."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=SHARED / "esco-v1.2.0-en")
    parser.add_argument("--train", type=Path, default=SHARED / "benchmarks/skillskape/train.csv")
    parser.add_argument("--dev", type=Path, default=SHARED / "benchmarks/skillskape/dev.csv")
    parser.add_argument("--work", type=Path, default=Path("/tmp/skillpass-bench-matching"))
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--trees", type=int, default=300)
    parser.add_argument("--leaves", type=int, default=15)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--cache", type=Path, default=None, help="reuse/save features (.npz)")
    args = parser.parse_args()

    from sklearn.ensemble import HistGradientBoostingClassifier

    started = time.time()
    app = open_app(args.work, args.esco)
    engine = MatchingService(app.engine, app.settings.data_dir).engine
    corpus = engine.index("skill").corpus
    uris = {label: i for i, label in enumerate(corpus.label_en)}
    train = read_split(args.train, uris)
    dev = read_split(args.dev, uris)
    print(f"index ready, {len(train)} train / {len(dev)} dev rows ({time.time() - started:.0f}s)")

    if args.cache is not None and args.cache.exists():
        with np.load(args.cache) as cached:
            x_train, y_train = cached["x_train"], cached["y_train"]
            dev_cands, x_dev = cached["dev_cands"], cached["x_dev"]
        if x_train.shape[1] > CANDIDATES:  # cached with more candidates
            x_train, y_train = truncate(x_train, CANDIDATES), y_train[:, :CANDIDATES]
            dev_cands, x_dev = dev_cands[:, :CANDIDATES], truncate(x_dev, CANDIDATES)
    else:
        encoder = shared_minilm()
        label_vectors = encoder.encode(corpus.label_en)
        sentence_vectors = encoder.encode([s for s, _ in train])
        fold = np.random.default_rng(0).permutation(len(train)) % args.folds
        x_parts, y_parts = [], []
        for f in range(args.folds):
            fit_rows = [i for i in range(len(train)) if fold[i] != f]
            pairs = [(i, g) for i in fit_rows for g in sorted(train[i][1])]
            adapter = train_adapter(
                sentence_vectors[[i for i, _ in pairs]],
                np.array([g for _, g in pairs]),
                label_vectors,
            )
            held = [train[i] for i in range(len(train)) if fold[i] == f]
            _, x, y = features_of(engine, held, adapter)
            x_parts.append(x)
            y_parts.append(y)
            print(f"fold {f + 1}/{args.folds} features ready ({time.time() - started:.0f}s)")
        x_train, y_train = np.concatenate(x_parts), np.concatenate(y_parts)
        dev_cands, x_dev, _ = features_of(engine, dev, None)  # the shipped adapter
        if args.cache is not None:
            np.savez(args.cache, x_train=x_train, y_train=y_train, dev_cands=dev_cands, x_dev=x_dev)

    width = len(FEATURES)
    model = HistGradientBoostingClassifier(
        max_iter=args.trees,
        learning_rate=args.learning_rate,
        max_leaf_nodes=args.leaves,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    ).fit(x_train.reshape(-1, width), y_train.reshape(-1))
    reranker = Reranker.from_sklearn(model)
    flat_dev = x_dev.reshape(-1, width)
    assert np.allclose(reranker.predict(flat_dev), model.decision_function(flat_dev), atol=1e-3)
    fused_order = -np.arange(dev_cands.shape[1], dtype=np.float32)[None, :].repeat(len(dev), 0)
    print("dev fused   ", rank_metrics(dev_cands, fused_order, dev))
    dev_scores = reranker.predict(flat_dev).reshape(dev_cands.shape)
    print("dev reranked", rank_metrics(dev_cands, dev_scores, dev))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    reranker.save(args.output)
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size / 1024:.0f} KiB) in {time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
