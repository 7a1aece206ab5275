"""Recognition pages: make a report, read it, and (recognition officers) decide.

* ``/recognition`` — a learner compares their passport (all items, or those ticked) with a
  target; a recognition officer (role ``verifier``) or an admin pastes credentials as issued
  (e.g. from a share the learner made). Mistakes are shown next to the field, input kept.
* ``/recognition/reports/{id}`` — the report
  (:meth:`~skillpass.recognition.service.RecognitionService.get_report`): a plain-language
  summary; coverage of essential and optional skills, each with the evidence behind it and how
  it was credited (exact, hierarchy, relation, similar description) in words; missing skills;
  EQF levels and ECTS credits compared; every piece of evidence with its verification status;
  the decisions taken (who, when, conditions). Officers get the decision form (full, partial
  with conditions, none; optionally signed as an organisation they act for).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.errors import InvalidInput, NotFound, PermissionDenied
from skillpass.pathways.models import TargetKind, TargetRef
from skillpass.recognition.models import DecisionKind, RecognitionReport, RecognitionRequest
from skillpass.web._common import HtmlRoute, WebApp, render
from skillpass.web._passport_view import STRENGTH_WORDS, CsrfField, actor
from skillpass.web._pathway_view import (
    DECISION_WORDS,
    MATCH_WORDS,
    OFFICER_ROLES,
    TARGET_WORDS,
    require,
)

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_USERS = frozenset({Role.LEARNER, Role.VERIFIER, Role.ADMIN})
_WHAT = "recognition reports (for learners and recognition officers)"
_ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
_MAX_DOCUMENT = 1_000_000
_DOCUMENT_FIELDS = ("document_1", "document_2", "document_3")

OptionalText = Annotated[str, Form(max_length=_MAX_DOCUMENT + 1)]


def _new_page(
    request: Request,
    skillpass: SkillPass,
    *,
    form: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    is_learner = Role.LEARNER in user.roles
    items = skillpass.passport.items(user) if is_learner else []
    return render(
        request,
        "recognition_new.html",
        {
            "title": "Recognition report",
            "form": form or {"kind": "occupation", "items": []},
            "problems": problems or {},
            "is_learner": is_learner,
            "is_officer": bool(user.roles & OFFICER_ROLES),
            "items": items,
            "target_words": TARGET_WORDS,
            "document_fields": _DOCUMENT_FIELDS,
        },
        status_code=status_code,
    )


@router.get("/recognition")
def new_report(request: Request, skillpass: WebApp) -> Response:
    """The form for a new report."""
    refusal = require(request, _USERS, _WHAT)
    if refusal is not None:
        return refusal
    typed = dict(request.query_params)
    form: dict[str, Any] = {
        "kind": typed.get("kind", "occupation"),
        "target": typed.get("target", ""),
        "items": [],
    }
    return _new_page(request, skillpass, form=form)


@router.post("/recognition")
async def create_report(request: Request, skillpass: WebApp) -> Response:
    """Make and store the report, then show it (post/redirect/get)."""
    async with request.form(max_files=0, max_fields=600, max_part_size=_MAX_DOCUMENT + 1) as data:
        kind = str(data.get("kind") or "occupation")
        target_id = str(data.get("target") or "").strip()
        item_ids = [str(v) for v in data.getlist("items")][:500]
        documents = [str(data.get(name) or "").strip() for name in _DOCUMENT_FIELDS]
        csrf = str(data.get("csrf_token") or "")
    refusal = require(request, _USERS, _WHAT, csrf)
    if refusal is not None:
        return refusal
    user = actor(request)
    form: dict[str, Any] = {"kind": kind, "target": target_id, "items": item_ids}
    form.update(dict(zip(_DOCUMENT_FIELDS, documents, strict=True)))
    problems: dict[str, str] = {}
    if kind not in {k.value for k in TargetKind}:
        problems["kind"] = "Choose what to compare with."
    if not target_id:
        problems["target"] = (
            "Give the target: an occupation's ESCO address (search for it under “Search "
            "skills & occupations”), a capability area id or a micro-credential id."
        )
    if any(len(d) > _MAX_DOCUMENT for d in documents):
        problems["document_1"] = "A credential is over 1 MB; paste the credential itself."
    documents = [d for d in documents if d]
    if not documents and Role.LEARNER not in user.roles:
        problems["document_1"] = "Paste at least one credential as issued (JSON or JWT)."
    if problems:
        return _new_page(request, skillpass, form=form, problems=problems, status_code=422)
    if kind == TargetKind.OCCUPATION.value and not target_id.startswith("http"):
        target_id = _ESCO_OCCUPATION + target_id.rsplit("/", 1)[-1]
    recognition_request = RecognitionRequest(
        target=TargetRef(kind=TargetKind(kind), id=target_id),
        learner_id=user.public_id if Role.LEARNER in user.roles and not documents else None,
        item_ids=item_ids if not documents else [],
        documents=documents,
    )
    try:
        report = skillpass.recognition.report(user, recognition_request)
    except (NotFound, InvalidInput, PermissionDenied) as error:
        key = "target" if isinstance(error, NotFound) else "document_1"
        return _new_page(
            request, skillpass, form=form, problems={key: error.message}, status_code=422
        )
    return RedirectResponse(f"/recognition/reports/{report.id}", status_code=303)


def _report_page(
    request: Request,
    skillpass: SkillPass,
    report: RecognitionReport,
    *,
    form: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    officer = bool(user.roles & OFFICER_ROLES)
    return render(
        request,
        "recognition_report.html",
        {
            "title": f"Recognition report: {report.target_label}",
            "report": report,
            "decisions": skillpass.recognition.decisions(user, report.id),
            "officer": officer,
            "organisations": skillpass.issuers.organisations_for(user) if officer else [],
            "form": form or {},
            "problems": problems or {},
            "match_words": MATCH_WORDS,
            "strength_words": STRENGTH_WORDS,
            "decision_words": DECISION_WORDS,
            "target_words": TARGET_WORDS,
            "notice": request.query_params.get("done"),
            "pct": _pct,
        },
        status_code=status_code,
    )


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


@router.get("/recognition/reports/{report_id}")
def report_page(request: Request, skillpass: WebApp, report_id: str) -> Response:
    """The report and its decisions (404 page for those who may not read it)."""
    refusal = require(request, None, "recognition reports")
    if refusal is not None:
        return refusal
    report = skillpass.recognition.get_report(actor(request), report_id)
    return _report_page(request, skillpass, report)


@router.post("/recognition/reports/{report_id}/decide")
def decide(
    request: Request,
    skillpass: WebApp,
    report_id: str,
    csrf: CsrfField,
    decision: Annotated[str, Form(max_length=20)] = "",
    conditions: Annotated[str, Form(max_length=5_000)] = "",
    organisation: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Record the officer's decision, then show the report again."""
    refusal = require(request, OFFICER_ROLES, "recognition decisions (for officers)", csrf)
    if refusal is not None:
        return refusal
    user: User = actor(request)
    report = skillpass.recognition.get_report(user, report_id)
    form = {"decision": decision, "conditions": conditions, "organisation": organisation}
    if decision not in {d.value for d in DecisionKind}:
        return _report_page(
            request,
            skillpass,
            report,
            form=form,
            problems={"decision": "Choose full, partial or no recognition."},
            status_code=422,
        )
    try:
        skillpass.recognition.decide(
            user,
            report_id,
            DecisionKind(decision),
            conditions.strip() or None,
            issue_as_organisation=organisation or None,
        )
    except (InvalidInput, PermissionDenied) as error:
        key = "organisation" if isinstance(error, PermissionDenied) else "conditions"
        return _report_page(
            request, skillpass, report, form=form, problems={key: error.message}, status_code=422
        )
    return RedirectResponse(f"/recognition/reports/{report_id}?done=decided", status_code=303)
