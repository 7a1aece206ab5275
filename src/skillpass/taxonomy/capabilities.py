"""The differentiated STEM capability framework: areas defined as data, resolved against ESCO.

Areas are YAML definitions (:mod:`skillpass.taxonomy.capability_definitions`). Resolution turns
each definition into member skills and occupations of the imported ESCO, each stored in
``capability_members`` with the rule that put it there and a reason a person can read, e.g.
``seed: listed in semiconductors.yaml`` or ``group: in ESCO skill group 'electronics and
automation' (isced-f/0714)``. It runs inside the importer's transaction after every base import,
or on demand with :meth:`CapabilityService.resolve` (``skillpass taxonomy capabilities
--refresh``).

Each member also has a tier: ``core`` (specific to the area) or ``enabling`` (needed by it,
shared with neighbouring areas).
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Engine, delete, func, select

from skillpass.errors import NotFound, TaxonomyNotLoaded
from skillpass.storage.tables import (
    capability_members,
    concept_collections,
    concept_relations,
    concepts,
    taxonomy_imports,
)
from skillpass.taxonomy.capability_definitions import (
    AreaDefinition,
    AreaKind,
    ConceptSeed,
    RuleKind,
    Source,
    Tier,
    load_definitions,
)
from skillpass.taxonomy.models import CapabilityRef

__all__ = [
    "AreaResolution",
    "CapabilityArea",
    "CapabilityAreaDetail",
    "CapabilityMember",
    "CapabilityService",
    "ResolutionReport",
]

_log = logging.getLogger(__name__)

_MEMBER_TYPES = ("skill", "occupation")
_INSERT_CHUNK = 2_000


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class CapabilityArea(_Value):
    """A capability area with member counts (``taxonomy capabilities --json``: public contract)."""

    id: str = Field(description="Stable area id, also the YAML file name.", examples=["quantum"])
    label: str = Field(examples=["Quantum technologies"])
    kind: str = Field(
        description="`stem_discipline` (ISCED-F field) or `strategic_area`.",
        examples=["strategic_area"],
    )
    description: str
    skills: int = Field(description="Resolved member skills.", examples=[27])
    occupations: int = Field(description="Resolved member occupations.", examples=[6])
    core: int = Field(0, description="Members specific to the area (skills and occupations).")
    enabling: int = Field(
        0, description="Members shared with a neighbouring field that the area depends on."
    )
    version: str = Field(description="Version of the area definition.", examples=["1.0.0"])
    taxonomy_version: str | None = Field(
        None, description="ESCO version the members were resolved against; null if unresolved."
    )


class CapabilityMember(_Value):
    """One resolved member of an area with the rule and reason that put it there."""

    uri: str = Field(examples=["http://data.europa.eu/esco/skill/e5e17773-..."])
    label: str = Field(examples=["semiconductors"])
    type: str = Field(description="`skill` or `occupation`.", examples=["skill"])
    rule: str = Field(
        description="seed | group | isco | collection | pattern (strongest kept).",
        examples=["seed"],
    )
    tier: str = Field(
        "core", description="`core` (specific to the area) or `enabling`.", examples=["core"]
    )
    reason: str = Field(examples=["seed: listed in semiconductors.yaml"])


class CapabilityAreaDetail(_Value):
    """An area, its definition's rationale and sources, and its members."""

    area: CapabilityArea
    rationale: str
    sources: list[str] = Field(description="Names of the frameworks and studies drawn on.")
    references: list[Source] = Field(
        default_factory=list, description="The same sources with their addresses."
    )
    esco_gaps: list[str] = Field(
        default_factory=list, description="What the area needs that ESCO does not (yet) name."
    )
    members: list[CapabilityMember]


class AreaResolution(_Value):
    """What resolving one area produced."""

    id: str
    version: str
    skills: int
    occupations: int
    missing_seeds: list[str] = Field(
        default_factory=list, description="Seed URIs not in the taxonomy (or of another type)."
    )
    label_changes: list[str] = Field(
        default_factory=list,
        description="Seeds whose ESCO preferred label differs from the definition's label.",
    )
    excluded_seeds: list[str] = Field(
        default_factory=list, description="Seeds removed by one of the area's exclusions."
    )


