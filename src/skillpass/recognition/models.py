"""Domain models of recognition reports and decisions (issue 6, part 2)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from skillpass.passport.models import SkillRef, Strength
from skillpass.pathways.models import TargetRef

__all__ = [
    "CoverEvidence",
    "CreditComparison",
    "DecisionKind",
    "EvidenceStatus",
    "LevelComparison",
    "MatchHow",
    "RecognitionDecision",
    "RecognitionReport",
    "RecognitionRequest",
    "SkillCoverage",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class RecognitionRequest(BaseModel):
    """What to compare with what. Evidence is a learner's passport items (all of them when
    ``item_ids`` is empty) and/or credential documents uploaded by the officer."""

    target: TargetRef
    learner_id: str | None = None  # user public id; the officer needs a share or the learner
    item_ids: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list, max_length=50)  # credentials as issued


class MatchHow(StrEnum):
    """How a piece of evidence covers a required skill (strongest first)."""

    EXACT = "exact"  # the same ESCO URI
    NARROWER = "narrower"  # the evidence is a narrower skill of the required one
    BROADER = "broader"  # the evidence is a broader skill (partial credit)
    RELATED = "related"  # ESCO skill–skill relation (essential/optional for)
    SIBLING = "sibling"  # same skill group
    SEMANTIC = "semantic"  # labels match by the matching engine above a documented threshold


class CoverEvidence(_Frozen):
    """One piece of evidence crediting a required skill, with the explanation."""

    item_id: str | None  # passport item id; None for uploaded documents
    item_title: str
    evidence_skill: SkillRef
    how: MatchHow
    credit: float = Field(ge=0, le=1)  # 1.0 exact … partial for indirect matches
    strength: Strength
    verified: bool | None
    explanation: str


class SkillCoverage(_Frozen):
    """A required skill of the target and what covers it."""

    skill: SkillRef
    essential: bool
    credit: float = Field(ge=0, le=1)  # best credit over the evidence (0: missing)
    evidence: list[CoverEvidence]


class LevelComparison(_Frozen):
    """EQF level of the evidence vs. the target (through NQF where the evidence states one)."""

    evidence_eqf: int | None
    target_eqf: int | None
    meets: bool | None  # None: a level is unknown
    notes: list[str]  # e.g. "DE DQR 4 is referenced to EQF 4 (source …)"


class CreditComparison(_Frozen):
    """ECTS of the evidence vs. the target."""

    evidence_ects: float
    target_ects: float | None
    meets: bool | None


class EvidenceStatus(_Frozen):
    """The verification status of one piece of evidence."""

    item_id: str | None
    title: str
    issuer_name: str | None
    issuer_country: str | None
    verified: bool | None
    strength: Strength
    detail: str  # failing checks in plain words, or "all checks passed"
    credential_id: str | None = None  # the credential's id, when it states one
    eqf: int | None = None  # the EQF level it states
    capability_area: str | None = None  # the STEM area most of its skills fall in (mobility)


class RecognitionReport(_Frozen):
    """A recognition report a recognition officer can sign off."""

    id: str
    target: TargetRef
    target_label: str
    learner_id: str | None
    essential: list[SkillCoverage]
    optional: list[SkillCoverage]
    essential_coverage: float  # weighted share of essential skills credited (0–1)
    optional_coverage: float
    missing_essential: list[SkillRef]
    level: LevelComparison
    credits: CreditComparison
    evidence: list[EvidenceStatus]
    summary: str  # plain-language paragraph
    suggested_decision: DecisionKind
    created_at: datetime
    created_by: str | None  # user public id


class DecisionKind(StrEnum):
    """A recognition officer's decision."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class RecognitionDecision(_Frozen):
    """The officer's recorded decision (stored, auditable; can be issued as an attestation)."""

    id: str
    report_id: str
    decision: DecisionKind
    conditions: str | None
    officer_id: str | None
    officer_name: str | None  # personal data
    decided_at: datetime
    credential_id: str | None = None
    document: str | None = None  # the signed decision attestation, when issued


RecognitionReport.model_rebuild()
