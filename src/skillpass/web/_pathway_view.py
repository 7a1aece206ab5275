"""What the pathway, recognition, catalogue and funding pages share: a role guard, form reading
that keeps what people typed, words for the enums, and the plan's timeline chart.

The timeline is a Gantt-like Vega-Lite chart (Altair) rendered to SVG on the server, like
:mod:`skillpass.web.charts`; the page shows the same dates in a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from skillpass.auth.models import Role
from skillpass.pathways.models import (
    Applicant,
    CourseType,
    EmploymentStatus,
    FundingLevel,
    Objective,
    OpportunityMode,
    Plan,
    Situation,
    TargetKind,
)
from skillpass.recognition.models import DecisionKind, MatchHow
from skillpass.web._common import check_csrf, error_page, session_user
from skillpass.web._passport_view import CSRF_FAILED

__all__ = [
    "APPLICANT_WORDS",
    "COURSE_TYPE_WORDS",
    "DECISION_WORDS",
    "EMPLOYMENT_WORDS",
    "LEVEL_WORDS",
    "MATCH_WORDS",
    "MODE_WORDS",
    "OBJECTIVE_WORDS",
    "OFFICER_ROLES",
    "TARGET_WORDS",
    "FormReader",
    "eur",
    "require",
    "situation_from",
    "timeline_rows",
    "timeline_svg",
]

OFFICER_ROLES = frozenset({Role.VERIFIER, Role.ADMIN})

MODE_WORDS: Mapping[OpportunityMode, str] = {
    OpportunityMode.ONLINE: "Online",
    OpportunityMode.ONSITE: "On site",
    OpportunityMode.BLENDED: "Blended (online and on site)",
}
COURSE_TYPE_WORDS: Mapping[CourseType, str] = {
    CourseType.MICRO_CREDENTIAL: "Micro-credential",
    CourseType.SHORT_COURSE: "Short course",
    CourseType.VET_MODULE: "Vocational (VET) module",
    CourseType.UNIVERSITY_MODULE: "University module",
    CourseType.APPRENTICESHIP: "Apprenticeship",
    CourseType.BOOTCAMP: "Bootcamp",
}
OBJECTIVE_WORDS: Mapping[Objective, str] = {
    Objective.COST: "Lowest cost after funding",
    Objective.HOURS: "Fewest study hours",
    Objective.TIME: "Soonest finish",
}
EMPLOYMENT_WORDS: Mapping[EmploymentStatus, str] = {
    EmploymentStatus.EMPLOYED: "Employed",
    EmploymentStatus.SELF_EMPLOYED: "Self-employed",
    EmploymentStatus.UNEMPLOYED: "Unemployed, looking for work",
    EmploymentStatus.STUDENT: "Student",
    EmploymentStatus.INACTIVE: "Not working and not looking",
}
APPLICANT_WORDS: Mapping[Applicant, str] = {
    Applicant.INDIVIDUALS: "A person",
    Applicant.EMPLOYERS: "An employer (training staff)",
    Applicant.PROVIDERS: "An education or training provider",
    Applicant.PUBLIC_BODIES: "A public body",
}
LEVEL_WORDS: Mapping[FundingLevel, str] = {
    FundingLevel.EU: "European Union",
    FundingLevel.NATIONAL: "National",
    FundingLevel.REGIONAL: "Regional",
    FundingLevel.LOCAL: "Local",
}
TARGET_WORDS: Mapping[TargetKind, str] = {
    TargetKind.OCCUPATION: "An occupation (ESCO)",
    TargetKind.CAPABILITY_AREA: "A STEM capability area",
    TargetKind.ACHIEVEMENT: "A micro-credential or qualification on SkillPass",
}
MATCH_WORDS: Mapping[MatchHow, str] = {
    MatchHow.EXACT: "the same skill",
    MatchHow.NARROWER: "a more specific skill",
    MatchHow.BROADER: "a broader skill (partial credit)",
    MatchHow.RELATED: "a related skill (ESCO relation)",
    MatchHow.SIBLING: "a skill in the same group",
    MatchHow.SEMANTIC: "a skill with a similar description",
}
DECISION_WORDS: Mapping[DecisionKind, str] = {
    DecisionKind.FULL: "Full recognition",
    DecisionKind.PARTIAL: "Partial recognition, with conditions",
    DecisionKind.NONE: "No recognition",
}


def eur(value: float | None) -> str:
    """Euros in plain figures: ``€1,250`` or ``€99.50``; an em dash for None."""
    if value is None:
        return "—"
    if abs(value - round(value)) < 0.005:
        return f"€{value:,.0f}"
    return f"€{value:,.2f}"


def require(
    request: Request,
    roles: frozenset[Role] | None,
    what: str,
    csrf: str | None = None,
) -> Response | None:
    """Sign-in, role and (for posts, when ``csrf`` is given) CSRF checks, in that order.

    Args:
        request: The request.
        roles: Roles that may use the page (any one suffices); None: anyone signed in.
        what: The page in words, for the refusal ("your pathways").
        csrf: The submitted CSRF token of a form post; None for a GET.

    Returns:
        None when the request may go on, else the page to answer with.
    """
    user = session_user(request)
    post = csrf is not None
    if user is None:
        if post:
            return error_page(request, 401, f"Sign in to use {what}.")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if roles is not None and not user.roles & roles:
        have = ", ".join(sorted(role.value for role in user.roles)) or "none"
        need = " or ".join(sorted(role.value for role in roles))
        return error_page(
            request,
            403,
            f"You cannot open {what}: it needs the role {need}, and you are signed in as "
            f"{user.display_name} with the roles: {have}. Ask an administrator if you need it.",
        )
    if post and not check_csrf(request, csrf):
        return error_page(request, 403, CSRF_FAILED)
    return None


@dataclass
class FormReader:
    """Reads optional fields of a form or query string, keeping what was typed and collecting a
    plain-words problem per field instead of failing on the first."""

    values: Mapping[str, str]
    problems: dict[str, str] = field(default_factory=dict)

    def text(self, name: str, max_length: int = 300) -> str | None:
        """A stripped text, None when empty."""
        value = (self.values.get(name) or "").strip()
        if len(value) > max_length:
            self.problems[name] = f"Use at most {max_length} characters."
            return None
        return value or None

    def number(
        self, name: str, what: str, *, low: float = 0, high: float = 1_000_000
    ) -> float | None:
        """A number from ``low`` to ``high``, None when empty."""
        value = self.text(name, 40)
        if value is None:
            return None
        try:
            number = float(value.replace(",", "").replace("€", "").strip())
        except ValueError:
            self.problems[name] = f"Give {what} as a number, e.g. 1500."
            return None
        if not low <= number <= high:
            self.problems[name] = f"Give {what} from {low:g} to {high:g}."
            return None
        return number

    def whole(self, name: str, what: str, *, low: int, high: int) -> int | None:
        """A whole number from ``low`` to ``high``, None when empty."""
        value = self.text(name, 20)
        if value is None:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            self.problems[name] = f"Give {what} as a whole number from {low} to {high}."
            return None
        return int(value)

    def day(self, name: str, what: str) -> date | None:
        """A date (YYYY-MM-DD), None when empty."""
        value = self.text(name, 20)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problems[name] = f"Give {what} as a date, e.g. 2026-09-30."
            return None

    def country(self, name: str) -> str | None:
        """A two-letter country code in capitals, None when empty."""
        value = self.text(name, 10)
        if value is None:
            return None
        if len(value) != 2 or not value.isalpha():
            self.problems[name] = "Give a two-letter country code, e.g. DE or FR."
            return None
        return value.upper()

    def choice(self, name: str, options: Mapping[Any, str]) -> Any:
        """One of the enum members keyed in ``options`` by value, None when empty."""
        value = self.text(name, 40)
        if value is None:
            return None
        for option in options:
            if str(getattr(option, "value", option)) == value:
                return option
        self.problems[name] = "Choose one of the options offered."
        return None

    def languages(self, name: str) -> list[str]:
        """Two-letter language codes separated by commas or spaces."""
        value = self.text(name, 100) or ""
        codes = [c.strip().lower() for c in value.replace(",", " ").split() if c.strip()]
        if any(len(c) != 2 or not c.isalpha() for c in codes):
            self.problems[name] = "Give two-letter language codes separated by commas, e.g. en, de."
            return []
        return codes


def situation_from(form: FormReader) -> Situation:
    """The funding situation of a form's ``applicant``, ``home``, ``region``, ``age``,
    ``employment``, ``sector``, ``income`` and ``company_size`` fields."""
    return Situation(
        applicant=form.choice("applicant", APPLICANT_WORDS) or Applicant.INDIVIDUALS,
        country=form.country("home"),
        region=(form.text("region", 16) or "").upper() or None,
        age=form.whole("age", "an age", low=14, high=100),
        employment_status=form.choice("employment", EMPLOYMENT_WORDS),
        sector=(form.text("sector", 10) or "").upper() or None,
        annual_income_eur=form.number("income", "the annual income", high=10_000_000),
        company_size=form.whole("company_size", "the number of employees", low=1, high=10**7),
    )


# --- the timeline chart -------------------------------------------------------------------


def timeline_rows(plan: Plan) -> list[tuple[str, str, str, float]]:
    """(label, start ISO date, end ISO date, funded cost) of each step, in plan order."""
    return [
        (
            f"{n}. {step.opportunity.title}",
            step.start.isoformat(),
            step.end.isoformat(),
            step.funded_cost_eur,
        )
        for n, step in enumerate(plan.steps, start=1)
    ]


def timeline_spec(rows: tuple[tuple[str, str, str, float], ...]) -> dict[str, Any]:
    """A Gantt-like chart: one bar per course from its start to its end date.

    Args:
        rows: (label, start ISO date, end ISO date, funded cost) per step, in plan order.

    Returns:
        The Vega-Lite specification.
    """
    import altair as alt  # heavy: imported when a chart is drawn

    values = [
        {
            "course": label,
            "start": start,
            "end": end,
            "paid": "Free after funding" if cost <= 0 else "You pay part or all",
        }
        for label, start, end, cost in rows
    ]
    order = [label for label, *_ in rows]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar(cornerRadius=2)
        .encode(
            y=alt.Y("course:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
            x=alt.X("start:T", title="Date", axis=alt.Axis(format="%d %b %Y", labelAngle=0)),
            x2="end:T",
            # Blue and orange: distinguishable with the common colour-vision deficiencies.
            color=alt.Color(
                "paid:N",
                title=None,
                scale=alt.Scale(
                    domain=["Free after funding", "You pay part or all"],
                    range=["#0b4fa8", "#c25400"],
                ),
                legend=alt.Legend(orient="top"),
            ),
        )
        .properties(width=460, title="When each course runs")
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


@lru_cache(maxsize=32)
def _timeline_svg(rows: tuple[tuple[str, str, str, float], ...]) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(timeline_spec(rows))
    return svg


def timeline_svg(plan: Plan) -> str | None:
    """The plan's timeline as inline SVG (cached per distinct plan); None without steps."""
    rows = tuple(timeline_rows(plan))
    if not rows:
        return None
    return _timeline_svg(rows)
