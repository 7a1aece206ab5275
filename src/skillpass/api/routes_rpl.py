"""HTTP routes for recognition of prior learning (``/api/v1/rpl/...``).

A learner (role ``learner``) asks for the skills of a micro-credential definition to be
validated, with a statement and evidence files, answers requests for more and may withdraw. An
assessor (role ``assessor``, member of the definition's organisation; or ``admin``) takes an
open case from the queue, asks for more, records the assessment method and decides; approval
issues the micro-credential (assessment type ``recognition_of_prior_learning``) into the
learner's passport. Every step is recorded in ``events`` with who and when. An assessor sees
only cases assigned to them and unassigned cases of their organisations; a learner only their
own (anything else answers 404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from skillpass.api.deps import AppDep, require_roles
from skillpass.api.routes_passport import EvidencePublic, multipart_body, read_form_file
from skillpass.auth.models import Role, User
from skillpass.passport.models import (
    AssessmentMethod,
    EvidenceFile,
    RplCase,
    RplEvent,
    RplStatus,
    SkillRef,
)

__all__ = [
    "AssessorAssign",
    "RplCasePublic",
    "RplCreate",
    "RplDecision",
    "RplNote",
    "router",
]

router = APIRouter(tags=["rpl"])

LearnerUser = Annotated[User, Depends(require_roles(Role.LEARNER))]
AssessorUser = Annotated[User, Depends(require_roles(Role.ASSESSOR, Role.ADMIN))]
AssignerUser = Annotated[User, Depends(require_roles(Role.ASSESSOR, Role.ISSUER, Role.ADMIN))]
AnyPartyUser = Annotated[
    User, Depends(require_roles(Role.LEARNER, Role.ASSESSOR, Role.ISSUER, Role.ADMIN))
]
CaseId = Annotated[str, Path(max_length=64, description="The case's public id.")]


class RplCreate(BaseModel):
    """A request to validate prior learning against a micro-credential definition."""

    achievement_id: str = Field(max_length=64, description="The definition (GET /achievements).")
    skills: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="ESCO URIs among the definition's outcome skills; empty means all of them.",
    )
    statement: str = Field(
        min_length=1,
        max_length=20_000,
        description="What the learner did and learned, in their words.",
    )  # personal data


class RplCasePublic(BaseModel):
    """An RPL case with its evidence and every step taken."""

    id: str
    learner_id: str
    learner_name: str  # personal data
    achievement_id: str
    achievement_title: str
    issuer_id: str
    skills: list[SkillRef]
    statement: str  # personal data
    status: RplStatus = Field(
        description="submitted, in_review, more_info_requested, approved, rejected, withdrawn."
    )
    assessor_id: str | None
    method: AssessmentMethod | None = Field(description="How the assessor assessed.")
    decision_note: str | None
    credential_id: str | None = Field(description="The micro-credential issued on approval.")
    evidence: list[EvidencePublic]
    events: list[RplEvent] = Field(description="Who did what, when; oldest first.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_case(cls, case: RplCase) -> RplCasePublic:
        """Render a case."""
        data = case.model_dump(exclude={"evidence"})
        return cls.model_validate(
            {**data, "evidence": [EvidencePublic.from_file(e) for e in case.evidence]}
        )


class RplNote(BaseModel):
    """A note: the assessor's request for more, or the learner's answer."""

    note: str = Field(min_length=1, max_length=20_000)


class AssessorAssign(BaseModel):
    """Whom to assign a case to."""

    assessor_id: str = Field(
        max_length=64,
        description="Public id of a user with the assessor role who is a member of the issuer.",
    )


class RplDecision(BaseModel):
    """The assessor's decision."""

    approve: bool
    method: AssessmentMethod = Field(
        description="interview, test, simulation, portfolio or observation."
    )
    note: str = Field(min_length=1, max_length=20_000, description="The reasons; recorded.")


@router.post(
    "/rpl/cases",
    response_model=RplCasePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Request recognition of prior learning (learner)",
)
def request_rpl(body: RplCreate, app: AppDep, user: LearnerUser) -> RplCasePublic:
    """Open a case for a micro-credential definition; attach evidence next. 404 for an
    unknown definition; 422 for skills not in the definition; 409 when an open case for it
    exists."""
    return RplCasePublic.from_case(
        app.rpl.request(user, body.achievement_id, body.skills, body.statement)
    )