class ResolutionReport(_Value):
    """The outcome of resolving every area against one taxonomy version."""

    taxonomy_version: str
    areas: list[AreaResolution]
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        """Member count per area id."""
        return {area.id: area.skills + area.occupations for area in self.areas}

    @property
    def missing_seeds(self) -> int:
        """Seeds skipped because the taxonomy does not hold them."""
        return sum(len(area.missing_seeds) for area in self.areas)


# --- resolution -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    rule: RuleKind
    tier: Tier
    reason: str


@dataclass
class _Taxonomy:
    """The parts of the imported taxonomy resolution needs, loaded once per run."""

    types: dict[str, str]
    labels: dict[str, str]
    isco: dict[str, str]
    codes: dict[str, str]
    narrower: dict[str, list[str]]
    collections: dict[str, set[str]] = field(default_factory=dict)
    _descendants: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection, need_collections: bool) -> _Taxonomy:
        types: dict[str, str] = {}
        labels: dict[str, str] = {}
        isco: dict[str, str] = {}
        codes: dict[str, str] = {}
        rows = conn.execute(
            select(
                concepts.c.uri,
                concepts.c.type,
                concepts.c.preferred_label,
                concepts.c.code,
                concepts.c.isco_group,
            )
        )
        for uri, kind, label, code, isco_group in rows:
            types[uri] = kind
            labels[uri] = label.strip()
            if kind == "occupation" and isco_group:
                isco[uri] = isco_group
            elif kind == "skill_group" and code:
                codes[uri] = code
        narrower: dict[str, list[str]] = defaultdict(list)
        for child, parent in conn.execute(
            select(concept_relations.c.concept_uri, concept_relations.c.broader_uri)
        ):
            narrower[parent].append(child)
        taxonomy = cls(types=types, labels=labels, isco=isco, codes=codes, narrower=narrower)
        if need_collections:
            members: dict[str, set[str]] = defaultdict(set)
            for uri, name in conn.execute(
                select(concept_collections.c.concept_uri, concept_collections.c.collection)
            ):
                members[name].add(uri)
            taxonomy.collections = members
        return taxonomy

    def descendants(self, uri: str) -> frozenset[str]:
        """Every concept below ``uri`` in the hierarchy (not ``uri`` itself)."""
        cached = self._descendants.get(uri)
        if cached is not None:
            return cached
        seen: set[str] = set()
        stack = list(self.narrower.get(uri, ()))
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self.narrower.get(current, ()))
        result = frozenset(seen)
        self._descendants[uri] = result
        return result


def _group_reason(taxonomy: _Taxonomy, uri: str, fallback: str) -> str:
    label = taxonomy.labels.get(uri, fallback)
    code = "/".join(uri.rsplit("/", 2)[-2:]) if "/isced-f/" in uri else taxonomy.codes.get(uri)
    return f"group: in ESCO skill group '{label}'" + (f" ({code})" if code else "")


