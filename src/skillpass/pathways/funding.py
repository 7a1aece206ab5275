"""The funding directory and its eligibility rules (shared with the community funding portal).

The shipped seed (``pathways/data/funding_programmes.yaml``) models real programme types from
public sources, each with its sources and marked ``example`` until the operator confirms or
replaces it; operators import real data in the same format (YAML or JSON). Eligibility is a set of
explicit rules, each producing a sentence, so a result always says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from skillpass.pathways.models import (
    Applicant,
    AppliedFunding,
    EligibilityResult,
    FundingLevel,
    FundingProgramme,
    Opportunity,
    Situation,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["FundingService", "evaluate"]


def evaluate(
    programme: FundingProgramme, situation: Situation, opportunity: Opportunity | None = None
) -> EligibilityResult:
    """Evaluate a programme's rules for a situation (and an opportunity, which also computes the
    amount it would pay). Pure: no storage."""
    raise NotImplementedError


class FundingService:
    """Directory of funding programmes and eligibility."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def ensure_seeded(self) -> int:
        """Load the shipped example programmes when the directory is empty; returns how many."""
        raise NotImplementedError

    def search(
        self,
        *,
        text: str | None = None,
        applicant: Applicant | None = None,
        level: FundingLevel | None = None,
        country: str | None = None,
        capability_area: str | None = None,
        situation: Situation | None = None,
        include_inactive: bool = False,
    ) -> list[tuple[FundingProgramme, EligibilityResult | None]]:
        """Programmes matching the filters; with a situation, each with its eligibility (eligible
        first)."""
        raise NotImplementedError

    def get(self, programme_id: str) -> FundingProgramme:
        """One programme. Raises NotFound."""
        raise NotImplementedError

    def upsert(self, programme: FundingProgramme, origin: str = "api") -> FundingProgramme:
        """Create or replace a programme by id."""
        raise NotImplementedError

    def import_file(self, path: Path) -> int:
        """Import programmes from YAML or JSON (``{"programmes": [...]}`` in the seed's format);
        validates all before writing. Returns how many were written.

        Raises:
            InvalidInput: Unreadable file or invalid programmes (every problem listed).
        """
        raise NotImplementedError

    def funding_for(self, situation: Situation, opportunity: Opportunity) -> list[AppliedFunding]:
        """The funding a person would get for one opportunity: eligible programmes' amounts,
        combined without exceeding the cost (largest first; programmes that do not stack with
        others are applied alone), each with its reason."""
        raise NotImplementedError
