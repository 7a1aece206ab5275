"""``skillpass pathway plan|destinations``: plan the cheapest stack of courses towards a target.

Wire into the root CLI with ``app.add_typer(pathway.pathway_app, name="pathway")``.

The ``--profile FILE`` format is JSON, either ``{"skills": [URI, ...]}`` (items may also be
objects with a ``"uri"``; an optional ``"situation"`` object gives the funding situation) or a
passport bundle exported by ``skillpass passport export`` (every item's skills count).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from skillpass.app import SkillPass
from skillpass.cli._common import console, open_app, print_json
from skillpass.errors import InvalidInput
from skillpass.pathways.models import (
    EmploymentStatus,
    Objective,
    Plan,
    PlanConstraints,
    PlanRequest,
    Situation,
    TargetKind,
    TargetRef,
)

__all__ = ["pathway_app", "read_profile", "target_ref"]

pathway_app = typer.Typer(
    help="Pathways: the optimal stack of learning opportunities towards an occupation, a "
    "capability area or a micro-credential, with the funding a person can get.\n\n"
    "Example: skillpass pathway plan --profile me.json "
    "--target http://data.europa.eu/esco/occupation/... --budget 2000",
    no_args_is_help=True,
)

#: The largest profile file read (a passport bundle carries its evidence files).
MAX_PROFILE_BYTES = 50 * 1024 * 1024
_OCCUPATION = "http://data.europa.eu/esco/occupation/"


def read_profile(path: Path) -> tuple[list[str], dict[str, Any]]:
    """The skill URIs (and the optional situation) in a ``--profile`` file.

    Raises:
        InvalidInput: Unreadable, too large, not JSON, or neither format.
    """
    try:
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise InvalidInput(f"{path} is larger than 50 MB; give a smaller profile file.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror}.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path} is not JSON ({error}).") from error
    if not isinstance(data, dict):
        raise InvalidInput(f'{path}: expected a JSON object with "skills", or a passport bundle.')

    def uri_of(value: object) -> str | None:
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("uri"), str):
            return str(value["uri"])
        return None

    raw: list[object]
    if isinstance(data.get("skills"), list):
        raw = list(data["skills"])
    elif data.get("format") == "skillpass-passport-bundle" and isinstance(data.get("items"), list):
        raw = [
            skill
            for item in data["items"]
            if isinstance(item, dict) and isinstance(item.get("skills"), list)
            for skill in item["skills"]
        ]
    else:
        raise InvalidInput(
            f'{path}: expected {{"skills": [ESCO skill URIs]}} or a passport bundle '
            "(`skillpass passport export`)."
        )
    skills = [u for u in (uri_of(v) for v in raw) if u]
    situation = data.get("situation")
    return list(dict.fromkeys(skills)), dict(situation) if isinstance(situation, dict) else {}


def target_ref(app: SkillPass, target: str, kind: TargetKind | None) -> TargetRef:
    """An ESCO occupation URI, a capability area id or a definition id, as a target."""
    if kind is None:
        if target.startswith(_OCCUPATION):
            kind = TargetKind.OCCUPATION
        elif target in app.targets.area_ids():
            kind = TargetKind.CAPABILITY_AREA
        else:
            kind = TargetKind.ACHIEVEMENT
    return TargetRef(kind=kind, id=target)


def _print_plan(plan: Plan) -> None:
    console.print(f"[bold]{plan.status.value.replace('_', ' ').capitalize()}[/]")
    for line in plan.explanation:
        console.print(f"  {line}")
    if plan.steps:
        table = Table(title="Plan (timeline)")
        for column in ("start", "end", "course", "provider", "cost", "after funding"):
            table.add_column(column, overflow="fold")
        for step in plan.steps:
            table.add_row(
                step.start.isoformat(),
                step.end.isoformat(),
                step.opportunity.title,
                f"{step.opportunity.provider} ({step.opportunity.country})",
                f"{step.cost_eur:,.2f}",
                f"{step.funded_cost_eur:,.2f}",
            )
        console.print(table)
        for step in plan.steps:
            console.print(f"  Why '{step.opportunity.title}': {step.why}")
            for funding in step.funding:
                console.print(
                    f"  Funding for '{step.opportunity.title}': {funding.programme_name} "
                    f"EUR {funding.amount_eur:,.2f} — {funding.reason}"
                )
    if plan.uncoverable:
        console.print("No course teaches: " + ", ".join(s.label for s in plan.uncoverable))
    for number, alternative in enumerate(plan.alternatives, start=1):
        titles = ", ".join(s.opportunity.title for s in alternative.steps)
        value = f"{alternative.objective_value} ({plan.objective.value})"
        console.print(f"Alternative {number}: {value}: {titles}")


@pathway_app.command("plan")
def plan_command(
    target: Annotated[
        str,
        typer.Option(
            "--target",
            help="ESCO occupation URI, capability area id (e.g. batteries) or definition id.",
        ),
    ],
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help='JSON file: {"skills": [ESCO skill URIs]} or a passport bundle.',
        ),
    ] = None,
    learner: Annotated[
        str | None, typer.Option("--learner", help="A learner's user id: plan from their passport.")
    ] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", min=0, help="Budget in EUR, after funding.")
    ] = None,
    objective: Annotated[
        Objective, typer.Option("--objective", help="What to minimise.")
    ] = Objective.COST,
    hours_per_week: Annotated[
        float | None,
        typer.Option("--hours-per-week", min=0.5, max=80, help="Hours a week for learning."),
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Finish by this date (YYYY-MM-DD).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Start on this date (default: today).")
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option("--language", help="A language you can learn in (repeat for more)."),
    ] = None,
    online_only: Annotated[
        bool, typer.Option("--online-only", help="Online courses only.")
    ] = False,
    country: Annotated[
        str | None,
        typer.Option("--country", help="Onsite/blended courses must be in this country (ISO)."),
    ] = None,
    no_optional: Annotated[
        bool, typer.Option("--no-optional", help="Cover only the essential skills.")
    ] = False,
    residence: Annotated[
        str | None, typer.Option("--residence", help="Country you live in, for funding (ISO).")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="NUTS region you live in, for funding.")
    ] = None,
    age: Annotated[int | None, typer.Option("--age", min=14, max=100, help="Your age.")] = None,
    employment_status: Annotated[
        EmploymentStatus | None, typer.Option("--employment-status", help="For funding.")
    ] = None,
    sector: Annotated[
        str | None, typer.Option("--sector", help="NACE sector you work in, for funding.")
    ] = None,
    income: Annotated[
        float | None, typer.Option("--income", min=0, help="Annual income in EUR, for funding.")
    ] = None,
    kind: Annotated[
        TargetKind | None, typer.Option("--kind", help="Target kind (guessed when omitted).")
    ] = None,
    alternatives: Annotated[
        int, typer.Option("--alternatives", min=0, max=5, help="Next-best plans to add.")
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> None:
    """Plan the optimal set of learning opportunities to reach a target: every coverable
    essential skill covered, prerequisites in order, at the lowest cost after funding (or
    fewest hours, or soonest finish), with alternatives and a timeline.

    Give the skills with --profile FILE (JSON {"skills": [URIs]} or a passport bundle) or
    --learner ID (the learner's passport profile). Infeasible constraints are explained, with
    what to relax.

    Example: skillpass pathway plan --profile welder.json --target
    http://data.europa.eu/esco/occupation/... --budget 1500 --country DE --age 45
    """
    if (profile is None) == (learner is None):
        raise InvalidInput("Give exactly one of --profile FILE and --learner ID.")

    def day(value: str | None, option: str) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise InvalidInput(
                f"{option} must be a date like 2026-09-30, not '{value}'."
            ) from error

    constraints = PlanConstraints(
        budget_eur=budget,
        hours_per_week=hours_per_week,
        deadline=day(deadline, "--deadline"),
        start=day(start, "--start"),
        languages=language or [],
        online_only=online_only,
        country=country.upper() if country else None,
        include_optional=not no_optional,
    )
    given: dict[str, Any] = {}
    skills: list[str] = []
    if profile is not None:
        skills, given = read_profile(profile)
    overrides = {
        "country": residence.upper() if residence else None,
        "region": region,
        "age": age,
        "employment_status": employment_status,
        "sector": sector,
        "annual_income_eur": income,
    }
    try:
        situation = Situation.model_validate(
            {**given, **{k: v for k, v in overrides.items() if v is not None}}
        )
    except ValueError as error:
        raise InvalidInput(f"The situation in the profile is not valid: {error}") from error
    app = open_app()
    try:
        ref = target_ref(app, target, kind)
        if learner is not None:
            user = app.auth.get_user(learner)
            result = app.pathways.plan_for(
                user, ref, constraints, situation, objective, alternatives=alternatives
            )
        else:
            result = app.pathways.plan(
                PlanRequest(
                    have=skills,
                    target=ref,
                    constraints=constraints,
                    situation=situation,
                    objective=objective,
                    alternatives=alternatives,
                )
            )
    finally:
        app.close()
    if as_json:
        print_json(result)
    else:
        _print_plan(result)


@pathway_app.command("destinations")
def destinations_command(
    profile: Annotated[
        Path, typer.Option("--profile", help='JSON file: {"skills": [...]} or a passport bundle.')
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="How many.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> None:
    """Where can I go from here? ESCO occupations and capability areas ranked by the share of
    their essential skills the profile already has.

    Example: skillpass pathway destinations --profile welder.json --limit 5
    """
    skills, _ = read_profile(profile)
    app = open_app()
    try:
        ranked = app.pathways.destinations_for(skills, limit=limit)
    finally:
        app.close()
    if as_json:
        print_json(ranked)
        return
    table = Table(title="Destinations")
    for column in ("closeness", "target", "have", "first missing"):
        table.add_column(column, overflow="fold")
    for d in ranked:
        table.add_row(
            f"{d.closeness:.0%}",
            f"{d.label} ({d.target.kind.value})",
            f"{d.essential_covered}/{d.essential_total}",
            ", ".join(d.missing[:3]),
        )
    console.print(table)
