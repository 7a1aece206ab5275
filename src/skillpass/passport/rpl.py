"""Recognition of prior learning (RPL).

A learner asks for the skills of a micro-credential definition to be validated from their prior
learning, with a statement and evidence files. The case goes to the definition's issuer: an
assessor who is a member of that organisation takes it (or a manager/admin assigns one), reviews,
may ask for more, records the assessment method and decides. Approval issues the micro-credential
with assessment type ``recognition_of_prior_learning`` into the learner's passport. Every step is
an :class:`~skillpass.passport.models.RplEvent` (who, when, what). An assessor sees only cases
assigned to them and the unassigned cases of their organisations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skillpass.passport.models import AssessmentMethod, EvidenceFile, RplCase

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.achievements import AchievementService
    from skillpass.credentials.issuance import IssuanceService
    from skillpass.credentials.issuers import IssuerService
    from skillpass.passport.service import PassportService

__all__ = ["RplService"]


class RplService:
    """The RPL workflow."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        issuers: IssuerService,
        achievements: AchievementService,
        credentials: IssuanceService,
        passport: PassportService,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._issuers = issuers
        self._achievements = achievements
        self._credentials = credentials
        self._passport = passport

    def request(
        self, learner: User, achievement_id: str, skills: list[str], statement: str
    ) -> RplCase:
        """Open a case for a definition. ``skills`` are ESCO URIs among the definition's outcome
        skills (empty: all of them).

        Raises:
            NotFound: No such definition.
            InvalidInput: Empty statement; skills not in the definition.
            Conflict: The learner already has an open case for this definition.
        """
        raise NotImplementedError

    def add_evidence(
        self, learner: User, case_id: str, filename: str, content: bytes
    ) -> EvidenceFile:
        """Attach evidence to an open case (checked like passport evidence).

        Raises:
            NotFound: Not the learner's case. Conflict: the case is decided.
            InvalidInput: Empty, too large or not an accepted type.
        """
        raise NotImplementedError

    def for_learner(self, learner: User) -> list[RplCase]:
        """The learner's cases, newest first."""
        raise NotImplementedError

    def queue(self, assessor: User) -> list[RplCase]:
        """Open cases assigned to the assessor plus unassigned open cases of the organisations
        they are a member of (all open cases for an admin)."""
        raise NotImplementedError

    def get(self, actor: User, case_id: str) -> RplCase:
        """One case, for its learner, its assessor, a member of the issuer who may take it, or an
        admin.

        Raises:
            NotFound: No such case visible to the actor.
        """
        raise NotImplementedError

    def take(self, assessor: User, case_id: str) -> RplCase:
        """An assessor who is a member of the issuer takes an unassigned case.

        Raises:
            PermissionDenied: Not an assessor of the issuer. Conflict: already assigned.
        """
        raise NotImplementedError

    def assign(self, actor: User, case_id: str, assessor_id: str) -> RplCase:
        """A manager of the issuer or an admin assigns an assessor (a user with the assessor
        role who is a member of the issuer).

        Raises:
            PermissionDenied: The actor may not assign. InvalidInput: not a suitable assessor.
        """
        raise NotImplementedError

    def request_more(self, assessor: User, case_id: str, note: str) -> RplCase:
        """The assessor asks the learner for more (status ``more_info_requested``)."""
        raise NotImplementedError

    def respond(self, learner: User, case_id: str, note: str) -> RplCase:
        """The learner answers a request for more (status back to ``in_review``)."""
        raise NotImplementedError

    def decide(
        self,
        assessor: User,
        case_id: str,
        approve: bool,
        method: AssessmentMethod,
        note: str,
    ) -> RplCase:
        """Record the assessment method and the decision. Approval issues the micro-credential
        (assessment type ``recognition_of_prior_learning``, described with the method) to the
        learner and adds it to their passport.

        Raises:
            PermissionDenied: Not the case's assessor (or an admin).
            Conflict: Already decided or withdrawn.
            InvalidInput: Empty note.
        """
        raise NotImplementedError

    def withdraw(self, learner: User, case_id: str) -> RplCase:
        """The learner withdraws an open case."""
        raise NotImplementedError
