"""Pathway pages for learners: where they can go from here, and a plan to get there.

* ``/pathways`` — "Where can I go from here?": occupations and capability areas ranked by how
  many of their essential skills the learner's passport already shows, with demand where known
  (:meth:`~skillpass.pathways.service.PathwayService.destinations`).
* ``/pathways/plan`` — the plan towards one target under the learner's constraints and
  situation (:meth:`~skillpass.pathways.service.PathwayService.plan_for`): each course with dates,
  price, funding and the reason it is there; a timeline chart with the same dates in a table;
  what no course teaches; alternatives. The form is a GET (nothing is stored), so a plan has an
  address to bookmark; a mistake in the form is shown next to the field with everything typed
  kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from skillpass.auth.models import Role
from skillpass.errors import InvalidInput, NotFound
from skillpass.pathways.models import Objective, Plan, PlanConstraints, TargetKind, TargetRef
from skillpass.web._common import HtmlRoute, WebApp, render
from skillpass.web._passport_view import actor
from skillpass.web._pathway_view import (
    EMPLOYMENT_WORDS,
    MODE_WORDS,
    OBJECTIVE_WORDS,
    TARGET_WORDS,
    FormReader,
    eur,
    require,
    situation_from,
    timeline_svg,
)

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_LEARNERS = frozenset({Role.LEARNER})
_WHAT = "your pathways (they are for learners)"
_ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"


def target_url(target: TargetRef) -> str:
    """The plan page for a target."""
    return "/pathways/plan?" + urlencode({"kind": target.kind.value, "target": target.id})


@router.get("/pathways")
def destinations(request: Request, skillpass: WebApp) -> Response:
    """Targets ranked by how close the learner is, each with a link to plan a pathway."""
    refusal = require(request, _LEARNERS, _WHAT)
    if refusal is not None:
        return refusal
    found = skillpass.pathways.destinations(actor(request), limit=15)
    return render(
        request,
        "pathway_destinations.html",
        {
            "title": "Where can I go from here?",
            "destinations": found,
            "target_url": target_url,
            "kind_words": {TargetKind.OCCUPATION: "Occupation", TargetKind.CAPABILITY_AREA: "Area"},
        },
    )


def _target(form: FormReader) -> TargetRef | None:
    kind = form.choice("kind", TARGET_WORDS) or TargetKind.OCCUPATION
    value = form.text("target", 300)
    if value is None:
        return None
    if kind is TargetKind.OCCUPATION and not value.startswith("http"):
        value = _ESCO_OCCUPATION + value.rsplit("/", 1)[-1]
    return TargetRef(kind=kind, id=value)


@router.get("/pathways/plan")
def plan_page(request: Request, skillpass: WebApp) -> Response:
    """The planning form and, when a target is given, the plan."""
    refusal = require(request, _LEARNERS, _WHAT)
    if refusal is not None:
        return refusal
    typed = dict(request.query_params)
    form = FormReader(typed)
    target = _target(form)
    constraints = PlanConstraints(
        budget_eur=form.number("budget", "the budget", high=1_000_000),
        hours_per_week=form.number("hours_per_week", "the hours a week", low=1, high=80),
        deadline=form.day("deadline", "the deadline"),
        start=form.day("start", "the start date"),
        languages=form.languages("languages"),
        online_only=typed.get("online_only") == "on",
        country=form.country("country"),
    )
    objective = form.choice("objective", OBJECTIVE_WORDS) or Objective.COST
    situation = situation_from(form)
    if constraints.start and constraints.deadline and constraints.deadline < constraints.start:
        form.problems["deadline"] = "The deadline is before the start date: move one of them."
    plan: Plan | None = None
    if target is not None and not form.problems:
        try:
            plan = skillpass.pathways.plan_for(
                actor(request), target, constraints, situation, objective
            )
        except (NotFound, InvalidInput) as error:
            form.problems["target"] = error.message
    elif target is None and "target" in typed:
        form.problems["target"] = (
            "Choose what to aim at: an occupation's ESCO address, or pick one on "
            "“Where can I go from here?”."
        )
    context: dict[str, Any] = {
        "title": "Plan a pathway",
        "form": typed,
        "problems": form.problems,
        "plan": plan,
        "chart": timeline_svg(plan) if plan is not None else None,
        "target_words": TARGET_WORDS,
        "objective_words": OBJECTIVE_WORDS,
        "employment_words": EMPLOYMENT_WORDS,
        "mode_words": MODE_WORDS,
        "eur": eur,
    }
    status = 422 if form.problems else 200
    return render(request, "pathway_plan.html", context, status_code=status)
