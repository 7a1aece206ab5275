"""Matching benchmark: SkillSkape (skills), MELO (occupations) and throughput, vs baselines.

Metrics follow the literature (see ``../shared/data/benchmarks/README.md``):

* SkillSkape: R-Precision@5 and @10 (hits in the top K / min(K, number of gold skills)) and MRR,
  averaged over sentences with at least one gold skill other than ``UNK``; gold labels that are no
  longer ESCO v1.2 preferred labels stay in the denominator (they can never be found).
* MELO: MRR over the gold ESCO occupations of each title. *In-language*: the database holds the
  English ESCO plus the six occupation-label files. *Cross-lingual*: a database with English only.
* Throughput: job-advert sentences per second through the streaming batch API, default and fast.

Usage::

    python benchmarks/matching.py --split dev            # tune here
    python benchmarks/matching.py --split test           # report once
    python benchmarks/matching.py --tasks melo,throughput
    python benchmarks/matching.py --split dev --tasks calibrate,extract   # per-path curves
    python benchmarks/matching.py --split dev --tasks fast,fast-occupations  # fast mode

Databases and indexes are kept in ``--work`` (default ``/tmp/skillpass-bench-matching``) so
re-runs skip the import and the index build.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import statistics
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from skillpass.app import SkillPass, build
from skillpass.config import Environment, Settings
from skillpass.matching.corpus import KINDS, Corpus, label_forms
from skillpass.matching.models import MatchMode
from skillpass.matching.service import BatchItem, MatchingService
from skillpass.storage.tables import concepts

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _app(work: Path, name: str, esco: Path, labels: Path | None) -> SkillPass:
    folder = work / name
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        environment=Environment.TEST,
        data_dir=folder / "data",
        database_url=f"sqlite:///{folder / 'skillpass.sqlite3'}",
    )
    app = build(settings)
    marker = folder / "imported"
    if not marker.exists():
        app.taxonomy.import_esco(esco)
        if labels is not None:
            app.taxonomy.import_esco(labels)
        marker.write_text("ok")
    return app


def _rp(ranked: list[str], gold: list[str], k: int) -> float:
    return len(set(ranked[:k]) & set(gold)) / min(k, len(gold))


def _mrr(ranked: list[str], gold: set[str]) -> float:
    for i, uri in enumerate(ranked):
        if uri in gold:
            return 1.0 / (i + 1)
    return 0.0


def skillskape(app: SkillPass, split: str, out: dict[str, object]) -> None:
    """RP@5, RP@10, MRR on one SkillSkape split, ours (default, fast, lexical) and baselines."""
    with app.engine.connect() as conn:
        by_label = dict(
            conn.execute(
                select(concepts.c.preferred_label, concepts.c.uri).where(concepts.c.type == "skill")
            ).all()
        )
    rows = []
    with (SHARED / "benchmarks" / "skillskape" / f"{split}.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            gold = [by_label.get(s, "missing:" + s) for s in ast.literal_eval(r["skills"])]
            gold = [g for g in gold if g != "missing:UNK"]
            if gold:
                rows.append((r["sentence"], gold))
    items = [BatchItem(str(i), s) for i, (s, _) in enumerate(rows)]
    systems = {
        "ours (default)": (MatchingService(app.engine, app.settings.data_dir), MatchMode.DEFAULT),
        "ours (fast)": (MatchingService(app.engine, app.settings.data_dir), MatchMode.FAST),
        "ours (lexical only, no ml extra)": (
            MatchingService(app.engine, app.settings.data_dir, semantic=False),
            MatchMode.DEFAULT,
        ),
    }
    results: dict[str, dict[str, float]] = {}
    calibration: list[tuple[float, int]] = []
    for name, (service, mode) in systems.items():
        rp5, rp10, mrr = [], [], []
        started = time.perf_counter()
        for (item_id, matches), (_, gold) in zip(
            service.match_skills_batch(items, lang="en", top=10, mode=mode), rows, strict=True
        ):
            ranked = [m.uri for m in matches or []]
            rp5.append(_rp(ranked, gold, 5))
            rp10.append(_rp(ranked, gold, 10))
            mrr.append(_mrr(ranked, set(gold)))
            del item_id
        elapsed = time.perf_counter() - started
        results[name] = {
            "RP@5": 100 * statistics.fmean(rp5),
            "RP@10": 100 * statistics.fmean(rp10),
            "MRR": 100 * statistics.fmean(mrr),
            "seconds": elapsed,
        }
        print(name, json.dumps(results[name]))
    # raw fused scores of the default system's top 10, for calibration and the threshold
    service = systems["ours (default)"][0]
    engine = service.engine
    queries = [s for s, _ in rows]
    for start in range(0, len(queries), 64):
        scored = engine.score("skill", queries[start : start + 64], lang="en", top=10)
        for (_, gold), candidates in zip(rows[start : start + 64], scored, strict=True):
            corpus = engine.index("skill").corpus
            for c in candidates:
                calibration.append((c.raw, int(corpus.uris[c.index] in gold)))
    results["plain MiniLM vs preferred labels (baseline)"] = _minilm_baseline(engine, rows)
    out[f"skillskape-{split}"] = results
    out[f"calibration-{split}"] = _fit_calibration(calibration)


def _minilm_baseline(engine: object, rows: list[tuple[str, list[str]]]) -> dict[str, float]:
    from skillpass.matching.semantic import MiniLMEncoder

    corpus = engine.index("skill").corpus  # type: ignore[attr-defined]
    encoder = MiniLMEncoder()
    labels = encoder.encode(corpus.label_en)
    queries = encoder.encode([s for s, _ in rows])
    rp5, rp10, mrr = [], [], []
    for start in range(0, len(rows), 256):
        sims = queries[start : start + 256] @ labels.T
        for row, (_, gold) in zip(sims, rows[start : start + 256], strict=True):
            ranked = [corpus.uris[i] for i in np.argsort(-row)[:10]]
            rp5.append(_rp(ranked, gold, 5))
            rp10.append(_rp(ranked, gold, 10))
            mrr.append(_mrr(ranked, set(gold)))
    result = {
        "RP@5": 100 * statistics.fmean(rp5),
        "RP@10": 100 * statistics.fmean(rp10),
        "MRR": 100 * statistics.fmean(mrr),
    }
    print("MiniLM baseline", json.dumps(result))
    return result


def _fit_calibration(pairs: list[tuple[float, int]]) -> dict[str, float]:
    """Logistic fit p = 1/(1+exp(-slope*(raw-midpoint))) and the F1-best threshold on it."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[p[0]] for p in pairs])
    y = np.array([p[1] for p in pairs])
    model = LogisticRegression().fit(x, y)
    slope = float(model.coef_[0][0])
    midpoint = float(-model.intercept_[0] / slope)
    probs = model.predict_proba(x)[:, 1]
    best = (0.0, 0.5)
    positives = y.sum()
    for threshold in np.arange(0.05, 0.9, 0.05):
        chosen = probs >= threshold
        tp = (chosen & (y == 1)).sum()
        if chosen.sum() == 0:
            continue
        precision, recall = tp / chosen.sum(), tp / positives
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        best = max(best, (float(f1), float(threshold)))
    result = {"slope": slope, "midpoint": midpoint, "best_f1": best[0], "threshold": best[1]}
    print("calibration", result)
    return result


