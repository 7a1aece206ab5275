"""Open Badges 3.0 ``OpenBadgeCredential`` from an Annex I micro-credential (unsigned).

The document follows the W3C Verifiable Credentials Data Model 2.0 and 1EdTech Open Badges 3.0
(https://www.imsglobal.org/spec/ob/v3p0/):

* ``OpenBadgeCredential`` (spec §B.1.1 "AchievementCredential") with ``validFrom``/``validUntil``
  and ``awardedDate``;
* ``credentialSubject`` is an ``AchievementSubject`` (§B.1.2) identified by the learner's DID
  (``id``) and/or ``identifier`` entries (``IdentityObject``, §B.1.4: a salted ``sha256$`` hash of
  the e-mail address; the display name as a plain ``name`` identity);
* the ``achievement`` (§B.1.3 ``Achievement``) has ``achievementType: MicroCredential``, an
  ``Alignment`` (§B.1.5) per ESCO skill (``targetFramework: ESCO``, ``targetUrl`` = the ESCO URI)
  and for the EQF level, ``creditsAvailable`` = ECTS;
* the Annex I elements OB3 has no property for travel in SkillPass's extension context
  ``https://w3id.org/skillpass/annex1/v1`` (file ``contexts/files/skillpass-annex1-v1.jsonld``);
  docs/micro-credentials.md lists its terms;
* ``credentialStatus`` is a W3C ``BitstringStatusListEntry``; ``credentialSchema`` names the
  1EdTech JSON Schema.

Signing (Data Integrity or VC-JWT) adds ``proof`` later; :func:`ob3_schema_problems` checks a
document against the official JSON Schema (``proof`` is optional there, and must be an array when
present).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from skillpass.credentials.formats._common import isoformat_utc, number
from skillpass.credentials.models import (
    Achievement,
    IssuerProfile,
    LearnerRef,
    Organisation,
    StatusEntry,
)

__all__ = [
    "ANNEX1_CONTEXT_URL",
    "OB3_CONTEXT_URL",
    "OB3_EXTENSIONS_CONTEXT_URL",
    "OB3_SCHEMA_URL",
    "VC2_CONTEXT_URL",
    "build_openbadge_credential",
    "ob3_schema_problems",
]

VC2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: 1EdTech's context defining ``1EdTechJsonSchemaValidator2019`` (the ``credentialSchema`` type).
OB3_EXTENSIONS_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
#: SkillPass's extension context for the Annex I elements OB3 lacks.
ANNEX1_CONTEXT_URL = "https://w3id.org/skillpass/annex1/v1"
OB3_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
EQF_BASE = "http://data.europa.eu/snb/eqf/"


def _profile(
    *,
    id: str | None,
    name: str,
    country: str,
    region: str | None,
    url: str | None = None,
    email: str | None = None,
) -> dict[str, Any]:
    """An OB3 ``Profile`` (§B.1.9) with an ``Address`` (§B.1.11) carrying country and region."""
    profile: dict[str, Any] = {}
    if id:
        profile["id"] = id
    profile["type"] = ["Profile"]
    profile["name"] = name
    if url:
        profile["url"] = url
    if email:
        profile["email"] = email
    address: dict[str, Any] = {"type": ["Address"], "addressCountryCode": country}
    if region:
        address["addressRegion"] = region
    profile["address"] = address
    return profile


def _issuer(issuer: IssuerProfile) -> dict[str, Any]:
    profile = _profile(
        id=issuer.id,
        name=issuer.name,
        country=issuer.country,
        region=issuer.region,
        url=issuer.url,
        email=issuer.email,
    )
    if issuer.registration_identifiers:
        profile["otherIdentifier"] = [
            {
                "type": "IdentifierEntry",
                "identifier": entry.value,
                "identifierType": "ext:" + "".join(c for c in entry.scheme if c.isalnum()),
            }
            for entry in issuer.registration_identifiers
        ]
    return profile


def _awarding_body(body: Organisation) -> dict[str, Any]:
    return _profile(
        id=body.id, name=body.name, country=body.country, region=body.region, url=body.url
    )


def _alignments(achievement: Achievement) -> list[dict[str, Any]]:
    alignments: list[dict[str, Any]] = [
        {
            "type": ["Alignment"],
            "targetName": skill.label,
            "targetUrl": skill.uri,
            "targetCode": skill.uri.rsplit("/", 1)[-1],
            "targetFramework": "ESCO",
            "targetType": "ext:ESCOSkill",
        }
        for skill in achievement.esco_skills
    ]
    level = achievement.level
    if level.eqf is not None:
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {level.eqf}",
                "targetUrl": f"{EQF_BASE}{level.eqf}",
                "targetCode": str(level.eqf),
                "targetFramework": "EQF",
                "targetType": "ext:EQFLevel",
            }
        )
    if level.nqf is not None and level.nqf.uri:
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": f"{level.nqf.framework} level {level.nqf.level}",
                "targetUrl": level.nqf.uri,
                "targetCode": level.nqf.level,
                "targetFramework": f"NQF {level.nqf.country} {level.nqf.framework}",
                "targetType": "ext:NQFLevel",
            }
        )
    return alignments


def _criteria_narrative(achievement: Achievement) -> str:
    """Markdown criteria (§B.1.6 ``Criteria.narrative``): outcomes and how they are assessed."""
    lines = ["The learner has achieved these learning outcomes:", ""]
    lines += [f"{i}. {outcome.text}" for i, outcome in enumerate(achievement.learning_outcomes, 1)]
    assessment = achievement.assessment
    lines += ["", f"Assessment: {assessment.type.value.replace('_', ' ')}."]
    if assessment.description:
        lines[-1] += f" {assessment.description}"
    return "\n".join(lines)


def _annex1_terms(achievement: Achievement) -> dict[str, Any]:
    """Annex I elements without an OB3 property, in the SkillPass extension context terms."""
    terms: dict[str, Any] = {
        "awardingBody": [_awarding_body(body) for body in achievement.awarding_bodies],
        "learningOutcome": [
            {
                "type": "LearningOutcome",
                "description": outcome.text,
                "escoSkill": [skill.uri for skill in outcome.esco_skills],
            }
            for outcome in achievement.learning_outcomes
        ],
    }
    workload = achievement.workload
    if workload.ects is not None:
        terms["ectsCredits"] = number(workload.ects)
    if workload.hours is not None:
        terms["workloadHours"] = workload.hours
    if achievement.level.nqf is not None:
        nqf = achievement.level.nqf
        terms["nqfCountry"] = nqf.country
        terms["nqfFramework"] = nqf.framework
        terms["nqfLevel"] = nqf.level
    if achievement.level.qf_ehea_cycle is not None:
        terms["qfEheaCycle"] = achievement.level.qf_ehea_cycle.value
    terms["assessmentType"] = achievement.assessment.type.value
    if achievement.assessment.description:
        terms["assessmentDescription"] = achievement.assessment.description
    terms["participationMode"] = achievement.participation.mode.value
    terms["learningSetting"] = achievement.participation.setting.value
    terms["qualityAssurance"] = achievement.quality_assurance
    terms["teachingLanguage"] = list(achievement.languages)
    if achievement.prerequisites:
        terms["prerequisites"] = achievement.prerequisites
    if achievement.supervision is not None:
        terms["supervisionAndIdentityVerification"] = achievement.supervision.value
    if achievement.grading_scheme:
        terms["gradingScheme"] = achievement.grading_scheme
    if achievement.integration is not None:
        integration = achievement.integration
        terms["integration"] = integration.kind.value
        if integration.towards_name:
            target: dict[str, Any] = {"type": "StackingTarget", "name": integration.towards_name}
            if integration.towards_url:
                target["url"] = integration.towards_url
            terms["stackableTowards"] = target
    if achievement.further_information:
        terms["furtherInformation"] = achievement.further_information
    if achievement.capability_areas:
        terms["capabilityArea"] = list(achievement.capability_areas)
    return terms


def _achievement(achievement: Achievement, achievement_id: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": achievement.title,
        "description": achievement.description,
        "criteria": {"narrative": _criteria_narrative(achievement)},
        "alignment": _alignments(achievement),
        "inLanguage": achievement.languages[0],
    }
    if achievement.workload.ects is not None:
        document["creditsAvailable"] = number(achievement.workload.ects)
    document.update(_annex1_terms(achievement))
    return document


def _subject(learner: LearnerRef, achievement: dict[str, Any], grade: str | None) -> dict[str, Any]:
    subject: dict[str, Any] = {}
    if learner.did:
        subject["id"] = learner.did
    subject["type"] = ["AchievementSubject"]
    identifiers: list[dict[str, Any]] = []
    if learner.identity_hash:
        identifiers.append(
            {
                "type": "IdentityObject",
                "hashed": True,
                "identityHash": learner.identity_hash,
                "identityType": learner.identity_type,
                "salt": learner.salt,
            }
        )
    if learner.name:
        identifiers.append(
            {
                "type": "IdentityObject",
                "hashed": False,
                "identityHash": learner.name,
                "identityType": "name",
            }
        )
    if identifiers:
        subject["identifier"] = identifiers
    subject["achievement"] = achievement
    if grade:
        subject["result"] = [{"type": ["Result"], "value": grade}]
    return subject


def build_openbadge_credential(
    achievement: Achievement,
    issuer: IssuerProfile,
    learner: LearnerRef,
    *,
    credential_id: str,
    achievement_id: str,
    issued_at: datetime,
    valid_until: datetime | None = None,
    status: StatusEntry | None = None,
    grade: str | None = None,
) -> dict[str, Any]:
    """Build an unsigned OB3 ``OpenBadgeCredential`` for one learner.

    Args:
        achievement: The micro-credential definition.
        issuer: The issuing organisation (its ``id`` is the DID that will sign).
        learner: Who earned it (Annex I "identification of the learner").
        credential_id: The credential's id (a URL or ``urn:uuid:``).
        achievement_id: The achievement's public URL or URN (OB3 requires an id).
        issued_at: Annex I "date of issuing"; becomes ``validFrom`` and ``awardedDate``.
            Must carry a time zone.
        valid_until: Optional expiry (``validUntil``).
        status: The Bitstring Status List entry for revocation.
        grade: Annex I "grade achieved", if any (an OB3 ``Result``).

    Returns:
        The credential as a JSON-ready dict; every term is defined by its four contexts
        (VC 2.0, OB 3.0.3, 1EdTech extensions, SkillPass Annex I).

    Raises:
        InvalidInput: A date has no time zone, or ``valid_until`` is not after ``issued_at``.
    """
    issued = isoformat_utc(issued_at, "issued_at")
    credential: dict[str, Any] = {
        "@context": [
            VC2_CONTEXT_URL,
            OB3_CONTEXT_URL,
            OB3_EXTENSIONS_CONTEXT_URL,
            ANNEX1_CONTEXT_URL,
        ],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.title,
        "issuer": _issuer(issuer),
        "validFrom": issued,
        "awardedDate": issued,
    }
    if valid_until is not None:
        credential["validUntil"] = isoformat_utc(valid_until, "valid_until", after=issued_at)
    credential["credentialSubject"] = _subject(
        learner, _achievement(achievement, achievement_id), grade
    )
    if status is not None:
        credential["credentialStatus"] = status.to_json()
    credential["credentialSchema"] = [
        {"id": OB3_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    return credential


def ob3_schema_problems(credential: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Check a credential against the 1EdTech OB3 JSON Schema (draft 2019-09).

    Args:
        credential: An OB3 credential, signed or not.
        schema: The parsed ``ob_v3p0_achievementcredential_schema.json``.

    Returns:
        One readable line per violation (JSON path and message); empty when it conforms.
    """
    from jsonschema import Draft201909Validator  # heavy import, only when checking

    validator = Draft201909Validator(dict(schema))
    problems = []
    for error in sorted(validator.iter_errors(dict(credential)), key=lambda e: e.json_path):
        problems.append(f"{error.json_path}: {error.message}")
    return problems
