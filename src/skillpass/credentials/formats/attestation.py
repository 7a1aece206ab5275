"""Employer attestation of workplace learning as an Open Badges 3.0 ``OpenBadgeCredential``
(unsigned).

An attestation is not a micro-credential: it says that the employer organisation confirms a
person held a role for a period, with these tasks, and practised these ESCO skills. It uses the
same OB3 structures as :mod:`~skillpass.credentials.formats.openbadges`
(https://www.imsglobal.org/spec/ob/v3p0/):

* ``OpenBadgeCredential`` (§B.1.1 "AchievementCredential"), issued by the organisation's
  ``Profile`` (§B.1.9) and signed as its ``did:key`` (Data Integrity, ``eddsa-rdfc-2022``);
* ``credentialSubject`` is an ``AchievementSubject`` (§B.1.2) identified like a micro-credential's
  learner (a salted ``sha256$`` hash of the e-mail, the display name) and carrying the OB3
  properties made for this: ``role`` and ``activityStartDate`` / ``activityEndDate`` (OB3 types
  them DateTime in the data model and JSON Schema; given at midnight UTC of the day);
* its ``achievement`` (§B.1.3) has ``achievementType: "ext:WorkplaceLearning"`` (an extension
  of the AchievementType vocabulary, §B.2.1 — so that nobody mistakes it for a
  ``MicroCredential``), ``name`` ``"Workplace learning: <role>"``, the tasks as ``description``,
  a ``criteria.narrative`` saying who attested what, and one ``Alignment`` (§B.1.5) per confirmed
  ESCO skill (``targetFramework: ESCO``, ``targetUrl`` = the ESCO URI);
* only the VC 2.0, OB 3.0.3 and 1EdTech extension contexts are needed (every term is defined
  there), and ``credentialSchema`` names the 1EdTech JSON Schema, which the result passes.

No ``credentialStatus``: attestations are not on a status list (see docs/attestations-and-rpl.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
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
from skillpass.credentials.models import EscoSkillRef, IssuerProfile, LearnerRef
from skillpass.errors import InvalidInput

__all__ = ["WORKPLACE_LEARNING_TYPE", "build_attestation_credential"]

#: The ``achievementType`` of an employer attestation (an OB3 extension value).
WORKPLACE_LEARNING_TYPE = "ext:WorkplaceLearning"


def _day(value: date) -> str:
    return isoformat_utc(datetime.combine(value, time(0, 0), tzinfo=UTC), "period")


def _period_text(start: date, end: date | None) -> str:
    return f"from {start.isoformat()} to {end.isoformat()}" if end else f"since {start.isoformat()}"


def build_attestation_credential(
    issuer: IssuerProfile,
    learner: LearnerRef,
    *,
    credential_id: str,
    achievement_id: str,
    role: str,
    tasks: str,
    period_start: date,
    period_end: date | None,
    skills: Sequence[EscoSkillRef],
    issued_at: datetime,
    lang: str | None = None,
) -> dict[str, Any]:
    """Build an unsigned OB3 attestation of workplace learning.

    Args:
        issuer: The employer organisation (its ``id`` is the DID that will sign).
        learner: The person whose work is attested.
        credential_id: The credential's id (``urn:uuid:…``).
        achievement_id: The achievement's id (OB3 requires one; a ``urn:uuid:`` is fine).
        role: The role or job title held.
        tasks: Tasks and responsibilities, as the learner described them and the employer
            confirmed them.
        period_start: First day in the role.
        period_end: Last day, or None while still in the role.
        skills: The ESCO skills the employer confirmed.
        issued_at: When the employer attested; ``validFrom`` and ``awardedDate``. Needs a time
            zone.
        lang: ISO 639-1 language of the text, if known.

    Returns:
        The credential as a JSON-ready dict.

    Raises:
        InvalidInput: Empty role or tasks, a period that ends before it starts, or an
            ``issued_at`` without a time zone.
    """
    role_text = " ".join(role.split())
    if not role_text or not tasks.strip():
        raise InvalidInput("An attestation needs a role and a description of the tasks.")
    if period_end is not None and period_end < period_start:
        raise InvalidInput("The period ends before it starts.")
    issued = isoformat_utc(issued_at, "issued_at")
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": WORKPLACE_LEARNING_TYPE,
        "name": f"Workplace learning: {role_text}",
        "description": tasks.strip(),
        "criteria": {
            "narrative": (
                f"{issuer.name} attests that the holder worked as {role_text} "
                f"{_period_text(period_start, period_end)}, with the tasks and "
                "responsibilities described, and practised the aligned ESCO skills."
            )
        },
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": skill.label,
                "targetUrl": skill.uri,
                "targetCode": skill.uri.rsplit("/", 1)[-1],
                "targetFramework": "ESCO",
                "targetType": "ext:ESCOSkill",
            }
            for skill in skills
        ],
    }
    if lang:
        achievement["inLanguage"] = lang
    subject = _subject(learner, achievement, None)
    subject["role"] = role_text
    subject["activityStartDate"] = _day(period_start)
    if period_end is not None:
        subject["activityEndDate"] = _day(period_end)
    return {
        "@context": [VC2_CONTEXT_URL, OB3_CONTEXT_URL, OB3_EXTENSIONS_CONTEXT_URL],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Workplace learning: {role_text} at {issuer.name}",
        "issuer": _issuer(issuer),
        "validFrom": issued,
        "awardedDate": issued,
        "credentialSubject": subject,
        "credentialSchema": [{"id": OB3_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
    }
