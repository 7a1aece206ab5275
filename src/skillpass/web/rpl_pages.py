"""Recognition of prior learning: the assessor's queue and the case page.

* ``/rpl/queue`` — assessors (and admins): open cases assigned to them and unassigned open cases
  of the organisations they are members of
  (:meth:`~skillpass.passport.rpl.RplService.queue`).
* ``/rpl/cases/{id}`` — the case, for its learner and for its assessors: the micro-credential and
  skills asked for, the learner's statement, evidence files (downloads), every step with who and
  when. The assessor takes the case, asks for more, records the assessment method and decides;
  the learner answers, adds evidence or withdraws. Someone else's case is a 404 page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from skillpass.errors import Conflict, InvalidInput, PermissionDenied
from skillpass.passport.models import AssessmentMethod, RplCase, RplStatus
from skillpass.web._common import HtmlRoute, WebApp, render
from skillpass.web._credential_view import SkillLink, credential_slug, plain
from skillpass.web._passport_view import (
    ASSESSOR_ROLES,
    RPL_STATUS_WORDS,
    CsrfField,
    accepted_types_words,
    actor,
    guard,
)

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_OPEN = frozenset({RplStatus.SUBMITTED, RplStatus.IN_REVIEW, RplStatus.MORE_INFO_REQUESTED})
_METHOD_WORDS = {
    AssessmentMethod.INTERVIEW: "Interview",
    AssessmentMethod.TEST: "Test",
    AssessmentMethod.SIMULATION: "Simulation or practical demonstration",
    AssessmentMethod.PORTFOLIO: "Portfolio of evidence",
    AssessmentMethod.OBSERVATION: "Observation at work",
}
_ACTION_WORDS = {
    "submitted": "asked for recognition",
    "assigned": "was assigned an assessor",
    "taken": "took the case",
    "more_info_requested": "asked for more",
    "responded": "answered",
    "evidence_added": "added evidence",
    "approved": "approved",
    "rejected": "did not approve",
    "withdrawn": "withdrew the case",
}
_STATUS_CODES: dict[type, int] = {Conflict: 409, PermissionDenied: 403}


@router.get("/rpl/queue")
def queue(request: Request, skillpass: WebApp) -> Response:
    """The assessor's open cases: assigned to them first, then unassigned ones they may take."""
    refusal = guard(request, "rpl")
    if refusal is not None:
        return refusal
    user = actor(request)
    cases = skillpass.rpl.queue(user)
    return render(
        request,
        "rpl_queue.html",
        {
            "title": "RPL queue",
            "mine": [case for case in cases if case.assessor_id == user.public_id],
            "unassigned": [case for case in cases if case.assessor_id is None],
            "others": [
                case
                for case in cases
                if case.assessor_id is not None and case.assessor_id != user.public_id
            ],
            "status_words": RPL_STATUS_WORDS,
        },
    )