def _skillskape_rows(app: SkillPass, split: str) -> list[tuple[str, list[str]]]:
    with app.engine.connect() as conn:
        by_label = dict(
            conn.execute(
                select(concepts.c.preferred_label, concepts.c.uri).where(concepts.c.type == "skill")
            ).all()
        )
    rows = []
    with (SHARED / "benchmarks" / "skillskape" / f"{split}.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            gold = [by_label.get(s, "missing:" + s) for s in ast.literal_eval(r["skills"])]
            gold = [g for g in gold if g != "missing:UNK"]
            if gold:
                rows.append((r["sentence"], gold))
    return rows


#: Scoring paths: (name, query language passed, semantic). English skill queries go through the
#: learned reranker (``Weights.reranked_*``; the plain ``default`` curve is only used when no
#: reranker is shipped). The multilingual path is what a query in any language but English
#: takes; English dev sentences are sent through it with lang="de" (weights then treat the
#: English labels exactly as for a German query).
PATHS = (("reranked", "en", True), ("multilingual", "de", True), ("lexical", "en", False))


def calibrate(app: SkillPass, split: str, out: dict[str, object]) -> None:
    """Fit the logistic curve of each scoring path on one split's top-10 candidates."""
    rows = _skillskape_rows(app, split)
    queries = [s for s, _ in rows]
    results = {}
    for name, lang, semantic in PATHS:
        engine = MatchingService(app.engine, app.settings.data_dir, semantic=semantic).engine
        corpus = engine.index("skill").corpus
        pairs: list[tuple[float, int]] = []
        for start in range(0, len(queries), 64):
            scored = engine.score("skill", queries[start : start + 64], lang=lang, top=10)
            for (_, gold), candidates in zip(rows[start : start + 64], scored, strict=True):
                pairs += [(c.raw, int(corpus.uris[c.index] in gold)) for c in candidates]
        print("path", name, end=" ")
        results[name] = _fit_calibration(pairs)
    out[f"calibration-paths-{split}"] = results


def extraction(
    app: SkillPass,
    split: str,
    out: dict[str, object],
    paths: set[str] | None = None,
    pieces_variants: tuple[bool, ...] = (False, True),
) -> None:
    """Extraction P/R/F1 through ``extract`` on pseudo-adverts of 10 SkillSkape sentences.

    Evidence offsets map each found skill back to its sentence; a (sentence, skill) pair is
    right when the skill is one of that sentence's gold skills. Per path, with and without
    splitting spans into pieces: P/R/F1 at 0.2 (every path's threshold until round 4), at the
    path's shipped default (``default_threshold``), at the best one, and the whole curve. The
    ``default`` path (English without the reranker, as when none is shipped) runs only when
    named in ``paths``.
    """
    from skillpass.matching import service as service_module
    from skillpass.matching.service import default_threshold

    rows = _skillskape_rows(app, split)
    adverts = []
    for start in range(0, len(rows), 10):
        group = rows[start : start + 10]
        text, bounds = "", []
        for sentence, _ in group:
            bounds.append((len(text), len(text) + len(sentence)))
            text += sentence + "\n"
        adverts.append((text, bounds, [set(g) for _, g in group]))
    gold_total = sum(len(g) for _, _, golds in adverts for g in golds)
    results: dict[str, dict[str, object]] = {}
    # "default" (English without a shipped reranker) only when asked for: the fallback path
    for name, lang, semantic in (*PATHS, ("default", "en", True)):
        if (paths and name not in paths) or (name == "default" and not paths):
            continue
        service = MatchingService(app.engine, app.settings.data_dir, semantic=semantic)
        if name == "default":
            service.engine.reranker = lambda: None  # type: ignore[method-assign]
        for pieces in pieces_variants:
            service_module.SPLIT_PIECES = pieces
            found: list[tuple[float, int]] = []  # (score, right)
            started = time.perf_counter()
            for text, bounds, golds in adverts:
                result = service.extract(text, lang=lang, threshold=0.0)
                for skill in result.skills:
                    best: dict[int, float] = {}
                    for span in skill.evidence:
                        for i, (lo, hi) in enumerate(bounds):
                            if lo <= span.start < hi:
                                best[i] = max(best.get(i, 0.0), span.score)
                    found += [(sc, int(skill.uri in golds[i])) for i, sc in best.items()]
            elapsed = time.perf_counter() - started
            scores = np.array([f[0] for f in found])
            right = np.array([f[1] for f in found])
            shipped = default_threshold(MatchMode.DEFAULT, name)
            curve: dict[str, list[float]] = {}
            for threshold in sorted({*np.round(np.arange(0.05, 0.95, 0.05), 2), shipped}):
                chosen = scores >= threshold
                tp = int((chosen & (right == 1)).sum())
                precision = tp / max(int(chosen.sum()), 1)
                recall = tp / gold_total
                f1 = 2 * precision * recall / max(precision + recall, 1e-9)
                curve[f"{threshold:.2f}"] = [round(precision, 3), round(recall, 3), round(f1, 3)]
            best_t = max(curve, key=lambda t: curve[t][2])
            key = f"{name}{' + pieces' if pieces else ''}"
            results[key] = {
                "P/R/F1@0.20": curve["0.20"],
                f"P/R/F1@{shipped:.2f} (shipped)": curve[f"{shipped:.2f}"],
                "best_threshold": best_t,
                "P/R/F1@best": curve[best_t],
                "curve": curve,
                "seconds": round(elapsed, 1),
            }
            print("extract", key, json.dumps(results[key]))
    service_module.SPLIT_PIECES = True
    out[f"extraction-{split}"] = results


#: Fast-mode paths: (name, query language passed, semantic). ``multilingual`` is what every
#: language but English takes (static multilingual USE); English dev sentences go through it with
#: lang="de", as for the default mode's multilingual curve.
FAST_PATHS = (("en", "en", True), ("multilingual", "de", True), ("lexical", "en", False))


def _ranking(ranked: list[str], gold: list[str]) -> tuple[float, float, float]:
    return _rp(ranked, gold, 5), _rp(ranked, gold, 10), _mrr(ranked, set(gold))


def _muse_centroids_reference(engine: Any, rows: list[tuple[str, list[str]]]) -> dict[str, float]:
    """Fast mode before the static multilingual table: real mUSE query vectors vs centroids."""
    from skillpass.matching.fast import FAST_PRIOR
    from skillpass.matching.semantic import shared_use

    index = engine.index("skill")
    corpus = index.corpus
    scores = []
    for start in range(0, len(rows), 64):
        chunk = rows[start : start + 64]
        sims = shared_use().encode([s for s, _ in chunk]) @ index.centroids.T
        sims += FAST_PRIOR["skill"][0] * corpus.prior[None, :]
        for row, (_, gold) in zip(sims, chunk, strict=True):
            scores.append(_ranking([corpus.uris[i] for i in np.argsort(-row)[:10]], gold))
    return {m: 100 * statistics.fmean(s[i] for s in scores) for i, m in enumerate(METRICS)}


METRICS = ("RP@5", "RP@10", "MRR")


def fast_quality(app: SkillPass, split: str, out: dict[str, object]) -> None:
    """Fast mode per path on SkillSkape: ranking, calibration curve, extraction P/R/F1.

    Calibration: a logistic fit on each path's top-10 candidates (as for the default paths).
    Extraction: ``extract(mode=fast)`` on pseudo-adverts of 10 sentences, each found (sentence,
    skill) pair right when the skill is a gold skill of that sentence; P/R/F1 at each threshold.
    """
    rows = _skillskape_rows(app, split)
    queries = [s for s, _ in rows]
    results: dict[str, dict[str, object]] = {}
    for name, lang, semantic in FAST_PATHS:
        service = MatchingService(app.engine, app.settings.data_dir, semantic=semantic)
        engine, corpus = service.engine, service.engine.index("skill").corpus
        scores, pairs = [], []
        for start in range(0, len(queries), 64):
            scored = engine.score(
                "skill", queries[start : start + 64], lang=lang, top=10, mode=MatchMode.FAST
            )
            for (_, gold), candidates in zip(rows[start : start + 64], scored, strict=True):
                ranked = [corpus.uris[c.index] for c in candidates]
                scores.append(_ranking(ranked, gold))
                pairs += [(c.raw, int(corpus.uris[c.index] in gold)) for c in candidates]
        ranking = {m: 100 * statistics.fmean(s[i] for s in scores) for i, m in enumerate(METRICS)}
        print("fast", name, json.dumps(ranking))
        results[name] = {
            **ranking,
            "calibration": _fit_calibration(pairs),
            "extraction": _fast_extraction(service, rows, lang),
        }
        print("fast", name, "extraction", json.dumps(results[name]["extraction"]))
    reference = _muse_centroids_reference(
        MatchingService(app.engine, app.settings.data_dir).engine, rows
    )
    print("fast before (mUSE centroids, lang=de)", json.dumps(reference))
    results["multilingual before (mUSE centroids)"] = reference
    out[f"fast-{split}"] = results


def _fast_extraction(
    service: MatchingService, rows: list[tuple[str, list[str]]], lang: str
) -> dict[str, object]:
    adverts = []
    for start in range(0, len(rows), 10):
        group = rows[start : start + 10]
        text, bounds = "", []
        for sentence, _ in group:
            bounds.append((len(text), len(text) + len(sentence)))
            text += sentence + "\n"
        adverts.append((text, bounds, [set(g) for _, g in group]))
    gold_total = sum(len(g) for _, _, golds in adverts for g in golds)
    found: list[tuple[float, int]] = []
    for text, bounds, golds in adverts:
        result = service.extract(text, lang=lang, threshold=0.0, mode=MatchMode.FAST)
        for skill in result.skills:
            best: dict[int, float] = {}
            for span in skill.evidence:
                for i, (lo, hi) in enumerate(bounds):
                    if lo <= span.start < hi:
                        best[i] = max(best.get(i, 0.0), span.score)
            found += [(sc, int(skill.uri in golds[i])) for i, sc in best.items()]
    scores = np.array([f[0] for f in found])
    right = np.array([f[1] for f in found])
    curve: dict[str, list[float]] = {}
    for threshold in np.round(np.arange(0.05, 0.95, 0.05), 2):
        chosen = scores >= threshold
        tp = int((chosen & (right == 1)).sum())
        precision = tp / max(int(chosen.sum()), 1)
        recall = tp / gold_total
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        curve[f"{threshold:.2f}"] = [round(precision, 3), round(recall, 3), round(f1, 3)]
    best_t = max(curve, key=lambda t: curve[t][2])
    return {"best_threshold": best_t, "best": curve[best_t], "curve": curve}


def fast_occupations(app_en: SkillPass, out: dict[str, object], per_language: int = 400) -> None:
    """Occupation MRR of fast mode on held-out ESCO alternative labels in six languages.

    Queries: ``per_language`` alternative occupation labels per language (seeded sample) from
    ``esco-occupation-labels``; corpus: the English-only database, so none of them is indexed
    (cross-lingual). Compared with the real mUSE query vectors against the same centroids.
    """
    import random

    from skillpass.matching.semantic import shared_use

    service = MatchingService(app_en.engine, app_en.settings.data_dir)
    index = service.engine.index("occupation")
    corpus = index.corpus
    uri_index = {u: i for i, u in enumerate(corpus.uris)}
    rng = random.Random(0)
    results: dict[str, dict[str, float]] = {}
    for lang in ("de", "fr", "es", "it", "nl", "pl"):
        path = SHARED / "esco-occupation-labels" / f"occupations_{lang}.csv"
        with path.open(encoding="utf-8") as fh:
            pairs = [
                (label.strip(), r["conceptUri"])
                for r in csv.DictReader(fh)
                if r["conceptUri"] in uri_index
                for label in r["altLabels"].split("\n")
                if label.strip()
            ]
        sample = rng.sample(pairs, min(per_language, len(pairs)))
        items = [BatchItem(str(i), q) for i, (q, _) in enumerate(sample)]
        fast = [
            _mrr([m.uri for m in matches or []], {uri})
            for (_, matches), (_, uri) in zip(
                service.match_occupations_batch(items, lang=lang, top=100, mode=MatchMode.FAST),
                sample,
                strict=True,
            )
        ]
        sims = shared_use().encode([q for q, _ in sample]) @ index.centroids.T
        before = [
            _mrr([corpus.uris[i] for i in np.argsort(-row)[:100]], {uri})
            for row, (_, uri) in zip(sims, sample, strict=True)
        ]
        results[lang] = {"fast": statistics.fmean(fast), "before (mUSE)": statistics.fmean(before)}
        print("fast occupations", lang, json.dumps(results[lang]))
    out["fast-occupations"] = results


def _derived(corpus: Corpus, doc: int, lang: str) -> bool:
    """Whether a document is a form cut from another label of its concept (``Leiter`` of
    ``Leiter/Leiterin``): such a form is no query, as its source label would stay indexed."""
    text = corpus.doc_text[doc]
    lo, hi = np.searchsorted(
        corpus.doc_concept, [corpus.doc_concept[doc], corpus.doc_concept[doc] + 1]
    )
    return any(
        j != doc and "/" in corpus.doc_text[j] and text in label_forms(corpus.doc_text[j], lang)[1:]
        for j in range(lo, hi)
        if corpus.doc_lang[j] == corpus.doc_lang[doc]
    )


def _held_out_centroids(
    index: Any, vectors: Any, rows: list[int], queries: list[int], held: list[list[int]]
) -> Any:
    """Cosine of each query vector with each occupation's label centroid, the query's own
    occupation's centroid made without its held-out labels."""
    corpus = index.corpus
    sums = np.zeros((len(corpus.uris), index.use.shape[1]), np.float32)
    np.add.at(sums, corpus.doc_concept[index.use_docs], index.use)
    centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
    sims = vectors @ centroids.T
    position = {int(d): k for k, d in enumerate(index.use_docs)}
    for r, row in enumerate(rows):
        gold = int(corpus.doc_concept[queries[row]])
        own = sums[gold].copy()
        for j in held[row]:
            if j in position:
                own -= index.use[position[j]]
        sims[r, gold] = float(vectors[r] @ own) / max(float(np.linalg.norm(own)), 1e-9)
    return sims


def _write(text: str, capitals: bool) -> str:
    return text.upper() if capitals else text


def heldout_occupations(
    app_multi: SkillPass,
    out: dict[str, object],
    per_language: int = 400,
    seeds: int = 3,
    *,
    capitals: bool = False,
) -> None:
    """Default-mode occupation MRR on held-out ESCO alternative labels in six languages.

    The set occupation choices are made on (not MELO): per language and seed, ``per_language``
    alternative labels of distinct occupations of the multilingual index are queries, and every
    label of the query's occupation containing it or contained in it is removed from the index
    for that query, with the forms cut from it (and from the German compound vocabulary and the
    occupation's label centroid). Scored as ``MatchingEngine.score`` does on the multilingual
    path: job-title normalisation, German compounds averaged with their split form, label
    similarity plus the weighted lexical, centroid and English-label similarities. With
    ``capitals``, the queries are written in capitals (as national classifications write titles).
    """
    from skillpass.matching.engine import WEIGHTS
    from skillpass.matching.text import CompoundSplitter, fold_capitals, normalise_job_title

    engine = MatchingService(app_multi.engine, app_multi.settings.data_dir).engine
    index = engine.index("occupation")
    corpus = index.corpus
    _, use = engine._encoders()
    weights = WEIGHTS["occupation"]
    en = corpus.languages.index("en")
    alt, description = KINDS.index("alt"), KINDS.index("description")
    results: dict[str, dict[str, float]] = {}
    pairs: list[tuple[float, int]] = []
    for lang in ("de", "fr", "es", "it", "nl", "pl"):
        li = corpus.languages.index(lang)
        language_labels = [
            int(d)
            for d in np.flatnonzero((corpus.doc_lang == li) & (corpus.doc_kind != description))
        ]
        splitter = CompoundSplitter(corpus.doc_text[d] for d in language_labels)
        doc_w = engine._doc_weights(index, lang)
        scores = []
        for seed in range(seeds):
            candidates = np.flatnonzero((corpus.doc_lang == li) & (corpus.doc_kind == alt))
            np.random.default_rng(seed).shuffle(candidates)
            seen: set[int] = set()
            queries: list[int] = []
            for d in candidates:
                if (
                    int(corpus.doc_concept[d]) not in seen
                    and len(queries) < per_language
                    and not _derived(corpus, int(d), lang)
                ):
                    seen.add(int(corpus.doc_concept[d]))
                    queries.append(int(d))
            held = []
            for d in queries:
                lo, hi = np.searchsorted(
                    corpus.doc_concept, [corpus.doc_concept[d], corpus.doc_concept[d] + 1]
                )
                forms = {f.casefold() for f in label_forms(corpus.doc_text[d], lang)}
                held.append(
                    [
                        j
                        for j in range(lo, hi)
                        if corpus.doc_kind[j] != description
                        and any(
                            corpus.doc_text[j].casefold() in q or q in corpus.doc_text[j].casefold()
                            for q in forms
                        )
                    ]
                )
            texts = [
                normalise_job_title(fold_capitals(_write(corpus.doc_text[d], capitals)), lang)
                for d in queries
            ]
            split: list[tuple[int, str]] = []
            if lang == "de":
                for row, (text, docs) in enumerate(zip(texts, held, strict=True)):
                    words = CompoundSplitter(
                        corpus.doc_text[j] for j in docs if corpus.doc_lang[j] == li
                    )
                    splitter._counts.subtract(words._counts)  # the held-out labels' words go
                    if splitter.split(text) != text:
                        split.append((row, splitter.split(text)))
                    splitter._counts.update(words._counts)
            rows = [*range(len(texts)), *(row for row, _ in split)]
            batch = texts + [text for _, text in split]
            lexical = index.lexical.document_scores(batch).toarray().astype(np.float32)
            lexical *= doc_w[None, :]
            semantic = np.full_like(lexical, -1.0)
            query_vectors = use.encode(batch)
            semantic[:, index.use_docs] = (query_vectors @ index.use.T) * doc_w[index.use_docs]
            for r, row in enumerate(rows):
                lexical[r, held[row]] = 0.0
                semantic[r, held[row]] = -1.0
            best_lexical, _ = engine._best_per_concept(index, lexical)
            best_semantic, _ = engine._best_per_concept(index, semantic)
            english = np.where((corpus.doc_lang == en)[None, :], semantic, -1.0)
            best_english, _ = engine._best_per_concept(index, english.astype(np.float32))
            fused = (
                best_semantic
                + weights.lexical * best_lexical
                + weights.centroid * _held_out_centroids(index, query_vectors, rows, queries, held)
                + weights.english_label * best_english
            )
            fused = engine._merge_split(fused, split)
            gold = corpus.doc_concept[queries]
            target = fused[np.arange(len(gold)), gold]
            rank = (fused > target[:, None]).sum(axis=1)
            scores.append(float(np.mean(np.where(rank < 100, 1.0 / (1 + rank), 0.0))))
            for row, concept in enumerate(gold):  # top 10 of each query, for the calibration
                best = np.argpartition(-fused[row], 10)[:10]
                pairs += [(float(fused[row, c]), int(c == concept)) for c in best]
        results[lang] = {
            "mean": statistics.fmean(scores),
            **{f"seed {i}": v for i, v in enumerate(scores)},
        }
        style = "in capitals" if capitals else "as written"
        print("held-out occupations", style, lang, json.dumps(results[lang]))
    print("multilingual occupation path", end=" ")
    name = "heldout-occupations-capitals" if capitals else "heldout-occupations"
    out[name] = {**results, "calibration": _fit_calibration(pairs)}


def synthetic_adverts(app: SkillPass, out: dict[str, object], count: int = 150) -> None:
    """Fast-mode extraction on synthetic job adverts: skills per advert, precision, recall.

    The adverts come from :mod:`skillpass.intelligence.synthetic` (seed 0), each written from
    an ESCO occupation profile; the skills it *names* are the profile's skills whose label the
    text holds verbatim. A found skill is right when it is a named one. Per fast path, at every
    threshold (the extraction is run once at 0 and cut), and at the shipped default.
    """
    from skillpass.intelligence.repository import TaxonomyReads
    from skillpass.intelligence.synthetic import GeneratorTruth, generate_adverts
    from skillpass.matching.service import default_threshold

    profiles = {p.uri: p for p in TaxonomyReads(app.engine).occupation_profiles()}
    truth = GeneratorTruth(
        seed=0, adverts=count, start=date(2023, 1, 1), months=36, emerging=[], stable=[]
    )
    rows = list(generate_adverts(list(profiles.values()), [], count, seed=0, truth=truth))
    adverts = []
    for row in rows:
        occupation = truth.occupations.get(f"{row['source']}:{row['id']}")
        if occupation is None:  # a re-post or cross-post
            continue
        profile = profiles[occupation]
        text = row["text"].lower()
        named = {s.uri for s in (*profile.essential, *profile.optional) if s.label.lower() in text}
        adverts.append((row["text"], named))
    results: dict[str, dict[str, object]] = {}
    for name, lang, semantic in FAST_PATHS:
        service = MatchingService(app.engine, app.settings.data_dir, semantic=semantic)
        found = [
            (service.extract(text, lang=lang, threshold=0.0, mode=MatchMode.FAST), named)
            for text, named in adverts
        ]
        shipped = default_threshold(MatchMode.FAST)
        curve = {}
        for threshold in [*np.round(np.arange(0.1, 0.95, 0.1), 2), shipped]:
            kept = [
                ({s.uri for s in r.skills if s.score >= threshold}, named) for r, named in found
            ]
            right = sum(len(k & n) for k, n in kept)
            curve[f"{threshold:.2f}"] = {
                "skills_per_advert": round(statistics.fmean(len(k) for k, _ in kept), 1),
                "precision": round(right / max(sum(len(k) for k, _ in kept), 1), 3),
                "recall": round(right / max(sum(len(n) for _, n in kept), 1), 3),
            }
        results[name] = {
            "adverts": len(adverts),
            "named_per_advert": round(statistics.fmean(len(n) for _, n in adverts), 1),
            "shipped": curve[f"{shipped:.2f}"],
            "curve": curve,
        }
        print("adverts", name, json.dumps(results[name]))
    out["synthetic-adverts"] = results


def melo(app_multi: SkillPass, app_en: SkillPass, out: dict[str, object]) -> None:
    """MRR on every MELO set: in-language (labels imported) and cross-lingual (English only)."""
    folder = SHARED / "benchmarks" / "melo" / "data"
    results: dict[str, dict[str, float]] = {}
    for dataset in sorted(folder.iterdir()):
        parts = dataset.name.split("_")
        q_lang, c_lang = parts[2], parts[4]
        app = app_en if c_lang == "en" else app_multi
        mapping = dict(
            line.rstrip("\n").split("\t")[:2]
            for line in (dataset / "concept_mapping.tsv").open(encoding="utf-8")
        )
        gold: dict[str, set[str]] = defaultdict(set)
        for line in (dataset / "annotations.tsv").open(encoding="utf-8"):
            qid, _, cid, rel = line.rstrip("\n").split("\t")
            if rel == "1":
                gold[qid].add(mapping[cid])
        queries = [
            line.rstrip("\n").split("\t")[:2]
            for line in (dataset / "queries.tsv").open(encoding="utf-8")
        ]
        for name, semantic in (("ours", True), ("ours lexical only", False)):
            service = MatchingService(app.engine, app.settings.data_dir, semantic=semantic)
            items = [BatchItem(qid, text) for qid, text in queries]
            scores = []
            for qid, matches in service.match_occupations_batch(items, lang=q_lang, top=100):
                scores.append(_mrr([m.uri for m in matches or []], gold[qid]))
            results.setdefault(dataset.name, {})[name] = statistics.fmean(scores)
        print(dataset.name, json.dumps(results[dataset.name]))
    out["melo"] = results


#: Languages whose fast path the throughput task times (every language but English shares the
#: multilingual path; the English dev sentences are sent with each ``lang``).
FAST_LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl")


def throughput(app: SkillPass, out: dict[str, object], only: set[str] | None = None) -> None:
    """Sentences per second through the batch API (SkillSkape dev sentences, in English; the
    fast rows send them with each ``lang``, so they time that language's path)."""
    with (SHARED / "benchmarks" / "skillskape" / "dev.csv").open(encoding="utf-8") as fh:
        sentences = [r["sentence"] for r in csv.DictReader(fh)]
    items = [BatchItem(str(i), s) for i, s in enumerate(sentences[:1000])]
    results = {}
    fast_languages = [(f"fast ({lang})", True, MatchMode.FAST, lang) for lang in FAST_LANGUAGES]
    for name, semantic, mode, lang in (
        ("default", True, MatchMode.DEFAULT, "en"),
        *fast_languages,
        ("lexical only", False, MatchMode.DEFAULT, "en"),
        ("fast without ml", False, MatchMode.FAST, "en"),
    ):
        if only and name not in only:
            continue
        service = MatchingService(app.engine, app.settings.data_dir, semantic=semantic)
        list(service.match_skills_batch(items[:64], lang=lang, top=10, mode=mode))  # warm
        started = time.perf_counter()
        n = sum(1 for _ in service.match_skills_batch(items, lang=lang, top=10, mode=mode))
        results[name] = n / (time.perf_counter() - started)
        print(f"throughput {name}: {results[name]:.0f} sentences/s")
    out["throughput"] = results


def main() -> None:
    """Run the chosen tasks and print/save JSON results."""
    parser = argparse.ArgumentParser(description="SkillPass matching benchmark")
    parser.add_argument("--esco", type=Path, default=SHARED / "esco-v1.2.0-en")
    parser.add_argument("--labels", type=Path, default=SHARED / "esco-occupation-labels")
    parser.add_argument("--work", type=Path, default=Path("/tmp/skillpass-bench-matching"))
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--tasks", default="skills,melo,throughput")
    parser.add_argument(
        "--paths",
        default="",
        help="extract: reranked,multilingual,lexical,default (default: the first three)",
    )
    parser.add_argument("--pieces", default="both", choices=["both", "on", "off"])
    parser.add_argument("--save", type=Path, default=None, help="write results as JSON")
    parser.add_argument(
        "--only", default="", help="throughput: rows to time, e.g. 'fast (de),default'"
    )
    args = parser.parse_args()
    tasks = set(args.tasks.split(","))
    out: dict[str, object] = {}
    app_en = _app(args.work, "en", args.esco, None)
    if "skills" in tasks:
        skillskape(app_en, args.split, out)
    if "calibrate" in tasks:
        calibrate(app_en, args.split, out)
    if "extract" in tasks:
        variants = {"both": (False, True), "on": (True,), "off": (False,)}[args.pieces]
        paths = set(args.paths.split(",")) if args.paths else None
        extraction(app_en, args.split, out, paths, variants)
    if "melo" in tasks:
        app_multi = _app(args.work, "multi", args.esco, args.labels)
        melo(app_multi, app_en, out)
    if "heldout-occupations" in tasks:
        heldout_occupations(_app(args.work, "multi", args.esco, args.labels), out)
    if "heldout-occupations-capitals" in tasks:
        app_multi = _app(args.work, "multi", args.esco, args.labels)
        heldout_occupations(app_multi, out, capitals=True)
    if "fast" in tasks:
        fast_quality(app_en, args.split, out)
    if "adverts" in tasks:
        synthetic_adverts(app_en, out)
    if "fast-occupations" in tasks:
        fast_occupations(app_en, out)
    if "throughput" in tasks:
        throughput(app_en, out, set(args.only.split(",")) if args.only else None)
    if args.save:
        args.save.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
