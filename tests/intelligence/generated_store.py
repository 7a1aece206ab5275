"""A small store made the way users make one: ``intel generate`` then ``intel ingest`` (fast mode).

The taxonomy is hand-made (the occupation profiles of ``synthetic_profiles.py`` plus the skills
the generator plants, tagged with capability areas), so the generator writes adverts from it and
lexical matching extracts them back in seconds, without the full ESCO. Used by the API, web and
browser tests of the intelligence interfaces.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, insert

from skillpass.app import SkillPass, build
from skillpass.intelligence.schema import IngestReport
from skillpass.intelligence.service import GenerateReport, IntelligenceService
from skillpass.intelligence.synthetic import EMERGING, STABLE
from skillpass.matching.service import MatchingService
from skillpass.storage.tables import (
    capability_members,
    concept_labels,
    concepts,
    occupation_skills,
    taxonomy_imports,
)
from tests.conftest import make_settings
from tests.intelligence.synthetic_profiles import OCC, PROFILES, SKILL

#: Capability area of each planted theme and of each profile's skills.
PLANTED_AREAS = {"batteries": "batteries", "artificial_intelligence": "ai_data"}
STABLE_AREAS = {
    "cyber security": "cybersecurity",
    "photovoltaic systems": "clean_energy",
    "quantum computing": "quantum",
}
FILLER_OCCUPATIONS = (
    "street sweeper",
    "window cleaner",
    "car park attendant",
    "florist",
    "tour guide",
    "hairdresser",
    "librarian",
    "postal clerk",
    "gardener",
    "locksmith",
)
PROFILE_AREAS = {"dev": "ict", "weld": "advanced_manufacturing", "nurse": "life_sciences"}


def _planted_uri(label: str) -> str:
    return SKILL + "planted-" + label.replace(" ", "-")


def seed_profile_taxonomy(engine: Engine) -> None:
    """Write the profiles' occupations and skills, the planted skills and area tags."""
    concept_rows: list[dict[str, object]] = []
    labels: list[dict[str, str]] = []
    relations: list[dict[str, str]] = []
    members: list[dict[str, str]] = []

    def skill(uri: str, label: str, knowledge: bool) -> None:
        concept_rows.append(
            {
                "uri": uri,
                "type": "skill",
                "preferred_label": label,
                "description": "",
                "skill_type": "knowledge" if knowledge else "skill/competence",
                "isco_group": None,
                "version": "test",
            }
        )
        labels.append({"concept_uri": uri, "lang": "en", "kind": "preferred", "text": label})

    def member(area: str, uri: str) -> None:
        members.append(
            {
                "area_id": area,
                "concept_uri": uri,
                "concept_type": "skill",
                "rule": "seed",
                "tier": "core",
                "reason": "test",
                "framework_version": "test",
                "taxonomy_version": "test",
            }
        )

    for profile in PROFILES:
        concept_rows.append(
            {
                "uri": profile.uri,
                "type": "occupation",
                "preferred_label": profile.label,
                "description": "",
                "skill_type": None,
                "isco_group": profile.isco_group,
                "version": "test",
            }
        )
        labels.append(
            {"concept_uri": profile.uri, "lang": "en", "kind": "preferred", "text": profile.label}
        )
        key = profile.uri.rsplit("/", 1)[-1]
        for relation, group in (("essential", profile.essential), ("optional", profile.optional)):
            for s in group:
                skill(s.uri, s.label, s.knowledge)
                relations.append(
                    {"occupation_uri": profile.uri, "skill_uri": s.uri, "relation_type": relation}
                )
                if key in PROFILE_AREAS:
                    member(PROFILE_AREAS[key], s.uri)
    # More occupations, without skills: the lexical index drops n-grams found in over 10 % of
    # documents, which needs at least ten documents to mean anything.
    for n, label in enumerate(FILLER_OCCUPATIONS):
        uri = f"{OCC}filler-{n}"
        concept_rows.append(
            {
                "uri": uri,
                "type": "occupation",
                "preferred_label": label,
                "description": "",
                "skill_type": None,
                "isco_group": f"9{n:03d}",
                "version": "test",
            }
        )
        labels.append({"concept_uri": uri, "lang": "en", "kind": "preferred", "text": label})
    for theme, (names, _) in EMERGING.items():
        for label in names:
            skill(_planted_uri(label), label, True)
            member(PLANTED_AREAS[theme], _planted_uri(label))
    for label in STABLE:
        skill(_planted_uri(label), label, True)
        member(STABLE_AREAS[label], _planted_uri(label))
    with engine.begin() as conn:
        conn.execute(insert(concepts), concept_rows)
        conn.execute(insert(concept_labels), labels)
        conn.execute(insert(occupation_skills), relations)
        conn.execute(insert(capability_members), members)
        conn.execute(
            insert(taxonomy_imports),
            [
                {
                    "version": "test",
                    "language": "en",
                    "kind": "base",
                    "source": "profiles",
                    "checksum": "0" * 64,
                    "counts": json.dumps({}),
                    "imported_at": datetime.now(UTC),
                }
            ],
        )


def generate_and_ingest(
    app: SkillPass, folder: Path, *, adverts: int = 3000, seed: int = 5
) -> tuple[GenerateReport, IngestReport]:
    """Seed the taxonomy, generate synthetic adverts and ingest them into the app's store.

    Args:
        app: A freshly built app (empty database).
        folder: Where the advert file goes.
        adverts: Adverts to generate.
        seed: The generator's seed.

    Returns:
        What the generator wrote and what ingestion stored.
    """
    seed_profile_taxonomy(app.engine)
    matching = MatchingService(app.engine, app.settings.data_dir, semantic=False)
    service = IntelligenceService(app.engine, app.settings.data_dir, matching, app.capabilities)
    generated = service.generate(adverts, seed, folder / "adverts.csv")
    ingested = service.ingest([folder / "adverts.csv"], mode="fast")
    matching.close()
    return generated, ingested


_built: list[Path] = []  # the first folder made in this test session, copied for later callers


def generated_app(folder: Path) -> SkillPass:
    """An app over a generated and ingested store in ``folder`` (an empty folder).

    The store is built once per test session (about 15 s) and copied for each later caller, so
    API, web and browser tests each get their own copy without paying for it again.
    """
    if _built:
        shutil.copytree(_built[0], folder, dirs_exist_ok=True)
        return build(make_settings(folder))
    app = build(make_settings(folder))
    generate_and_ingest(app, folder)
    _built.append(folder)
    return app
