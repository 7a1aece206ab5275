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

import json
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from skillpass.auth.models import Role
from skillpass.credentials.issuance import IssuanceService
from skillpass.credentials.models import LearnerRef
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.errors import InvalidInput, NotFound, PermissionDenied
from skillpass.ids import new_public_id
from skillpass.passport._credential_items import item_from_report
from skillpass.passport.models import (
    ItemKind,
    ItemSource,
    PassportItem,
    SkillRef,
    Strength,
)
from skillpass.recognition.attestation import build_decision_credential
from skillpass.recognition.models import (
    CoverEvidence,
    CreditComparison,
    DecisionKind,
    EvidenceStatus,
    LevelComparison,
    RecognitionDecision,
    RecognitionReport,
    RecognitionRequest,
    SkillCoverage,
)
from skillpass.recognition.relatedness import CREDITED, Credit, find_credits
from skillpass.recognition.repository import RecognitionRepository, StoredReport
from skillpass.recognition.summary import suggest_decision, write_summary

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.issuers import IssuerService
    from skillpass.credentials.trust import TrustService
    from skillpass.credentials.verify import VerificationReport
    from skillpass.matching.service import MatchingService
    from skillpass.mobility.platform import PlatformEvents
    from skillpass.passport.service import PassportService
    from skillpass.pathways.targets import TargetRequirements, TargetResolver
    from skillpass.qualifications.service import QualificationService
    from skillpass.taxonomy.service import TaxonomyService

__all__ = ["MAX_CONDITIONS_CHARS", "MAX_EVIDENCE_PER_SKILL", "RecognitionService"]

#: Longest conditions text a decision may carry.
MAX_CONDITIONS_CHARS = 5_000
#: Most pieces of evidence listed under one required skill (the strongest first).
MAX_EVIDENCE_PER_SKILL = 10
_OFFICERS = frozenset({Role.VERIFIER, Role.ADMIN})
_NQF = re.compile(r"^(?P<framework>.+?) level (?P<level>\S+)(?: \((?P<country>[^)]+)\))?$")
_TARGET_WORDS = {
    "occupation": "occupation",
    "capability_area": "capability area",
    "achievement": "qualification",
}


@dataclass
class _Evidence:
    """One piece of evidence, from a passport item or an uploaded document."""

    item_id: str | None
    title: str
    issuer_name: str | None
    issuer_country: str | None
    verified: bool | None
    strength: Strength
    detail: str
    skills: list[SkillRef] = field(default_factory=list)
    eqf: int | None = None
    ects: float | None = None
    nqf: str | None = None
    credential_id: str | None = None


def _failed_checks(verification: dict[str, Any] | None) -> str:
    if verification is None:
        return "self-declared: nothing to verify"
    failed = [
        f"{check.get('name')}: {check.get('detail')}"
        for check in verification.get("checks") or []
        if isinstance(check, dict) and check.get("ok") is False
    ]
    if failed:
        return "; ".join(failed)
    if verification.get("verified"):
        return "all checks passed"
    return "; ".join(verification.get("errors") or []) or "not verified"


def _from_item(item: PassportItem) -> _Evidence:
    summary = (item.verification or {}).get("summary") or {}
    nqf = summary.get("nqf") if isinstance(summary, dict) else None
    return _Evidence(
        item_id=item.id,
        title=item.title,
        issuer_name=item.issuer_name,
        issuer_country=item.issuer_country,
        verified=item.verified if item.kind is not ItemKind.EXPERIENCE else None,
        strength=item.strength,
        detail=_failed_checks(item.verification) if item.document else _failed_checks(None),
        skills=list(item.skills),
        eqf=item.eqf,
        ects=item.ects,
        nqf=nqf if isinstance(nqf, str) else None,
        credential_id=item.credential_id,
    )


def _strength(kind: ItemKind, verified: bool) -> Strength:
    if not verified:
        return Strength.SELF_DECLARED
    if kind is ItemKind.ATTESTATION:
        return Strength.EMPLOYER_ATTESTED
    return Strength.VERIFIED_CREDENTIAL