def _case_page(
    request: Request,
    skillpass: SkillPass,
    case: RplCase,
    *,
    problems: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    is_learner = case.learner_id == user.public_id
    is_assessor = bool(user.roles & ASSESSOR_ROLES) and not is_learner
    open_case = case.status in _OPEN
    mine = case.assessor_id == user.public_id
    context: dict[str, Any] = {
        "title": f"Recognition of prior learning: {case.achievement_title}",
        "case": case,
        "is_learner": is_learner,
        "open": open_case,
        "may_take": is_assessor and open_case and case.assessor_id is None,
        "may_assess": is_assessor and open_case and (mine or Role.ADMIN in user.roles),
        "skills": [SkillLink(s.uri, s.label) for s in case.skills],
        "status_words": RPL_STATUS_WORDS,
        "action_words": _ACTION_WORDS,
        "methods": [(m.value, words) for m, words in _METHOD_WORDS.items()],
        "method_words": _METHOD_WORDS,
        "problems": problems or {},
        "form": form or {},
        "slug": credential_slug,
        "plain": plain,
        "accepted_types": accepted_types_words(),
        "max_upload_kb": skillpass.settings.max_upload_bytes // 1024,
        "notice": request.query_params.get("done"),
    }
    return render(request, "rpl_case.html", context, status_code=status_code)


@router.get("/rpl/cases/{case_id}")
def case_page(request: Request, skillpass: WebApp, case_id: str) -> Response:
    """One case with its evidence and history, and the forms the user may use.

    Raises:
        NotFound: Not a case the user may see (a 404 page).
    """
    refusal = guard(request, "any")
    if refusal is not None:
        return refusal
    return _case_page(request, skillpass, skillpass.rpl.get(actor(request), case_id))


def _done(case_id: str, what: str) -> Response:
    return RedirectResponse(f"/rpl/cases/{case_id}?done={what}", status_code=303)


def _failed(
    request: Request,
    skillpass: SkillPass,
    case_id: str,
    where: str,
    error: InvalidInput | Conflict | PermissionDenied,
    form: dict[str, str] | None = None,
) -> Response:
    case = skillpass.rpl.get(actor(request), case_id)
    return _case_page(
        request,
        skillpass,
        case,
        problems={where: error.message},
        form=form,
        status_code=_STATUS_CODES.get(type(error), 422),
    )


@router.post("/rpl/cases/{case_id}/take")
def take(request: Request, skillpass: WebApp, case_id: str, csrf_token: CsrfField = "") -> Response:
    """The assessor takes an unassigned case of their organisation."""
    refusal = guard(request, "rpl", csrf_token)
    if refusal is not None:
        return refusal
    try:
        skillpass.rpl.take(actor(request), case_id)
    except (Conflict, PermissionDenied) as error:
        return _failed(request, skillpass, case_id, "take", error)
    return _done(case_id, "taken")


@router.post("/rpl/cases/{case_id}/more")
def ask_for_more(
    request: Request,
    skillpass: WebApp,
    case_id: str,
    csrf_token: CsrfField = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """The assessor asks the learner for more evidence or information."""
    refusal = guard(request, "rpl", csrf_token)
    if refusal is not None:
        return refusal
    if not note.strip():
        error = InvalidInput("Say what you need from the learner.")
        return _failed(request, skillpass, case_id, "more", error, {"more_note": note})
    try:
        skillpass.rpl.request_more(actor(request), case_id, note.strip())
    except (InvalidInput, Conflict, PermissionDenied) as error:
        return _failed(request, skillpass, case_id, "more", error, {"more_note": note})
    return _done(case_id, "more")


@router.post("/rpl/cases/{case_id}/decide")
def decide(
    request: Request,
    skillpass: WebApp,
    case_id: str,
    csrf_token: CsrfField = "",
    method: Annotated[str, Form(max_length=40)] = "",
    decision: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Record the assessment method and the decision; approval issues the micro-credential."""
    refusal = guard(request, "rpl", csrf_token)
    if refusal is not None:
        return refusal
    form = {"method": method, "decision": decision, "note": note}
    problems = []
    if method not in set(AssessmentMethod):
        problems.append("Choose how you assessed.")
    if decision not in {"approve", "reject"}:
        problems.append("Choose approve or do not approve.")
    if not note.strip():
        problems.append("Write the reasons for the decision; the learner sees them.")
    if problems:
        return _failed(
            request, skillpass, case_id, "decide", InvalidInput(" ".join(problems)), form
        )
    try:
        skillpass.rpl.decide(
            actor(request), case_id, decision == "approve", AssessmentMethod(method), note.strip()
        )
    except (InvalidInput, Conflict, PermissionDenied) as error:
        return _failed(request, skillpass, case_id, "decide", error, form)
    return _done(case_id, "approved" if decision == "approve" else "rejected")


@router.post("/rpl/cases/{case_id}/respond")
def respond(
    request: Request,
    skillpass: WebApp,
    case_id: str,
    csrf_token: CsrfField = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """The learner answers the assessor's request for more."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    if not note.strip():
        error = InvalidInput("Write your answer first.")
        return _failed(request, skillpass, case_id, "respond", error, {"respond_note": note})
    try:
        skillpass.rpl.respond(actor(request), case_id, note.strip())
    except (InvalidInput, Conflict, PermissionDenied) as error:
        return _failed(request, skillpass, case_id, "respond", error, {"respond_note": note})
    return _done(case_id, "responded")


@router.post("/rpl/cases/{case_id}/evidence")
def add_evidence(
    request: Request,
    skillpass: WebApp,
    case_id: str,
    csrf_token: CsrfField = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The learner adds an evidence file to an open case (checked by size and content type)."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    limit = skillpass.settings.max_upload_bytes
    if file is None or not file.filename:
        error = InvalidInput("Choose a file to upload first.")
        return _failed(request, skillpass, case_id, "evidence", error)
    raw = file.file.read(limit + 1)
    try:
        skillpass.rpl.add_evidence(actor(request), case_id, file.filename, raw)
    except (InvalidInput, Conflict) as error:
        return _failed(request, skillpass, case_id, "evidence", error)
    return _done(case_id, "evidence")


@router.post("/rpl/cases/{case_id}/withdraw")
def withdraw(
    request: Request, skillpass: WebApp, case_id: str, csrf_token: CsrfField = ""
) -> Response:
    """The learner withdraws an open case."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    try:
        skillpass.rpl.withdraw(actor(request), case_id)
    except (Conflict, PermissionDenied) as error:
        return _failed(request, skillpass, case_id, "withdraw", error)
    return _done(case_id, "withdrawn")
