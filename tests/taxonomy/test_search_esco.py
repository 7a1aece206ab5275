"""Search acceptance on the full ESCO v1.2.0 download (issue: foundation, acceptance list)."""

from __future__ import annotations

import pytest

from skillpass.app import SkillPass
from skillpass.taxonomy.models import ConceptType

pytestmark = [pytest.mark.esco, pytest.mark.slow]

PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
AI_ENGINEER = "http://data.europa.eu/esco/occupation/35553663-deab-4d9a-bf22-15c1625d28e8"


def test_python_ranks_python_programming_first(esco_app: SkillPass) -> None:
    hits = esco_app.taxonomy.search("python", concept_type=ConceptType.SKILL)
    assert hits[0].label == "Python (computer programming)"
    assert hits[0].uri == PYTHON


def test_misspelt_query_has_python_in_top_three(esco_app: SkillPass) -> None:
    hits = esco_app.taxonomy.search("pyhton programing")
    assert PYTHON in [h.uri for h in hits[:3]]


def test_job_title_finds_ai_engineer_in_top_three(esco_app: SkillPass) -> None:
    hits = esco_app.taxonomy.search(
        "machine learning engineer", concept_type=ConceptType.OCCUPATION
    )
    assert AI_ENGINEER in [h.uri for h in hits[:3]]
    assert hits[0].label == "artificial intelligence engineer"  # label is stripped on import


def test_description_words_find_concepts_without_label_match(esco_app: SkillPass) -> None:
    hits = esco_app.taxonomy.search("photovoltaic", concept_type=ConceptType.SKILL, limit=20)
    assert any("solar" in h.label.lower() or "photovoltaic" in h.label.lower() for h in hits)
