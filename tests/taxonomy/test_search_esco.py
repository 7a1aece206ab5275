"""Search acceptance on the full ESCO v1.2.0 download (issue: foundation, acceptance list)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.taxonomy.models import ConceptType
from tests.conftest import make_settings, occupation_labels_path

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


def test_german_occupation_query_finds_the_occupation_after_importing_german_labels(
    esco_database: Path, tmp_path: Path
) -> None:
    labels = occupation_labels_path()
    if labels is None:
        pytest.skip("the six-language occupation label files are not available")
    for file in esco_database.glob("skillpass.sqlite3*"):
        shutil.copy(file, tmp_path / file.name)
    app = build(make_settings(tmp_path))
    try:
        report = app.taxonomy.import_esco(labels)
        assert "de" in app.taxonomy.stats().languages
        assert report.changed
        hits = app.taxonomy.search(
            "Softwareentwickler", concept_type=ConceptType.OCCUPATION, lang="de", limit=3
        )
        assert hits[0].label == "software developer"
        assert hits[0].lang == "de"
        nurse = app.taxonomy.search("Krankenpfleger", lang="de", limit=5)
        assert any("nurse" in h.label for h in nurse[:3])
        french = app.taxonomy.search("développeur de logiciels", lang="fr", limit=3)
        assert "software developer" in [h.label for h in french]
    finally:
        app.close()
