"""Domain models of the competence passport (issue 5). No storage, no HTTP.

A learner's passport holds :class:`PassportItem` s of three kinds: credentials (claimed from this
platform or imported from anywhere, verified), employer attestations of workplace learning
(signed credentials of their own kind) and self-declared experience (unverified, with evidence
files). Recognition of prior learning (:class:`RplCase`) turns evidence into a micro-credential.
The :class:`SkillsProfile` is the explainable union of their skills; :class:`Share` s decide what
leaves the passport.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AssessmentMethod",
    "AttestationRequest",
    "AttestationStatus",
    "EvidenceFile",
    "ExperienceCategory",
    "ItemKind",
    "ItemSource",
    "PassportItem",
    "ProfileArea",
    "ProfileSkill",
    "RplCase",
    "RplEvent",
    "RplStatus",
    "Share",
    "ShareAccess",
    "SharedView",
    "SkillEvidence",
    "SkillRef",
    "SkillSuggestion",
    "SkillsProfile",
    "Strength",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemKind(StrEnum):
    """What a passport item is."""

    CREDENTIAL = "credential"
    ATTESTATION = "attestation"
    EXPERIENCE = "experience"


class ItemSource(StrEnum):
    """Where a passport item came from."""

    CLAIMED = "claimed"  # issued on this platform to the learner's e-mail, claimed by them
    IMPORTED = "imported"  # a file or pasted text from any issuer, verified on import
    ATTESTED = "attested"  # an employer attestation signed on this platform
    RPL = "rpl"  # a micro-credential issued after recognition of prior learning
    SELF = "self"  # self-declared, unverified


class ExperienceCategory(StrEnum):
    """Kinds of self-declared experience and informal learning."""

    WORK = "work"
    VOLUNTEERING = "volunteering"
    PROJECT = "project"
    SELF_STUDY = "self_study"
    OTHER = "other"


class Strength(StrEnum):
    """How strongly a skill is evidenced, strongest first (see :data:`STRENGTH_RANK`)."""

    VERIFIED_CREDENTIAL = "verified_credential"
    EMPLOYER_ATTESTED = "employer_attested"
    ASSESSED_RPL = "assessed_rpl"
    SELF_DECLARED = "self_declared"

    @property
    def rank(self) -> int:
        """4 for a verified credential … 1 for self-declared; compare strengths with it."""
        return STRENGTH_RANK[self]


STRENGTH_RANK: dict[Strength, int] = {
    Strength.VERIFIED_CREDENTIAL: 4,
    Strength.EMPLOYER_ATTESTED: 3,
    Strength.ASSESSED_RPL: 2,
    Strength.SELF_DECLARED: 1,
}


class SkillRef(_Frozen):
    """An ESCO skill (or, for imported credentials, any alignment target) named by URI."""

    uri: str
    label: str


class SkillSuggestion(_Frozen):
    """A skill the matching engine suggests for free text; the user confirms it or not."""

    uri: str
    label: str
    score: float = Field(ge=0.0, le=1.0)
    evidence: str = ""  # the span of text that suggested it


class EvidenceFile(_Frozen):
    """An uploaded evidence file (its bytes are fetched separately)."""

    id: str
    filename: str  # personal data
    media_type: str
    size: int
    sha256: str
    created_at: datetime


class PassportItem(_Frozen):
    """One entry of a passport.

    Attributes:
        id: Opaque public id of the item.
        verified: The last verification passed; None for self-declared items (nothing to check).
        verification: The last verification report (``VerificationReport.to_dict()``), kept.
        document: The credential exactly as issued (JSON text or compact JWT); None for
            self-declared items.
        credential_id: The credential's own ``id`` (e.g. ``urn:uuid:…``).
    """

    id: str
    kind: ItemKind
    source: ItemSource
    category: ExperienceCategory | None = None
    title: str
    description: str = ""  # personal data
    issuer_name: str | None = None
    issuer_id: str | None = None
    issuer_country: str | None = None
    format: str | None = None
    document: str | None = None  # personal data
    credential_id: str | None = None
    verified: bool | None = None
    verification: dict[str, Any] | None = None
    checked_at: datetime | None = None
    issued_at: datetime | None = None
    valid_until: datetime | None = None
    period_start: date | None = None
    period_end: date | None = None
    skills: list[SkillRef] = Field(default_factory=list)
    eqf: int | None = None
    ects: float | None = None
    hours: float | None = None
    evidence: list[EvidenceFile] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime

    @property
    def strength(self) -> Strength:
        """How strongly this item evidences its skills."""
        if self.kind is ItemKind.EXPERIENCE or self.verified is not True:
            return Strength.SELF_DECLARED
        if self.source is ItemSource.RPL:
            return Strength.ASSESSED_RPL
        if self.kind is ItemKind.ATTESTATION:
            return Strength.EMPLOYER_ATTESTED
        return Strength.VERIFIED_CREDENTIAL


class SkillEvidence(_Frozen):
    """One piece of evidence behind a profile skill."""

    item_id: str
    item_title: str
    kind: ItemKind
    strength: Strength


class ProfileSkill(_Frozen):
    """A skill of the profile: its strongest evidence first, every piece of evidence listed."""

    uri: str
    label: str
    strength: Strength
    evidence: list[SkillEvidence]
    areas: list[str] = Field(default_factory=list)  # capability area ids
    disciplines: list[str] = Field(default_factory=list)  # STEM sub-discipline ids


class ProfileArea(_Frozen):
    """The profile's skills in one STEM capability area."""

    area_id: str
    label: str
    skills: list[str]  # skill URIs
    strongest: dict[Strength, int]  # how many skills at each strength


