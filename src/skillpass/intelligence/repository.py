"""The taxonomy reads skills intelligence needs (read-only SQL on the imported ESCO)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, select

from skillpass.intelligence.synthetic import OccupationProfile, ProfileSkill
from skillpass.storage.tables import (
    capability_members,
    concepts,
    occupation_skills,
    taxonomy_imports,
)

__all__ = ["TaxonomyReads"]

_CHUNK = 500


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class TaxonomyReads:
    """Read-only queries on the imported taxonomy.

    Args:
        engine: The database holding ESCO.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def taxonomy_version(self) -> str | None:
        """The ESCO version of the latest base import (None when nothing is imported)."""
        query = (
            select(taxonomy_imports.c.version)
            .where(taxonomy_imports.c.kind == "base")
            .order_by(taxonomy_imports.c.id.desc())
            .limit(1)
        )
        with self._engine.connect() as conn:
            version = conn.execute(query).scalar()
        return None if version is None else str(version)

    def skills_by_label(self, labels: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Skills whose English preferred label is one of ``labels``: label -> (uri, type)."""
        wanted = sorted(set(labels))
        found: dict[str, tuple[str, str]] = {}
        with self._engine.connect() as conn:
            query = select(concepts.c.uri, concepts.c.preferred_label, concepts.c.skill_type).where(
                concepts.c.type == "skill", concepts.c.preferred_label.in_(wanted)
            )
            for uri, label, skill_type in conn.execute(query):
                found[label.strip()] = (uri, skill_type or "")
        return found

    def area_skills(self) -> list[tuple[str, str, str]]:
        """``(skill_uri, area_id, tier)`` of every capability-area member skill."""
        query = (
            select(
                capability_members.c.concept_uri,
                capability_members.c.area_id,
                capability_members.c.tier,
            )
            .where(capability_members.c.concept_type == "skill")
            .order_by(capability_members.c.concept_uri, capability_members.c.area_id)
        )
        with self._engine.connect() as conn:
            return [(str(u), str(a), str(t)) for u, a, t in conn.execute(query)]

    def occupation_profiles(self, min_skills: int = 6) -> list[OccupationProfile]:
        """Every occupation with at least ``min_skills`` skills, in URI order.

        Args:
            min_skills: Occupations with fewer linked skills are left out.

        Returns:
            Profiles with essential and optional skills (URI order).
        """
        links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        skills: dict[str, ProfileSkill] = {}
        occupations: dict[str, tuple[str, str | None]] = {}
        with self._engine.connect() as conn:
            query = select(
                occupation_skills.c.occupation_uri,
                occupation_skills.c.skill_uri,
                occupation_skills.c.relation_type,
            )
            for occupation, skill, relation in conn.execute(query):
                links[occupation].append((skill, relation))
            query2 = select(
                concepts.c.uri,
                concepts.c.type,
                concepts.c.preferred_label,
                concepts.c.skill_type,
                concepts.c.isco_group,
            ).where(concepts.c.type.in_(["skill", "occupation"]))
            for uri, kind, label, skill_type, isco in conn.execute(query2):
                if kind == "skill":
                    skills[uri] = ProfileSkill(uri, label.strip(), skill_type == "knowledge")
                else:
                    occupations[uri] = (label.strip(), isco)
        profiles: list[OccupationProfile] = []
        for uri in sorted(occupations):
            pairs = sorted(links.get(uri, []))
            if len(pairs) < min_skills:
                continue
            label, isco = occupations[uri]
            profiles.append(
                OccupationProfile(
                    uri=uri,
                    label=label,
                    isco_group=isco,
                    essential=tuple(
                        skills[s] for s, r in pairs if r == "essential" and s in skills
                    ),
                    optional=tuple(skills[s] for s, r in pairs if r != "essential" and s in skills),
                )
            )
        return profiles
