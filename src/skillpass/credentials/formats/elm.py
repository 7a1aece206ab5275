"""European Learning Model v3 / Europass Digital Credential from an Annex I micro-credential.

Builds an *unsigned* ``EuropeanDigitalCredential`` (JSON-LD, contexts VC 1.1 +
``http://data.europa.eu/snb/model/context/edc-ap``) modelled on the official Annex I
micro-credential sample of the European Learning Model repository
(https://github.com/european-commission-empl/European-Learning-Model, "Credentials/JSON-LD
Examples (ELM v3)"), and conforming to the EDC SHACL shapes ``EDC-generic-no-cv.ttl`` and
``EDC-generic-full.ttl`` (checked in the tests with pyshacl).

Element mapping (see docs/micro-credentials.md):

* learner → ``credentialSubject`` ``Person`` (DID as id; hashed e-mail as an ``Identifier``);
* title, description, awarding bodies, date of issuing → ``LearningAchievement`` with an
  ``AwardingProcess`` (``awardingBody``, ``awardingDate``);
* learning outcomes → ``Qualification.learningOutcome`` with ``relatedESCOSkill``;
* workload → ``creditPoint`` (ECTS) and ``volumeOfLearning`` (hours, ISO 8601 duration);
* level → ``eqfLevel`` (and ``nqfLevel`` when its QDR concept URI is known);
* assessment, supervision, grade → ``LearningAssessment`` (``idVerification``, ``grade``) specified
  by a ``LearningAssessmentSpecification`` (type, grading scheme);
* participation → ``mode`` and ``learningSetting``;
* prerequisites → ``entryRequirement``;
* quality assurance, integration/stackability, further information and values with no EU concept
  (informal/workplace setting, supervised assessments, QF-EHEA cycle, NQF without a URI) →
  ``additionalNote`` ``Note`` items whose ``subject`` names the Annex I element.

The issuer's ``eIDASIdentifier`` (required by the shapes) is the registration identifier whose
scheme is ``eidas`` (else the first one); an issuer with none is identified by its DID. A
qualified electronic seal (QSealC) carries the legal identifier in its certificate; sealing is
done by :mod:`skillpass.credentials.proofs`.

The VC 1.1 ``credentialStatus`` term is not used: the EDC shapes only allow a literal there, so
the status of an ELM credential is kept and checked by SkillPass under its ``id``.
"""

from __future__ import annotations

import base64
import struct
import zlib
from datetime import datetime
from typing import Any

from skillpass.credentials.formats import _elm_vocab as vocab
from skillpass.credentials.formats._common import isoformat_utc, number
from skillpass.credentials.models import (
    Achievement,
    IssuerProfile,
    LearnerRef,
    Organisation,
    StatusEntry,
)
from skillpass.errors import InvalidInput

__all__ = [
    "ANNEX1_VOCAB",
    "EDC_CONTEXT_URL",
    "EDC_SHAPES",
    "VC1_CONTEXT_URL",
    "build_elm_credential",
]

VC1_CONTEXT_URL = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"
#: The EDC application profiles the credential declares (``credentialSchema``).
EDC_SHAPES = (
    "http://data.europa.eu/snb/model/ap/edc-generic-full",
    "http://data.europa.eu/snb/model/ap/edc-generic-no-cv",
)
#: Base of SkillPass's own concept schemes (Annex I elements, assessment types).
ANNEX1_VOCAB = "https://w3id.org/skillpass/annex1/v1/"

_ELEMENT_LABELS = {
    "quality-assurance": "Type of quality assurance",
    "learning-setting": "Form of participation: learning setting",
    "level": "Level and cycle",
    "supervision": "Supervision and identity verification during assessment",
    "integration": "Integration/stackability options",
    "further-information": "Further information",
    "languages": "Languages",
}


def _concept(
    uri: str, label: str, scheme: str, lang: str = "en", notation: str | None = None
) -> dict[str, Any]:
    concept: dict[str, Any] = {
        "id": uri,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
        "prefLabel": {lang: label},
    }
    if notation:
        concept["notation"] = notation
    return concept


def _country(code: str) -> dict[str, Any]:
    try:
        alpha3, name = vocab.COUNTRIES[code]
    except KeyError:
        raise InvalidInput(
            f"Country {code} has no entry in SkillPass's ELM country table: "
            "ask the maintainers to add it, or issue in Open Badges 3.0 instead."
        ) from None
    return _concept(
        f"{vocab.AUTHORITY}country/{alpha3}", name, vocab.SCHEME["country"], notation="country"
    )