class SkillsProfile(_Frozen):
    """The explainable union of the skills across a passport."""

    owner_id: str
    skills: list[ProfileSkill]
    areas: list[ProfileArea]
    ects_total: float
    hours_total: float
    eqf_levels: dict[int, int]  # EQF level -> number of items at that level
    highest_eqf: int | None
    items: int
    unverified_items: int


class AttestationStatus(StrEnum):
    """Where an attestation request stands."""

    REQUESTED = "requested"
    ATTESTED = "attested"
    DECLINED = "declined"


class AttestationRequest(_Frozen):
    """A learner's request that an employer attest workplace learning, and its outcome."""

    id: str
    learner_id: str
    learner_name: str  # personal data
    organisation_id: str
    organisation_name: str
    role_title: str
    period_start: date
    period_end: date | None = None
    tasks: str  # personal data
    lang: str | None = None
    suggested_skills: list[SkillSuggestion] = Field(default_factory=list)
    confirmed_skills: list[SkillRef] = Field(default_factory=list)
    status: AttestationStatus
    note: str | None = None
    requested_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None  # user public id
    credential_id: str | None = None
    document: str | None = None
    item_id: str | None = None


class RplStatus(StrEnum):
    """Where a recognition-of-prior-learning case stands."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    MORE_INFO_REQUESTED = "more_info_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AssessmentMethod(StrEnum):
    """How an RPL assessor assessed (cf. ESCO's RPL assessor skills)."""

    INTERVIEW = "interview"
    TEST = "test"
    SIMULATION = "simulation"
    PORTFOLIO = "portfolio"
    OBSERVATION = "observation"


class RplEvent(_Frozen):
    """One step of an RPL case: who did what, when."""

    action: str  # submitted | assigned | taken | more_info_requested | evidence_added | …
    actor_id: str | None  # user public id; None when the account was erased
    actor_role: str
    note: str | None = None
    at: datetime


class RplCase(_Frozen):
    """A request to validate prior learning against a micro-credential definition."""

    id: str
    learner_id: str
    learner_name: str  # personal data
    achievement_id: str
    achievement_title: str
    issuer_id: str
    skills: list[SkillRef]
    statement: str  # personal data
    status: RplStatus
    assessor_id: str | None = None
    method: AssessmentMethod | None = None
    decision_note: str | None = None
    credential_id: str | None = None
    evidence: list[EvidenceFile] = Field(default_factory=list)
    events: list[RplEvent] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class ShareAccess(_Frozen):
    """One opening of a share, shown to the learner."""

    kind: str  # page | presentation | download
    client: str | None = None
    domain: str | None = None
    at: datetime


class Share(_Frozen):
    """A share link. ``url`` (with the secret token) is only known right after creation."""

    id: str
    label: str
    item_ids: list[str]
    expires_at: datetime
    revoked_at: datetime | None = None
    created_at: datetime
    url: str | None = None
    token: str | None = None
    accesses: list[ShareAccess] = Field(default_factory=list)

    def active(self, now: datetime) -> bool:
        """Not revoked and not expired at ``now``."""
        return self.revoked_at is None and now < self.expires_at


class SharedView(_Frozen):
    """What a verifier sees when opening a share: the chosen items, each re-verified now."""

    share_id: str
    label: str
    holder_name: str  # personal data
    holder_did: str | None = None
    expires_at: datetime
    items: list[PassportItem]
