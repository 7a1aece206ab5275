"""The employer's attestation inbox: see a learner's request, confirm skills, attest or decline.

An employer is an organisation on the platform; its members (users with the ``issuer`` role who
are members, or admins) act for it. The inbox lists only requests addressed to the organisations
the user acts for (:meth:`~skillpass.passport.attestations.AttestationService.inbox`); a request
for another organisation is a 404 page. The request page shows the ESCO skills the matching
engine suggested from the tasks as checkboxes: the employer ticks the ones that are true and
signs. The learner sees the same page (read only) for their own request.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from skillpass.app import SkillPass
from skillpass.errors import Conflict, InvalidInput, PermissionDenied
from skillpass.passport.models import AttestationRequest, AttestationStatus
from skillpass.web._common import HtmlRoute, WebApp, error_page, render
from skillpass.web._credential_view import SkillLink
from skillpass.web._passport_view import (
    ATTESTATION_STATUS_WORDS,
    EMPLOYER_ROLES,
    CsrfField,
    actor,
    guard,
)
from skillpass.web.matching_pages import confidence_band

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


@router.get("/attestations/inbox")
def inbox(
    request: Request,
    skillpass: WebApp,
    status: Annotated[str, Query(max_length=20)] = "requested",
) -> Response:
    """Requests addressed to the organisations the user acts for; ``status=all`` for every one."""
    refusal = guard(request, "inbox")
    if refusal is not None:
        return refusal
    if status != "all" and status not in set(AttestationStatus):
        return error_page(request, 422, "Unknown status: use requested, attested, declined or all.")
    wanted = None if status == "all" else AttestationStatus(status)
    user = actor(request)
    return render(
        request,
        "attestation_inbox.html",
        {
            "title": "Attestation inbox",
            "requests": skillpass.attestations.inbox(user, wanted),
            "status": status,
            "statuses": [
                ("requested", "Waiting"),
                ("attested", "Attested"),
                ("declined", "Declined"),
                ("all", "All"),
            ],
            "status_words": ATTESTATION_STATUS_WORDS,
            "organisations": skillpass.issuers.organisations_for(user),
        },
    )


def _review_page(
    request: Request,
    skillpass: SkillPass,
    found: AttestationRequest,
    *,
    ticked: list[str] | None = None,
    note: str = "",
    problem: str | None = None,
    decline_problem: str | None = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    may_decide = bool(user.roles & EMPLOYER_ROLES) and found.learner_id != user.public_id
    context: dict[str, Any] = {
        "title": f"Attestation request: {found.role_title}",
        "req": found,
        "may_decide": may_decide and found.status is AttestationStatus.REQUESTED,
        "is_learner": found.learner_id == user.public_id,
        "ticked": set(ticked or []),
        "note": note,
        "problem": problem,
        "decline_problem": decline_problem,
        "status_words": ATTESTATION_STATUS_WORDS,
        "skill_page": lambda uri: SkillLink(uri, "").page,
        "band": confidence_band,
        "done": request.query_params.get("done"),
    }
    return render(request, "attestation_review.html", context, status_code=status_code)


@router.get("/attestations/{attestation_id}")
def review(request: Request, skillpass: WebApp, attestation_id: str) -> Response:
    """One request: who asks, the role, period and tasks, the suggested skills to confirm.

    Raises:
        NotFound: Not a request the user may see (a 404 page).
    """
    refusal = guard(request, "any")
    if refusal is not None:
        return refusal
    found = skillpass.attestations.get(actor(request), attestation_id)
    return _review_page(request, skillpass, found)


@router.post("/attestations/{attestation_id}/attest")
def attest(
    request: Request,
    skillpass: WebApp,
    attestation_id: str,
    csrf_token: CsrfField = "",
    skill: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Confirm the ticked skills and sign the attestation as the organisation."""
    refusal = guard(request, "inbox", csrf_token)
    if refusal is not None:
        return refusal
    user = actor(request)
    found = skillpass.attestations.get(user, attestation_id)
    ticked = [uri for uri in skill or [] if uri]
    if not ticked:
        return _review_page(
            request,
            skillpass,
            found,
            note=note,
            problem="Tick at least one skill the learner used in this role.",
            status_code=422,
        )
    try:
        skillpass.attestations.attest(user, found.id, ticked, note.strip() or None)
    except (InvalidInput, Conflict, PermissionDenied) as error:
        status = {Conflict: 409, PermissionDenied: 403}.get(type(error), 422)
        return _review_page(
            request,
            skillpass,
            found,
            ticked=ticked,
            note=note,
            problem=error.message,
            status_code=status,
        )
    return RedirectResponse(f"/attestations/{found.id}?done=attested", status_code=303)


@router.post("/attestations/{attestation_id}/decline")
def decline(
    request: Request,
    skillpass: WebApp,
    attestation_id: str,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Decline with a reason the learner sees."""
    refusal = guard(request, "inbox", csrf_token)
    if refusal is not None:
        return refusal
    user = actor(request)
    found = skillpass.attestations.get(user, attestation_id)
    if not reason.strip():
        return _review_page(
            request,
            skillpass,
            found,
            decline_problem="Say why, so the learner knows what to do.",
            status_code=422,
        )
    try:
        skillpass.attestations.decline(user, found.id, reason.strip())
    except (InvalidInput, Conflict, PermissionDenied) as error:
        status = {Conflict: 409, PermissionDenied: 403}.get(type(error), 422)
        return _review_page(
            request, skillpass, found, decline_problem=error.message, status_code=status
        )
    return RedirectResponse(f"/attestations/{found.id}?done=declined", status_code=303)
