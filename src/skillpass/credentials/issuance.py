"""Issuing micro-credentials: one, or a batch from CSV; revoking; serving status lists.

:meth:`IssuanceService.issue` builds the credential from the stored Annex I definition with the
format modules (:mod:`~skillpass.credentials.formats.openbadges`,
:mod:`~skillpass.credentials.formats.elm`), signs it through the issuer's
:class:`~skillpass.credentials.signer.Signer` with the proof modules, and stores it together
with its status list index in one transaction.

Formats:
    * ``ob3`` — Open Badges 3.0 JSON-LD with a Data Integrity proof, ``eddsa-rdfc-2022`` (default)
      or ``eddsa-jcs-2022`` (needs an Ed25519 key);
    * ``ob3-jwt`` — the same credential as a VC-JWT (``EdDSA`` for Ed25519 keys, ``ES256`` for
      P-256 keys);
    * ``elm`` — European Learning Model v3 JSON-LD sealed as a JAdES-style JWS (general JSON
      serialisation).

Learner data (personal data): the credential carries the learner's DID and/or an OB3
``IdentityObject`` — ``sha256$`` of the e-mail address with a random per-credential salt — and
the display name if given. The store keeps the salted hash and salt, the name and DID, and an
HMAC of the e-mail (keyed from the key-encryption key) that makes batch issuance idempotent
without keeping the address. The plain e-mail is stored only when the caller asks
(``keep_email=True``, for delivering the credential).

Concurrency: see :mod:`~skillpass.credentials.issuance_repository` — a random index is
picked, the credential is signed with it, and the insert either commits or reports a clash, in
which case a new index is picked and the credential signed again.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import secrets
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import Engine

from skillpass.auth.models import Role, User
from skillpass.config import Settings
from skillpass.credentials.achievements import AchievementService
from skillpass.credentials.formats.elm import build_elm_credential
from skillpass.credentials.formats.openbadges import build_openbadge_credential
from skillpass.credentials.issuance_repository import (
    AlreadyIssued,
    CredentialRepository,
    IndexTaken,
    IssueTarget,
    NewCredential,
    StatusSlot,
)
from skillpass.credentials.issuers import DidMethod, IssuerService
from skillpass.credentials.models import (
    Achievement,
    Assessment,
    IssuerProfile,
    LearnerRef,
    OrganisationKind,
    RegistrationIdentifier,
    StatusEntry,
    hash_identity,
)
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jades import seal_jades
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.credentials.records import (
    CREDENTIAL_FORMATS,
    BatchResult,
    BatchRow,
    BatchRowResult,
    CredentialFormat,
    IssuedCredential,
    Issuer,
    IssuerKind,
    StatusListInfo,
    parse_issuer_kind,
)
from skillpass.credentials.signer import Signer
from skillpass.credentials.status_lists import (
    MAX_FILL,
    STATUS_LIST_SIZE,
    build_status_list_credential,
    sign_status_list_credential,
)
from skillpass.errors import InvalidInput, NotFound
from skillpass.progress import NullProgress, Progress

__all__ = ["BATCH_COLUMNS", "Cryptosuite", "IssuanceObserver", "IssuanceService", "read_batch_csv"]

Cryptosuite = Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"]
#: Columns of a batch CSV (a header row is required; only ``email`` or ``did`` must be filled).
BATCH_COLUMNS = ("email", "name", "did", "external_id")
#: Largest batch file accepted.
MAX_BATCH_BYTES = 20 * 1024 * 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_INDEX_ATTEMPTS = 100

_KIND_TO_MODEL = {
    IssuerKind.HIGHER_EDUCATION: OrganisationKind.UNIVERSITY,
    IssuerKind.VET: OrganisationKind.VET,
    IssuerKind.EMPLOYER: OrganisationKind.EMPLOYER,
    IssuerKind.PROFESSIONAL_BODY: OrganisationKind.PROFESSIONAL_BODY,
    IssuerKind.SOCIAL_PARTNER: OrganisationKind.SOCIAL_PARTNER,
    IssuerKind.PUBLIC_BODY: OrganisationKind.PUBLIC_BODY,
}


class IssuanceObserver(Protocol):
    """Told of every credential issued (the mobility statistics: its learner is active in the
    issuer's country)."""

    def credential_issued(
        self, credential: IssuedCredential, *, issuer: Issuer, achievement: Achievement
    ) -> bool:
        """Record what the issuance means for the statistics; returns whether it recorded."""
        ...


@dataclass(frozen=True)
class _Prepared:
    """Everything about a definition that every credential of a batch shares."""

    target: IssueTarget
    achievement: Achievement
    achievement_url: str
    issuer: Issuer
    profile: IssuerProfile
    signer: Signer
    format: CredentialFormat
    cryptosuite: Cryptosuite


def read_batch_csv(path: Path) -> list[BatchRow]:
    """Read a batch CSV with the columns ``email,name,did,external_id`` (header required).

    Args:
        path: The CSV file (UTF-8, comma-separated).

    Returns:
        One row per learner, in file order.

    Raises:
        InvalidInput: Unreadable, too large, no header, unknown or missing columns.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror or error}.") from None
    if len(raw) > MAX_BATCH_BYTES:
        raise InvalidInput(f"{path.name} is over {MAX_BATCH_BYTES // (1024 * 1024)} MB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text: save it as UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "email" not in header and "did" not in header:
        raise InvalidInput(
            f"{path.name} needs a header row with the columns {','.join(BATCH_COLUMNS)} "
            "(email or did is required)."
        )
    unknown = [name for name in header if name not in BATCH_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"{path.name} has unknown columns {', '.join(unknown)}; use {','.join(BATCH_COLUMNS)}."
        )
    rows: list[BatchRow] = []
    for raw_row in reader:
        values = {
            (key or "").strip().lower(): (value or "").strip() for key, value in raw_row.items()
        }
        rows.append(
            BatchRow(
                email=values.get("email", ""),
                name=values.get("name") or None,
                did=values.get("did") or None,
                external_id=values.get("external_id") or None,
            )
        )
    return rows


class IssuanceService:
    """Issues, lists and revokes credentials and renders status list credentials.

    Args:
        engine: The database engine.
        settings: Read for ``public_base_url`` and ``key_encryption_key``.
        issuers: The issuer service (keys, profiles).
        achievements: The definition service.
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        issuers: IssuerService,
        achievements: AchievementService,
    ) -> None:
        self._settings = settings
        self._issuers = issuers
        self._achievements = achievements
        self._repo = CredentialRepository(engine, self.status_list_url)
        self._base = settings.public_base_url.rstrip("/")
        self._learner_key = hashlib.sha256(
            b"skillpass learner key v1\0" + settings.key_encryption_key.get_secret_value().encode()
        ).digest()
        self._observer: IssuanceObserver | None = None

    def set_observer(self, observer: IssuanceObserver | None) -> None:
        """Tell ``observer`` of every credential issued from now on (None: nobody).

        Set by the composition root after construction, not passed to it: the mobility observer
        looks up learner keys through this service, so each needs the other.
        """
        self._observer = observer

    @property
    def repository(self) -> CredentialRepository:
        """The storage behind this service."""
        return self._repo

    # --- URLs ---------------------------------------------------------------------------------

    def status_list_url(self, list_id: str) -> str:
        """Public URL of a status list credential."""
        return f"{self._base}/api/v1/status-lists/{list_id}"

    def achievement_url(self, achievement_id: str) -> str:
        """Public URL of a definition (the OB3 ``Achievement`` id)."""
        return f"{self._base}/api/v1/achievements/{achievement_id}"

    def status_list_id_from_url(self, url: str) -> str | None:
        """The public id of one of our status lists from its URL, or None if not ours."""
        prefix = self._base + "/api/v1/status-lists/"
        if not url.startswith(prefix):
            return None
        rest = url[len(prefix) :]
        return rest if rest and "/" not in rest and "#" not in rest else None

    # --- issuing ------------------------------------------------------------------------------

    def _prepare(
        self,
        achievement_id: str,
        format: str,
        cryptosuite: Cryptosuite,
        did_method: DidMethod,
        actor: User | None,
    ) -> _Prepared:
        if format not in CREDENTIAL_FORMATS:
            raise InvalidInput(
                f"Unknown credential format {format!r}; "
                f"use one of: {', '.join(CREDENTIAL_FORMATS)}."
            )
        if cryptosuite not in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
            raise InvalidInput(
                f"Unknown cryptosuite {cryptosuite!r}; use eddsa-rdfc-2022 or eddsa-jcs-2022."
            )
        target = self._repo.target(achievement_id)
        self._issuers.check_can_act(actor, target.issuer_id)
        achievement = self._achievements.achievement(achievement_id)
        issuer, signer = self._issuers.signer(target.issuer_id, did_method)
        if format == "ob3" and signer.algorithm != "Ed25519":
            raise InvalidInput(
                "Data Integrity proofs (format ob3) need an Ed25519 key, but this issuer signs "
                "with P-256: issue as ob3-jwt, or rotate to an Ed25519 key "
                "(`skillpass issuer rotate-key ID`)."
            )
        return _Prepared(
            target=target,
            achievement=achievement,
            achievement_url=self.achievement_url(achievement_id),
            issuer=issuer,
            profile=self._profile(issuer, self._issuers.issuer_did(issuer, did_method)),
            signer=signer,
            format=format,
            cryptosuite=cryptosuite,
        )

    @staticmethod
    def _profile(issuer: Issuer, did: str) -> IssuerProfile:
        try:
            kind: OrganisationKind | None = _KIND_TO_MODEL[parse_issuer_kind(issuer.kind)]
        except InvalidInput:
            kind = None
        return IssuerProfile(
            id=did,
            name=issuer.legal_name,
            country=issuer.country,
            region=issuer.region,
            url=issuer.url,
            email=issuer.contact_email,
            registration_identifiers=[
                RegistrationIdentifier(scheme=scheme, value=value)
                for scheme, value in sorted(issuer.registration_ids.items())
            ],
            kind=kind,
        )

    def _learner_key_for(self, email: str | None, did: str | None) -> str:
        subject = f"email:{email.strip().lower()}" if email else f"did:{did}"
        return hmac.new(self._learner_key, subject.encode("utf-8"), hashlib.sha256).hexdigest()

    def issue(
        self,
        achievement_id: str,
        learner_email: str | None,
        learner_name: str | None = None,
        learner_did: str | None = None,
        format: str = "ob3",
        external_id: str | None = None,
        *,
        cryptosuite: Cryptosuite = "eddsa-rdfc-2022",
        did_method: DidMethod = "key",
        keep_email: bool = False,
        actor: User | None = None,
        assessment: Assessment | None = None,
    ) -> IssuedCredential:
        """Issue one signed credential of a stored definition to a learner.

        Args:
            achievement_id: Public id of the definition.
            learner_email: The learner's e-mail (hashed with a salt in the credential).
            learner_name: Optional display name (appears in the credential).
            learner_did: Optional DID of the learner (the subject ``id``).
            format: ``ob3`` (default), ``ob3-jwt`` or ``elm``.
            external_id: Your own id for this award (e.g. an enrolment number); repeating the
                same (definition, learner, format, external id) returns the first credential
                instead of issuing again. Without it every call issues a new credential.
            cryptosuite: For ``ob3``: ``eddsa-rdfc-2022`` (default) or ``eddsa-jcs-2022``.
            did_method: Sign as the issuer's ``did:key`` (default) or its ``did:web``.
            keep_email: Store the plain e-mail address too (only if you deliver credentials).
            actor: Who issues (None: the operator); must be an admin or a member of the
                definition's issuer (:meth:`IssuerService.check_can_act`).
            assessment: How this learner was assessed, when it differs from the definition's
                Annex I assessment (recognition of prior learning issues with type
                ``recognition_of_prior_learning`` and a description naming the method).

        Returns:
            The stored credential (``created`` False for an idempotent repeat).

        Raises:
            InvalidInput: Bad e-mail, DID, format or cryptosuite, or a key that cannot sign the
                format.
            NotFound: No such definition.
            PermissionDenied: The actor may not act for the definition's issuer.
        """
        prepared = self._prepare(achievement_id, format, cryptosuite, did_method, actor)
        if assessment is not None:
            achievement = prepared.achievement.model_copy(update={"assessment": assessment})
            prepared = replace(prepared, achievement=achievement)
        return self._issue_one(
            prepared,
            BatchRow(
                email=learner_email or "",
                name=learner_name,
                did=learner_did,
                external_id=external_id,
            ),
            keep_email=keep_email,
        )

    def _issue_one(
        self, prepared: _Prepared, row: BatchRow, *, keep_email: bool = False
    ) -> IssuedCredential:
        credential = self._store_one(prepared, row, keep_email=keep_email)
        if self._observer is not None:  # idempotent repeats too: the observer records once
            self._observer.credential_issued(
                credential, issuer=prepared.issuer, achievement=prepared.achievement
            )
        return credential

    def _store_one(
        self, prepared: _Prepared, row: BatchRow, *, keep_email: bool = False
    ) -> IssuedCredential:
        email = row.email.strip() or None
        if email is not None and not _EMAIL.match(email):
            raise InvalidInput(f"{email!r} is not an e-mail address.")
        did = row.did.strip() if row.did and row.did.strip() else None
        if email is None and did is None:
            raise InvalidInput("Identify the learner by an e-mail address or a DID.")
        if did is not None and not did.startswith("did:"):
            raise InvalidInput(f"{did!r} is not a DID (it should start with did:).")
        name = " ".join(row.name.split()) if row.name and row.name.strip() else None
        external_id = row.external_id.strip() if row.external_id else None
        if external_id is not None and len(external_id) > 200:
            raise InvalidInput("The external id is longer than 200 characters.")
        learner_key = self._learner_key_for(email, did)
        existing = self._repo.find_existing(
            prepared.target.achievement_pk, learner_key, prepared.format, external_id
        )
        if existing is not None:
            return existing
        salt = secrets.token_hex(16) if email else None
        email_hash = hash_identity(email, salt) if email and salt else None
        learner = LearnerRef(did=did, identity_hash=email_hash, salt=salt, name=name)
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        list_pk, list_id, size = 0, "", 0
        for attempt in range(_MAX_INDEX_ATTEMPTS):
            if attempt % 10 == 0:  # a list may fill up under us: look for one with room again
                list_pk, list_id, size = self._repo.open_list(
                    prepared.target, "revocation", STATUS_LIST_SIZE, MAX_FILL, datetime.now(UTC)
                )
            index = secrets.randbelow(size)
            if self._repo.index_taken(list_pk, index):
                continue
            slot = StatusSlot(list_pk=list_pk, list_id=list_id, size=size, index=index)
            issued_at = datetime.now(UTC).replace(microsecond=0)
            document = self._sign(prepared, learner, credential_id, issued_at, slot)
            try:
                return self._repo.insert(
                    prepared.target,
                    slot,
                    NewCredential(
                        public_id=credential_id,
                        learner_key=learner_key,
                        learner_email_hash=email_hash,
                        learner_email_salt=salt,
                        learner_email=email if keep_email else None,
                        learner_name=name,
                        learner_did=did,
                        format=prepared.format,
                        document=document,
                        external_id=external_id,
                        issued_at=issued_at,
                    ),
                )
            except AlreadyIssued as repeat:
                return repeat.existing
            except IndexTaken:
                continue
        raise InvalidInput(
            "Could not find a free status list index after many attempts; try again."
        )

    def _sign(
        self,
        prepared: _Prepared,
        learner: LearnerRef,
        credential_id: str,
        issued_at: datetime,
        slot: StatusSlot,
    ) -> str:
        list_url = self.status_list_url(slot.list_id)
        status = StatusEntry(
            id=f"{list_url}#{slot.index}",
            status_list_index=slot.index,
            status_list_credential=list_url,
        )
        if prepared.format == "elm":
            return self._sign_elm(prepared, learner, credential_id, issued_at, status)
        document = build_openbadge_credential(
            prepared.achievement,
            prepared.profile,
            learner,
            credential_id=credential_id,
            achievement_id=prepared.achievement_url,
            issued_at=issued_at,
            status=status,
        )
        if prepared.format == "ob3-jwt":
            return sign_vc_jwt(document, prepared.signer)
        signed = sign_data_integrity(document, prepared.signer, cryptosuite=prepared.cryptosuite)
        return json.dumps(signed, ensure_ascii=False, indent=2)

    def _sign_elm(
        self,
        prepared: _Prepared,
        learner: LearnerRef,
        credential_id: str,
        issued_at: datetime,
        status: StatusEntry,
    ) -> str:
        document = build_elm_credential(
            prepared.achievement,
            prepared.profile,
            learner,
            credential_id=credential_id,
            achievement_id=prepared.achievement_url,
            issued_at=issued_at,
            status=status,
        )
        return json.dumps(seal_jades(document, prepared.signer), ensure_ascii=False, indent=2)

    def issue_batch(
        self,
        achievement_id: str,
        rows: Sequence[BatchRow],
        format: str = "ob3",
        *,
        cryptosuite: Cryptosuite = "eddsa-rdfc-2022",
        did_method: DidMethod = "key",
        workers: int = 1,
        progress: Progress | None = None,
        keep_email: bool = False,
        actor: User | None = None,
    ) -> BatchResult:
        """Issue a credential to each row; idempotent per (definition, learner, format,
        external id).

        Each credential is written in its own transaction together with its status index, so
        an interrupted batch leaves only whole credentials; run it again with the same external
        ids to finish it. A bad row is reported and the others go on.

        Args:
            achievement_id: Public id of the definition.
            rows: The learners.
            format: ``ob3``, ``ob3-jwt`` or ``elm``.
            cryptosuite: For ``ob3``.
            did_method: ``key`` or ``web``.
            workers: Threads signing in parallel (1 = in order).
            progress: Receives one stage with one unit per row.
            keep_email: Store plain e-mail addresses (for delivery).
            actor: Who issues (None: the operator); see :meth:`issue`.

        Returns:
            One result per row (in row order) and the credentials issued or found.

        Raises:
            InvalidInput: Bad format or cryptosuite (nothing is issued).
            NotFound: No such definition.
            PermissionDenied: The actor may not act for the definition's issuer (nothing is
                issued).
        """
        prepared = self._prepare(achievement_id, format, cryptosuite, did_method, actor)
        progress = progress or NullProgress()
        progress.stage(f"Issuing {len(rows)} credentials ({format})", total=len(rows))
        results: dict[int, tuple[BatchRowResult, IssuedCredential | None]] = {}

        def one(number: int, row: BatchRow) -> tuple[BatchRowResult, IssuedCredential | None]:
            try:
                credential = self._issue_one(prepared, row, keep_email=keep_email)
            except InvalidInput as error:
                return BatchRowResult(row=number, outcome="failed", error=error.message), None
            outcome: Literal["issued", "existing"] = "issued" if credential.created else "existing"
            return (
                BatchRowResult(row=number, outcome=outcome, credential_id=credential.id),
                credential,
            )

        if workers <= 1:
            for number, row in enumerate(rows, start=1):
                results[number] = one(number, row)
                progress.advance()
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = {
                    pool.submit(one, number, row): number
                    for number, row in enumerate(rows, start=1)
                }
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    progress.advance()
        ordered = [results[number] for number in sorted(results)]
        return BatchResult(
            rows=tuple(result for result, _ in ordered),
            credentials=tuple(credential for _, credential in ordered if credential is not None),
        )

    def issue_csv(
        self,
        achievement_id: str,
        path: Path,
        format: str = "ob3",
        *,
        cryptosuite: Cryptosuite = "eddsa-rdfc-2022",
        did_method: DidMethod = "key",
        workers: int = 1,
        progress: Progress | None = None,
        actor: User | None = None,
    ) -> BatchResult:
        """Issue to every row of a CSV (``email,name,did,external_id``); see
        :meth:`issue_batch`.

        Raises:
            InvalidInput: The CSV is unreadable or has wrong columns; bad format.
            NotFound: No such definition.
            PermissionDenied: The actor may not act for the definition's issuer.
        """
        return self.issue_batch(
            achievement_id,
            read_batch_csv(path),
            format,
            cryptosuite=cryptosuite,
            did_method=did_method,
            workers=workers,
            progress=progress,
            actor=actor,
        )

    # --- reading and revoking -----------------------------------------------------------------

    def get(self, credential_id: str) -> IssuedCredential:
        """A credential issued here (``urn:uuid:…`` or the bare UUID).

        Raises:
            NotFound: No such credential.
        """
        return self._repo.get(credential_id)

    def learner_key(self, credential_id: str) -> str | None:
        """The keyed learner key of a credential issued here (None when it is not ours): the
        same for every credential of one learner, so statistics can bound each person."""
        return self._repo.learner_key(credential_id)

    def learner_key_for(self, *, email: str | None = None, did: str | None = None) -> str:
        """The learner key of an e-mail address (else a DID), as the credentials issued to it
        carry."""
        return self._learner_key_for(email, did)

    def list_credentials(
        self,
        *,
        achievement_id: str | None = None,
        issuer_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        actor: User | None = None,
    ) -> list[IssuedCredential]:
        """Credentials issued here, newest first.

        Args:
            achievement_id: Only this definition's credentials.
            issuer_id: Only this issuer's credentials.
            limit: At most this many.
            offset: Skip this many first.
            actor: Who reads (None: the operator): an admin sees every credential, anyone
                else only those of the organisations they are a member of.
        """
        only: list[str] | None = None
        if actor is not None and Role.ADMIN not in actor.roles:
            only = [issuer.id for issuer in self._issuers.organisations_for(actor)]
        return self._repo.all(
            achievement_id=achievement_id,
            issuer_id=issuer_id,
            issuer_ids=only,
            limit=limit,
            offset=offset,
        )

    def get_for(self, credential_id: str, actor: User | None) -> IssuedCredential:
        """A credential issued here, for someone who acts for its issuer (see :meth:`get`).

        Raises:
            NotFound: No such credential.
            PermissionDenied: The actor may not act for its issuer.
        """
        credential = self._repo.get(credential_id)
        self._issuers.check_can_act(actor, credential.issuer_id)
        return credential

    def revoke(
        self, credential_id: str, reason: str, *, actor: User | None = None
    ) -> IssuedCredential:
        """Revoke a credential: its status bit is set, and verification fails on status at once.

        Args:
            credential_id: ``urn:uuid:…`` or the bare UUID.
            reason: Why. Kept in the store and shown, with the date, in the ``status`` check of
                reports from this installation's verifier; not in the status list.
            actor: Who revokes (None: the operator); must be an admin or a member of the
                credential's issuer.

        Returns:
            The revoked credential.

        Raises:
            InvalidInput: No reason given.
            NotFound: No such credential.
            PermissionDenied: The actor may not act for the credential's issuer.
            Conflict: It was revoked already.
        """
        self.get_for(credential_id, actor)
        text = " ".join(reason.split())
        if not text:
            raise InvalidInput("Give a reason for the revocation (--reason).")
        return self._repo.revoke(credential_id, text[:2000], datetime.now(UTC))

    def status_list(self, list_id: str) -> StatusListInfo:
        """What is stored about a status list.

        Raises:
            NotFound: No such list.
        """
        return self._repo.status_list(list_id)[0]

    def status_list_credential(self, list_id: str) -> dict[str, Any] | str:
        """The signed ``BitstringStatusListCredential`` of a list, computed now.

        Returns:
            A JSON-LD credential with a Data Integrity proof (Ed25519 issuers) or a VC-JWT
            (P-256 issuers).

        Raises:
            NotFound: No such list.
        """
        info, indices = self._repo.status_list(list_id)
        issuer, signer = self._issuers.signer(info.issuer_id, "web")
        unsigned = build_status_list_credential(
            url=info.url,
            issuer=issuer.did,
            purpose=info.purpose,
            set_indices=indices,
            size=info.size,
        )
        return sign_status_list_credential(unsigned, signer)

    def local_status(self, status_list_credential: str, index: int) -> bool | None:
        """Whether bit ``index`` of one of our status lists is set, read from the store.

        Args:
            status_list_credential: The list URL from a credential's ``credentialStatus``.
            index: The ``statusListIndex``.

        Returns:
            True if set (revoked), False if not, None when the list is not one of ours.
        """
        list_id = self.status_list_id_from_url(status_list_credential)
        if list_id is None:
            return None
        return self._repo.is_revoked(list_id, index)

    def local_revocation(
        self, status_list_credential: str, index: int
    ) -> tuple[datetime | None, str | None] | None:
        """When and why the credential at ``index`` of one of our status lists was revoked.

        Args:
            status_list_credential: The list URL from a credential's ``credentialStatus``.
            index: The ``statusListIndex``.

        Returns:
            None when the list is not ours; ``(None, None)`` when not revoked; else
            ``(revoked_at, reason)``.
        """
        list_id = self.status_list_id_from_url(status_list_credential)
        if list_id is None:
            return None
        return self._repo.revocation(list_id, index)

    def revoked_by_id(self, credential_id: str) -> bool | None:
        """Whether a credential issued here is revoked, by its id (ELM credentials carry no
        status entry: their status is kept under their ``id``).

        Returns:
            True if revoked, False if not, None when no credential with this id was issued here.
        """
        if not credential_id.startswith("urn:uuid:"):
            return None
        try:
            return self._repo.get(credential_id).revoked
        except NotFound:
            return None
