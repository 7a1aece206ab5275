"""Read-only queries over the imported ESCO occupation profiles, for targets and destinations.

Kept apart from the taxonomy's own repository because only the pathway planner asks them: how
many occupations need each skill as essential (to rank a capability area's skills), and every
occupation's essential skills at once (to rank destinations in memory).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from skillpass.storage.tables import concepts, occupation_skills, taxonomy_imports

__all__ = ["OccupationProfiles", "essential_use_counts", "import_marker", "occupation_profiles"]


@dataclass(frozen=True)
class OccupationProfiles:
    """Every occupation's essential skills, with labels (an in-memory index)."""

    occupations: dict[str, str]  # occupation URI -> label
    essential: dict[str, frozenset[str]]  # occupation URI -> essential skill URIs
    skill_labels: dict[str, str]


def import_marker(engine: Engine) -> int | None:
    """The id of the newest taxonomy import (changes when ESCO is re-imported)."""
    with engine.connect() as conn:
        value = conn.execute(select(func.max(taxonomy_imports.c.id))).scalar()
    return int(value) if value is not None else None


def essential_use_counts(engine: Engine, skill_uris: list[str]) -> dict[str, int]:
    """How many occupations need each skill as essential (skills no occupation needs: 0)."""
    counts = dict.fromkeys(skill_uris, 0)
    if not skill_uris:
        return counts
    query = (
        select(occupation_skills.c.skill_uri, func.count())
        .where(occupation_skills.c.relation_type == "essential")
        .where(occupation_skills.c.skill_uri.in_(skill_uris))
        .group_by(occupation_skills.c.skill_uri)
    )
    with engine.connect() as conn:
        for uri, n in conn.execute(query):
            counts[uri] = int(n)
    return counts


def occupation_profiles(engine: Engine) -> OccupationProfiles:
    """Every occupation with its essential skills, in two queries."""
    occupations: dict[str, str] = {}
    skill_labels: dict[str, str] = {}
    essential: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for uri, label, kind in conn.execute(
            select(concepts.c.uri, concepts.c.preferred_label, concepts.c.type).where(
                concepts.c.type.in_(["occupation", "skill"])
            )
        ):
            if kind == "occupation":
                occupations[uri] = label.strip()
            else:
                skill_labels[uri] = label.strip()
        for occupation, skill in conn.execute(
            select(occupation_skills.c.occupation_uri, occupation_skills.c.skill_uri).where(
                occupation_skills.c.relation_type == "essential"
            )
        ):
            essential.setdefault(occupation, set()).add(skill)
    return OccupationProfiles(
        occupations=occupations,
        essential={k: frozenset(v) for k, v in essential.items()},
        skill_labels=skill_labels,
    )
