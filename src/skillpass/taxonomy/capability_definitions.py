"""Capability area definitions: versioned YAML files read into typed, validated models.

Each area of the differentiated STEM capability framework is one reviewable YAML file in
``skillpass/taxonomy/data/capabilities/`` (file name = area id). A definition names ESCO concepts
and rules; :mod:`skillpass.taxonomy.capabilities` resolves it against an imported ESCO.

Rules, strongest first (a concept found by several keeps the strongest; exclusions always win):

* ``seed`` — curated skill and occupation URIs, the authoritative part of a definition;
* ``group`` — every skill below an ESCO skill group (e.g. ``isced-f/0714``);
* ``isco`` — every occupation whose ISCO-08 group starts with a code (e.g. ``2152``);
* ``collection`` — members of an ESCO collection, optionally only those inside given groups;
* ``pattern`` — word-boundary regular expressions over English preferred labels (candidate
  generators: keep them few and precise, and re-review them on every ESCO release).

Every member also has a **tier**: ``core`` (specific to the area) or ``enabling`` (shared with a
neighbouring field but needed by it, e.g. quantum mechanics for quantum technologies).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from skillpass.errors import ConfigurationError

__all__ = [
    "DEFINITIONS_DIR",
    "AreaDefinition",
    "AreaKind",
    "CollectionRule",
    "ConceptSeed",
    "Exclusions",
    "GroupRule",
    "IscoRule",
    "PatternRule",
    "RuleKind",
    "Source",
    "Tier",
    "load_definitions",
    "parse_definition",
]

#: Where the package ships its area definitions.
DEFINITIONS_DIR = Path(__file__).resolve().parent / "data" / "capabilities"

_ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/[A-Za-z-]+/[0-9A-Za-z._-]+$")
_AREA_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class AreaKind(StrEnum):
    """A STEM sub-discipline (ISCED-F field) or a strategic capability area."""

    STEM_DISCIPLINE = "stem_discipline"
    STRATEGIC_AREA = "strategic_area"


class Tier(StrEnum):
    """How specific a member is to its area."""

    CORE = "core"
    ENABLING = "enabling"


class RuleKind(StrEnum):
    """The rule that put a concept into an area, strongest first."""

    SEED = "seed"
    GROUP = "group"
    ISCO = "isco"
    COLLECTION = "collection"
    PATTERN = "pattern"

    @property
    def strength(self) -> int:
        """Higher is stronger: seed > group > isco > collection > pattern."""
        return len(RuleKind) - list(RuleKind).index(self)


ConceptTypeName = Literal["skill", "occupation"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_uri(value: str) -> str:
    value = value.strip()
    if not _ESCO_URI.match(value):
        raise ValueError(f"{value!r} is not an ESCO concept URI (http://data.europa.eu/esco/...)")
    return value


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc
    return value


class Source(_Strict):
    """A framework, regulation or study the definition draws on."""

    name: str
    url: str | None = None


class ConceptSeed(_Strict):
    """A curated ESCO skill or occupation, with its ESCO preferred label for reviewers."""

    uri: str
    label: str
    tier: Tier = Tier.CORE
    note: str | None = None

    _uri = field_validator("uri")(_check_uri)


class GroupRule(_Strict):
    """Every skill below an ESCO skill group (transitively, through broader relations)."""

    uri: str
    label: str
    tier: Tier = Tier.CORE

    _uri = field_validator("uri")(_check_uri)


class IscoRule(_Strict):
    """Every occupation whose ISCO-08 unit group starts with ``code``."""

    code: Annotated[str, Field(pattern=r"^[0-9]{1,4}$")]
    label: str
    tier: Tier = Tier.CORE


class CollectionRule(_Strict):
    """Members of an ESCO collection, optionally only those below some skill groups."""

    name: Literal["digital", "green", "research", "transversal", "language", "digcomp"]
    only_in_groups: list[GroupRule] = Field(default_factory=list)
    tier: Tier = Tier.CORE


def _both_types() -> list[ConceptTypeName]:
    return ["skill", "occupation"]


class PatternRule(_Strict):
    """A case-insensitive regular expression over English preferred labels."""

    regex: str
    types: list[ConceptTypeName] = Field(default_factory=_both_types)
    tier: Tier = Tier.CORE
    note: str | None = None

    _regex = field_validator("regex")(_check_regex)


class ExcludedConcept(_Strict):
    """A concept that must never be a member, with why."""

    uri: str
    label: str
    reason: str

    _uri = field_validator("uri")(_check_uri)


class ExcludedPattern(_Strict):
    """Preferred labels matching this case-insensitive regex are never members."""

    regex: str
    reason: str

    _regex = field_validator("regex")(_check_regex)


class Exclusions(_Strict):
    """What a definition keeps out, whatever rule found it."""

    concepts: list[ExcludedConcept] = Field(default_factory=list)
    patterns: list[ExcludedPattern] = Field(default_factory=list)


class AreaDefinition(_Strict):
    """One capability area as written in its YAML file."""

    version: str
    id: str
    label: str
    kind: AreaKind
    description: str
    rationale: str
    sources: list[Source] = Field(default_factory=list)
    skills: list[ConceptSeed] = Field(default_factory=list)
    occupations: list[ConceptSeed] = Field(default_factory=list)
    skill_groups: list[GroupRule] = Field(default_factory=list)
    isco: list[IscoRule] = Field(default_factory=list)
    collections: list[CollectionRule] = Field(default_factory=list)
    patterns: list[PatternRule] = Field(default_factory=list)
    exclude: Exclusions = Field(default_factory=Exclusions)
    esco_gaps: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not _AREA_ID.match(value):
            raise ValueError(f"{value!r}: use lower-case letters, digits and underscores")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> AreaDefinition:
        seen: set[str] = set()
        for seed in [*self.skills, *self.occupations]:
            if seed.uri in seen:
                raise ValueError(f"{seed.uri} ({seed.label}) is listed twice")
            seen.add(seed.uri)
        for excluded in self.exclude.concepts:
            if excluded.uri in seen:
                raise ValueError(
                    f"{excluded.uri} ({excluded.label}) is both a seed and excluded; keep one"
                )
        return self

    @property
    def file_name(self) -> str:
        """The YAML file this definition lives in."""
        return f"{self.id}.yaml"


def parse_definition(text: str, *, source: str) -> AreaDefinition:
    """Parse and validate one YAML definition.

    Args:
        text: The YAML text.
        source: The file name, for error messages.

    Returns:
        The validated definition.

    Raises:
        ConfigurationError: The YAML is malformed or breaks a rule (bad URI, bad regex,
            duplicate seed, a seed that is also excluded).
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{source}: not valid YAML ({exc}). Fix the file.") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"{source}: expected a mapping with id, label, kind, ...")
    try:
        return AreaDefinition.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError(
            f"{source}: invalid capability definition: {problems}",
            details={"file": source},
        ) from exc