def _language(code: str) -> dict[str, Any]:
    try:
        alpha3, name = vocab.LANGUAGES[code]
    except KeyError:
        raise InvalidInput(
            f"Language '{code}' has no entry in SkillPass's ELM language table: "
            "use one of " + ", ".join(sorted(vocab.LANGUAGES)) + "."
        ) from None
    return _concept(
        f"{vocab.AUTHORITY}language/{alpha3}", name, vocab.SCHEME["language"], notation="language"
    )


def _location(node_id: str, country: str, region: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "id": f"{node_id}-location",
        "type": "Location",
        "address": {
            "id": f"{node_id}-address",
            "type": "Address",
            "countryCode": _country(country),
        },
    }
    if region:
        location["spatialCode"] = _concept(
            f"http://data.europa.eu/nuts/code/{region}",
            region,
            vocab.SCHEME["nuts"],
            notation=region,
        )
    return location


def _organisation(
    node_id: str,
    local: str,
    name: str,
    country: str,
    region: str | None,
    url: str | None,
    lang: str,
) -> dict[str, Any]:
    """An ELM ``Organisation``; ``local`` prefixes the ids of its inner nodes."""
    organisation: dict[str, Any] = {
        "id": node_id,
        "type": "Organisation",
        "legalName": {lang: name},
        "location": [_location(local, country, region)],
    }
    if url:
        organisation["homepage"] = {
            "id": f"{local}-homepage",
            "type": "WebResource",
            "contentURL": url,
        }
    return organisation


def _issuer(issuer: IssuerProfile, base: str, lang: str) -> dict[str, Any]:
    local = f"{base}#issuer"
    organisation = _organisation(
        issuer.id, local, issuer.name, issuer.country, issuer.region, issuer.url, lang
    )
    identifiers = issuer.registration_identifiers
    chosen = next((i for i in identifiers if i.scheme.lower() == "eidas"), None) or (
        identifiers[0] if identifiers else None
    )
    legal: dict[str, Any] = {"id": f"{local}-legal-identifier", "type": "LegalIdentifier"}
    if chosen is not None:
        legal["notation"] = chosen.value
        legal["schemeName"] = chosen.scheme
        legal["spatial"] = _country(chosen.country or issuer.country)
    else:
        legal["notation"] = issuer.id
        legal["schemeName"] = "DID"
        legal["spatial"] = _country(issuer.country)
    organisation["eIDASIdentifier"] = legal
    if issuer.email:
        organisation["contactPoint"] = {
            "id": f"{local}-contact",
            "type": "ContactPoint",
            "emailAddress": {"id": f"mailto:{issuer.email}", "type": "Mailbox"},
        }
    return organisation


def _awarding_body(body: Organisation, local: str, lang: str) -> dict[str, Any]:
    return _organisation(
        body.id or local, local, body.name, body.country, body.region, body.url, lang
    )


def _note(node_id: str, element: str, text: str, lang: str) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "Note",
        "subject": _concept(
            f"{ANNEX1_VOCAB}element/{element}",
            _ELEMENT_LABELS[element],
            f"{ANNEX1_VOCAB}element",
        ),
        "noteLiteral": {lang: text},
    }


def _qualification_notes(achievement: Achievement, base: str, lang: str) -> list[dict[str, Any]]:
    notes = [
        _note(
            f"{base}#note-quality-assurance",
            "quality-assurance",
            achievement.quality_assurance,
            lang,
        )
    ]
    setting = achievement.participation.setting
    if setting not in vocab.LEARNING_SETTING:
        text = f"{setting.value.replace('_', '-')} learning"
        notes.append(_note(f"{base}#note-learning-setting", "learning-setting", text, lang))
    level = achievement.level
    level_parts = []
    if level.nqf is not None and not level.nqf.uri:
        level_parts.append(
            f"NQF: {level.nqf.framework} ({level.nqf.country}) level {level.nqf.level}"
        )
    if level.qf_ehea_cycle is not None:
        level_parts.append(f"QF-EHEA: {level.qf_ehea_cycle.value} cycle")
    if level_parts:
        notes.append(_note(f"{base}#note-level", "level", "; ".join(level_parts), lang))
    if achievement.integration is not None:
        integration = achievement.integration
        if integration.towards_name:
            text = f"Stackable towards {integration.towards_name}"
            if integration.towards_url:
                text += f" ({integration.towards_url})"
        else:
            text = "Stand-alone micro-credential"
        notes.append(_note(f"{base}#note-integration", "integration", text, lang))
    if achievement.further_information:
        notes.append(
            _note(
                f"{base}#note-further-information",
                "further-information",
                achievement.further_information,
                lang,
            )
        )
    return notes


