"""SQL storage of the learning-opportunity catalogue (tables ``opportunities`` and
``opportunity_skills``), and the taxonomy reads the catalogue needs (skill labels, occupation
profiles for the synthetic generator).

Each opportunity is stored as its :class:`~skillpass.pathways.models.Opportunity` JSON (the
published fields with skill labels and capability areas) plus copies of the filter columns;
outcome and prerequisite skills also go to ``opportunity_skills`` for search by skill. Works on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)

from skillpass.errors import NotFound
from skillpass.pathways.models import Opportunity, OpportunityQuery
from skillpass.storage.tables import (
    capability_members,
    concepts,
    occupation_skills,
    opportunities,
    opportunity_skills,
    organisations,
)

__all__ = ["CatalogueRepository", "OccupationProfile", "SkillConcept", "StoredOpportunity"]

_CHUNK = 500


@dataclass(frozen=True)
class StoredOpportunity:
    """An opportunity to write, with the organisation key of its provider (None: not on the
    platform)."""

    opportunity: Opportunity
    organisation_key: int | None


@dataclass(frozen=True)
class SkillConcept:
    """An ESCO concept as the catalogue sees it."""

    uri: str
    label: str
    type: str  # skill | occupation | skill_group | isco_group
    skill_type: str | None = None  # knowledge | skill/competence


@dataclass(frozen=True)
class OccupationProfile:
    """An ESCO occupation with its essential and optional skills (for the synthetic generator)."""

    uri: str
    label: str
    isco_group: str | None
    essential: tuple[SkillConcept, ...]
    optional: tuple[SkillConcept, ...]


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _listed(column: ColumnElement[str], value: str) -> ColumnElement[bool]:
    """``value`` is one item of a comma-separated column."""
    return (literal(",") + column + literal(",")).like(f"%,{value},%")


class CatalogueRepository:
    """Reads and writes opportunities.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- taxonomy reads ---------------------------------------------------------------------

    def taxonomy_loaded(self) -> bool:
        """Whether any ESCO skill is imported."""
        with self._engine.connect() as conn:
            found = conn.execute(select(concepts.c.uri).where(concepts.c.type == "skill").limit(1))
            return found.first() is not None

    def concepts(self, uris: Iterable[str]) -> dict[str, SkillConcept]:
        """The imported concepts among ``uris`` (absent ones are left out)."""
        wanted = sorted(set(uris))
        found: dict[str, SkillConcept] = {}
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = select(
                    concepts.c.uri,
                    concepts.c.preferred_label,
                    concepts.c.type,
                    concepts.c.skill_type,
                ).where(concepts.c.uri.in_(chunk))
                for uri, label, kind, skill_type in conn.execute(query):
                    found[uri] = SkillConcept(uri, label.strip(), kind, skill_type)
        return found

    def area_occupations(self) -> dict[str, list[str]]:
        """Member occupation URIs of each capability area (sorted)."""
        query = (
            select(capability_members.c.area_id, capability_members.c.concept_uri)
            .where(capability_members.c.concept_type == "occupation")
            .order_by(capability_members.c.area_id, capability_members.c.concept_uri)
        )
        areas: dict[str, list[str]] = defaultdict(list)
        with self._engine.connect() as conn:
            for area_id, uri in conn.execute(query):
                areas[area_id].append(uri)
        return dict(areas)

    def area_skills(self) -> dict[str, set[str]]:
        """Member skill URIs of each capability area."""
        query = select(capability_members.c.area_id, capability_members.c.concept_uri).where(
            capability_members.c.concept_type == "skill"
        )
        areas: dict[str, set[str]] = defaultdict(set)
        with self._engine.connect() as conn:
            for area_id, uri in conn.execute(query):
                areas[area_id].add(uri)
        return dict(areas)

    def occupations_needing(self, skill_uris: Iterable[str], limit: int) -> list[str]:
        """Occupations with the most essential links to these skills (most first)."""
        wanted = sorted(set(skill_uris))
        counts: dict[str, int] = defaultdict(int)
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = select(occupation_skills.c.occupation_uri).where(
                    occupation_skills.c.skill_uri.in_(chunk),
                    occupation_skills.c.relation_type == "essential",
                )
                for (uri,) in conn.execute(query):
                    counts[uri] += 1
        return [uri for uri, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]

    def sample_occupations(self, limit: int) -> list[str]:
        """The first ``limit`` occupation URIs (a fallback when no area has members)."""
        query = (
            select(concepts.c.uri)
            .where(concepts.c.type == "occupation")
            .order_by(concepts.c.uri)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return [uri for (uri,) in conn.execute(query)]

    def occupation_profiles(self, occupation_uris: Iterable[str]) -> list[OccupationProfile]:
        """Occupations with their skills, in URI order (skills by URI)."""
        wanted = sorted(set(occupation_uris))
        links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = select(
                    occupation_skills.c.occupation_uri,
                    occupation_skills.c.skill_uri,
                    occupation_skills.c.relation_type,
                ).where(occupation_skills.c.occupation_uri.in_(chunk))
                for occupation, skill, relation in conn.execute(query):
                    links[occupation].append((skill, relation))
            info: dict[str, tuple[str, str | None]] = {}
            for chunk in _chunks(wanted):
                query = select(
                    concepts.c.uri, concepts.c.preferred_label, concepts.c.isco_group
                ).where(concepts.c.uri.in_(chunk))
                for uri, label, isco in conn.execute(query):
                    info[uri] = (label.strip(), isco)
        skills = self.concepts(skill for pairs in links.values() for skill, _ in pairs)
        profiles: list[OccupationProfile] = []
        for uri in wanted:
            if uri not in info:
                continue
            essential = [
                skills[s] for s, rel in sorted(links[uri]) if rel == "essential" and s in skills
            ]
            optional = [
                skills[s] for s, rel in sorted(links[uri]) if rel != "essential" and s in skills
            ]
            label, isco = info[uri]
            profiles.append(OccupationProfile(uri, label, isco, tuple(essential), tuple(optional)))
        return profiles

    def organisation_key(self, provider_id: str) -> int | None:
        """The database key of an organisation, by public id."""
        query = select(organisations.c.id).where(organisations.c.public_id == provider_id)
        with self._engine.connect() as conn:
            key = conn.execute(query).scalar()
        return None if key is None else int(key)

    # --- opportunities ----------------------------------------------------------------------

    def get(self, public_id: str) -> Opportunity:
        """One opportunity.

        Raises:
            NotFound: No opportunity has this id.
        """
        found = self.get_many([public_id])
        if public_id not in found:
            raise NotFound(
                f"No learning opportunity '{public_id}'. Search the catalogue with "
                "`skillpass catalogue search`.",
                details={"id": public_id},
            )
        return found[public_id]

    def get_many(self, public_ids: Iterable[str]) -> dict[str, Opportunity]:
        """The stored opportunities among these ids."""
        wanted = sorted(set(public_ids))
        found: dict[str, Opportunity] = {}
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = select(opportunities.c.public_id, opportunities.c.document).where(
                    opportunities.c.public_id.in_(chunk)
                )
                for public_id, document in conn.execute(query):
                    found[public_id] = Opportunity.model_validate_json(document)
        return found

    def write(
        self,
        rows: Sequence[StoredOpportunity],
        *,
        on_chunk: Callable[[int], None] | None = None,
    ) -> tuple[int, int]:
        """Insert new and replace existing opportunities (by id) in one transaction.

        Args:
            rows: What to write.
            on_chunk: Called with the number of rows written after each chunk (progress).

        Returns:
            How many were created and how many updated.
        """
        created = updated = 0
        with self._engine.begin() as conn:
            existing = self._keys(conn, [row.opportunity.id for row in rows])
            for start in range(0, len(rows), _CHUNK):
                chunk = rows[start : start + _CHUNK]
                new = [row for row in chunk if row.opportunity.id not in existing]
                new_ids = {row.opportunity.id for row in new}
                if new:
                    conn.execute(insert(opportunities), [self._values(row) for row in new])
                    keys = self._keys(conn, [row.opportunity.id for row in new])
                    existing.update(keys)
                    created += len(new)
                for row in chunk:
                    if row.opportunity.id in new_ids:
                        continue
                    key = existing[row.opportunity.id]
                    values = self._values(row)
                    values.pop("created_at")
                    conn.execute(
                        update(opportunities).where(opportunities.c.id == key).values(values)
                    )
                    conn.execute(
                        delete(opportunity_skills).where(opportunity_skills.c.opportunity_id == key)
                    )
                    updated += 1
                skill_rows = [
                    {"opportunity_id": existing[row.opportunity.id], "skill_uri": uri, "kind": kind}
                    for row in chunk
                    for kind, uris in (
                        ("outcome", [s.uri for s in row.opportunity.outcomes]),
                        ("prerequisite", [s.uri for s in row.opportunity.prerequisite_skills]),
                    )
                    for uri in dict.fromkeys(uris)
                ]
                if skill_rows:
                    conn.execute(insert(opportunity_skills), skill_rows)
                if on_chunk is not None:
                    on_chunk(len(chunk))
        return created, updated

    def delete(self, public_id: str) -> None:
        """Remove an opportunity (its skills go with it).

        Raises:
            NotFound: No opportunity has this id.
        """
        with self._engine.begin() as conn:
            key = self._keys(conn, [public_id]).get(public_id)
            if key is None:
                raise NotFound(
                    f"No learning opportunity '{public_id}'; nothing was deleted.",
                    details={"id": public_id},
                )
            conn.execute(
                delete(opportunity_skills).where(opportunity_skills.c.opportunity_id == key)
            )
            conn.execute(delete(opportunities).where(opportunities.c.id == key))

    def delete_synthetic(self) -> int:
        """Remove every synthetic opportunity; returns how many."""
        with self._engine.begin() as conn:
            keys = select(opportunities.c.id).where(opportunities.c.synthetic.is_(True))
            conn.execute(
                delete(opportunity_skills).where(opportunity_skills.c.opportunity_id.in_(keys))
            )
            result = conn.execute(delete(opportunities).where(opportunities.c.synthetic.is_(True)))
            return int(result.rowcount or 0)

    def search(self, query: OpportunityQuery) -> tuple[list[Opportunity], int]:
        """Filtered, paged opportunities (by title) and the total number matching."""
        conditions = self._conditions(query)
        where = and_(*conditions) if conditions else true()
        page = (
            select(opportunities.c.document)
            .where(where)
            .order_by(opportunities.c.title, opportunities.c.public_id)
            .limit(query.limit)
            .offset(query.offset)
        )
        count = select(func.count()).select_from(opportunities).where(where)
        with self._engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
            found = [Opportunity.model_validate_json(doc) for (doc,) in conn.execute(page)]
        return found, total

    def all(self) -> list[Opportunity]:
        """Every opportunity, by title."""
        query = select(opportunities.c.document).order_by(
            opportunities.c.title, opportunities.c.public_id
        )
        with self._engine.connect() as conn:
            return [Opportunity.model_validate_json(doc) for (doc,) in conn.execute(query)]

    def providing(self, skill_uris: Iterable[str]) -> list[Opportunity]:
        """Opportunities with at least one of these skills among their outcomes, by title."""
        wanted = sorted(set(skill_uris))
        keys: set[int] = set()
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = select(opportunity_skills.c.opportunity_id).where(
                    opportunity_skills.c.skill_uri.in_(chunk),
                    opportunity_skills.c.kind == "outcome",
                )
                keys.update(int(key) for (key,) in conn.execute(query))
            found: list[Opportunity] = []
            ordered = sorted(keys)
            for start in range(0, len(ordered), _CHUNK):
                query = select(opportunities.c.document).where(
                    opportunities.c.id.in_(ordered[start : start + _CHUNK])
                )
                found.extend(Opportunity.model_validate_json(doc) for (doc,) in conn.execute(query))
        found.sort(key=lambda o: (o.title, o.id))
        return found

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _conditions(query: OpportunityQuery) -> list[ColumnElement[bool]]:
        c = opportunities.c
        conditions: list[ColumnElement[bool]] = []
        if query.country:
            conditions.append(c.country == query.country.upper())
        if query.mode is not None:
            conditions.append(c.mode == query.mode.value)
        if query.max_cost_eur is not None:
            conditions.append(c.cost_eur <= query.max_cost_eur)
        if query.eqf is not None:
            conditions.append(c.eqf == query.eqf)
        if query.language:
            conditions.append(_listed(c.languages, query.language.lower()))
        if query.capability_area:
            conditions.append(_listed(c.capability_areas, query.capability_area))
        if query.skill:
            conditions.append(
                c.id.in_(
                    select(opportunity_skills.c.opportunity_id).where(
                        opportunity_skills.c.skill_uri == query.skill,
                        opportunity_skills.c.kind == "outcome",
                    )
                )
            )
        if query.provider_id:
            conditions.append(
                c.organisation_id
                == select(organisations.c.id)
                .where(organisations.c.public_id == query.provider_id)
                .scalar_subquery()
            )
        for word in (query.text or "").lower().split():
            conditions.append(
                or_(
                    func.lower(c.title).contains(word, autoescape=True),
                    func.lower(c.provider).contains(word, autoescape=True),
                    func.lower(c.document).contains(word, autoescape=True),
                )
            )
        return conditions

    @staticmethod
    def _keys(conn: Connection, public_ids: Sequence[str]) -> dict[str, int]:
        keys: dict[str, int] = {}
        for chunk in _chunks(sorted(set(public_ids))):
            query = select(opportunities.c.public_id, opportunities.c.id).where(
                opportunities.c.public_id.in_(chunk)
            )
            keys.update({public_id: int(key) for public_id, key in conn.execute(query)})
        return keys

    @staticmethod
    def _values(row: StoredOpportunity) -> dict[str, object]:
        o = row.opportunity
        return {
            "public_id": o.id,
            "organisation_id": row.organisation_key,
            "title": o.title,
            "provider": o.provider,
            "country": o.country,
            "region": o.region,
            "languages": ",".join(o.languages),
            "mode": o.mode.value,
            "course_type": o.course_type.value,
            "cost_eur": o.cost_eur,
            "hours": o.hours,
            "eqf": o.eqf,
            "capability_areas": ",".join(o.capability_areas),
            "document": o.model_dump_json(),
            "synthetic": o.synthetic,
            "created_at": o.created_at,
            "updated_at": o.updated_at,
        }
