"""A recognition decision as an Open Badges 3.0 ``OpenBadgeCredential`` (unsigned).

Built like the employer attestation (:mod:`skillpass.credentials.formats.attestation`, same OB3
structures, https://www.imsglobal.org/spec/ob/v3p0/): issued by the recognising organisation's
``Profile`` (§B.1.9) and signed as its ``did:key``; the ``credentialSubject`` is an
``AchievementSubject`` (§B.1.2) naming the learner by a salted hash of the e-mail and the display
name; its ``achievement`` (§B.1.3) has ``achievementType: "ext:RecognitionDecision"`` (an
extension of the AchievementType vocabulary, §B.2.1, so nobody mistakes it for a
micro-credential), a ``name`` naming the decision and the target, the conditions in
``description``, a ``criteria.narrative`` saying who decided what on which report, and
``Alignment`` s (§B.1.5) to the target occupation (``ext:ESCOOccupation``) and — for full or
partial recognition — to each essential skill the report credited (``ext:ESCOSkill``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from skillpass.credentials.formats._common import isoformat_utc
from skillpass.credentials.formats.openbadges import (
    OB3_CONTEXT_URL,
    OB3_EXTENSIONS_CONTEXT_URL,
    OB3_SCHEMA_URL,
    VC2_CONTEXT_URL,
    _issuer,
    _subject,
)
from skillpass.credentials.models import IssuerProfile, LearnerRef
from skillpass.passport.models import SkillRef
from skillpass.pathways.models import TargetKind
from skillpass.recognition.models import DecisionKind, RecognitionReport
from skillpass.recognition.relatedness import CREDITED

__all__ = ["RECOGNITION_DECISION_TYPE", "build_decision_credential", "decision_title"]

#: The ``achievementType`` of a recognition decision (an OB3 extension value).
RECOGNITION_DECISION_TYPE = "ext:RecognitionDecision"
_WORDS = {
    DecisionKind.FULL: "Full recognition",
    DecisionKind.PARTIAL: "Partial recognition",
    DecisionKind.NONE: "No recognition",
}
_ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"


def decision_title(decision: DecisionKind, target_label: str) -> str:
    """``"Partial recognition: battery manufacturing technician"``."""
    return f"{_WORDS[decision]}: {target_label}"


def _alignment(uri: str, label: str, target_type: str) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetName": label,
        "targetUrl": uri,
        "targetCode": uri.rsplit("/", 1)[-1],
        "targetFramework": "ESCO",
        "targetType": target_type,
    }


def build_decision_credential(
    issuer: IssuerProfile,
    learner: LearnerRef,
    report: RecognitionReport,
    *,
    decision: DecisionKind,
    conditions: str | None,
    officer_name: str,
    credential_id: str,
    achievement_id: str,
    recognised: Sequence[SkillRef],
    issued_at: datetime,
) -> dict[str, Any]:
    """Build an unsigned OB3 credential of a recognition decision.

    Args:
        issuer: The recognising organisation (its ``id`` is the DID that will sign).
        learner: The person whose learning was recognised.
        report: The report the decision is based on.
        decision: Full, partial or no recognition.
        conditions: The conditions (required for partial recognition).
        officer_name: The recognition officer who decided.
        credential_id: The credential's id (``urn:uuid:…``).
        achievement_id: The achievement's id (``urn:uuid:…``).
        recognised: Essential skills the decision recognises (aligned as ESCO skills).
        issued_at: When the decision was taken (``validFrom``, ``awardedDate``); needs a time
            zone.

    Returns:
        The credential as a JSON-ready dict.
    """
    issued = isoformat_utc(issued_at, "issued_at")
    title = decision_title(decision, report.target_label)
    credited = sum(1 for c in report.essential if c.credit >= CREDITED)
    narrative = (
        f"{issuer.name} (recognition officer: {officer_name}) decided on "
        f"{issued_at.date().isoformat()}: {_WORDS[decision].lower()} of the holder's prior "
        f"learning against {report.target_label} ({report.target.kind.value} "
        f"{report.target.id}), based on recognition report {report.id}, which credited "
        f"{credited} of {len(report.essential)} essential skills."
    )
    description = narrative if not conditions else f"{narrative} Conditions: {conditions}"
    alignment: list[dict[str, Any]] = []
    if report.target.kind is TargetKind.OCCUPATION and report.target.id.startswith(
        _ESCO_OCCUPATION
    ):
        alignment.append(_alignment(report.target.id, report.target_label, "ext:ESCOOccupation"))
    if decision is not DecisionKind.NONE:
        alignment += [_alignment(s.uri, s.label, "ext:ESCOSkill") for s in recognised]
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": RECOGNITION_DECISION_TYPE,
        "name": title,
        "description": description,
        "criteria": {"narrative": narrative},
    }
    if alignment:
        achievement["alignment"] = alignment
    return {
        "@context": [VC2_CONTEXT_URL, OB3_CONTEXT_URL, OB3_EXTENSIONS_CONTEXT_URL],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{title} ({issuer.name})",
        "issuer": _issuer(issuer),
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSubject": _subject(learner, achievement, None),
        "credentialSchema": [{"id": OB3_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
    }
