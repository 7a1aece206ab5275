"""HTTP routes of recognition reports and decisions (``/api/v1/recognition``).

A report compares evidence with a target (an ESCO occupation, a capability area or a
micro-credential definition): coverage of essential and optional skills with the evidence
behind each (exact, or through ESCO's hierarchy, relations or the matching engine, each
explained), missing skills, EQF levels, ECTS credits, the verification status of each piece of
evidence and a plain-language summary. A learner reports on their own passport; a recognition
officer (role ``verifier``) or an administrator on credentials uploaded as issued (e.g. from a
share the learner made). The officer records a decision (full, partial with conditions, or none),
stored with who and when; it can also be signed as an attestation for the learner.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, Field

from skillpass.api._schema import described
from skillpass.api.deps import AppDep, CurrentUser, require_roles
from skillpass.api.routes_pathways import TargetBody
from skillpass.auth.models import Role, User
from skillpass.recognition.models import (
    DecisionKind,
    RecognitionDecision,
    RecognitionReport,
    RecognitionRequest,
)

__all__ = [
    "DecisionBody",
    "DecisionPublic",
    "RecognitionCreate",
    "ReportPublic",
    "router",
]

router = APIRouter(tags=["recognition"])

OfficerUser = Annotated[User, Depends(require_roles(Role.VERIFIER, Role.ADMIN))]
ReportId = Annotated[str, Path(max_length=64, description="The report's public id.")]

#: Largest credential document accepted in a report request.
MAX_DOCUMENT_CHARS = 1_000_000


class RecognitionCreate(BaseModel):
    """What to compare with what."""

    target: TargetBody = Field(description="The occupation, capability area or definition.")
    learner_id: str | None = Field(
        default=None,
        max_length=64,
        description="Public id of the learner the evidence belongs to (a learner reporting on "
        "their own passport may leave it out).",
    )
    item_ids: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="The learner's passport items to use; empty: all of them.",
    )
    documents: list[Annotated[str, Field(max_length=MAX_DOCUMENT_CHARS)]] = Field(
        default_factory=list,
        max_length=50,
        description="Credentials as issued (JSON-LD or JWT), e.g. from a share; each is "
        "verified and its status shown in the report.",
    )


class ReportPublic(RecognitionReport):
    """A recognition report a recognition officer can sign off."""

    model_config = described(
        {
            "id": "Opaque public id.",
            "target": "What the evidence was compared with.",
            "target_label": "The target's name.",
            "learner_id": "The learner, when the evidence is a passport.",
            "essential": "Each essential skill with its credit and the evidence behind it.",
            "optional": "Each optional skill with its credit and evidence.",
            "essential_coverage": "Weighted share of essential skills credited (0-1).",
            "optional_coverage": "Weighted share of optional skills credited (0-1).",
            "missing_essential": "Essential skills no evidence covers.",
            "level": "EQF level of the evidence against the target's (through NQF).",
            "credits": "ECTS of the evidence against the target's.",
            "evidence": "Each piece of evidence with its verification status in words.",
            "summary": "Plain-language paragraph for the officer.",
            "suggested_decision": "full, partial or none, from the coverage.",
            "created_at": "When the report was made.",
            "created_by": "Who made it (user public id).",
        },
        frozen=True,
    )

    @classmethod
    def of(cls, report: RecognitionReport) -> ReportPublic:
        """Render a report."""
        return cls.model_validate(report.model_dump())


class DecisionBody(BaseModel):
    """The recognition officer's decision."""

    decision: DecisionKind = Field(description="full, partial or none.")
    conditions: str | None = Field(
        default=None,
        max_length=5_000,
        description="Conditions, e.g. courses to complete (required for partial recognition).",
    )
    issue_as_organisation: str | None = Field(
        default=None,
        max_length=64,
        description="An organisation the officer acts for: also sign the decision as an "
        "attestation and put it in the learner's passport.",
    )


class DecisionPublic(RecognitionDecision):
    """A recorded decision (auditable)."""

    model_config = described(
        {
            "id": "Opaque public id.",
            "report_id": "The report decided on.",
            "decision": "full, partial or none.",
            "conditions": "Conditions attached.",
            "officer_id": "Who decided (user public id).",
            "officer_name": "Their name.",
            "decided_at": "When.",
            "credential_id": "The signed decision attestation, when issued.",
            "document": "The signed attestation document, when issued.",
        },
        frozen=True,
    )

    @classmethod
    def of(cls, decision: RecognitionDecision) -> DecisionPublic:
        """Render a decision."""
        return cls.model_validate(decision.model_dump())


@router.post(
    "/recognition/reports",
    response_model=ReportPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Make a recognition report",
)
def create_report(body: RecognitionCreate, app: AppDep, user: CurrentUser) -> ReportPublic:
    """Compare the evidence with the target and store the report. A learner uses their own
    passport; an officer (verifier) or admin uploads credentials and may not read another
    passport directly (403). 404 for an unknown target or item; 422 when there is no evidence
    at all."""
    request = RecognitionRequest.model_validate(body.model_dump())
    return ReportPublic.of(app.recognition.report(user, request))


@router.get(
    "/recognition/reports/{report_id}",
    response_model=ReportPublic,
    summary="One recognition report",
)
def get_report(report_id: ReportId, app: AppDep, user: CurrentUser) -> ReportPublic:
    """For the one who made it, its learner or an administrator; 404 for anyone else."""
    return ReportPublic.of(app.recognition.get_report(user, report_id))


@router.post(
    "/recognition/reports/{report_id}/decisions",
    response_model=DecisionPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Record a recognition decision (recognition officer)",
)
def decide(
    report_id: ReportId, body: DecisionBody, app: AppDep, officer: OfficerUser
) -> DecisionPublic:
    """Full, partial (conditions required, 422 without) or no recognition; stored with the
    officer and time. With ``issue_as_organisation`` the decision is also signed as that
    organisation (403 unless the officer acts for it)."""
    return DecisionPublic.of(
        app.recognition.decide(
            officer,
            report_id,
            body.decision,
            body.conditions,
            issue_as_organisation=body.issue_as_organisation,
        )
    )


@router.get(
    "/recognition/reports/{report_id}/decisions",
    response_model=list[DecisionPublic],
    summary="Decisions on a report (audit trail)",
)
def decisions(report_id: ReportId, app: AppDep, user: CurrentUser) -> list[DecisionPublic]:
    """Every decision on the report, oldest first, for those who may read the report."""
    return [DecisionPublic.of(d) for d in app.recognition.decisions(user, report_id)]
