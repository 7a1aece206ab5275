"""The pathway planner: from a person's skills to a target, the optimal stack of opportunities.

The planning itself is a pure function (``planner.solve``: a mixed-integer programme solved with
HiGHS); this service gathers its inputs (the learner's profile, the target's requirements, the
catalogue, the funding a person is eligible for) and ranks destinations.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from skillpass.errors import NotFound, TaxonomyNotLoaded
from skillpass.pathways import planner, target_repository
from skillpass.pathways.models import (
    AppliedFunding,
    Objective,
    Opportunity,
    Plan,
    PlanConstraints,
    PlanRequest,
    Situation,
    TargetKind,
    TargetRef,
)

if TYPE_CHECKING:
    from skillpass.auth.models import User
    from skillpass.passport.service import PassportService
    from skillpass.pathways.catalogue import CatalogueService
    from skillpass.pathways.funding import FundingService
    from skillpass.pathways.target_repository import OccupationProfiles
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
        self._profiles: tuple[int, OccupationProfiles] | None = None

    def plan(self, request: PlanRequest, *, today: date | None = None) -> Plan:
        """Plan for explicit inputs (the skills a person has, a target, constraints, situation).

        Never raises for infeasible constraints or an empty catalogue: the plan's status and
        explanation say what went wrong and what to relax.

        Args:
            request: The person's skills, the target, constraints, situation and objective.
            today: The default start of the plan (tests pin it); default: today.

        Raises:
            NotFound: Unknown target.
            TaxonomyNotLoaded: An occupation or capability area target without ESCO imported.
        """
        needs = self._targets.requirements(request.target)
        have = set(request.have)
        opportunities = self._candidates(
            [s.uri for s in [*needs.essential, *needs.optional] if s.uri not in have], have
        )
        situation = request.situation

        def funding(opportunity: Opportunity) -> list[AppliedFunding]:
            return self._funding.funding_for(situation, opportunity)

        plan = planner.solve(
            have=have,
            essential=needs.essential,
            optional=needs.optional,
            opportunities=opportunities,
            funding=funding,
            funding_caps=self._caps(),
            constraints=request.constraints,
            objective=request.objective,
            alternatives=request.alternatives,
            today=today,
        )
        intro = f"Target: {needs.label} ({needs.target.kind.value}). {needs.note}".strip()
        return plan.model_copy(update={"explanation": [intro, *plan.explanation]})

    def plan_for(
        self,
        learner: User,
        target: TargetRef,
        constraints: PlanConstraints | None = None,
        situation: Situation | None = None,
        objective: Objective = Objective.COST,
        *,
        alternatives: int = 2,
        today: date | None = None,
    ) -> Plan:
        """Plan from the learner's skills profile (every skill, any strength)."""
        profile = self._passport.profile(learner)
        return self.plan(
            PlanRequest(
                have=[skill.uri for skill in profile.skills],
                target=target,
                constraints=constraints or PlanConstraints(),
                situation=situation or Situation(),
                objective=objective,
                alternatives=alternatives,
            ),
            today=today,
        )

    def destinations(self, learner: User, limit: int = 10) -> list[Destination]:
        """Occupations (and capability areas) ranked by how many of their essential skills the
        learner already has."""
        profile = self._passport.profile(learner)
        return self.destinations_for([skill.uri for skill in profile.skills], limit=limit)

    def destinations_for(self, have: list[str], limit: int = 10) -> list[Destination]:
        """:meth:`destinations` for an explicit list of skill URIs.

        ESCO occupations are ranked by the share of their essential skills held (ties: more
        skills held first, then by label), from an in-memory index of every occupation's
        essential skills built once per ESCO import; the STEM capability areas are ranked the
        same way against their target skills. ``demand`` is None until skills intelligence
        provides it.

        Raises:
            TaxonomyNotLoaded: No ESCO imported.
        """
        held = set(have)
        profiles = self._occupation_profiles()
        ranked: list[Destination] = []
        for uri, essential in profiles.essential.items():
            if not essential or uri not in profiles.occupations:
                continue
            covered = len(essential & held)
            if not covered:
                continue
            missing = sorted(profiles.skill_labels.get(u, u) for u in essential - held)
            ranked.append(
                Destination(
                    target=TargetRef(kind=TargetKind.OCCUPATION, id=uri),
                    label=profiles.occupations[uri],
                    essential_covered=covered,
                    essential_total=len(essential),
                    closeness=round(covered / len(essential), 4),
                    missing=missing[:5],
                )
            )
        for area in self._targets.area_ids():
            needs = self._targets.requirements(TargetRef(kind=TargetKind.CAPABILITY_AREA, id=area))
            uris = {s.uri for s in needs.essential}
            covered = len(uris & held)
            if not uris or not covered:
                continue
            ranked.append(
                Destination(
                    target=needs.target,
                    label=needs.label,
                    essential_covered=covered,
                    essential_total=len(uris),
                    closeness=round(covered / len(uris), 4),
                    missing=[s.label for s in needs.essential if s.uri not in held][:5],
                )
            )
        ranked.sort(key=lambda d: (-d.closeness, -d.essential_covered, d.label.lower()))
        return ranked[:limit]

    # --- helpers ---------------------------------------------------------------------------

    def _candidates(self, missing: list[str], have: set[str]) -> list[Opportunity]:
        """Opportunities teaching a missing skill, and (transitively) those teaching the
        prerequisites of those — what the planner can use, without loading the catalogue."""
        found: dict[str, Opportunity] = {}
        asked: set[str] = set()
        wanted = [u for u in missing if u not in have]
        while wanted:
            asked.update(wanted)
            batch = self._catalogue.providing(wanted)
            new = [o for o in batch if o.id not in found]
            for o in new:
                found[o.id] = o
            wanted = sorted(
                {
                    s.uri
                    for o in new
                    for s in o.prerequisite_skills
                    if s.uri not in have and s.uri not in asked
                }
            )
            extra = {pid for o in new for pid in o.prerequisite_opportunities} - found.keys()
            for pid in sorted(extra):
                try:
                    o = self._catalogue.get(pid)
                except NotFound:
                    continue  # the planner explains an unmet prerequisite
                found[o.id] = o
                wanted.extend(s.uri for s in o.prerequisite_skills if s.uri not in have | asked)
        return list(found.values())

    def _caps(self) -> dict[str, float]:
        """The per-person annual caps of the active programmes that have one."""
        caps: dict[str, float] = {}
        for programme, _ in self._funding.search():
            benefit = programme.benefit
            if benefit is not None and benefit.annual_cap_eur is not None:
                caps[programme.id] = benefit.annual_cap_eur
        return caps

    def _occupation_profiles(self) -> OccupationProfiles:
        engine = self._targets.engine
        marker = target_repository.import_marker(engine)
        if marker is None:
            raise TaxonomyNotLoaded(
                "No ESCO taxonomy is imported, so there are no occupations to rank. Run "
                "`skillpass taxonomy import PATH` first."
            )
        if self._profiles is None or self._profiles[0] != marker:
            self._profiles = (marker, target_repository.occupation_profiles(engine))
        return self._profiles[1]
