"""The engine's per-concept maxima of document scores, and its cached index."""

from __future__ import annotations

import numpy as np
import pytest

from skillpass.app import SkillPass
from skillpass.matching.corpus import KINDS, Corpus
from skillpass.matching.engine import MatchingEngine, _Runs
from skillpass.matching.service import MatchingService

DESCRIPTION = KINDS.index("description")


def _corpus(doc_concept: list[int], doc_kind: list[int], n_concepts: int) -> Corpus:
    n = len(doc_concept)
    return Corpus(
        concept_type="skill",
        uris=[f"c{i}" for i in range(n_concepts)],
        label_en=[f"c{i}" for i in range(n_concepts)],
        preferred={},
        detail=[None] * n_concepts,
        prior=np.zeros(n_concepts, np.float32),
        doc_text=[f"d{i}" for i in range(n)],
        doc_concept=np.array(doc_concept, np.int32),
        doc_kind=np.array(doc_kind, np.int8),
        doc_lang=np.zeros(n, np.int16),
        languages=["en"],
    )


# concept 0: two labels and a description; 1: none; 2: a description only; 3: one label
CORPUS = _corpus([0, 0, 0, 2, 3], [0, 1, DESCRIPTION, DESCRIPTION, 0], 4)


def _naive(scores: np.ndarray, columns: list[int], docs: list[int]) -> np.ndarray:
    """Max over the given columns of each concept, -1 for a concept without one."""
    best = np.full((scores.shape[0], len(CORPUS.uris)), -1.0, np.float32)
    for column in columns:
        concept = CORPUS.doc_concept[docs[column]]
        best[:, concept] = np.maximum(best[:, concept], scores[:, column])
    return best


def test_maxima_of_labels_and_descriptions_match_a_naive_loop() -> None:
    docs = np.arange(5, dtype=np.int64)
    parts = (CORPUS.doc_kind == DESCRIPTION).astype(np.intp)
    runs = _Runs.of(CORPUS, docs, parts, 2)
    scores = np.random.default_rng(0).uniform(-0.9, 0.9, (3, 5)).astype(np.float32)
    label, description = runs.maxima(scores)
    assert np.array_equal(label, _naive(scores, [0, 1, 4], list(docs)))
    assert np.array_equal(description, _naive(scores, [2, 3], list(docs)))


def test_argmax_finds_the_best_label_and_falls_back_to_a_concepts_first_document() -> None:
    docs = np.arange(5, dtype=np.int64)
    parts = (CORPUS.doc_kind == DESCRIPTION).astype(np.intp)
    runs = _Runs.of(CORPUS, docs, parts, 2)
    scores = np.array([[0.1, 0.5, 0.9, 0.3, 0.2]], np.float32)
    argmax = runs.argmax(scores, part=0)
    assert argmax.get(0, 0) == 1  # the better label, not the higher description
    assert argmax.get(0, 1) == -1  # no document
    assert argmax.get(0, 2) == 3  # no label: its first document
    assert argmax.get(0, 3) == 4


def test_a_selection_of_documents_maps_columns_back_to_documents() -> None:
    docs = np.array([1, 3, 4], dtype=np.int64)
    runs = _Runs.of(CORPUS, docs)
    scores = np.array([[0.4, 0.7, 0.2], [0.9, 0.1, 0.6]], np.float32)
    (best,) = runs.maxima(scores)
    assert np.array_equal(best, _naive(scores, [0, 1, 2], list(docs)))
    assert runs.argmax(scores).get(1, 3) == 4


def test_documents_out_of_concept_order_are_refused() -> None:
    with pytest.raises(ValueError, match="sorted"):
        _Runs.of(CORPUS, np.array([3, 0], dtype=np.int64))


def test_the_process_that_builds_the_index_scores_like_one_that_loads_it(
    tiny_app: SkillPass, semantic_matching: MatchingService
) -> None:
    # occupations: their fused score is the raw score (skills' goes through the reranker's
    # trees, which hide small differences)
    queries = ["nurse in a hospital", "software developer"]
    built = semantic_matching.engine.score("occupation", queries, lang="en", top=3)
    loaded = MatchingEngine(tiny_app.engine, semantic_matching.engine._cache_dir).score(
        "occupation", queries, lang="en", top=3
    )
    assert [[(c.index, c.raw, c.matched) for c in row] for row in built] == [
        [(c.index, c.raw, c.matched) for c in row] for row in loaded
    ]
