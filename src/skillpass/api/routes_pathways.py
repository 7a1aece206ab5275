"""HTTP routes of the pathway planner (``/api/v1/pathways``).

A plan is the cheapest (or shortest, or quickest) set of learning opportunities from the catalogue
that covers every essential skill of a target that some course teaches, respecting the budget,
time, language, mode and country constraints, prerequisites and start dates, at the price after
the funding the person is eligible for; with alternatives, what no course teaches, a timeline and
a reason for every course. Infeasible constraints and empty catalogues are not errors: the plan's
``status`` is ``infeasible`` and ``explanation`` says what to relax. An unknown target is a 404.

* ``POST /pathways/plan`` — for explicit input (the skills someone has); no sign-in needed.
* ``POST /pathways/plan/me`` — for the signed-in learner, from their skills profile.
* ``GET /pathways/destinations`` — "where can I go from here?": targets ranked by how close the
  learner is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from skillpass.api._schema import described
from skillpass.api.deps import AppDep, require_roles
from skillpass.api.routes_funding import SituationBody
from skillpass.auth.models import Role, User
from skillpass.pathways.models import (
    Objective,
    Plan,
    PlanConstraints,
    PlanRequest,
    TargetRef,
)
from skillpass.pathways.service import Destination

__all__ = [
    "ConstraintsBody",
    "DestinationPublic",
    "MyPlanBody",
    "PlanBody",
    "PlanPublic",
    "TargetBody",
    "router",
]

router = APIRouter(tags=["pathways"])

LearnerUser = Annotated[User, Depends(require_roles(Role.LEARNER))]

#: Most skills a request may list as already held.
MAX_HAVE = 5_000


class TargetBody(TargetRef):
    """What to aim at."""

    model_config = described(
        {
            "kind": "occupation (an ESCO occupation URI), capability_area (an id from GET "
            "/capabilities) or achievement (a micro-credential definition id).",
            "id": "The URI or id of the target.",
        }
    )


class ConstraintsBody(PlanConstraints):
    """Constraints on a plan (all optional)."""

    model_config = described(
        {
            "budget_eur": "Most the person will pay in total, after funding, in euros.",
            "hours_per_week": "Hours a week the person can study (stretches course durations).",
            "deadline": "Every course must end by this day (YYYY-MM-DD).",
            "start": "First day the person can start (default: today).",
            "languages": "Languages the person learns in (ISO 639-1); empty: any.",
            "online_only": "Only online courses.",
            "country": "Onsite and blended courses must be in this country (ISO 3166-1).",
            "include_optional": "Also cover optional skills as far as the budget allows.",
        }
    )


_PLAN_FIELDS = {
    "target": "What to aim at.",
    "constraints": "Budget, time, language, mode and country constraints.",
    "situation": "The person's situation, for the funding they are eligible for.",
    "objective": "What to minimise: cost (after funding), hours, or time (weeks to finish).",
    "alternatives": "How many next-best plans to add (0-5).",
}


class PlanBody(PlanRequest):
    """Plan for explicit input: the skills someone has and a target."""

    model_config = described(_PLAN_FIELDS)

    have: list[str] = Field(
        max_length=MAX_HAVE,
        description="ESCO skill URIs the person already has (e.g. from their passport).",
    )
    target: TargetBody
    constraints: ConstraintsBody = Field(default_factory=ConstraintsBody)
    situation: SituationBody = Field(default_factory=SituationBody)


class MyPlanBody(BaseModel):
    """Plan for the signed-in learner: their skills come from their passport."""

    model_config = described(_PLAN_FIELDS)

    target: TargetBody
    constraints: ConstraintsBody = Field(default_factory=ConstraintsBody)
    situation: SituationBody = Field(default_factory=SituationBody)
    objective: Objective = Objective.COST
    alternatives: int = Field(default=2, ge=0, le=5)


class PlanPublic(Plan):
    """A plan: the courses in order with dates, funding and reasons; what it covers and what it
    cannot; totals; plain-words explanation; and next-best alternatives."""

    model_config = described(
        {
            "status": "optimal, infeasible (see explanation) or nothing_to_do (already there).",
            "objective": "What was minimised.",
            "objective_value": "The minimised value (euros, hours or weeks).",
            "steps": "The courses, in the order to take them, with dates, funding and why.",
            "covered_essential": "Essential skills the plan covers.",
            "covered_optional": "Optional skills the plan covers.",
            "already_have": "Target skills the person already has.",
            "uncoverable": "Needed skills that no course in the catalogue teaches.",
            "missing_after_plan": "Skills a course teaches but the constraints left out.",
            "total_cost_eur": "Sum of the courses' prices before funding.",
            "total_funded_cost_eur": "What the person pays after funding.",
            "total_hours": "Notional workload of the whole plan.",
            "finish": "When the last course ends.",
            "explanation": "Plain-words reasons: why infeasible and what to relax, what is "
            "left out and why.",
            "alternatives": "Next-best plans (different sets of courses), best first.",
        },
        frozen=True,
    )

    @classmethod
    def of(cls, plan: Plan) -> PlanPublic:
        """Render a plan."""
        return cls.model_validate(plan.model_dump())


class DestinationPublic(Destination):
    """A target and how close the learner is to it."""

    model_config = described(
        {
            "target": "The occupation or capability area.",
            "label": "Its name.",
            "essential_covered": "Essential skills the learner has.",
            "essential_total": "Essential skills it needs.",
            "closeness": "Share of its essential skills the learner has (0-1).",
            "missing": "The first essential skills the learner lacks.",
            "demand": "Demand signal from skills intelligence, where known.",
        },
        frozen=True,
    )


@router.post("/pathways/plan", response_model=PlanPublic, summary="Plan a pathway for given skills")
def plan(body: PlanBody, app: AppDep) -> PlanPublic:
    """The optimal set of courses from ``have`` to the target under the constraints, priced
    after the funding the situation is eligible for. Never an error for constraints no plan
    meets or an empty catalogue (``status`` infeasible, with the reasons); 404 for an unknown
    target, 409 when no ESCO taxonomy is imported. No sign-in needed; nothing is stored."""
    request = PlanRequest.model_validate(body.model_dump())
    return PlanPublic.of(app.pathways.plan(request))


@router.post(
    "/pathways/plan/me",
    response_model=PlanPublic,
    summary="Plan my pathway (learner)",
)
def plan_mine(body: MyPlanBody, app: AppDep, user: LearnerUser) -> PlanPublic:
    """As POST /pathways/plan, with the skills of the learner's passport (every skill, any
    strength of evidence)."""
    return PlanPublic.of(
        app.pathways.plan_for(
            user,
            TargetRef.model_validate(body.target.model_dump()),
            PlanConstraints.model_validate(body.constraints.model_dump()),
            body.situation,
            body.objective,
            alternatives=body.alternatives,
        )
    )


@router.get(
    "/pathways/destinations",
    response_model=list[DestinationPublic],
    summary="Where can I go from here? (learner)",
)
def destinations(
    app: AppDep,
    user: LearnerUser,
    limit: Annotated[int, Query(ge=1, le=50, description="How many destinations.")] = 10,
) -> list[DestinationPublic]:
    """Occupations and capability areas ranked by the share of their essential skills the
    learner's passport already shows, with the first missing skills and demand where known."""
    return [
        DestinationPublic.model_validate(d.model_dump())
        for d in app.pathways.destinations(user, limit)
    ]