def _from_document(number: int, document: str, report: VerificationReport) -> _Evidence:
    well_formed = report.check("well_formed")
    if not report.processable or (well_formed is not None and well_formed.ok is False):
        detail = "; ".join(report.errors) or "it is not a credential in a supported format"
        raise InvalidInput(
            f"Uploaded document {number} cannot be read as a credential: {detail}. Upload the "
            "credential exactly as the issuer sent it (JSON or JWT).",
            details={"document": number},
        )
    new = item_from_report(document, report, ItemSource.IMPORTED, checked_at=datetime.now(UTC))
    summary = report.summary
    return _Evidence(
        item_id=None,
        title=new.title,
        issuer_name=new.issuer_name,
        issuer_country=new.issuer_country,
        verified=report.verified,
        strength=_strength(new.kind, report.verified),
        detail=_failed_checks(report.to_dict()),
        skills=list(new.skills),
        eqf=new.eqf,
        ects=new.ects,
        nqf=summary.nqf if summary is not None else None,
        credential_id=new.credential_id,
    )


class RecognitionService:
    """Generate recognition reports and record decisions.

    Args:
        mobility: Records a recognition of a credential from another country as a mobility
            event (``skillpass.mobility.platform``); None records nothing.
    """

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
        *,
        mobility: PlatformEvents | None = None,
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
        self._mobility = mobility
        self._repo = RecognitionRepository(engine)

    @property
    def repository(self) -> RecognitionRepository:
        """The storage behind this service."""
        return self._repo

    # --- report --------------------------------------------------------------------------

    def report(self, actor: User, request: RecognitionRequest) -> RecognitionReport:
        """Generate and store a report. A learner may report on their own passport; a verifier
        (recognition officer) or admin on uploaded documents, or on a learner's items only
        through a share the learner made (pass its items' documents) — never by reading another
        passport directly.

        An officer may name the learner the uploaded documents belong to (``learner_id`` without
        ``item_ids``): nothing of that passport is read, and a decision attestation can then be
        delivered to it. Without ``learner_id``, ``item_ids`` name the actor's own items.

        Raises:
            NotFound: Unknown target or items. InvalidInput: no evidence at all.
            PermissionDenied: Reading someone else's passport.
        """
        learner_id = request.learner_id
        if learner_id is None and request.item_ids:
            learner_id = actor.public_id
        own = learner_id == actor.public_id
        if learner_id is not None and not own:
            if not actor.roles & _OFFICERS:
                raise PermissionDenied(
                    "Only the learner can report on their own passport; a recognition officer "
                    "(role verifier) reports on uploaded credentials.",
                    details={"learner": learner_id},
                )
            if request.item_ids or not request.documents:
                raise PermissionDenied(
                    "A recognition officer never reads another person's passport. Ask the "
                    "learner for a share link and upload the credentials it shows "
                    "(documents), or let the learner make the report.",
                    details={"learner": learner_id},
                )
        requirements = self._targets.requirements(request.target)
        evidence: list[_Evidence] = []
        if own:
            evidence += self._passport_evidence(actor, request.item_ids)
        for number, document in enumerate(request.documents, start=1):
            text = document.strip()
            if not text:
                raise InvalidInput(f"Uploaded document {number} is empty.")
            evidence.append(_from_document(number, text, self._trust.verify(text)))
        if not evidence:
            raise InvalidInput(
                "There is no evidence to compare: upload credentials (documents) or report on "
                "a passport that has items.",
            )
        report = self._build(actor, request, learner_id, requirements, evidence)
        self._repo.add_report(report)
        return report

    def _passport_evidence(self, owner: User, item_ids: list[str]) -> list[_Evidence]:
        """The owner's items (all when ``item_ids`` is empty), verified again now."""
        if item_ids:
            wanted = list(dict.fromkeys(item_ids))
            items = self._passport.shared_items(owner.public_id, wanted, recheck=True)
            missing = sorted(set(wanted) - {item.id for item in items})
            if missing:
                raise NotFound(
                    f"No passport item {', '.join(missing)} in your passport; pick items "
                    "from your passport.",
                    details={"items": missing},
                )
        else:
            ids = [item.id for item in self._passport.items(owner)]
            items = self._passport.shared_items(owner.public_id, ids, recheck=True)
        return [_from_item(item) for item in items]

    def _build(
        self,
        actor: User,
        request: RecognitionRequest,
        learner_id: str | None,
        requirements: TargetRequirements,
        evidence: list[_Evidence],
    ) -> RecognitionReport:
        required = {s.uri: s.label for s in [*requirements.essential, *requirements.optional]}
        offered: dict[str, str] = {}
        for piece in evidence:
            for skill in piece.skills:
                offered.setdefault(skill.uri, skill.label)
        notes: list[str] = []
        credits = find_credits(self._engine, offered, required, self._matching, notes=notes)
        by_required: dict[str, list[Credit]] = {}
        for credit in credits.values():
            by_required.setdefault(credit.required_uri, []).append(credit)
        essential = [self._coverage(s, True, by_required, evidence) for s in requirements.essential]
        optional = [self._coverage(s, False, by_required, evidence) for s in requirements.optional]
        level = self._level(evidence, requirements.eqf, notes)
        ects = sum(p.ects or 0.0 for p in evidence if p.verified is True)
        credit_cmp = CreditComparison(
            evidence_ects=round(ects, 2),
            target_ects=requirements.ects,
            meets=None if requirements.ects is None else ects >= requirements.ects,
        )
        statuses = [
            EvidenceStatus(
                item_id=p.item_id,
                title=p.title,
                issuer_name=p.issuer_name,
                issuer_country=p.issuer_country,
                verified=p.verified,
                strength=p.strength,
                detail=p.detail,
                credential_id=p.credential_id,
                eqf=p.eqf,
                capability_area=self._mobility.capability_area(s.uri for s in p.skills)
                if self._mobility is not None
                else None,
            )
            for p in evidence
        ]
        suggested = suggest_decision(essential, optional, level)
        summary = write_summary(
            target_label=requirements.label,
            target_kind=_TARGET_WORDS.get(request.target.kind.value, "target"),
            essential=essential,
            optional=optional,
            level=level,
            credits=credit_cmp,
            evidence=statuses,
            suggested=suggested,
        )
        if requirements.note:
            summary += f" How the target's skills were drawn: {requirements.note}"
        return RecognitionReport(
            id=new_public_id(),
            target=request.target,
            target_label=requirements.label,
            learner_id=learner_id,
            essential=essential,
            optional=optional,
            essential_coverage=_share(essential),
            optional_coverage=_share(optional),
            missing_essential=[c.skill for c in essential if c.credit < CREDITED],
            level=level,
            credits=credit_cmp,
            evidence=statuses,
            summary=summary,
            suggested_decision=suggested,
            created_at=datetime.now(UTC).replace(microsecond=0),
            created_by=actor.public_id,
        )

    @staticmethod
    def _coverage(
        skill: SkillRef,
        essential: bool,
        by_required: dict[str, list[Credit]],
        evidence: list[_Evidence],
    ) -> SkillCoverage:
        found: list[CoverEvidence] = []
        for credit in by_required.get(skill.uri, ()):
            for piece in evidence:
                match = next((s for s in piece.skills if s.uri == credit.evidence_uri), None)
                if match is None:
                    continue
                explanation = credit.explanation
                if piece.verified is False:
                    explanation += " — not counted: this evidence failed verification"
                found.append(
                    CoverEvidence(
                        item_id=piece.item_id,
                        item_title=piece.title,
                        evidence_skill=match,
                        how=credit.how,
                        credit=credit.weight,
                        strength=piece.strength,
                        verified=piece.verified,
                        explanation=explanation,
                    )
                )
        found.sort(key=lambda e: (e.verified is False, -e.credit, -e.strength.rank, e.item_title))
        counted = [e.credit for e in found if e.verified is not False]
        return SkillCoverage(
            skill=skill,
            essential=essential,
            credit=max(counted, default=0.0),
            evidence=found[:MAX_EVIDENCE_PER_SKILL],
        )

    def _nqf_to_eqf(self, nqf: str, notes: list[str], title: str) -> int | None:
        match = _NQF.match(nqf.strip())
        if match is None:
            notes.append(f"{title!r} states the national level {nqf!r}, which was not understood.")
            return None
        framework, level, country = match.group("framework", "level", "country")
        for where in [w for w in (country, framework) if w]:
            try:
                found = self._qualifications.to_eqf(where, level)
            except (NotFound, InvalidInput):
                continue
            fw, row = found.framework, found.level
            notes.append(
                f"{title!r}: {fw.country_code} {fw.acronym} level {row.nqf_level} is referenced "
                f"to EQF {row.eqf_level} ({row.certainty}; source: {row.source})."
            )
            return row.eqf_level
        notes.append(
            f"{title!r} states {nqf!r}, which SkillPass cannot reference to EQF "
            "(see docs/qualification-levels.md)."
        )
        return None

    def _level(
        self, evidence: list[_Evidence], target_eqf: int | None, notes: list[str]
    ) -> LevelComparison:
        levels: list[int] = []
        for piece in evidence:
            eqf = piece.eqf
            if piece.nqf:
                via_nqf = self._nqf_to_eqf(piece.nqf, notes, piece.title)
                if eqf is None:
                    eqf = via_nqf
                elif via_nqf is not None and via_nqf != eqf:
                    notes.append(
                        f"{piece.title!r} states EQF {eqf} but its national level is referenced "
                        f"to EQF {via_nqf}; EQF {eqf} as stated is used."
                    )
            if eqf is None:
                continue
            if piece.verified is True:
                levels.append(eqf)
                notes.append(f"{piece.title!r} (verified) is at EQF {eqf}.")
            else:
                notes.append(
                    f"{piece.title!r} states EQF {eqf} but is not verified; its level is not used."
                )
        evidence_eqf = max(levels, default=None)
        if evidence_eqf is not None and target_eqf is not None:
            notes.append(
                "Levels are compared through EQF, the translation device between national "
                "frameworks; the same level means comparable learning outcomes, not automatic "
                "recognition."
            )
        return LevelComparison(
            evidence_eqf=evidence_eqf,
            target_eqf=target_eqf,
            meets=None
            if evidence_eqf is None or target_eqf is None
            else evidence_eqf >= target_eqf,
            notes=notes,
        )

    # --- reading ----------------------------------------------------------------------------

    def _visible(self, actor: User, report_id: str) -> StoredReport:
        stored = self._repo.get_report(report_id)
        if Role.ADMIN in actor.roles or actor.public_id in (stored.created_by, stored.learner_id):
            return stored
        raise NotFound(
            f"No recognition report {report_id!r} that you may see; check the id, or ask whoever "
            "made the report.",
            details={"report": report_id},
        )

    def get_report(self, actor: User, report_id: str) -> RecognitionReport:
        """A stored report, for its creator, its learner or an admin.

        Raises:
            NotFound: No such report, or one the actor may not see (ids leak nothing).
        """
        return self._visible(actor, report_id).report

    def decisions(self, actor: User, report_id: str) -> list[RecognitionDecision]:
        """Every decision on a report (the audit trail), oldest first.

        Raises:
            NotFound: No such report, or one the actor may not see.
        """
        self._visible(actor, report_id)
        return self._repo.decisions(report_id)

    # --- decisions --------------------------------------------------------------------------

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

        The officer must see the report (made it, or is an admin) and may not decide on a report
        about themselves. Decisions are only ever added: a later decision on the same report
        supersedes an earlier one, and both stay in the audit trail.

        Raises:
            PermissionDenied: Not a recognition officer; may not act for the organisation;
                deciding on one's own recognition.
            InvalidInput: Partial recognition without conditions; conditions too long; an
                attestation for a report that names no learner.
            NotFound: No such report visible to the officer.
        """
        if not officer.roles & _OFFICERS:
            raise PermissionDenied(
                "Only a recognition officer (role verifier) or an admin records recognition "
                "decisions."
            )
        stored = self._visible(officer, report_id)
        report = stored.report
        if report.learner_id is not None and report.learner_id == officer.public_id:
            raise PermissionDenied(
                "You cannot decide on the recognition of your own learning; ask another "
                "recognition officer.",
                details={"report": report_id},
            )
        text = " ".join((conditions or "").split()) or None
        if text is not None and len(text) > MAX_CONDITIONS_CHARS:
            raise InvalidInput(
                f"Conditions are limited to {MAX_CONDITIONS_CHARS:,} characters; shorten them.",
                details={"field": "conditions"},
            )
        if decision is DecisionKind.PARTIAL and text is None:
            raise InvalidInput(
                "Partial recognition needs conditions: say what the learner still has to show "
                "or complete (e.g. the missing skills).",
                details={"field": "conditions"},
            )
        decided_at = datetime.now(UTC).replace(microsecond=0)
        credential_id: str | None = None
        document: str | None = None
        if issue_as_organisation is not None:
            self._issuers.check_can_act(officer, issue_as_organisation)
            if report.learner_id is None:
                raise InvalidInput(
                    "This report names no learner, so there is nobody to issue the decision "
                    "to. Make the report with the learner named, or record the decision "
                    "without an attestation.",
                    details={"report": report_id},
                )
            document, credential_id = self._sign(
                officer, issue_as_organisation, report, decision, text, decided_at
            )
        recorded = RecognitionDecision(
            id=new_public_id(),
            report_id=report_id,
            decision=decision,
            conditions=text,
            officer_id=officer.public_id,
            officer_name=officer.display_name,
            decided_at=decided_at,
            credential_id=credential_id,
            document=document,
        )
        self._repo.add_decision(recorded)  # the audit trail first: a decision is never lost
        if document is not None and report.learner_id is not None:
            self._passport.add_document(
                report.learner_id, document, ItemSource.ATTESTED, issued_credential=None
            )
        if self._mobility is not None:
            self._mobility.recognition_decided(
                officer,
                report,
                decision,
                organisation_id=issue_as_organisation,
                learner_email=self._passport.repository.user_email(report.learner_id)[0]
                if report.learner_id is not None
                else None,
            )
        return recorded

    def _sign(
        self,
        officer: User,
        organisation_id: str,
        report: RecognitionReport,
        decision: DecisionKind,
        conditions: str | None,
        decided_at: datetime,
    ) -> tuple[str, str]:
        """The signed decision credential (JSON text, or a VC-JWT for a P-256 key) and its id."""
        assert report.learner_id is not None
        email, name = self._passport.repository.user_email(report.learner_id)
        issuer, signer = self._issuers.signer(organisation_id, "key")
        profile = IssuanceService._profile(issuer, self._issuers.issuer_did(issuer, "key"))
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        credential = build_decision_credential(
            profile,
            LearnerRef.from_email(email, salt=secrets.token_hex(16), name=name),
            report,
            decision=decision,
            conditions=conditions,
            officer_name=officer.display_name,
            credential_id=credential_id,
            achievement_id=f"urn:uuid:{uuid.uuid4()}",
            recognised=[c.skill for c in report.essential if c.credit >= CREDITED],
            issued_at=decided_at,
        )
        if signer.algorithm != "Ed25519":  # Data Integrity eddsa needs Ed25519; JOSE for P-256
            return sign_vc_jwt(credential, signer), credential_id
        signed = sign_data_integrity(credential, signer, cryptosuite="eddsa-rdfc-2022")
        return json.dumps(signed, ensure_ascii=False, indent=2), credential_id


def _share(coverage: list[SkillCoverage]) -> float:
    """Weighted share of the skills credited (mean credit), 0 without skills."""
    if not coverage:
        return 0.0
    return round(sum(c.credit for c in coverage) / len(coverage), 4)
