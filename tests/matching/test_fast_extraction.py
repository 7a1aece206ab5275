"""Fast-mode extraction: its own threshold and one skill per span and per piece."""

from __future__ import annotations

import pytest

from skillpass.matching.fast import FAST_CALIBRATION, fast_calibration
from skillpass.matching.models import MatchMode
from skillpass.matching.service import (
    EXTRACTION_THRESHOLD,
    FAST_EXTRACTION_THRESHOLD,
    MatchingService,
    default_threshold,
)
from tests.matching.conftest import SKILL

ADVERT = "We are hiring a baker.\nYou will bake bread every morning.\nWelding of metal parts."


def test_each_mode_has_its_own_default_threshold() -> None:
    assert default_threshold(MatchMode.DEFAULT) == EXTRACTION_THRESHOLD
    assert default_threshold(MatchMode.FAST) == FAST_EXTRACTION_THRESHOLD


def test_every_fast_path_has_a_curve_for_both_concept_types() -> None:
    for concept_type in ("skill", "occupation"):
        assert set(FAST_CALIBRATION[concept_type]) == {"en", "multilingual", "lexical"}
        slope, _ = fast_calibration(concept_type, "multilingual")
        assert slope > 0


def test_fast_extraction_keeps_one_skill_per_span(lexical_matching: MatchingService) -> None:
    result = lexical_matching.extract(ADVERT, lang="en", mode=MatchMode.FAST)
    assert result.threshold == pytest.approx(FAST_EXTRACTION_THRESHOLD)
    uris = [s.uri for s in result.skills]
    assert SKILL + "bake" in uris
    assert SKILL + "weld" in uris
    evidence = [(span.start, span.end) for s in result.skills for span in s.evidence]
    assert len(evidence) == len(set(evidence))  # no span here lists two skills
    default = lexical_matching.extract(ADVERT, lang="en", threshold=0.0)
    fast_all = lexical_matching.extract(ADVERT, lang="en", threshold=0.0, mode=MatchMode.FAST)
    assert len(fast_all.skills) < len(default.skills)


def test_fast_extraction_honours_an_explicit_threshold(lexical_matching: MatchingService) -> None:
    result = lexical_matching.extract(ADVERT, lang="en", threshold=0.99, mode=MatchMode.FAST)
    assert result.threshold == pytest.approx(0.99)
    assert all(s.score >= 0.99 for s in result.skills)
