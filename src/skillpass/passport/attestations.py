"""Employer attestations of workplace learning.

A learner asks an employer organisation on the platform to attest a role (title, period, tasks).
The matching engine suggests ESCO skills from the tasks; a member of the organisation (or an
admin) confirms the skills and attests, which signs an attestation credential as the organisation
(``credentials.formats.attestation``: an OB3 ``OpenBadgeCredential`` whose achievement type is
``ext:WorkplaceLearning`` — distinct from a micro-credential) and puts it in the learner's
passport; or declines. An organisation only ever sees requests addressed to it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from skillpass.passport.models import AttestationRequest, AttestationStatus

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.issuers import IssuerService
    from skillpass.passport.service import PassportService

__all__ = ["AttestationService"]


class AttestationService:
    """Request, review, sign and decline employer attestations."""

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

        Raises:
            InvalidInput: Empty role or tasks, a period that ends before it starts or starts in
                the future.
            NotFound: No such organisation.
        """
        raise NotImplementedError

    def for_learner(self, learner: User) -> list[AttestationRequest]:
        """The learner's own requests, newest first."""
        raise NotImplementedError

    def inbox(
        self, actor: User, status: AttestationStatus | None = AttestationStatus.REQUESTED
    ) -> list[AttestationRequest]:
        """Requests addressed to organisations the actor acts for (all, for an admin)."""
        raise NotImplementedError

    def get(self, actor: User, attestation_id: str) -> AttestationRequest:
        """One request, for its learner or for someone who acts for its organisation.

        Raises:
            NotFound: No such request visible to the actor.
        """
        raise NotImplementedError

    def attest(
        self,
        actor: User,
        attestation_id: str,
        skills: list[str],
        note: str | None = None,
    ) -> AttestationRequest:
        """Confirm the skills (ESCO URIs, from the suggestions or added) and sign the attestation
        as the organisation; the credential goes into the learner's passport.

        Raises:
            NotFound: No such request visible to the actor.
            PermissionDenied: The actor may not act for the organisation.
            Conflict: Already attested or declined.
            InvalidInput: Unknown skill URIs.
        """
        raise NotImplementedError

    def decline(self, actor: User, attestation_id: str, note: str) -> AttestationRequest:
        """Decline a request with a reason the learner sees.

        Raises:
            NotFound / PermissionDenied / Conflict: as for :meth:`attest`.
        """
        raise NotImplementedError
