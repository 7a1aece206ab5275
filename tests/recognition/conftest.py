"""A hand-made taxonomy for recognition tests (no ESCO download needed).

::

    skill group 'welding and joining metals'
    ├── join metals
    │   ├── perform tungsten inert gas welding
    │   └── apply arc welding techniques
    ├── operate soldering equipment
    └── apply brazing techniques
    assemble batteries  --(ESCO: 'battery components' is essential for it)-->  battery components
    troubleshoot · follow health and safety procedures · apply health and safety standards at
    work · battery chemistry

The occupation 'battery production technician' needs join metals, battery components, apply
brazing techniques, troubleshoot, follow health and safety procedures and battery chemistry
(essential) and apply arc welding techniques (optional).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, insert

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role, User
from skillpass.passport.models import SkillRef
from skillpass.pathways.models import TargetKind, TargetRef
from skillpass.storage.tables import (
    concept_labels,
    concept_relations,
    concepts,
    occupation_skills,
    skill_skills,
    taxonomy_imports,
)
from tests.conftest import make_settings

SKILL = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"
GROUP = SKILL + "grp-metal"
TECHNICIAN = OCC + "battery-production-technician"
TARGET = TargetRef(kind=TargetKind.OCCUPATION, id=TECHNICIAN)
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"

#: key -> (label, skill type, broader keys)
SKILLS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "join-metals": ("join metals", "skill/competence", ("grp-metal",)),
    "tig": ("perform tungsten inert gas welding", "skill/competence", ("join-metals",)),
    "arc": ("apply arc welding techniques", "skill/competence", ("join-metals",)),
    "solder": ("operate soldering equipment", "skill/competence", ("grp-metal",)),
    "braze": ("apply brazing techniques", "skill/competence", ("grp-metal",)),
    "assemble-batteries": ("assemble batteries", "skill/competence", ()),
    "battery-components": ("battery components", "knowledge", ()),
    "troubleshoot": ("troubleshoot", "skill/competence", ()),
    "safety": ("follow health and safety procedures", "skill/competence", ()),
    "safety-work": ("apply health and safety standards at work", "skill/competence", ()),
    "chemistry": ("battery chemistry", "knowledge", ()),
}
ESSENTIAL = ["join-metals", "battery-components", "braze", "troubleshoot", "safety", "chemistry"]
OPTIONAL = ["arc"]


def ref(key: str) -> SkillRef:
    """The SkillRef of a hand-made skill."""
    return SkillRef(uri=SKILL + key, label=SKILLS[key][0])


def seed_taxonomy(engine: Engine) -> None:
    """Write the hand-made taxonomy and one import row."""
    rows: list[dict[str, Any]] = [
        {
            "uri": GROUP,
            "type": "skill_group",
            "preferred_label": "welding and joining metals",
            "description": "",
            "code": "S6.1",
            "version": "test",
        },
        {
            "uri": TECHNICIAN,
            "type": "occupation",
            "preferred_label": "battery production technician",
            "description": "Builds and tests battery cells and packs.",
            "isco_group": "3119",
            "version": "test",
        },
    ]
    labels = [
        {"concept_uri": r["uri"], "lang": "en", "kind": "preferred", "text": r["preferred_label"]}
        for r in rows
    ]
    broader = []
    for key, (label, skill_type, parents) in SKILLS.items():
        rows.append(
            {
                "uri": SKILL + key,
                "type": "skill",
                "preferred_label": label,
                "description": f"ESCO-like test skill: {label}.",
                "skill_type": skill_type,
                "version": "test",
            }
        )
        labels.append(
            {"concept_uri": SKILL + key, "lang": "en", "kind": "preferred", "text": label}
        )
        broader += [{"concept_uri": SKILL + key, "broader_uri": SKILL + p} for p in parents]
    needs = [
        {"occupation_uri": TECHNICIAN, "skill_uri": SKILL + k, "relation_type": "essential"}
        for k in ESSENTIAL
    ] + [
        {"occupation_uri": TECHNICIAN, "skill_uri": SKILL + k, "relation_type": "optional"}
        for k in OPTIONAL
    ]
    columns = ("code", "skill_type", "isco_group")
    rows = [{**dict.fromkeys(columns), **row} for row in rows]
    with engine.begin() as conn:
        conn.execute(insert(concepts), rows)
        conn.execute(insert(concept_labels), labels)
        conn.execute(insert(concept_relations), broader)
        conn.execute(insert(occupation_skills), needs)
        conn.execute(
            insert(skill_skills),
            [
                {
                    "skill_uri": SKILL + "assemble-batteries",
                    "related_uri": SKILL + "battery-components",
                    "relation_type": "essential",
                }
            ],
        )
        conn.execute(
            insert(taxonomy_imports),
            [
                {
                    "version": "test",
                    "language": "en",
                    "kind": "base",
                    "source": "hand-made",
                    "checksum": "0" * 64,
                    "counts": json.dumps({}),
                    "imported_at": datetime.now(UTC),
                }
            ],
        )


@pytest.fixture
def app(tmp_path: Path) -> Iterator[SkillPass]:
    """A SkillPass whose database holds the hand-made taxonomy."""
    built = build(make_settings(tmp_path))
    seed_taxonomy(built.engine)
    yield built
    built.close()


def user(app: SkillPass, name: str, *roles: Role) -> User:
    """A user with a unique e-mail address (a learner unless roles are given)."""
    email = f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:8]}@example.org"
    return app.auth.create_user(email, name, PASSWORD, roles or (Role.LEARNER,))


def issued_document(
    app: SkillPass, learner: User, skills: list[str], *, eqf: int | None = 6
) -> str:
    """A micro-credential (the example definition with these skills as outcomes, EQF 6 /
    DQR 6, 5 ECTS) issued to the learner on the platform, signed for real."""
    data = yaml.safe_load((ROOT / "examples" / "micro-credential.yaml").read_text())
    data["learning_outcomes"] = [
        {
            "text": "Practise the skills of this module in the workshop.",
            "esco_skills": [{"uri": SKILL + k, "label": SKILLS[k][0]} for k in skills],
        }
    ]
    if eqf is None:
        data.pop("level", None)
    issuer = app.issuers.create(
        name=f"Kauno technikos kolegija {uuid.uuid4().hex[:6]}", country="LT", kind="vet_provider"
    )
    record = app.achievements.create(issuer.id, data)
    return app.credentials.issue(record.id, learner.email, learner.display_name).document
