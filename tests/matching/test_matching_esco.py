"""Acceptance on the full English ESCO (lexical path, so CI does not build embeddings)."""

from __future__ import annotations

import pytest

from skillpass.app import SkillPass
from skillpass.matching import MatchingService

pytestmark = pytest.mark.esco


@pytest.fixture
def matching(esco_app: SkillPass) -> MatchingService:
    return MatchingService(esco_app.engine, esco_app.settings.data_dir, semantic=False)


def test_python_sentence_finds_the_python_skill(matching: MatchingService) -> None:
    matches = matching.match_skills("Experience in Python programming is required", top=5)
    assert "Python (computer programming)" in [m.label for m in matches]


def test_job_title_finds_the_occupation(matching: MatchingService) -> None:
    matches = matching.match_occupations("software developer", lang="en", top=3)
    assert matches[0].label == "software developer"


def test_extraction_on_a_short_advert(matching: MatchingService) -> None:
    advert = (
        "We are looking for a nurse.\n"
        "You will administer medication to patients and keep patient records.\n"
        "Good communication skills in English are essential."
    )
    result = matching.extract(advert, lang="en")
    assert result.spans == 3
    assert result.skills, "an advert this explicit must yield skills"
    labels = " ".join(s.label for s in result.skills)
    assert "medication" in labels
