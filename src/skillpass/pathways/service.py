"""The pathway planner: from a person's skills to a target, the optimal stack of opportunities.

The planning itself is a pure function (``planner.solve``: a mixed-integer programme solved with
HiGHS); this service gathers its inputs (the learner's profile, the target's requirements, the
catalogue, the funding a person is eligible for) and ranks destinations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from skillpass.pathways.models import (
    Objective,
    Plan,
    PlanConstraints,
    PlanRequest,
    Situation,
    TargetRef,
)

if TYPE_CHECKING:
    from skillpass.auth.models import User
    from skillpass.passport.service import PassportService
    from skillpass.pathways.catalogue import CatalogueService
    from skillpass.pathways.funding import FundingService
    from skillpass.pathways.targets import TargetResolver

__all__ = ["Destination", "PathwayService"]


class Destination(BaseModel):
    """A target ranked by how close a person is ("where can I go from here?")."""

    model_config = ConfigDict(frozen=True)

    target: TargetRef
    label: str
    essential_covered: int
    essential_total: int
    closeness: float  # share of essential skills the person has (0–1)
    missing: list[str]  # labels of the first missing essential skills
    demand: float | None = None  # skill-intelligence demand signal where known


class PathwayService:
    """Plan pathways and rank destinations."""

    def __init__(
        self,
        catalogue: CatalogueService,
        funding: FundingService,
        targets: TargetResolver,
        passport: PassportService,
    ) -> None:
        self._catalogue = catalogue
        self._funding = funding
        self._targets = targets
        self._passport = passport

    def plan(self, request: PlanRequest) -> Plan:
        """Plan for explicit inputs (the skills a person has, a target, constraints, situation).

        Never raises for infeasible constraints or an empty catalogue: the plan's status and
        explanation say what went wrong and what to relax.

        Raises:
            NotFound: Unknown target.
        """
        raise NotImplementedError

    def plan_for(
        self,
        learner: User,
        target: TargetRef,
        constraints: PlanConstraints | None = None,
        situation: Situation | None = None,
        objective: Objective = Objective.COST,
    ) -> Plan:
        """Plan from the learner's skills profile (every skill, any strength)."""
        raise NotImplementedError

    def destinations(self, learner: User, limit: int = 10) -> list[Destination]:
        """Occupations (and capability areas) ranked by how many of their essential skills the
        learner already has."""
        raise NotImplementedError
