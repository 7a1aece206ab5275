"""The "define a micro-credential" form: flat HTML fields ↔ the Annex I definition's shape.

The form posts flat fields (``title``, ``body_0_name``, ``outcome_1_text``, ``outcome_1_skill``…);
:func:`definition_data` turns them into the plain data
:meth:`skillpass.credentials.achievements.AchievementService.create` validates, and
:func:`field_errors` puts each plain-words problem the model reports next to the field it is
about. Nothing here validates: the model does, so the form, the API and the YAML file agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from skillpass.credentials.models import (
    AssessmentType,
    IntegrationKind,
    LearningSetting,
    ParticipationMode,
    QFEHEACycle,
    Supervision,
)
from skillpass.credentials.records import Issuer
from skillpass.web._credential_view import SkillLink, plain

__all__ = [
    "MAX_BODIES",
    "MAX_OUTCOMES",
    "OPTIONS",
    "DefinitionForm",
    "OutcomeRow",
    "definition_data",
    "field_errors",
    "form_from_post",
    "initial_form",
]

MAX_OUTCOMES = 20
MAX_BODIES = 5

#: Single-value fields of the form (names as posted).
SCALARS = (
    "title",
    "description",
    "workload_ects",
    "workload_hours",
    "level_eqf",
    "nqf_country",
    "nqf_framework",
    "nqf_level",
    "qf_ehea_cycle",
    "assessment_type",
    "assessment_description",
    "participation_mode",
    "participation_setting",
    "quality_assurance",
    "languages",
    "prerequisites",
    "supervision",
    "grading_scheme",
    "integration_kind",
    "integration_towards_name",
    "integration_towards_url",
    "further_information",
)
_BODY_FIELDS = ("name", "country", "region", "url")

#: Choices of the select fields: (value, words).
OPTIONS: dict[str, list[tuple[str, str]]] = {
    "assessment_type": [(t.value, plain(t.value)) for t in AssessmentType],
    "participation_mode": [(m.value, plain(m.value)) for m in ParticipationMode],
    "participation_setting": [(s.value, plain(s.value)) for s in LearningSetting],
    "qf_ehea_cycle": [(c.value, plain(c.value)) for c in QFEHEACycle],
    "supervision": [(s.value, s.label) for s in Supervision],
    "integration_kind": [
        (IntegrationKind.STAND_ALONE.value, "stand-alone"),
        (IntegrationKind.STACKABLE.value, "stackable towards a larger credential"),
    ],
    "level_eqf": [(str(n), f"EQF level {n}") for n in range(1, 9)],
}


@dataclass
class OutcomeRow:
    """One learning outcome in the form: its text, the ticked skills, and suggestions.

    ``scores`` holds the matching engine's calibrated score of each suggestion (by URI); it is
    empty when the suggestions came from the label search (``matched_by`` says which).
    """

    text: str = ""
    query: str = ""
    selected: list[SkillLink] = field(default_factory=list)
    suggestions: list[SkillLink] = field(default_factory=list)
    suggestion_problem: str | None = None
    suggested: bool = False
    scores: dict[str, float] = field(default_factory=dict)
    matched_by: str = ""
    suggestion_note: str | None = None


@dataclass
class DefinitionForm:
    """The form's state: values, repeated rows, and problems per field id."""

    values: dict[str, str] = field(default_factory=dict)
    bodies: list[dict[str, str]] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str:
        """A field's current value ('' when empty)."""
        return self.values.get(name, "")


def initial_form(issuer: Issuer) -> DefinitionForm:
    """An empty form whose first awarding body is the issuer itself, with three outcome rows."""
    body = {
        "name": issuer.legal_name,
        "country": issuer.country,
        "region": issuer.region or "",
        "url": issuer.url or "",
    }
    return DefinitionForm(
        values={"languages": "en"},
        bodies=[body],
        outcomes=[OutcomeRow() for _ in range(3)],
    )


def _skill(value: str) -> SkillLink | None:
    uri, _, label = value.strip().partition(" ")
    if not uri:
        return None
    return SkillLink(uri, label.strip() or uri.rsplit("/", 1)[-1])


def _count(raw: str | None, low: int, high: int) -> int:
    try:
        number = int(raw or low)
    except ValueError:
        number = low
    return max(low, min(high, number))


def form_from_post(values: Mapping[str, str], lists: Mapping[str, Sequence[str]]) -> DefinitionForm:
    """Read the posted form.

    Args:
        values: Each field's (last) value.
        lists: Every value of the multi-valued fields (``outcome_N_skill``).

    Returns:
        The form state.
    """
    form = DefinitionForm(values={name: values.get(name, "").strip() for name in SCALARS})
    for j in range(_count(values.get("body_count"), 1, MAX_BODIES)):
        form.bodies.append(
            {name: values.get(f"body_{j}_{name}", "").strip() for name in _BODY_FIELDS}
        )
    for i in range(_count(values.get("outcome_count"), 1, MAX_OUTCOMES)):
        seen: dict[str, SkillLink] = {}
        for raw in lists.get(f"outcome_{i}_skill", []):
            skill = _skill(raw)
            if skill is not None:
                seen.setdefault(skill.uri, skill)
        form.outcomes.append(
            OutcomeRow(
                text=values.get(f"outcome_{i}_text", "").strip(),
                query=values.get(f"outcome_{i}_query", "").strip(),
                selected=list(seen.values()),
            )
        )
    return form


def _put(target: dict[str, Any], key: str, value: str | None) -> None:
    if value:
        target[key] = value


