"""Recognition reports and decisions.

A report compares evidence (a learner's passport items and/or uploaded credentials, each verified)
with a target's requirements (``pathways.targets``): coverage of essential and optional skills
with the evidence behind each, credited not only by exact URI but through ESCO's hierarchy,
skill–skill relations and the matching engine, each indirect credit explained; EQF levels
(through NQF referencing) and ECTS compared; a plain-language summary. A recognition officer
(role ``verifier``) records a decision — full, partial or no recognition, with conditions —
stored and auditable, optionally issued to the learner as a signed attestation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skillpass.recognition.models import (
    DecisionKind,
    RecognitionDecision,
    RecognitionReport,
    RecognitionRequest,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.issuers import IssuerService
    from skillpass.credentials.trust import TrustService
    from skillpass.matching.service import MatchingService
    from skillpass.passport.service import PassportService
    from skillpass.pathways.targets import TargetResolver
    from skillpass.qualifications.service import QualificationService
    from skillpass.taxonomy.service import TaxonomyService

__all__ = ["RecognitionService"]


class RecognitionService:
    """Generate recognition reports and record decisions."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        targets: TargetResolver,
        passport: PassportService,
        trust: TrustService,
        taxonomy: TaxonomyService,
        qualifications: QualificationService,
        matching: MatchingService,
        issuers: IssuerService,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._targets = targets
        self._passport = passport
        self._trust = trust
        self._taxonomy = taxonomy
        self._qualifications = qualifications
        self._matching = matching
        self._issuers = issuers

    def report(self, actor: User, request: RecognitionRequest) -> RecognitionReport:
        """Generate and store a report. A learner may report on their own passport; a verifier
        (recognition officer) or admin on uploaded documents, or on a learner's items only
        through a share the learner made (pass its items' documents) — never by reading another
        passport directly.

        Raises:
            NotFound: Unknown target or items. InvalidInput: no evidence at all.
            PermissionDenied: Reading someone else's passport.
        """
        raise NotImplementedError

    def get_report(self, actor: User, report_id: str) -> RecognitionReport:
        """A stored report, for its creator, its learner or an admin."""
        raise NotImplementedError

    def decide(
        self,
        officer: User,
        report_id: str,
        decision: DecisionKind,
        conditions: str | None = None,
        *,
        issue_as_organisation: str | None = None,
    ) -> RecognitionDecision:
        """Record a decision (role verifier or admin). With ``issue_as_organisation`` (an
        organisation the officer acts for), also sign it as an attestation credential and put it
        in the learner's passport when the report names a learner.

        Raises:
            PermissionDenied: Not a recognition officer; may not act for the organisation.
            InvalidInput: Partial recognition without conditions.
        """
        raise NotImplementedError

    def decisions(self, actor: User, report_id: str) -> list[RecognitionDecision]:
        """Every decision on a report (the audit trail), oldest first."""
        raise NotImplementedError