def _qualification(
    achievement: Achievement, achievement_id: str, assessment_spec: dict[str, Any], lang: str
) -> dict[str, Any]:
    base = achievement_id
    spec: dict[str, Any] = {
        "id": achievement_id,
        "type": "Qualification",
        "title": {lang: achievement.title},
        "description": {lang: achievement.description},
        "dcType": _concept(*vocab.SHORT_LEARNING_PROGRAMME, vocab.SCHEME["learning_opportunity"]),
        "language": [_language(code) for code in achievement.languages],
        "learningOutcome": [
            {
                "id": f"{base}#outcome-{i}",
                "type": "LearningOutcome",
                "title": {lang: outcome.text},
                "relatedESCOSkill": [
                    _concept(skill.uri, skill.label, vocab.SCHEME["esco_skills"])
                    for skill in outcome.esco_skills
                ],
            }
            for i, outcome in enumerate(achievement.learning_outcomes, 1)
        ],
        "mode": [
            _concept(
                *vocab.MODE[achievement.participation.mode], vocab.SCHEME["learning_assessment"]
            )
        ],
        "provenBy": [assessment_spec],
    }
    setting = vocab.LEARNING_SETTING.get(achievement.participation.setting)
    if setting is not None:
        spec["learningSetting"] = _concept(*setting, vocab.SCHEME["learning_setting"])
    if achievement.level.eqf is not None:
        eqf = achievement.level.eqf
        spec["eqfLevel"] = _concept(f"{vocab.SNB}eqf/{eqf}", f"Level {eqf}", vocab.SCHEME["eqf"])
    nqf = achievement.level.nqf
    if nqf is not None and nqf.uri:
        spec["nqfLevel"] = [
            _concept(nqf.uri, f"{nqf.framework} level {nqf.level}", vocab.SCHEME["qdr"])
        ]
    workload = achievement.workload
    if workload.ects is not None:
        spec["creditPoint"] = [
            {
                "id": f"{base}#credit",
                "type": "CreditPoint",
                "framework": _concept(*vocab.ECTS, vocab.SCHEME["education_credit"]),
                "point": str(number(workload.ects)),
            }
        ]
    if workload.hours is not None:
        spec["volumeOfLearning"] = f"PT{workload.hours}H"
    if achievement.prerequisites:
        spec["entryRequirement"] = {
            "id": f"{base}#entry-requirement",
            "type": "Note",
            "noteLiteral": {lang: achievement.prerequisites},
        }
    spec["additionalNote"] = _qualification_notes(achievement, base, lang)
    return spec


def _assessment_spec(achievement: Achievement, base: str, lang: str) -> dict[str, Any]:
    assessment = achievement.assessment
    kind = assessment.type.value
    label = kind.replace("_", " ")
    spec: dict[str, Any] = {
        "id": f"{base}#assessment-specification",
        "type": "LearningAssessmentSpecification",
        "title": {lang: f"Assessment: {label}"},
        "dcType": _concept(
            f"{ANNEX1_VOCAB}assessment-type/{kind}", label, f"{ANNEX1_VOCAB}assessment-type"
        ),
        "language": [_language(code) for code in achievement.languages],
    }
    if assessment.description:
        spec["description"] = {lang: assessment.description}
    if achievement.grading_scheme:
        spec["gradingScheme"] = {
            "id": f"{base}#grading-scheme",
            "type": "GradingScheme",
            "title": {lang: "Grading scheme"},
            "description": {lang: achievement.grading_scheme},
        }
    return spec


