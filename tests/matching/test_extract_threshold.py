"""Default-mode extraction: the default threshold is the one of the scoring path that answers."""

from __future__ import annotations

import pytest

from skillpass.matching.engine import scoring_path
from skillpass.matching.models import MatchMode
from skillpass.matching.service import (
    EXTRACTION_THRESHOLD,
    EXTRACTION_THRESHOLDS,
    FAST_EXTRACTION_THRESHOLD,
    MatchingService,
    default_threshold,
)
from tests.matching.conftest import SKILL

ADVERT = "We are hiring a baker.\nYou will bake bread every morning.\nWelding of metal parts."
GERMAN = "Wir suchen eine Bäckerin.\nSie backen jeden Morgen Brot.\nSie schweißen Metallteile."


@pytest.mark.parametrize(
    ("lang", "semantic", "reranker", "path"),
    [
        ("en", True, True, "reranked"),
        (None, True, True, "reranked"),
        ("en", True, False, "default"),
        ("de", True, True, "multilingual"),
        ("fr", True, False, "multilingual"),
        ("en", False, True, "lexical"),
        ("de", False, False, "lexical"),
    ],
)
def test_scoring_path_follows_language_embeddings_and_reranker(
    lang: str | None, semantic: bool, reranker: bool, path: str
) -> None:
    assert scoring_path(lang, semantic=semantic, reranker=reranker) == path


def test_every_scoring_path_has_a_default_threshold_and_they_differ() -> None:
    assert set(EXTRACTION_THRESHOLDS) == {"reranked", "default", "multilingual", "lexical"}
    for path, threshold in EXTRACTION_THRESHOLDS.items():
        assert default_threshold(MatchMode.DEFAULT, path) == threshold
        assert 0.0 < threshold < 1.0
    assert EXTRACTION_THRESHOLDS["reranked"] != EXTRACTION_THRESHOLDS["multilingual"]


def test_fast_mode_keeps_one_threshold_and_an_unknown_path_the_old_one() -> None:
    for path in EXTRACTION_THRESHOLDS:
        assert default_threshold(MatchMode.FAST, path) == FAST_EXTRACTION_THRESHOLD
    assert default_threshold(MatchMode.DEFAULT) == EXTRACTION_THRESHOLD


def test_lexical_extraction_uses_the_lexical_threshold(lexical_matching: MatchingService) -> None:
    result = lexical_matching.extract(ADVERT, lang="en")
    assert result.threshold == pytest.approx(EXTRACTION_THRESHOLDS["lexical"])
    assert SKILL + "bake" in {s.uri for s in result.skills}
    assert all(s.score >= result.threshold for s in result.skills)
    everything = lexical_matching.extract(ADVERT, lang="en", threshold=0.0)
    kept = {s.uri for s in everything.skills if s.score >= result.threshold}
    assert {s.uri for s in result.skills} == kept


def test_an_explicit_threshold_wins(lexical_matching: MatchingService) -> None:
    explicit = 0.05 if EXTRACTION_THRESHOLDS["lexical"] > 0.05 else 0.6
    result = lexical_matching.extract(ADVERT, lang="en", threshold=explicit)
    assert result.threshold == pytest.approx(explicit)
    assert all(s.score >= explicit for s in result.skills)


def test_fast_extraction_ignores_the_path_thresholds(lexical_matching: MatchingService) -> None:
    result = lexical_matching.extract(ADVERT, lang="en", mode=MatchMode.FAST)
    assert result.threshold == pytest.approx(FAST_EXTRACTION_THRESHOLD)


def test_semantic_extraction_threshold_depends_on_the_language(
    semantic_matching: MatchingService,
) -> None:
    english = semantic_matching.extract(ADVERT, lang="en")
    reranked = semantic_matching.engine.reranker() is not None
    assert english.threshold == pytest.approx(
        EXTRACTION_THRESHOLDS["reranked" if reranked else "default"]
    )
    german = semantic_matching.extract(GERMAN, lang="de")
    assert german.threshold == pytest.approx(EXTRACTION_THRESHOLDS["multilingual"])
    assert all(s.score >= german.threshold for s in german.skills)


def test_english_without_a_reranker_uses_the_plain_english_threshold(
    semantic_matching: MatchingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic_matching.engine, "reranker", lambda: None)
    result = semantic_matching.extract(ADVERT, lang="en")
    assert result.threshold == pytest.approx(EXTRACTION_THRESHOLDS["default"])
