"""The learner's passport: credentials, attestations, experience, evidence, profile, export.

Every method takes the acting :class:`~skillpass.auth.models.User`; a learner only ever sees
their own passport (another learner's item id is reported as not found, so ids leak nothing).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from skillpass.passport.models import (
    EvidenceFile,
    ExperienceCategory,
    ItemSource,
    PassportItem,
    SkillRef,
    SkillsProfile,
    SkillSuggestion,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.auth.service import AuthService
    from skillpass.config import Settings
    from skillpass.credentials.issuance import IssuanceService
    from skillpass.credentials.records import IssuedCredential
    from skillpass.credentials.trust import TrustService
    from skillpass.matching.service import MatchingService
    from skillpass.taxonomy.capabilities import CapabilityService

__all__ = ["BundleImport", "ExperienceCreate", "PassportService"]


class ExperienceCreate(BaseModel):
    """A self-declared experience (wire and service input)."""

    category: ExperienceCategory
    title: str = Field(min_length=2, max_length=300)
    description: str = Field(default="", max_length=20_000)  # personal data
    organisation: str | None = Field(default=None, max_length=300)
    period_start: date | None = None
    period_end: date | None = None
    skills: list[SkillRef] = Field(default_factory=list, max_length=200)


class BundleImport(BaseModel):
    """What importing a passport bundle did."""

    imported: int
    skipped_duplicates: int
    refused: list[str]  # one plain-words reason per refused entry
    items: list[str]  # public ids of the new items


class PassportService:
    """Use cases of the learner's passport."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        auth: AuthService,
        credentials: IssuanceService,
        trust: TrustService,
        capabilities: CapabilityService,
        matching: MatchingService,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._auth = auth
        self._credentials = credentials
        self._trust = trust
        self._capabilities = capabilities
        self._matching = matching

    # --- items ----------------------------------------------------------------------------

    def items(self, owner: User) -> list[PassportItem]:
        """Every item of the owner's passport, newest first."""
        raise NotImplementedError

    def get_item(self, owner: User, item_id: str) -> PassportItem:
        """One item of the owner's passport.

        Raises:
            NotFound: No such item in this owner's passport (also for another learner's item).
        """
        raise NotImplementedError

    def remove_item(self, owner: User, item_id: str) -> None:
        """Remove an item (and its evidence) from the passport. Issued credentials stay valid.

        Raises:
            NotFound: No such item in this owner's passport.
        """
        raise NotImplementedError

    def import_credential(
        self, owner: User, data: bytes | str, filename: str | None = None
    ) -> PassportItem:
        """Import a credential file or pasted text (OB3 JSON/JWT, OB 2.0, CLR, ELM, VC-JWT).

        It is verified with the verification engine (``TrustService.verify``) and the report is
        kept. Refused, and nothing stored, when it cannot be read as a credential or its proof
        does not verify (tampered); kept, marked unverified, when only other checks fail (e.g.
        expired, issuer not in a registry) — the report says which.

        Raises:
            InvalidInput: Not a credential, or the proof fails (the message names the check).
            Conflict: The same credential id is already in the passport.
        """
        raise NotImplementedError

    def claimable(self, owner: User) -> list[IssuedCredential]:
        """Credentials issued on this platform to the owner's e-mail and not yet in the passport."""
        raise NotImplementedError

    def claim(self, owner: User, credential_id: str) -> PassportItem:
        """Add a credential issued on this platform to the owner's passport.

        Raises:
            NotFound: No such credential issued to this owner's e-mail or DID.
            Conflict: Already in the passport.
        """
        raise NotImplementedError

    def add_document(
        self, owner_id: str, document: str, source: ItemSource, *, issued_credential: str | None
    ) -> PassportItem:
        """Store a credential signed on this platform in a learner's passport (used by the
        attestation and RPL workflows). Verified like an import; never refused for trust.

        Args:
            owner_id: The learner's user public id.
            document: The signed credential as issued.
            source: ``attested``, ``rpl`` or ``claimed``.
            issued_credential: Its id in the issued-credentials store, when it is one.
        """
        raise NotImplementedError

    def recheck(self, owner: User, item_id: str) -> PassportItem:
        """Verify an item again now (revocation and expiry can change) and keep the new report."""
        raise NotImplementedError

    def shared_items(
        self, owner_id: str, item_ids: list[str], *, recheck: bool = True
    ) -> list[PassportItem]:
        """Items of a learner by public id, in the given order (ids no longer in the passport are
        skipped), re-verified now when ``recheck`` (the new report is stored too). For share
        links, which must show the state of today, not of the import day.

        Args:
            owner_id: The learner's user public id.
            item_ids: Passport item public ids.
            recheck: Verify credentials again.
        """
        raise NotImplementedError

    # --- self-declared experience and evidence --------------------------------------------

    def declare(self, owner: User, experience: ExperienceCreate) -> PassportItem:
        """Add self-declared experience or informal learning, marked unverified.

        Raises:
            InvalidInput: Period ends before it starts or lies in the future; unknown skill URIs.
        """
        raise NotImplementedError

    def suggest_skills(self, text: str, lang: str | None = None) -> list[SkillSuggestion]:
        """ESCO skills the matching engine finds in a free-text description, best first, for the
        user to confirm (extraction mode; the evidence span is kept with each suggestion)."""
        raise NotImplementedError

    def add_evidence(
        self, owner: User, item_id: str, filename: str, content: bytes
    ) -> EvidenceFile:
        """Attach an evidence file to a self-declared item (checked by ``evidence.check_evidence``
        against ``settings.max_upload_bytes``).

        Raises:
            InvalidInput: Empty, too large or not an accepted type.
            NotFound: No such item in this owner's passport.
        """
        raise NotImplementedError

    def evidence_content(self, actor: User, evidence_id: str) -> tuple[EvidenceFile, bytes]:
        """An evidence file and its bytes, for its owner, or an assessor of the RPL case it belongs
        to, or an admin.

        Raises:
            NotFound: No such file visible to the actor.
        """
        raise NotImplementedError

    # --- profile ---------------------------------------------------------------------------

    def profile(self, owner: User) -> SkillsProfile:
        """The skills profile: union of skills with provenance and strength, EQF levels, ECTS
        totals, grouped by capability area and STEM sub-discipline."""
        raise NotImplementedError

    # --- portability and privacy -----------------------------------------------------------

    def export_bundle(self, owner: User) -> dict[str, Any]:
        """Everything in the passport as a portable bundle (JSON; credentials exactly as issued;
        evidence files base64-encoded). ``{"format": "skillpass-passport-bundle", "version": 1,
        "exported_at", "holder": {"name", "email", "did"}, "items": [...]}``."""
        raise NotImplementedError

    def import_bundle(self, owner: User, bundle: bytes | str | dict[str, Any]) -> BundleImport:
        """Import a bundle exported by any SkillPass instance. Credentials are verified again;
        self-declared items stay self-declared; attestation/RPL credentials keep their kind.
        All-or-nothing per item; duplicates skipped.

        Raises:
            InvalidInput: Not a SkillPass bundle or an unsupported version.
        """
        raise NotImplementedError

    def cv_html(self, owner: User) -> str:
        """A readable, printable CV-style HTML page of the passport and profile."""
        raise NotImplementedError

    def personal_data(self, owner: User) -> dict[str, Any]:
        """GDPR access: all data held about the owner (account, passport, attestations, RPL cases,
        shares with their access log), as JSON."""
        raise NotImplementedError

    def erase_account(self, owner: User) -> None:
        """GDPR erasure: delete the account and everything personal (passport, evidence, shares,
        attestation requests, RPL cases' personal text, holder keys, tokens), and clear the
        learner's name, e-mail and DID from credentials issued to them here. The credentials they
        hold stay verifiable (status lists and issuer keys are untouched)."""
        raise NotImplementedError