def _resolve_area(
    definition: AreaDefinition, taxonomy: _Taxonomy
) -> tuple[dict[str, _Hit], AreaResolution]:
    hits: dict[str, _Hit] = {}
    missing: list[str] = []
    drift: list[str] = []

    def offer(uri: str, hit: _Hit) -> None:
        current = hits.get(uri)
        if current is None or hit.rule.strength > current.rule.strength:
            hits[uri] = hit

    seeds: list[tuple[ConceptSeed, str]] = [
        *((seed, "skill") for seed in definition.skills),
        *((seed, "occupation") for seed in definition.occupations),
    ]
    for seed, expected in seeds:
        if taxonomy.types.get(seed.uri) != expected:
            missing.append(seed.uri)
            continue
        if taxonomy.labels[seed.uri].casefold() != seed.label.strip().casefold():
            drift.append(f"{seed.uri}: '{seed.label}' is now '{taxonomy.labels[seed.uri]}'")
        reason = f"seed: listed in {definition.file_name}"
        if seed.note:
            reason += f" ({seed.note})"
        offer(seed.uri, _Hit(RuleKind.SEED, seed.tier, reason))

    for group in definition.skill_groups:
        reason = _group_reason(taxonomy, group.uri, group.label)
        for uri in taxonomy.descendants(group.uri):
            if taxonomy.types.get(uri) == "skill":
                offer(uri, _Hit(RuleKind.GROUP, group.tier, reason))

    if definition.isco:
        for uri, code in taxonomy.isco.items():
            for rule in definition.isco:
                if code.startswith(rule.code):
                    reason = f"isco: ISCO-08 group {code} is under {rule.code} ({rule.label})"
                    offer(uri, _Hit(RuleKind.ISCO, rule.tier, reason))
                    break

    for collection in definition.collections:
        members = taxonomy.collections.get(collection.name, set())
        scope: set[str] | None = None
        if collection.only_in_groups:
            scope = set()
            for group in collection.only_in_groups:
                scope |= taxonomy.descendants(group.uri)
        where = (
            " and below " + ", ".join(f"'{g.label}'" for g in collection.only_in_groups)
            if collection.only_in_groups
            else ""
        )
        reason = f"collection: in ESCO {collection.name} collection{where}"
        for uri in members:
            if taxonomy.types.get(uri) in _MEMBER_TYPES and (scope is None or uri in scope):
                offer(uri, _Hit(RuleKind.COLLECTION, collection.tier, reason))

    for pattern in definition.patterns:
        compiled = re.compile(pattern.regex, re.IGNORECASE)
        wanted = set(pattern.types)
        reason = f"pattern: preferred label matches {pattern.regex}"
        for uri, label in taxonomy.labels.items():
            if taxonomy.types[uri] in wanted and compiled.search(label):
                offer(uri, _Hit(RuleKind.PATTERN, pattern.tier, reason))

    excluded = {item.uri for item in definition.exclude.concepts}
    exclusion_patterns = [re.compile(p.regex, re.IGNORECASE) for p in definition.exclude.patterns]
    seed_uris = {seed.uri for seed, _ in seeds}
    removed_seeds: list[str] = []
    for uri in list(hits):
        label = taxonomy.labels[uri]
        if uri in excluded or any(p.search(label) for p in exclusion_patterns):
            del hits[uri]
            if uri in seed_uris:
                removed_seeds.append(uri)

    counts: dict[str, int] = defaultdict(int)
    for uri in hits:
        counts[taxonomy.types[uri]] += 1
    resolution = AreaResolution(
        id=definition.id,
        version=definition.version,
        skills=counts["skill"],
        occupations=counts["occupation"],
        missing_seeds=missing,
        label_changes=drift,
        excluded_seeds=removed_seeds,
    )
    return hits, resolution


def resolve_definitions(
    conn: Connection, definitions: Sequence[AreaDefinition], taxonomy_version: str
) -> ResolutionReport:
    """Replace ``capability_members`` with the resolution of ``definitions``.

    Runs inside the caller's transaction and never commits.

    Args:
        conn: A connection inside a transaction, on a database holding an imported taxonomy.
        definitions: The area definitions.
        taxonomy_version: The ESCO version stored with every member.

    Returns:
        Counts per area, the seeds that were missing and the labels that changed.
    """
    started = time.perf_counter()
    need_collections = any(d.collections for d in definitions)
    taxonomy = _Taxonomy.load(conn, need_collections)
    conn.execute(delete(capability_members))
    rows: list[dict[str, str]] = []
    areas: list[AreaResolution] = []
    for definition in definitions:
        hits, resolution = _resolve_area(definition, taxonomy)
        areas.append(resolution)
        for uri in sorted(hits):
            hit = hits[uri]
            rows.append(
                {
                    "area_id": definition.id,
                    "concept_uri": uri,
                    "concept_type": taxonomy.types[uri],
                    "rule": hit.rule.value,
                    "tier": hit.tier.value,
                    "reason": hit.reason,
                    "framework_version": definition.version,
                    "taxonomy_version": taxonomy_version,
                }
            )
    for start in range(0, len(rows), _INSERT_CHUNK):
        conn.execute(capability_members.insert(), rows[start : start + _INSERT_CHUNK])
    missing = {area.id: len(area.missing_seeds) for area in areas if area.missing_seeds}
    if missing:
        _log.warning(
            "%d capability seed(s) are not in ESCO %s and were skipped (per area: %s); "
            "see `skillpass taxonomy capabilities --refresh`",
            sum(missing.values()),
            taxonomy_version,
            ", ".join(f"{area_id} {n}" for area_id, n in missing.items()),
        )
    return ResolutionReport(
        taxonomy_version=taxonomy_version,
        areas=areas,
        seconds=round(time.perf_counter() - started, 3),
    )


