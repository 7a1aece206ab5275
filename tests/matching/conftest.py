"""A tiny synthetic taxonomy (a dozen skills, a few occupations, German labels) for fast tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from skillpass.app import SkillPass, build
from skillpass.matching.service import MatchingService
from skillpass.storage.tables import concept_labels, concepts, occupation_skills, taxonomy_imports
from tests.conftest import make_settings

SKILL = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"

#: (id, preferred, alternatives, description, skill_type)
SKILLS = [
    (
        "python",
        "Python (computer programming)",
        ["Python programming"],
        "Techniques of software development in the Python language.",
        "knowledge",
    ),
    ("sql", "SQL", ["structured query language"], "A query language for databases.", "knowledge"),
    (
        "nurse",
        "provide nursing care",
        ["care for patients"],
        "Give nursing care to patients in hospitals and at home.",
        "skill/competence",
    ),
    (
        "drive",
        "drive vehicles",
        ["operate a car"],
        "Drive cars, vans and trucks.",
        "skill/competence",
    ),
    (
        "bake",
        "bake bread",
        ["make bread", "baking"],
        "Prepare dough and bake bread.",
        "skill/competence",
    ),
    ("weld", "weld metal parts", ["welding"], "Join metal parts with heat.", "skill/competence"),
    (
        "teach",
        "teach mathematics",
        ["maths teaching"],
        "Instruct students in mathematics.",
        "skill/competence",
    ),
    (
        "account",
        "manage accounts",
        ["bookkeeping"],
        "Keep the financial records of a firm.",
        "skill/competence",
    ),
    (
        "german",
        "speak German",
        ["German language"],
        "Communicate orally in German.",
        "skill/competence",
    ),
    (
        "customer",
        "communicate with customers",
        ["customer service"],
        "Respond to customers and help them find products.",
        "skill/competence",
    ),
]
#: (id, preferred en, alternatives en, preferred de, skills)
OCCUPATIONS = [
    (
        "nurse",
        "nurse responsible for general care",
        ["general nurse"],
        "Krankenpfleger/Krankenpflegerin",
        ["nurse"],
    ),
    (
        "dev",
        "software developer",
        ["programmer", "software engineer"],
        "Softwareentwickler/Softwareentwicklerin",
        ["python", "sql"],
    ),
    ("baker", "baker", ["bread baker"], "Bäcker/Bäckerin", ["bake"]),
    ("driver", "lorry driver", ["truck driver"], "Lkw-Fahrer/Lkw-Fahrerin", ["drive"]),
]


def seed_tiny_taxonomy(engine: Engine) -> None:
    """Write the tiny taxonomy and one import row."""
    label_rows: list[dict[str, str]] = []
    concept_rows: list[dict[str, object]] = []
    for key, pref, alts, desc, skill_type in SKILLS:
        uri = SKILL + key
        concept_rows.append(
            {
                "uri": uri,
                "type": "skill",
                "preferred_label": pref,
                "description": desc,
                "skill_type": skill_type,
                "isco_group": None,
                "version": "test",
            }
        )
        label_rows.append({"concept_uri": uri, "lang": "en", "kind": "preferred", "text": pref})
        label_rows += [{"concept_uri": uri, "lang": "en", "kind": "alt", "text": a} for a in alts]
        label_rows.append({"concept_uri": uri, "lang": "en", "kind": "description", "text": desc})
    relations = []
    for key, pref, alts, pref_de, skills in OCCUPATIONS:
        uri = OCC + key
        concept_rows.append(
            {
                "uri": uri,
                "type": "occupation",
                "preferred_label": pref,
                "description": "",
                "skill_type": None,
                "isco_group": "1234",
                "version": "test",
            }
        )
        label_rows.append({"concept_uri": uri, "lang": "en", "kind": "preferred", "text": pref})
        label_rows += [{"concept_uri": uri, "lang": "en", "kind": "alt", "text": a} for a in alts]
        label_rows.append({"concept_uri": uri, "lang": "de", "kind": "preferred", "text": pref_de})
        relations += [
            {"occupation_uri": uri, "skill_uri": SKILL + s, "relation_type": "essential"}
            for s in skills
        ]
    with engine.begin() as conn:
        conn.execute(insert(concepts), concept_rows)
        conn.execute(insert(concept_labels), label_rows)
        conn.execute(insert(occupation_skills), relations)
        conn.execute(
            insert(taxonomy_imports),
            [
                {
                    "version": "test",
                    "language": "en",
                    "kind": "base",
                    "source": "tiny",
                    "checksum": "0" * 64,
                    "counts": json.dumps({}),
                    "imported_at": datetime.now(UTC),
                }
            ],
        )


@pytest.fixture
def tiny_app(tmp_path: Path) -> Iterator[SkillPass]:
    """A SkillPass whose database holds the tiny taxonomy."""
    app = build(make_settings(tmp_path))
    seed_tiny_taxonomy(app.engine)
    yield app
    app.close()


@pytest.fixture
def lexical_matching(tiny_app: SkillPass) -> MatchingService:
    """Matching without embeddings (what runs without the ml extra)."""
    return MatchingService(tiny_app.engine, tiny_app.settings.data_dir, semantic=False)


@pytest.fixture
def semantic_matching(tiny_app: SkillPass) -> MatchingService:
    """Matching with embeddings; skips when the ml extra is not installed."""
    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    if not service.semantic:
        pytest.skip("the ml extra is not installed (pip install -e '.[ml]')")
    return service