def load_definitions(directory: Path | None = None) -> tuple[AreaDefinition, ...]:
    """Read every ``*.yaml`` area definition of a folder, ordered by kind then id.

    Args:
        directory: The folder; the definitions shipped with SkillPass when omitted.

    Returns:
        The definitions (STEM disciplines first, then strategic areas).

    Raises:
        ConfigurationError: A file is invalid, its id differs from its file name, or the folder
            holds no definition.
    """
    if directory is None:
        return _shipped_definitions()
    return _read_folder(directory)


@cache
def _shipped_definitions() -> tuple[AreaDefinition, ...]:
    return _read_folder(DEFINITIONS_DIR)


def _read_folder(directory: Path) -> tuple[AreaDefinition, ...]:
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ConfigurationError(f"{directory}: no capability definition (*.yaml) found.")
    definitions: list[AreaDefinition] = []
    for path in files:
        definition = parse_definition(path.read_text(encoding="utf-8"), source=path.name)
        if definition.id != path.stem:
            raise ConfigurationError(
                f"{path.name}: id {definition.id!r} differs from the file name; rename one."
            )
        definitions.append(definition)
    order = {AreaKind.STEM_DISCIPLINE: 0, AreaKind.STRATEGIC_AREA: 1}
    return tuple(sorted(definitions, key=lambda d: (order[d.kind], d.id)))