# --- the service ----------------------------------------------------------------------------


class CapabilityService:
    """Reads area definitions shipped with the package and their resolved members.

    Args:
        engine: The database engine.
        definitions: Area definitions to use instead of the shipped ones (tests, reviews).
    """

    def __init__(self, engine: Engine, definitions: Iterable[AreaDefinition] | None = None) -> None:
        self._engine = engine
        self._definitions = tuple(definitions) if definitions is not None else None

    @property
    def definitions(self) -> tuple[AreaDefinition, ...]:
        """The area definitions, STEM disciplines first."""
        if self._definitions is None:
            self._definitions = load_definitions()
        return self._definitions

    def definition(self, area_id: str) -> AreaDefinition:
        """One area definition.

        Args:
            area_id: The area id, e.g. ``quantum``.

        Returns:
            The definition.

        Raises:
            NotFound: No area has this id; the message lists the valid ids.
        """
        for definition in self.definitions:
            if definition.id == area_id:
                return definition
        valid = ", ".join(d.id for d in self.definitions)
        raise NotFound(
            f"No capability area '{area_id}'. Valid ids: {valid}.",
            details={"id": area_id, "valid_ids": [d.id for d in self.definitions]},
        )

    def resolve_in(self, connection: Connection, taxonomy_version: str) -> dict[str, int]:
        """Resolve every area against the taxonomy inside the caller's transaction.

        Seeds missing from the taxonomy are skipped and logged (see :meth:`resolve_report_in`
        for the full report).

        Args:
            connection: A connection inside the importer's transaction.
            taxonomy_version: The ESCO version being imported.

        Returns:
            Member count per area id.
        """
        return self.resolve_report_in(connection, taxonomy_version).counts

    def resolve_report_in(self, connection: Connection, taxonomy_version: str) -> ResolutionReport:
        """Like :meth:`resolve_in`, returning the full report.

        Args:
            connection: A connection inside a transaction.
            taxonomy_version: The ESCO version stored with the members.

        Returns:
            Counts, missing seeds and changed labels per area.
        """
        return resolve_definitions(connection, self.definitions, taxonomy_version)

    def resolve(self) -> ResolutionReport:
        """Re-resolve every area against the imported taxonomy in a transaction of its own.

        Use it after editing a definition, without re-importing ESCO.

        Returns:
            Counts, missing seeds and changed labels per area.

        Raises:
            TaxonomyNotLoaded: No ESCO taxonomy is imported.
        """
        with self._engine.begin() as conn:
            version = conn.execute(
                select(taxonomy_imports.c.version)
                .where(taxonomy_imports.c.kind == "base")
                .order_by(taxonomy_imports.c.id.desc())
                .limit(1)
            ).scalar()
            has_concepts = conn.execute(select(func.count()).select_from(concepts)).scalar_one()
            if version is None or not has_concepts:
                raise TaxonomyNotLoaded(
                    "No ESCO taxonomy is imported, so there is nothing to resolve the capability "
                    "areas against. Run `skillpass taxonomy import PATH` first."
                )
            return self.resolve_report_in(conn, str(version))

    def list_areas(self) -> list[CapabilityArea]:
        """Every area with its member counts (zero when no taxonomy is imported).

        Returns:
            STEM disciplines first, then strategic areas, each ordered by id.
        """
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        versions: dict[str, str] = {}
        query = select(
            capability_members.c.area_id,
            capability_members.c.concept_type,
            (capability_members.c.tier == Tier.ENABLING.value).label("enabling"),
            capability_members.c.taxonomy_version,
            func.count(),
        ).group_by(
            capability_members.c.area_id,
            capability_members.c.concept_type,
            "enabling",
            capability_members.c.taxonomy_version,
        )
        with self._engine.connect() as conn:
            for area_id, concept_type, enabling, taxonomy_version, n in conn.execute(query):
                counts[area_id][concept_type] += n
                counts[area_id]["enabling" if enabling else "core"] += n
                versions[area_id] = taxonomy_version
        return [self._area(d, counts[d.id], versions.get(d.id)) for d in self.definitions]

    def get_area(self, area_id: str, concept_type: str | None = None) -> CapabilityAreaDetail:
        """One area with its members and the reasons.

        Args:
            area_id: The area id, e.g. ``semiconductors``.
            concept_type: Only members of this type (``skill`` or ``occupation``).

        Returns:
            The area, its rationale, sources and ESCO gaps, and its members (occupations first,
            then skills; core before enabling; by label).

        Raises:
            NotFound: No area has this id; the message lists the valid ids.
        """
        definition = self.definition(area_id)
        query = (
            select(
                capability_members.c.concept_uri,
                capability_members.c.concept_type,
                capability_members.c.rule,
                capability_members.c.tier,
                capability_members.c.reason,
                capability_members.c.taxonomy_version,
                concepts.c.preferred_label,
            )
            .join(concepts, concepts.c.uri == capability_members.c.concept_uri)
            .where(capability_members.c.area_id == area_id)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        members: list[CapabilityMember] = []
        counts: dict[str, int] = defaultdict(int)
        taxonomy_version: str | None = None
        for uri, kind, rule, tier, reason, version, label in rows:
            counts[kind] += 1
            counts[tier] += 1
            taxonomy_version = version
            if concept_type is None or kind == concept_type:
                members.append(
                    CapabilityMember(
                        uri=uri, label=label.strip(), type=kind, rule=rule, tier=tier, reason=reason
                    )
                )
        type_order = {"occupation": 0, "skill": 1}
        members.sort(key=lambda m: (type_order.get(m.type, 2), m.tier != "core", m.label.lower()))
        return CapabilityAreaDetail(
            area=self._area(definition, counts, taxonomy_version),
            rationale=definition.rationale.strip(),
            sources=[source.name for source in definition.sources],
            references=list(definition.sources),
            esco_gaps=list(definition.esco_gaps),
            members=members,
        )

    def areas_for(self, concept_uri: str) -> list[CapabilityRef]:
        """The areas a concept belongs to.

        Args:
            concept_uri: The full ESCO URI of a skill or occupation.

        Returns:
            One reference per area (STEM disciplines first), with the member's tier.
        """
        query = select(
            capability_members.c.area_id,
            capability_members.c.rule,
            capability_members.c.tier,
            capability_members.c.reason,
        ).where(capability_members.c.concept_uri == concept_uri)
        with self._engine.connect() as conn:
            rows = {
                area_id: (rule, tier, reason) for area_id, rule, tier, reason in conn.execute(query)
            }
        refs: list[CapabilityRef] = []
        for definition in self.definitions:
            if definition.id not in rows:
                continue
            rule, tier, reason = rows[definition.id]
            refs.append(
                CapabilityRef(
                    id=definition.id, label=definition.label, rule=rule, tier=tier, reason=reason
                )
            )
        return refs

    @staticmethod
    def _area(
        definition: AreaDefinition, counts: dict[str, int], taxonomy_version: str | None
    ) -> CapabilityArea:
        return CapabilityArea(
            id=definition.id,
            label=definition.label,
            kind=definition.kind.value,
            description=definition.description.strip(),
            skills=counts.get("skill", 0),
            occupations=counts.get("occupation", 0),
            core=counts.get("core", 0),
            enabling=counts.get("enabling", 0),
            version=definition.version,
            taxonomy_version=taxonomy_version,
        )


__all__ += ["AreaKind", "resolve_definitions"]
