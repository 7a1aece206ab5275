"""Employer attestations of workplace learning.

A learner asks an employer organisation on the platform to attest a role (title, period, tasks).
The matching engine suggests ESCO skills from the tasks; a member of the organisation (or an
admin) confirms the skills and attests, which signs an attestation credential as the organisation
(``credentials.formats.attestation``: an OB3 ``OpenBadgeCredential`` whose achievement type is
``ext:WorkplaceLearning`` — distinct from a micro-credential) and puts it in the learner's
passport; or declines. An organisation only ever sees requests addressed to it.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from skillpass.auth.models import Role
from skillpass.credentials.formats.attestation import build_attestation_credential
from skillpass.credentials.issuance import IssuanceService
from skillpass.credentials.models import EscoSkillRef, LearnerRef
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from skillpass.ids import new_public_id
from skillpass.passport.attestation_repository import AttestationRepository, NewAttestation
from skillpass.passport.models import (
    AttestationRequest,
    AttestationStatus,
    ItemSource,
    SkillRef,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.issuers import IssuerService
    from skillpass.passport.service import PassportService

__all__ = ["AttestationService"]

#: Longest role title and task description accepted.
MAX_ROLE_CHARS = 300
MAX_TASKS_CHARS = 20_000
MAX_NOTE_CHARS = 2_000
MAX_SKILLS = 100
_LANG = re.compile(r"^[a-z]{2}$")


class AttestationService:
    """Request, review, sign and decline employer attestations.

    Permissions: a learner (role ``learner``) requests and sees their own requests; someone
    who may act for the organisation (:meth:`IssuerService.check_can_act`: an admin, or a user
    with the ``issuer`` role who is a member) sees the requests addressed to it and decides
    them. Another learner's request id is reported as not found; deciding for an organisation
    one does not act for is refused (403); nobody attests their own request.
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        issuers: IssuerService,
        passport: PassportService,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._issuers = issuers
        self._passport = passport
        self._repo = AttestationRepository(engine)

    @property
    def repository(self) -> AttestationRepository:
        """The storage behind this service."""
        return self._repo

    # --- the learner's side ---------------------------------------------------------------

    def request(
        self,
        learner: User,
        organisation_id: str,
        role_title: str,
        period_start: date,
        period_end: date | None,
        tasks: str,
        lang: str | None = None,
    ) -> AttestationRequest:
        """A learner asks an organisation to attest a role; skills are suggested from ``tasks``.

        Args:
            learner: The signed-in learner.
            organisation_id: Public id of the employer organisation.
            role_title: The role or job title held.
            period_start: First day in the role.
            period_end: Last day, or None while still in the role.
            tasks: Tasks and responsibilities in free text (the matching engine suggests ESCO
                skills from it).
            lang: ISO 639-1 language of ``tasks``; detected when omitted.

        Returns:
            The stored request (status ``requested``) with its skill suggestions.

        Raises:
            InvalidInput: Empty role or tasks, a period that ends before it starts or starts in
                the future.
            NotFound: No such organisation.
            PermissionDenied: The user does not have the learner role.
        """
        if Role.LEARNER not in learner.roles:
            raise PermissionDenied(
                "Asking for an attestation needs the learner role; ask an administrator to "
                f"grant it (`skillpass admin set-roles {learner.email} --role learner`).",
                details={"needed": ["learner"]},
            )
        role = " ".join(role_title.split())
        if not role:
            raise InvalidInput("Give the role or job title to attest.", details={"field": "role"})
        if len(role) > MAX_ROLE_CHARS:
            raise InvalidInput(f"The role is longer than {MAX_ROLE_CHARS} characters.")
        text = tasks.strip()
        if not text:
            raise InvalidInput(
                "Describe the tasks and responsibilities: the employer attests them and skills "
                "are suggested from them.",
                details={"field": "tasks"},
            )
        if len(text) > MAX_TASKS_CHARS:
            raise InvalidInput(f"The tasks are longer than {MAX_TASKS_CHARS:,} characters.")
        today = datetime.now(UTC).date()
        if period_start > today:
            raise InvalidInput(
                "The period starts in the future; an employer can only attest work done.",
                details={"field": "period_start"},
            )
        if period_end is not None and period_end < period_start:
            raise InvalidInput(
                "The period ends before it starts; check the dates.",
                details={"field": "period_end"},
            )
        if period_end is not None and period_end > today:
            raise InvalidInput(
                "The period ends in the future; leave the end empty while you still hold the role.",
                details={"field": "period_end"},
            )
        language = lang.strip().lower() if lang and lang.strip() else None
        if language is not None and not _LANG.match(language):
            raise InvalidInput(f"{lang!r} is not a two-letter ISO 639-1 language code.")
        self._issuers.get(organisation_id)  # NotFound for an unknown organisation
        suggestions = self._passport.suggest_skills(text, language)
        return self._repo.add(
            NewAttestation(
                public_id=new_public_id(),
                learner_id=learner.public_id,
                organisation_id=organisation_id,
                role_title=role,
                period_start=period_start,
                period_end=period_end,
                tasks=text,
                lang=language,
                suggested_skills=suggestions,
                requested_at=datetime.now(UTC),
            )
        )

    def for_learner(self, learner: User) -> list[AttestationRequest]:
        """The learner's own requests, newest first."""
        return self._repo.for_learner(learner.public_id)

    # --- the employer's side --------------------------------------------------------------

    def inbox(
        self, actor: User, status: AttestationStatus | None = AttestationStatus.REQUESTED
    ) -> list[AttestationRequest]:
        """Requests addressed to organisations the actor acts for (all, for an admin).

        Args:
            actor: The signed-in user.
            status: Only requests with this status (default: those still waiting); None for
                every request.

        Returns:
            The requests, newest first; empty for someone who acts for no organisation.
        """
        if Role.ADMIN in actor.roles:
            return self._repo.for_organisations(None, status)
        organisations = [org.id for org in self._issuers.organisations_for(actor)]
        return self._repo.for_organisations(organisations, status)

    def _can_act(self, actor: User, organisation_id: str) -> bool:
        try:
            self._issuers.check_can_act(actor, organisation_id)
        except PermissionDenied:
            return False
        return True

    def get(self, actor: User, attestation_id: str) -> AttestationRequest:
        """One request, for its learner or for someone who acts for its organisation.

        Raises:
            NotFound: No such request visible to the actor.
        """
        found = self._repo.get(attestation_id)
        if found is None or not (
            found.learner_id == actor.public_id or self._can_act(actor, found.organisation_id)
        ):
            raise NotFound(
                f"No attestation request {attestation_id!r} that you can see.",
                details={"attestation": attestation_id},
            )
        return found

    def _decidable(self, actor: User, attestation_id: str) -> AttestationRequest:
        found = self._repo.get(attestation_id)
        if found is None:
            raise NotFound(
                f"No attestation request {attestation_id!r}.",
                details={"attestation": attestation_id},
            )
        self._issuers.check_can_act(actor, found.organisation_id)
        if found.learner_id == actor.public_id:
            raise PermissionDenied(
                "You cannot decide on your own attestation request; another member of "
                f"{found.organisation_name} has to.",
                details={"attestation": attestation_id},
            )
        if found.status is not AttestationStatus.REQUESTED:
            raise Conflict(
                f"This request was {found.status.value} already"
                + (f" on {found.decided_at:%Y-%m-%d}" if found.decided_at else "")
                + "; it cannot be decided again.",
                details={"attestation": attestation_id, "status": found.status.value},
            )
        return found

    @staticmethod
    def _note(note: str | None, *, required: bool) -> str | None:
        text = note.strip() if note else ""
        if required and not text:
            raise InvalidInput(
                "Give the reason for declining; the learner sees it.", details={"field": "note"}
            )
        if len(text) > MAX_NOTE_CHARS:
            raise InvalidInput(f"The note is longer than {MAX_NOTE_CHARS:,} characters.")
        return text or None

    def _confirmed(self, found: AttestationRequest, skills: list[str]) -> list[SkillRef]:
        uris = list(dict.fromkeys(uri.strip() for uri in skills if uri and uri.strip()))
        if len(uris) > MAX_SKILLS:
            raise InvalidInput(f"Confirm at most {MAX_SKILLS} skills.")
        labels = {s.uri: s.label for s in found.suggested_skills}
        missing = [uri for uri in uris if uri not in labels]
        labels.update(self._repo.skill_labels(missing))
        unknown = [uri for uri in uris if uri not in labels]
        if unknown:
            raise InvalidInput(
                f"Not ESCO skills known here: {', '.join(unknown)}. Pick skills from the "
                "suggestions or from the ESCO search.",
                details={"field": "skills", "unknown": unknown},
            )
        return [SkillRef(uri=uri, label=labels[uri]) for uri in uris]

    def _sign(
        self, found: AttestationRequest, skills: list[SkillRef], issued_at: datetime
    ) -> tuple[str, str]:
        """The signed attestation (JSON text, or a VC-JWT for a P-256 key) and its id."""
        email, name = self._repo.learner_contact(found.id)
        issuer, signer = self._issuers.signer(found.organisation_id, "key")
        profile = IssuanceService._profile(issuer, self._issuers.issuer_did(issuer, "key"))
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        document = build_attestation_credential(
            profile,
            LearnerRef.from_email(email, salt=secrets.token_hex(16), name=name),
            credential_id=credential_id,
            achievement_id=f"urn:uuid:{uuid.uuid4()}",
            role=found.role_title,
            tasks=found.tasks,
            period_start=found.period_start,
            period_end=found.period_end,
            skills=[EscoSkillRef(uri=s.uri, label=s.label) for s in skills],
            issued_at=issued_at,
            lang=found.lang,
        )
        if signer.algorithm != "Ed25519":  # Data Integrity eddsa needs Ed25519; JOSE for P-256
            return sign_vc_jwt(document, signer), credential_id
        signed = sign_data_integrity(document, signer, cryptosuite="eddsa-rdfc-2022")
        return json.dumps(signed, ensure_ascii=False, indent=2), credential_id

    def attest(
        self,
        actor: User,
        attestation_id: str,
        skills: list[str],
        note: str | None = None,
    ) -> AttestationRequest:
        """Confirm the skills (ESCO URIs, from the suggestions or added) and sign the attestation
        as the organisation; the credential goes into the learner's passport.

        Args:
            actor: Someone who acts for the organisation.
            attestation_id: The request's public id.
            skills: The ESCO skill URIs the employer confirms (suggested ones, or any skill of
                the imported taxonomy).
            note: An optional note the learner sees.

        Returns:
            The request, now ``attested``, with the signed credential and its passport item.

        Raises:
            NotFound: No such request visible to the actor.
            PermissionDenied: The actor may not act for the organisation.
            Conflict: Already attested or declined.
            InvalidInput: Unknown skill URIs.
        """
        found = self._decidable(actor, attestation_id)
        text = self._note(note, required=False)
        confirmed = self._confirmed(found, skills)
        decided_at = datetime.now(UTC).replace(microsecond=0)
        document, credential_id = self._sign(found, confirmed, decided_at)
        if not self._repo.decide(
            attestation_id,
            status=AttestationStatus.ATTESTED,
            decided_by=actor.public_id,
            decided_at=decided_at,
            note=text,
            confirmed_skills=confirmed,
            credential_id=credential_id,
            document=document,
        ):
            raise Conflict(
                "This request was decided by someone else a moment ago.",
                details={"attestation": attestation_id},
            )
        try:
            item = self._passport.add_document(
                found.learner_id, document, ItemSource.ATTESTED, issued_credential=None
            )
        except BaseException:
            self._repo.undo_decision(attestation_id)
            raise
        self._repo.link_item(attestation_id, item.id)
        return self._after(attestation_id)

    def decline(self, actor: User, attestation_id: str, note: str) -> AttestationRequest:
        """Decline a request with a reason the learner sees.

        Raises:
            NotFound / PermissionDenied / Conflict: as for :meth:`attest`.
            InvalidInput: No reason given.
        """
        self._decidable(actor, attestation_id)
        text = self._note(note, required=True)
        if not self._repo.decide(
            attestation_id,
            status=AttestationStatus.DECLINED,
            decided_by=actor.public_id,
            decided_at=datetime.now(UTC).replace(microsecond=0),
            note=text,
        ):
            raise Conflict(
                "This request was decided by someone else a moment ago.",
                details={"attestation": attestation_id},
            )
        return self._after(attestation_id)

    def _after(self, attestation_id: str) -> AttestationRequest:
        found = self._repo.get(attestation_id)
        assert found is not None
        return found
