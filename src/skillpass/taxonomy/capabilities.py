"""The differentiated STEM capability framework (areas defined as data, resolved against ESCO).

OWNED BY: capability-framework work. Signatures below are the contract other code relies on.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, Engine

from skillpass.taxonomy.models import CapabilityRef

__all__ = ["CapabilityArea", "CapabilityAreaDetail", "CapabilityMember", "CapabilityService"]


class CapabilityArea(BaseModel):
    """A capability area with member counts (``taxonomy capabilities --json``: public contract)."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    kind: str  # "stem_discipline" | "strategic_area"
    description: str
    skills: int
    occupations: int
    version: str


class CapabilityMember(BaseModel):
    """One resolved member of an area with the rule and reason that put it there."""

    model_config = ConfigDict(frozen=True)

    uri: str
    label: str
    type: str
    rule: str
    reason: str


class CapabilityAreaDetail(BaseModel):
    """An area, its definition's rationale and sources, and its members."""

    model_config = ConfigDict(frozen=True)

    area: CapabilityArea
    rationale: str
    sources: list[str]
    members: list[CapabilityMember]


class CapabilityService:
    """Reads area definitions shipped with the package and their resolved members."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def resolve_in(self, connection: Connection, taxonomy_version: str) -> dict[str, int]:
        """Resolve every area against the taxonomy inside the caller's transaction.

        Returns:
            Member count per area id.
        """
        raise NotImplementedError

    def list_areas(self) -> list[CapabilityArea]:
        """Every area with its member counts."""
        raise NotImplementedError

    def get_area(self, area_id: str) -> CapabilityAreaDetail:
        """One area with its members and the reasons. Raises NotFound."""
        raise NotImplementedError

    def areas_for(self, concept_uri: str) -> list[CapabilityRef]:
        """The areas a concept belongs to."""
        return []