@router.post(
    "/rpl/cases/{case_id}/evidence",
    response_model=EvidencePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Attach evidence to my RPL case (learner)",
    openapi_extra={
        "requestBody": multipart_body(
            "The file in the field `file`: PDF, PNG, JPEG, WebP, plain text, .odt or .docx "
            "(recognised by content), at most SKILLPASS_MAX_UPLOAD_BYTES."
        )
    },
)
async def upload_evidence(
    case_id: CaseId, request: Request, app: AppDep, user: LearnerUser
) -> EvidencePublic:
    """Store an evidence file with an open case. 422 for an empty or oversized file or a type
    that is not accepted; 409 when the case is decided; nothing is stored then."""
    filename, content = await read_form_file(
        request, app.settings.max_upload_bytes, "evidence file", "SKILLPASS_MAX_UPLOAD_BYTES"
    )
    evidence: EvidenceFile = await run_in_threadpool(
        app.rpl.add_evidence, user, case_id, filename, content
    )
    return EvidencePublic.from_file(evidence)


@router.get(
    "/rpl/mine",
    response_model=list[RplCasePublic],
    summary="My RPL cases (learner)",
)
def my_cases(app: AppDep, user: LearnerUser) -> list[RplCasePublic]:
    """The caller's cases, newest first, with every step."""
    return [RplCasePublic.from_case(c) for c in app.rpl.for_learner(user)]


@router.get(
    "/rpl/queue",
    response_model=list[RplCasePublic],
    summary="Open cases I may assess (assessor, or admin)",
)
def queue(app: AppDep, user: AssessorUser) -> list[RplCasePublic]:
    """Open cases assigned to the caller and unassigned open cases of the organisations they
    are a member of (every open case, for an admin)."""
    return [RplCasePublic.from_case(c) for c in app.rpl.queue(user)]


@router.get(
    "/rpl/cases/{case_id}",
    response_model=RplCasePublic,
    summary="One RPL case (its learner, its assessor, a member of the issuer, or an admin)",
)
def read_case(case_id: CaseId, app: AppDep, user: AnyPartyUser) -> RplCasePublic:
    """A case with its evidence and events; 404 for anyone it is not visible to."""
    return RplCasePublic.from_case(app.rpl.get(user, case_id))


@router.post(
    "/rpl/cases/{case_id}/take",
    response_model=RplCasePublic,
    summary="Take an unassigned case (assessor)",
)
def take(case_id: CaseId, app: AppDep, user: AssessorUser) -> RplCasePublic:
    """Assign the case to the caller, an assessor who is a member of the issuer. 403 for an
    assessor of another organisation; 409 when someone has it already."""
    return RplCasePublic.from_case(app.rpl.take(user, case_id))


@router.post(
    "/rpl/cases/{case_id}/assign",
    response_model=RplCasePublic,
    summary="Assign a case to an assessor (a manager of the issuer, or an admin)",
)
def assign(case_id: CaseId, body: AssessorAssign, app: AppDep, user: AssignerUser) -> RplCasePublic:
    """Assign an assessor who is a member of the issuer. 403 when the caller may not assign;
    422 when the user named is not a suitable assessor."""
    return RplCasePublic.from_case(app.rpl.assign(user, case_id, body.assessor_id))


@router.post(
    "/rpl/cases/{case_id}/request-more",
    response_model=RplCasePublic,
    summary="Ask the learner for more (the case's assessor)",
)
def request_more(case_id: CaseId, body: RplNote, app: AppDep, user: AssessorUser) -> RplCasePublic:
    """Set the case to ``more_info_requested`` with a note saying what is needed."""
    return RplCasePublic.from_case(app.rpl.request_more(user, case_id, body.note))


@router.post(
    "/rpl/cases/{case_id}/respond",
    response_model=RplCasePublic,
    summary="Answer a request for more (learner)",
)
def respond(case_id: CaseId, body: RplNote, app: AppDep, user: LearnerUser) -> RplCasePublic:
    """Send the answer (attach new evidence first); the case goes back to ``in_review``."""
    return RplCasePublic.from_case(app.rpl.respond(user, case_id, body.note))


@router.post(
    "/rpl/cases/{case_id}/decide",
    response_model=RplCasePublic,
    summary="Record the assessment and decide (the case's assessor, or an admin)",
)
def decide(case_id: CaseId, body: RplDecision, app: AppDep, user: AssessorUser) -> RplCasePublic:
    """Record the method and the decision. Approval issues the micro-credential (assessment
    type ``recognition_of_prior_learning``) to the learner and adds it to their passport. 403
    for anyone but the case's assessor; 409 when already decided or withdrawn."""
    return RplCasePublic.from_case(
        app.rpl.decide(user, case_id, body.approve, body.method, body.note)
    )


@router.post(
    "/rpl/cases/{case_id}/withdraw",
    response_model=RplCasePublic,
    summary="Withdraw my open case (learner)",
)
def withdraw(case_id: CaseId, app: AppDep, user: LearnerUser) -> RplCasePublic:
    """Close the case without a decision. 409 when it is decided already."""
    return RplCasePublic.from_case(app.rpl.withdraw(user, case_id))