def _png(width: int = 240, height: int = 80) -> bytes:
    """A small deterministic banner (dark blue with a light stripe) for the display page."""
    rows = []
    for y in range(height):
        colour = b"\xe8\xee\xf6" if height // 3 <= y < height // 3 + 6 else b"\x1f\x3a\x6e"
        rows.append(b"\x00" + colour * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _display(achievement: Achievement, base: str, lang: str, image: bytes | None) -> dict[str, Any]:
    language = _language(lang)
    return {
        "id": f"{base}#display",
        "type": "DisplayParameter",
        "title": {lang: achievement.title},
        "description": {lang: "Micro-credential"},
        "language": [language],
        "primaryLanguage": language,
        "individualDisplay": [
            {
                "id": f"{base}#display-{lang}",
                "type": "IndividualDisplay",
                "language": language,
                "displayDetail": [
                    {
                        "id": f"{base}#display-{lang}-page-1",
                        "type": "DisplayDetail",
                        "page": 1,
                        "image": {
                            "id": f"{base}#display-{lang}-image-1",
                            "type": "MediaObject",
                            "content": base64.b64encode(image or _png()).decode("ascii"),
                            "contentEncoding": _concept(*vocab.BASE64, vocab.SCHEME["encoding"]),
                            "contentType": _concept(
                                *vocab.PNG, vocab.SCHEME["file_type"], notation="file-type"
                            ),
                        },
                    }
                ],
            }
        ],
    }


def _person(learner: LearnerRef, base: str, claim: dict[str, Any], lang: str) -> dict[str, Any]:
    person: dict[str, Any] = {"id": learner.did or f"{base}#subject", "type": "Person"}
    if learner.identity_hash:
        person["identifier"] = [
            {
                "id": f"{base}#subject-identifier",
                "type": "Identifier",
                "notation": learner.identity_hash,
                "schemeName": (
                    f"OB3 IdentityHash of the {learner.identity_type}, salt {learner.salt}"
                ),
            }
        ]
    if learner.name:
        person["fullName"] = {lang: learner.name}
    person["hasClaim"] = [claim]
    return person


def build_elm_credential(
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
    display_image: bytes | None = None,
) -> dict[str, Any]:
    """Build an unsigned ELM v3 ``EuropeanDigitalCredential`` for one learner.

    Args:
        achievement: The micro-credential definition (texts in its first language).
        issuer: The issuing (sealing) organisation.
        learner: Who earned it.
        credential_id: The credential's id (a URL or ``urn:uuid:``); fragment ids of the inner
            nodes are derived from it.
        achievement_id: Public URL or URN of the definition; the ``Qualification``'s id.
        issued_at: Annex I "date of issuing" (``issued``, ``issuanceDate``, ``validFrom``,
            ``awardingDate``); must carry a time zone.
        valid_until: Optional expiry (``validUntil`` and ``expirationDate``).
        status: Accepted for symmetry with OB3 and ignored in the document (see module notes).
        grade: Annex I "grade achieved"; ELM requires a grade on the assessment, so "Passed"
            is written when none is given (a credential is only issued on success).
        display_image: PNG bytes for the Europass display page; a plain banner by default.

    Returns:
        The credential as a JSON-ready dict.

    Raises:
        InvalidInput: A date has no time zone, or a country/language has no EU vocabulary entry.
    """
    del status  # tracked by SkillPass under the credential id, see the module docstring
    lang = achievement.languages[0]
    base = credential_id
    issued = isoformat_utc(issued_at, "issued_at")
    awarding_process = {
        "id": f"{base}#awarding",
        "type": "AwardingProcess",
        "awardingBody": [
            _awarding_body(body, f"{base}#awarding-body-{i}", lang)
            for i, body in enumerate(achievement.awarding_bodies, 1)
        ],
        "awardingDate": issued,
    }
    assessment_spec = _assessment_spec(achievement, achievement_id, lang)
    assessment: dict[str, Any] = {
        "id": f"{base}#assessment",
        "type": "LearningAssessment",
        "title": {lang: assessment_spec["title"][lang]},
        "awardedBy": awarding_process["id"],
        "grade": {"id": f"{base}#grade", "type": "Note", "noteLiteral": {lang: grade or "Passed"}},
        "specifiedBy": assessment_spec,
    }
    supervision = achievement.supervision
    if supervision is not None:
        if supervision in vocab.SUPERVISION:
            assessment["idVerification"] = _concept(
                *vocab.SUPERVISION[supervision], vocab.SCHEME["supervision"]
            )
        else:
            assessment["additionalNote"] = [
                _note(f"{base}#note-supervision", "supervision", supervision.label, lang)
            ]
    claim = {
        "id": f"{base}#achievement",
        "type": "LearningAchievement",
        "title": {lang: achievement.title},
        "description": {lang: achievement.description},
        "awardedBy": awarding_process,
        "provenBy": [assessment],
        "specifiedBy": _qualification(achievement, achievement_id, assessment_spec, lang),
    }
    credential: dict[str, Any] = {
        "@context": [VC1_CONTEXT_URL, EDC_CONTEXT_URL],
        "id": credential_id,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [_concept(*vocab.CREDENTIAL_GENERIC, vocab.SCHEME["credential"])],
        "credentialSchema": [{"id": shape, "type": "ShaclValidator2017"} for shape in EDC_SHAPES],
        "issuer": _issuer(issuer, base, lang),
        "issuanceDate": issued,
        "issued": issued,
        "validFrom": issued,
    }
    if valid_until is not None:
        until = isoformat_utc(valid_until, "valid_until", after=issued_at)
        credential["validUntil"] = until
        credential["expirationDate"] = until
    credential["credentialSubject"] = _person(learner, base, claim, lang)
    credential["displayParameter"] = _display(achievement, base, lang, display_image)
    return credential
