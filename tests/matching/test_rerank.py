"""The learned skill reranker: export from scikit-learn, features, shipped model, engine path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse  # type: ignore[import-untyped]

from skillpass.matching import MatchingService
from skillpass.matching.rerank import (
    FEATURES,
    Reranker,
    SkillKnowledge,
    candidate_features,
    load_reranker,
    load_skill_knowledge,
)
from tests.matching.conftest import SKILL


def _fitted(seed: int = 0) -> tuple[Reranker, object, np.ndarray]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3000, len(FEATURES))).astype(np.float32)
    y = (x[:, 0] + x[:, 3] * x[:, 5] + rng.normal(size=len(x)) > 0.5).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, random_state=0)
    model.fit(x, y)
    return Reranker.from_sklearn(model), model, rng.normal(size=(500, len(FEATURES)))


def test_exported_trees_score_exactly_like_scikit_learn(tmp_path: Path) -> None:
    reranker, model, x = _fitted()
    expected = model.decision_function(x)  # type: ignore[attr-defined]
    assert np.allclose(reranker.predict(x.astype(np.float32)), expected, atol=1e-4)
    path = tmp_path / "reranker.npz"
    reranker.save(path)
    loaded = load_reranker(path)
    assert loaded is not None
    assert np.allclose(loaded.predict(x.astype(np.float32)), expected, atol=1e-4)


def test_a_reranker_built_for_other_features_is_not_loaded(tmp_path: Path) -> None:
    reranker, _, _ = _fitted()
    path = tmp_path / "old.npz"
    Reranker(**{**reranker.__dict__, "features": ("label", "lexical")}).save(path)
    assert load_reranker(path) is None
    assert load_reranker(tmp_path / "missing.npz") is None


def test_the_shipped_reranker_loads_and_matches_the_feature_list() -> None:
    reranker = load_reranker()
    assert reranker is not None
    assert reranker.features == FEATURES
    assert len(reranker.roots) > 0


def test_candidates_are_the_best_fused_and_coherence_counts_shared_occupations() -> None:
    fused = np.array([[0.1, 0.9, 0.5, 0.7]], dtype=np.float32)
    zeros = np.zeros_like(fused)
    # skills 1 and 3 share occupation 0; skill 2 is alone; skill 0 shares with 1 (occupation 1)
    occupations = scipy.sparse.csr_matrix(
        np.array([[0, 1], [1, 1], [0, 0], [1, 0]], dtype=np.float32)
    )
    knowledge = SkillKnowledge(attributes=np.zeros((4, 5), np.float32), occupations=occupations)
    candidates, features = candidate_features(
        label=fused,
        description=zeros,
        lexical=zeros,
        prior=np.zeros(4, np.float32),
        fused=fused,
        preferred_raw=zeros,
        preferred_adapted=zeros,
        knowledge=knowledge,
        query_words=np.array([3.0], np.float32),
        k=3,
    )
    assert candidates.tolist() == [[1, 3, 2]]
    assert features.shape == (1, 3, len(FEATURES))
    coherence = features[0, :, FEATURES.index("coherence")]
    # of the other two top candidates: 1 shares with 3; 3 shares with 1; 2 with nobody
    assert coherence.tolist() == [0.5, 0.5, 0.0]
    assert features[0, :, FEATURES.index("fused_gap")].tolist() == pytest.approx([0, -0.2, -0.4])


def test_skill_knowledge_reads_type_and_occupation_links(
    lexical_matching: MatchingService,
) -> None:
    engine = lexical_matching.engine
    corpus = engine.index("skill", semantic=False).corpus
    knowledge = load_skill_knowledge(engine._engine, corpus.uris)
    python = corpus.uris.index(SKILL + "python")
    sql = corpus.uris.index(SKILL + "sql")
    nurse = corpus.uris.index(SKILL + "nurse")
    assert knowledge.attributes[python, 0] == 1.0  # knowledge
    assert knowledge.attributes[nurse, 0] == 0.0
    shared = (knowledge.occupations @ knowledge.occupations.T).toarray()
    assert shared[python, sql] > 0  # both required by the software developer
    assert shared[python, nurse] == 0


def test_english_skill_queries_go_through_the_reranker(
    semantic_matching: MatchingService,
) -> None:
    engine = semantic_matching.engine
    assert engine.reranker() is not None
    candidates, features = engine.skill_candidates(["You will look after patients"])
    assert features.shape == (1, candidates.shape[1], len(FEATURES))
    matches = semantic_matching.match_skills(
        "You will look after patients on the ward", lang="en", top=3
    )
    assert matches[0].uri == SKILL + "nurse"
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert matches[0].score >= matches[1].score >= matches[2].score


def test_lexical_only_matching_ignores_the_reranker(lexical_matching: MatchingService) -> None:
    matches = lexical_matching.match_skills("SQL databases and Python", lang="en", top=3)
    assert {m.uri for m in matches[:2]} == {SKILL + "sql", SKILL + "python"}
