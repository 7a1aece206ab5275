"""The learner's passport: credentials, attestations, experience, evidence, profile, export.

Every method takes the acting :class:`~skillpass.auth.models.User`; a learner only ever sees
their own passport (another learner's item id is reported as not found, so ids leak nothing).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, ValidationError

from skillpass.auth.models import Role
from skillpass.errors import Conflict, InvalidInput, NotFound
from skillpass.passport._credential_items import item_from_report, refusal
from skillpass.passport.bundle import BundleEntry, build_bundle, parse_bundle, render_cv_html
from skillpass.passport.evidence import CheckedEvidence, check_evidence
from skillpass.passport.models import (
    EvidenceFile,
    ExperienceCategory,
    ItemKind,
    ItemSource,
    PassportItem,
    SkillRef,
    SkillsProfile,
    SkillSuggestion,
)
from skillpass.passport.profile import AreaInfo, build_profile
from skillpass.passport.repository import NewItem, PassportRepository
from skillpass.taxonomy.capability_definitions import AreaKind

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


#: Most evidence files one self-declared item may carry.
MAX_EVIDENCE_PER_ITEM = 20
#: Extraction threshold of skill suggestions the user (or the attesting employer) confirms: a
#: list to tick favours recall, so it stays at 0.2 on every scoring path, below the F1-best
#: per-path defaults of plain extraction (English 0.3, lexical only 0.6; SkillSkape dev recall
#: at 0.2 vs the default: .454 vs .343 English, .304 vs .149 lexical; docs/matching.md).
SUGGESTION_THRESHOLD = 0.2
_ESCO_SKILL = "http://data.europa.eu/esco/skill/"


class PassportService:
    """Use cases of the learner's passport.

    Args:
        engine: The database engine.
        settings: Read for ``max_upload_bytes`` and ``public_base_url``.
        auth: Users.
        credentials: Credentials issued here (claiming, the learner key of an e-mail).
        trust: The verification engine with the operator's registries.
        capabilities: The STEM capability framework (profile grouping).
        matching: The matching engine (skill suggestions for free text).
    """

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
        self._repo = PassportRepository(engine)

    @property
    def repository(self) -> PassportRepository:
        """The storage behind this service."""
        return self._repo

    # --- helpers ---------------------------------------------------------------------------

    def _learner_keys(self, owner_id: str, email: str) -> list[str]:
        """The learner keys credentials issued here carry for this person (e-mail and DIDs)."""
        keys = [self._credentials.learner_key_for(email=email)]
        keys += [
            self._credentials.learner_key_for(did=did) for did in self._repo.holder_dids(owner_id)
        ]
        return keys

    def _labels(self, uris: list[str]) -> dict[str, str]:
        return self._repo.skill_labels(uris) or {}

    def _store_document(
        self,
        owner_id: str,
        document: str,
        source: ItemSource,
        *,
        refuse: bool,
        kind: ItemKind | None = None,
        issued_credential: str | None = None,
    ) -> PassportItem:
        report = self._trust.verify(document)
        if refuse:
            reason = refusal(report)
            if reason is not None:
                raise InvalidInput(reason, details={"report": report.to_dict()})
        uris = [s.uri for s in report.summary.skills] if report.summary is not None else []
        new = item_from_report(
            document,
            report,
            source,
            kind=kind,
            labels=self._labels(uris),
            issued_credential=issued_credential,
            checked_at=datetime.now(UTC),
        )
        if new.credential_id and self._repo.has_credential(owner_id, new.credential_id):
            raise Conflict(
                f"{new.title!r} is already in your passport.",
                details={"credential_id": new.credential_id},
            )
        return self._repo.add_item(owner_id, new)

    # --- items ----------------------------------------------------------------------------

    def items(self, owner: User) -> list[PassportItem]:
        """Every item of the owner's passport, newest first."""
        return self._repo.items(owner.public_id)

    def get_item(self, owner: User, item_id: str) -> PassportItem:
        """One item of the owner's passport.

        Raises:
            NotFound: No such item in this owner's passport (also for another learner's item).
        """
        return self._repo.get_item(owner.public_id, item_id)

    def remove_item(self, owner: User, item_id: str) -> None:
        """Remove an item (and its evidence) from the passport. Issued credentials stay valid.

        Raises:
            NotFound: No such item in this owner's passport.
        """
        self._repo.delete_item(owner.public_id, item_id)

    def import_credential(
        self, owner: User, data: bytes | str, filename: str | None = None
    ) -> PassportItem:
        """Import a credential file or pasted text (OB3 JSON/JWT, OB 2.0, CLR, ELM, VC-JWT).

        It is verified with the verification engine (``TrustService.verify``) and the report is
        kept. Refused, and nothing stored, when it cannot be read as a credential or its proof
        does not verify (tampered); kept, marked unverified, when only other checks fail (e.g.
        expired, issuer not in a registry, the issuer's key unknown here) — the report says
        which.

        Args:
            owner: The learner.
            data: The credential file's bytes or pasted text.
            filename: The file's name, for messages.

        Raises:
            InvalidInput: Not a credential, or the proof fails (the message names the check).
            Conflict: The same credential id is already in the passport.
        """
        if isinstance(data, bytes):
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InvalidInput(
                    f"{filename or 'The file'} is not UTF-8 text: credentials are JSON or JWT "
                    "text files (.json, .jsonld, .jwt)."
                ) from None
        else:
            text = data
        text = text.strip()
        if not text:
            raise InvalidInput("Nothing to import: choose a credential file or paste its text.")
        return self._store_document(owner.public_id, text, ItemSource.IMPORTED, refuse=True)

    def claimable(self, owner: User) -> list[IssuedCredential]:
        """Credentials issued on this platform to the owner's e-mail and not yet in the passport."""
        keys = self._learner_keys(owner.public_id, owner.email)
        taken = self._repo.claimed(owner.public_id)
        return [
            self._credentials.get(public_id)
            for public_id in self._repo.issued_to(keys)
            if public_id not in taken
        ]

    def claim(self, owner: User, credential_id: str) -> PassportItem:
        """Add a credential issued on this platform to the owner's passport.

        Raises:
            NotFound: No such credential issued to this owner's e-mail or DID.
            Conflict: Already in the passport.
        """
        wanted = credential_id.strip()
        if wanted and not wanted.startswith("urn:uuid:"):
            wanted = f"urn:uuid:{wanted}"
        keys = self._learner_keys(owner.public_id, owner.email)
        if wanted not in self._repo.issued_to(keys):
            raise NotFound(
                f"No credential {credential_id!r} was issued here to your e-mail address; "
                "see the claimable credentials for what you can add.",
                details={"credential_id": credential_id},
            )
        if wanted in self._repo.claimed(owner.public_id):
            raise Conflict("This credential is already in your passport.")
        issued = self._credentials.get(wanted)
        return self._store_document(
            owner.public_id,
            issued.document,
            ItemSource.CLAIMED,
            refuse=False,
            issued_credential=issued.id,
        )

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

        Raises:
            NotFound: No such learner or issued credential.
            Conflict: The credential is already in the passport.
        """
        return self._store_document(
            owner_id, document, source, refuse=False, issued_credential=issued_credential
        )

    def recheck(self, owner: User, item_id: str) -> PassportItem:
        """Verify an item again now (revocation and expiry can change) and keep the new report.

        Self-declared items have nothing to verify and come back unchanged.

        Raises:
            NotFound: No such item in this owner's passport.
        """
        item = self._repo.get_item(owner.public_id, item_id)
        return self._recheck(owner.public_id, item)

    def _recheck(self, owner_id: str, item: PassportItem) -> PassportItem:
        if item.document is None:
            return item
        report = self._trust.verify(item.document)
        return self._repo.set_verification(
            owner_id, item.id, report.verified, report.to_dict(), datetime.now(UTC)
        )

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
        found = {item.id: item for item in self._repo.items_by_ids(owner_id, item_ids)}
        ordered = [found[i] for i in dict.fromkeys(item_ids) if i in found]
        if recheck:
            ordered = [self._recheck(owner_id, item) for item in ordered]
        return ordered

    # --- self-declared experience and evidence --------------------------------------------

    def _experience_item(self, experience: ExperienceCreate) -> NewItem:
        today = datetime.now(UTC).date()
        start, end = experience.period_start, experience.period_end
        if start is not None and end is not None and end < start:
            raise InvalidInput(
                f"The period ends ({end}) before it starts ({start}); check the dates."
            )
        for label, value in (("starts", start), ("ends", end)):
            if value is not None and value > today:
                raise InvalidInput(
                    f"The period {label} in the future ({value}); declare experience you have "
                    "had (leave the end empty while it goes on)."
                )
        uris = list(dict.fromkeys(skill.uri for skill in experience.skills))
        known = self._repo.skill_labels(uris)
        if known is None:  # no taxonomy here: accept ESCO skill URIs by their shape
            unknown = [uri for uri in uris if not uri.startswith(_ESCO_SKILL)]
        else:
            unknown = [uri for uri in uris if uri not in known]
        if unknown:
            raise InvalidInput(
                f"Unknown ESCO skill{'s' if len(unknown) > 1 else ''}: {', '.join(unknown[:5])}. "
                "Pick skills from the ESCO search or the suggestions.",
                details={"unknown_skills": unknown},
            )
        given = {skill.uri: skill.label for skill in experience.skills}
        skills = tuple(
            SkillRef(uri=uri, label=(known or {}).get(uri) or given[uri] or uri) for uri in uris
        )
        return NewItem(
            kind=ItemKind.EXPERIENCE,
            source=ItemSource.SELF,
            category=experience.category,
            title=" ".join(experience.title.split()),
            description=experience.description.strip(),
            issuer_name=" ".join(experience.organisation.split())
            if experience.organisation and experience.organisation.strip()
            else None,
            period_start=start,
            period_end=end,
            skills=skills,
        )

    def declare(self, owner: User, experience: ExperienceCreate) -> PassportItem:
        """Add self-declared experience or informal learning, marked unverified.

        The organisation (where it happened), if given, is kept as the item's ``issuer_name``.

        Raises:
            InvalidInput: Period ends before it starts or lies in the future; unknown skill URIs.
        """
        return self._repo.add_item(owner.public_id, self._experience_item(experience))

    def suggest_skills(self, text: str, lang: str | None = None) -> list[SkillSuggestion]:
        """ESCO skills the matching engine finds in a free-text description, best first, for the
        user to confirm (extraction mode; the evidence span is kept with each suggestion).

        Raises:
            InvalidInput: Empty text.
            TaxonomyNotLoaded: No ESCO taxonomy imported.
        """
        if not text.strip():
            raise InvalidInput("Describe what you did to get skill suggestions.")
        result = self._matching.extract(text, lang, threshold=SUGGESTION_THRESHOLD)
        ranked = sorted(result.skills, key=lambda s: -s.score)
        return [
            SkillSuggestion(
                uri=skill.uri,
                label=skill.label,
                score=skill.score,
                evidence=max(skill.evidence, key=lambda e: e.score).text if skill.evidence else "",
            )
            for skill in ranked
        ]

    def add_evidence(
        self, owner: User, item_id: str, filename: str, content: bytes
    ) -> EvidenceFile:
        """Attach an evidence file to a self-declared item (checked by ``evidence.check_evidence``
        against ``settings.max_upload_bytes``).

        Raises:
            InvalidInput: Empty, too large or not an accepted type; not a self-declared item;
                the item already has :data:`MAX_EVIDENCE_PER_ITEM` files.
            NotFound: No such item in this owner's passport.
        """
        item = self._repo.get_item(owner.public_id, item_id)
        if item.kind is not ItemKind.EXPERIENCE:
            raise InvalidInput(
                "Evidence files go with self-declared experience; a credential is its own evidence."
            )
        if len(item.evidence) >= MAX_EVIDENCE_PER_ITEM:
            raise InvalidInput(
                f"This item already has {MAX_EVIDENCE_PER_ITEM} evidence files; remove one first."
            )
        checked = check_evidence(filename, content, self._settings.max_upload_bytes)
        return self._repo.add_evidence(owner.public_id, item_id, checked)

    def evidence_content(self, actor: User, evidence_id: str) -> tuple[EvidenceFile, bytes]:
        """An evidence file and its bytes, for its owner, or an assessor of the RPL case it belongs
        to, or an admin.

        Raises:
            NotFound: No such file visible to the actor.
        """
        stored = self._repo.evidence(evidence_id)
        allowed = (
            stored.owner_id == actor.public_id
            or Role.ADMIN in actor.roles
            or (stored.assessor_id is not None and stored.assessor_id == actor.public_id)
        )
        if not allowed:
            raise NotFound(f"No evidence file {evidence_id!r}.")
        return stored.file, stored.content

    # --- profile ---------------------------------------------------------------------------

    def _areas(self) -> list[AreaInfo]:
        return [
            AreaInfo(id=d.id, label=d.label, is_discipline=d.kind is AreaKind.STEM_DISCIPLINE)
            for d in self._capabilities.definitions
        ]

    def profile(self, owner: User) -> SkillsProfile:
        """The skills profile: union of skills with provenance and strength, EQF levels, ECTS
        totals, grouped by capability area and STEM sub-discipline (see
        :mod:`skillpass.passport.profile`)."""
        return self._profile(owner.public_id, self._repo.items(owner.public_id))

    def _profile(self, owner_id: str, items: list[PassportItem]) -> SkillsProfile:
        return build_profile(
            owner_id,
            items,
            lambda uri: [ref.id for ref in self._capabilities.areas_for(uri)],
            self._areas(),
        )

    # --- portability and privacy -----------------------------------------------------------

    def export_bundle(self, owner: User) -> dict[str, Any]:
        """Everything in the passport as a portable bundle (JSON; credentials exactly as issued;
        evidence files base64-encoded). ``{"format": "skillpass-passport-bundle", "version": 1,
        "exported_at", "holder": {"name", "email", "did"}, "items": [...]}``."""
        items = self._repo.items(owner.public_id)
        files = self._repo.evidence_of_items(owner.public_id)
        dids = self._repo.holder_dids(owner.public_id)
        return build_bundle(
            holder={
                "name": owner.display_name,
                "email": owner.email,
                "did": dids[0] if dids else None,
            },
            items=items,
            evidence={
                item_id: [
                    (f.file.filename, f.file.media_type, f.file.size, f.file.sha256, f.content)
                    for f in found
                ]
                for item_id, found in files.items()
            },
            exported_at=datetime.now(UTC),
            exported_from=self._settings.public_base_url,
        )

    def import_bundle(self, owner: User, bundle: bytes | str | dict[str, Any]) -> BundleImport:
        """Import a bundle exported by any SkillPass instance. Credentials are verified again;
        self-declared items stay self-declared; attestation/RPL credentials keep their kind.
        All-or-nothing per item; duplicates skipped.

        Raises:
            InvalidInput: Not a SkillPass bundle or an unsupported version.
        """
        entries, refused = parse_bundle(bundle)
        imported: list[str] = []
        duplicates = 0
        for number, entry in entries:
            try:
                item = self._import_entry(owner.public_id, entry)
            except Conflict:
                duplicates += 1
                continue
            except InvalidInput as error:
                refused.append(f"item {number} ({entry.title}): {error.message}")
                continue
            if item is None:
                duplicates += 1
            else:
                imported.append(item.id)
        return BundleImport(
            imported=len(imported),
            skipped_duplicates=duplicates,
            refused=refused,
            items=imported,
        )

    def _import_entry(self, owner_id: str, entry: BundleEntry) -> PassportItem | None:
        if entry.credential is not None:
            source = (
                entry.source
                if entry.source in (ItemSource.ATTESTED, ItemSource.RPL)
                else ItemSource.IMPORTED
            )
            kind = ItemKind.ATTESTATION if entry.kind is ItemKind.ATTESTATION else None
            return self._store_document(
                owner_id, entry.credential.document.strip(), source, refuse=True, kind=kind
            )
        if entry.kind is not ItemKind.EXPERIENCE:
            raise InvalidInput("a credential entry without its credential document")
        try:
            experience = ExperienceCreate(
                category=entry.category or ExperienceCategory.OTHER,
                title=entry.title,
                description=entry.description,
                period_start=entry.period_start,
                period_end=entry.period_end,
                skills=entry.skills,
            )
        except ValidationError as error:
            raise InvalidInput("; ".join(str(e["msg"]) for e in error.errors()[:3])) from None
        new = self._experience_item(experience)
        if self._repo.has_experience(owner_id, new.title, new.period_start, new.description):
            return None
        files: list[CheckedEvidence] = [
            check_evidence(f.filename, f.content(), self._settings.max_upload_bytes)
            for f in entry.evidence
        ]
        return self._repo.add_item(owner_id, new, files)

    def cv_html(self, owner: User) -> str:
        """A readable, printable CV-style HTML page of the passport and profile."""
        items = self._repo.items(owner.public_id)
        return render_cv_html(
            name=owner.display_name,
            email=owner.email,
            items=items,
            profile=self._profile(owner.public_id, items),
            area_labels={area.id: area.label for area in self._areas()},
            generated_at=datetime.now(UTC),
        )

    def personal_data(self, owner: User) -> dict[str, Any]:
        """GDPR access: all data held about the owner (account, passport, attestations, RPL cases,
        shares with their access log), as JSON."""
        keys = self._learner_keys(owner.public_id, owner.email)
        bundle = self.export_bundle(owner)
        return {
            "format": "skillpass-personal-data",
            "version": 1,
            "exported_at": datetime.now(UTC).isoformat(),
            "account": {
                "id": owner.public_id,
                "email": owner.email,
                "display_name": owner.display_name,
                "roles": sorted(role.value for role in owner.roles),
                "active": owner.is_active,
                "created_at": owner.created_at.isoformat(),
            },
            "passport": {
                "items": [
                    {
                        **item.model_dump(mode="json"),
                        "evidence": next(
                            (b["evidence"] for b in bundle["items"] if b["id"] == item.id), []
                        ),
                    }
                    for item in self._repo.items(owner.public_id)
                ],
            },
            **self._repo.personal_records(owner.public_id, keys),
        }

    def erase_account(self, owner: User) -> None:
        """GDPR erasure: delete the account and everything personal (passport, evidence, shares,
        attestation requests, RPL cases with their statements and evidence, holder keys,
        tokens), and clear the learner's name, e-mail, DID, salted e-mail hash and the keyed
        e-mail hash (replaced by a random value) from credentials issued to them here. The
        credentials they hold stay verifiable (status lists and issuer keys are untouched).

        Raises:
            NotFound: No such user.
        """
        keys = self._learner_keys(owner.public_id, owner.email)
        self._repo.erase(owner.public_id, keys)
