"""HTTP routes for employer attestations of workplace learning (``/api/v1/attestations``).

A learner (role ``learner``) asks an employer organisation to attest a role, period and tasks;
ESCO skills are suggested from the tasks. Someone who acts for the organisation (role ``issuer``
and membership, or ``admin``) sees the request in the inbox, confirms skills and attests — which
signs an attestation credential as the organisation and puts it in the learner's passport — or
declines with a reason. An organisation only ever sees requests addressed to it; a learner only
their own (anything else answers 404).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep, require_roles
from skillpass.auth.models import Role, User
from skillpass.passport.models import (
    AttestationRequest,
    AttestationStatus,
    SkillRef,
    SkillSuggestion,
)

__all__ = [
    "AttestCreate",
    "AttestationCreate",
    "AttestationPublic",
    "DeclineCreate",
    "router",
]

router = APIRouter(tags=["attestations"])

LearnerUser = Annotated[User, Depends(require_roles(Role.LEARNER))]
EmployerUser = Annotated[User, Depends(require_roles(Role.ISSUER, Role.ADMIN))]
AnyPartyUser = Annotated[User, Depends(require_roles(Role.LEARNER, Role.ISSUER, Role.ADMIN))]
AttestationId = Annotated[str, Path(max_length=64, description="The request's public id.")]


class AttestationCreate(BaseModel):
    """A learner's request that an employer attest workplace learning."""

    organisation_id: str = Field(
        max_length=64, description="The employer organisation's id (GET /api/v1/issuers)."
    )
    role_title: str = Field(
        min_length=1, max_length=300, examples=["Battery production technician"]
    )
    period_start: date = Field(examples=["2021-03-01"])
    period_end: date | None = Field(default=None, description="null while still in the role.")
    tasks: str = Field(
        min_length=1,
        max_length=20_000,
        description="Tasks and responsibilities in free text; ESCO skills are suggested from it.",
        examples=["Assembled lithium-ion battery cells into modules; ran quality checks."],
    )  # personal data
    lang: str | None = Field(default=None, max_length=8, description="ISO 639-1; detected.")


class AttestationPublic(BaseModel):
    """An attestation request and its outcome."""

    id: str
    learner_id: str
    learner_name: str  # personal data
    organisation_id: str
    organisation_name: str
    role_title: str
    period_start: date
    period_end: date | None
    tasks: str  # personal data
    lang: str | None
    suggested_skills: list[SkillSuggestion] = Field(
        description="What the matching engine found in the tasks, best first."
    )
    confirmed_skills: list[SkillRef] = Field(description="What the employer confirmed.")
    status: AttestationStatus = Field(description="requested, attested or declined.")
    note: str | None = Field(description="The employer's note or reason for declining.")
    requested_at: datetime
    decided_at: datetime | None
    decided_by: str | None = Field(description="Public id of the user who decided.")
    credential_id: str | None = Field(description="The signed attestation credential's id.")
    document: str | None = Field(description="The signed attestation credential (JSON).")
    item_id: str | None = Field(description="Its item in the learner's passport.")

    @classmethod
    def from_request(cls, request: AttestationRequest) -> AttestationPublic:
        """Render an attestation request."""
        return cls.model_validate(request.model_dump())


class AttestCreate(BaseModel):
    """The employer's confirmation."""

    skills: list[str] = Field(
        max_length=200,
        description="ESCO skill URIs: chosen from the suggestions, or added.",
        examples=[["http://data.europa.eu/esco/skill/…"]],
    )
    note: str | None = Field(default=None, max_length=2000)


class DeclineCreate(BaseModel):
    """Why the employer declines."""

    note: str = Field(min_length=1, max_length=2000, description="The learner sees it.")


@router.post(
    "/attestations",
    response_model=AttestationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ask an employer to attest workplace learning (learner)",
)
def request_attestation(
    body: AttestationCreate, app: AppDep, user: LearnerUser
) -> AttestationPublic:
    """Open a request to the organisation with role, period and tasks; ESCO skills are
    suggested from the tasks for the employer to confirm. 404 for an unknown organisation;
    422 for a period that ends before it starts or starts in the future."""
    return AttestationPublic.from_request(
        app.attestations.request(
            user,
            body.organisation_id,
            body.role_title,
            body.period_start,
            body.period_end,
            body.tasks,
            body.lang,
        )
    )


@router.get(
    "/attestations",
    response_model=list[AttestationPublic],
    summary="My attestation requests (learner)",
)
def my_attestations(app: AppDep, user: LearnerUser) -> list[AttestationPublic]:
    """The caller's own requests, newest first, with their outcome."""
    return [AttestationPublic.from_request(r) for r in app.attestations.for_learner(user)]


@router.get(
    "/attestations/inbox",
    response_model=list[AttestationPublic],
    summary="Requests addressed to my organisations (issuer member, or admin)",
)
def inbox(
    app: AppDep,
    user: EmployerUser,
    status_filter: Annotated[
        AttestationStatus | None,
        Query(alias="status", description="requested (default), attested or declined."),
    ] = AttestationStatus.REQUESTED,
    all_statuses: Annotated[
        bool, Query(alias="all", description="Every request, whatever its status.")
    ] = False,
) -> list[AttestationPublic]:
    """Requests to the organisations the caller is a member of (all, for an admin), waiting
    ones by default."""
    wanted = None if all_statuses else status_filter
    return [AttestationPublic.from_request(r) for r in app.attestations.inbox(user, wanted)]


@router.get(
    "/attestations/{attestation_id}",
    response_model=AttestationPublic,
    summary="One attestation request (its learner, or its organisation)",
)
def read_attestation(
    attestation_id: AttestationId, app: AppDep, user: AnyPartyUser
) -> AttestationPublic:
    """A request, for the learner who made it or someone who acts for the organisation it is
    addressed to; 404 for anyone else."""
    return AttestationPublic.from_request(app.attestations.get(user, attestation_id))


@router.post(
    "/attestations/{attestation_id}/attest",
    response_model=AttestationPublic,
    summary="Confirm skills and sign the attestation (issuer member, or admin)",
)
def attest(
    attestation_id: AttestationId, body: AttestCreate, app: AppDep, user: EmployerUser
) -> AttestationPublic:
    """Sign a workplace-learning attestation credential as the organisation (OB3, achievement
    type ``ext:WorkplaceLearning``, aligned to the confirmed ESCO skills) and put it in the
    learner's passport. 403 for someone who may not act for the organisation; 409 when already
    decided; 422 for unknown skill URIs."""
    return AttestationPublic.from_request(
        app.attestations.attest(user, attestation_id, body.skills, body.note)
    )


@router.post(
    "/attestations/{attestation_id}/decline",
    response_model=AttestationPublic,
    summary="Decline an attestation request (issuer member, or admin)",
)
def decline(
    attestation_id: AttestationId, body: DeclineCreate, app: AppDep, user: EmployerUser
) -> AttestationPublic:
    """Decline with a reason the learner sees. 403/409 as for attesting."""
    return AttestationPublic.from_request(app.attestations.decline(user, attestation_id, body.note))
