"""Domain models of the taxonomy capability (pure: no storage, HTTP or CLI imports)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

__all__ = [
    "CapabilityRef",
    "Concept",
    "ConceptRef",
    "ConceptType",
    "ImportReport",
    "LabelSet",
    "Page",
    "RelatedConcept",
    "SearchHit",
    "TaxonomyStats",
]


class ConceptType(StrEnum):
    """Kinds of ESCO concept SkillPass stores."""

    SKILL = "skill"
    OCCUPATION = "occupation"
    SKILL_GROUP = "skill_group"
    ISCO_GROUP = "isco_group"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class ConceptRef(_Value):
    """A pointer to a concept with its English preferred label."""

    uri: str
    label: str
    type: ConceptType


class RelatedConcept(_Value):
    """A concept related to another one, with the relation (``essential``/``optional``)."""

    uri: str
    label: str
    type: ConceptType
    relation_type: str


class CapabilityRef(_Value):
    """A capability area a concept belongs to, with the rule that put it there."""

    id: str
    label: str
    rule: str
    #: ``core`` (specific to the area) or ``enabling`` (needed by it, shared with others).
    tier: str = "core"
    reason: str


class LabelSet(_Value):
    """Labels of one concept in one language."""

    preferred: list[str] = Field(default_factory=list)
    alt: list[str] = Field(default_factory=list)
    hidden: list[str] = Field(default_factory=list)
    description: str = ""


class SearchHit(_Value):
    """One search result: the concept, the label that matched and a relevance score in [0, 1]."""

    uri: str
    label: str
    type: ConceptType
    score: float
    matched_label: str
    lang: str


class Concept(_Value):
    """A concept with everything a skill or occupation page shows."""

    uri: str
    type: ConceptType
    label: str
    description: str
    code: str | None = None
    skill_type: str | None = None
    reuse_level: str | None = None
    isco_group: str | None = None
    regulated_note: str | None = None
    labels: dict[str, LabelSet] = Field(default_factory=dict)
    broader: list[ConceptRef] = Field(default_factory=list)
    narrower: list[ConceptRef] = Field(default_factory=list)
    collections: list[str] = Field(default_factory=list)
    #: For an occupation: its essential and optional skills.
    skills: list[RelatedConcept] = Field(default_factory=list)
    #: For a skill: occupations that need it.
    occupations: list[RelatedConcept] = Field(default_factory=list)
    #: For a skill: related skills (skill-skill relations).
    related_skills: list[RelatedConcept] = Field(default_factory=list)
    capability_areas: list[CapabilityRef] = Field(default_factory=list)
    version: str


class TaxonomyStats(_Value):
    """What is imported (``skillpass taxonomy stats --json``; keys are a public contract)."""

    version: str | None
    skills: int
    occupations: int
    relations: int
    isco_groups: int
    languages: list[str]
    skill_groups: int = 0
    skill_relations: int = 0
    capability_members: int = 0
    imported_at: datetime | None = None


class ImportReport(_Value):
    """The outcome of one ``taxonomy import``."""

    version: str
    language: str
    kind: str  # "base" | "labels"
    changed: bool
    counts: dict[str, int]
    skipped: dict[str, int] = Field(default_factory=dict)
    seconds: float
    message: str


class Page(_Value, Generic[T]):
    """A page of results with the total count."""

    items: list[T]
    total: int
    offset: int
    limit: int