def definition_data(form: DefinitionForm) -> tuple[dict[str, Any], list[int], list[int]]:
    """The definition as plain data in the shape of the Annex I model.

    Empty fields are left out so that the model names what is missing. Empty awarding-body and
    outcome rows are skipped.

    Args:
        form: The posted form.

    Returns:
        The data, and for awarding bodies and outcomes the form row of each list item (to put
        problems next to the right row).
    """
    v = form.value
    data: dict[str, Any] = {}
    _put(data, "title", v("title"))
    _put(data, "description", v("description"))
    bodies, body_rows = [], []
    for j, row in enumerate(form.bodies):
        if any(row.values()):
            bodies.append({key: value for key, value in row.items() if value})
            body_rows.append(j)
    data["awarding_bodies"] = bodies
    outcomes, outcome_rows = [], []
    for i, outcome in enumerate(form.outcomes):
        if outcome.text or outcome.selected:
            item: dict[str, Any] = {
                "esco_skills": [{"uri": s.uri, "label": s.label} for s in outcome.selected]
            }
            _put(item, "text", outcome.text)
            outcomes.append(item)
            outcome_rows.append(i)
    data["learning_outcomes"] = outcomes
    workload: dict[str, Any] = {}
    _put(workload, "ects", v("workload_ects"))
    _put(workload, "hours", v("workload_hours"))
    data["workload"] = workload
    level: dict[str, Any] = {}
    _put(level, "eqf", v("level_eqf"))
    _put(level, "qf_ehea_cycle", v("qf_ehea_cycle"))
    if v("nqf_country") or v("nqf_framework") or v("nqf_level"):
        nqf: dict[str, Any] = {}
        _put(nqf, "country", v("nqf_country"))
        _put(nqf, "framework", v("nqf_framework"))
        _put(nqf, "level", v("nqf_level"))
        level["nqf"] = nqf
    data["level"] = level
    if v("assessment_type") or v("assessment_description"):
        assessment: dict[str, Any] = {}
        _put(assessment, "type", v("assessment_type"))
        _put(assessment, "description", v("assessment_description"))
        data["assessment"] = assessment
    if v("participation_mode") or v("participation_setting"):
        participation: dict[str, Any] = {}
        _put(participation, "mode", v("participation_mode"))
        _put(participation, "setting", v("participation_setting"))
        data["participation"] = participation
    _put(data, "quality_assurance", v("quality_assurance"))
    languages = [code.strip().lower() for code in v("languages").replace(";", ",").split(",")]
    data["languages"] = [code for code in languages if code] or ["en"]
    for name in ("prerequisites", "supervision", "grading_scheme", "further_information"):
        _put(data, name, v(name))
    if v("integration_kind") or v("integration_towards_name") or v("integration_towards_url"):
        integration: dict[str, Any] = {}
        _put(integration, "kind", v("integration_kind"))
        _put(integration, "towards_name", v("integration_towards_name"))
        _put(integration, "towards_url", v("integration_towards_url"))
        data["integration"] = integration
    return data, body_rows, outcome_rows


def _row(parts: list[str], rows: list[int]) -> int:
    if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
        return rows[int(parts[1])]
    return rows[0] if rows else 0


def field_id(element: str, body_rows: list[int], outcome_rows: list[int]) -> str:
    """The form field a model problem is about.

    Args:
        element: The problem's element path (``learning_outcomes.1.text``).
        body_rows: Form row of each awarding body item (from :func:`definition_data`).
        outcome_rows: Form row of each outcome item.

    Returns:
        A field id of the form (``outcome_3_text``), or ``title`` as a last resort.
    """
    parts = element.split(".")
    head = parts[0]
    sub = parts[1] if len(parts) > 1 else ""
    if head == "awarding_bodies":
        name = parts[2] if len(parts) > 2 and parts[2] in _BODY_FIELDS else "name"
        return f"body_{_row(parts, body_rows)}_{name}"
    if head == "learning_outcomes":
        row = _row(parts, outcome_rows)
        return f"outcome_{row}_skills" if "esco_skills" in parts else f"outcome_{row}_text"
    if head == "workload":
        return f"workload_{sub}" if sub in ("ects", "hours") else "workload_ects"
    if head == "level":
        if sub == "nqf":
            name = parts[2] if len(parts) > 2 else "level"
            return f"nqf_{name}" if name in ("country", "framework", "level") else "nqf_level"
        return "qf_ehea_cycle" if sub == "qf_ehea_cycle" else "level_eqf"
    if head == "assessment":
        return "assessment_description" if sub == "description" else "assessment_type"
    if head == "participation":
        return "participation_setting" if sub == "setting" else "participation_mode"
    if head == "integration":
        return (
            f"integration_{sub}" if sub in ("towards_name", "towards_url") else ("integration_kind")
        )
    return head if head in SCALARS else "title"


def field_errors(
    form: DefinitionForm,
    problems: Sequence[Mapping[str, str]],
    body_rows: list[int],
    outcome_rows: list[int],
) -> None:
    """Attach the model's plain-words problems to the form's fields (and the summary list).

    Args:
        form: The form to annotate.
        problems: ``{"element", "problem"}`` items from the model's validation.
        body_rows: From :func:`definition_data`.
        outcome_rows: From :func:`definition_data`.
    """
    for item in problems:
        target = field_id(item.get("element", ""), body_rows, outcome_rows)
        message = item.get("problem", "This is not right.")
        form.errors.setdefault(target, []).append(message)
        form.summary.append((target, message))
