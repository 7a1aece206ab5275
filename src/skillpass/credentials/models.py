"""The micro-credential domain model: every element of Annex I of the Council Recommendation.

Pure code (no storage, network or signing). The models are the single source the two credential
formats are built from (:mod:`skillpass.credentials.formats.openbadges` and
:mod:`skillpass.credentials.formats.elm`).

References:
    * Council Recommendation of 16 June 2022 on a European approach to micro-credentials for
      lifelong learning and employability (2022/C 243/02), Annex I "European standard elements to
      describe a micro-credential": https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022H0627(02)
    * 1EdTech Open Badges 3.0: https://www.imsglobal.org/spec/ob/v3p0/
    * European Learning Model v3 (Europass Digital Credentials):
      https://github.com/european-commission-empl/European-Learning-Model
    * W3C Bitstring Status List: https://www.w3.org/TR/vc-bitstring-status-list/

Validation speaks plain words: :func:`parse_achievement` collects *every* problem of a definition
and raises one :class:`~skillpass.errors.InvalidInput` whose ``details["problems"]`` lists
``{"element", "problem"}`` pairs, each naming the Annex I element concerned.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from skillpass.errors import InvalidInput

__all__ = [
    "Achievement",
    "Assessment",
    "AssessmentType",
    "EscoSkillRef",
    "Integration",
    "IntegrationKind",
    "IssuerProfile",
    "LearnerRef",
    "LearningOutcome",
    "LearningSetting",
    "Level",
    "NQFLevel",
    "NotionalWorkload",
    "Organisation",
    "OrganisationKind",
    "Participation",
    "ParticipationMode",
    "QFEHEACycle",
    "RegistrationIdentifier",
    "StatusEntry",
    "StatusPurpose",
    "Supervision",
    "hash_identity",
    "parse_achievement",
    "problems_from_validation_error",
]

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://[^\s]+$")
_IDENTITY_HASH = re.compile(r"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$")


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _country(value: str) -> str:
    value = value.strip().upper()
    if not _COUNTRY.match(value):
        raise ValueError(
            f"'{value}' is not a country code: use the two-letter ISO 3166-1 code, e.g. DE, FR, PL"
        )
    return value


def _url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError(f"'{value}' is not a web address: start it with https:// or http://")
    return value


#: ISO 3166-1 alpha-2 country code, upper-cased.
CountryCode = Annotated[str, AfterValidator(_country)]
#: An http(s) URL.
WebAddress = Annotated[str, AfterValidator(_url)]


# --- Awarding bodies, learning outcomes -------------------------------------------------------


class Organisation(_Value):
    """An awarding body (Annex I: "Awarding body(ies)" and "Country(ies)/Region(s) of the issuer").

    Maps to OB3 ``Profile`` (https://www.imsglobal.org/spec/ob/v3p0/#profile) and ELM
    ``Organisation`` (legal name, location with country, optional NUTS region).
    """

    name: str = Field(min_length=1)
    #: ISO 3166-1 alpha-2, e.g. ``DE``.
    country: CountryCode
    #: NUTS code of the region (e.g. ``DE11``), if the body wants its region shown.
    region: str | None = None
    url: WebAddress | None = None
    #: The body's own identifier (a DID or a URL), when it has one.
    id: str | None = None

    @field_validator("region")
    @classmethod
    def _check_region(cls, value: str | None) -> str | None:
        if value is not None and not _NUTS.match(value.upper()):
            raise ValueError(f"'{value}' is not a NUTS region code: use a code such as DE11 or FR1")
        return value.upper() if value else value


class EscoSkillRef(_Value):
    """An ESCO skill a learning outcome is aligned to: its URI (the identifier) and label."""

    uri: str
    label: str = Field(min_length=1)

    @field_validator("uri")
    @classmethod
    def _check_uri(cls, value: str) -> str:
        if not value.startswith(ESCO_SKILL_PREFIX) or len(value) <= len(ESCO_SKILL_PREFIX):
            raise ValueError(
                f"'{value}' is not an ESCO skill URI: it should start with {ESCO_SKILL_PREFIX}"
            )
        return value


class LearningOutcome(_Value):
    """One learning outcome (Annex I: "Learning outcomes"), aligned to ESCO skills.

    OB3 carries the skills as ``Alignment`` entries (https://www.imsglobal.org/spec/ob/v3p0/#alignment);
    ELM as ``LearningOutcome`` with ``relatedESCOSkill``.
    """

    text: str = Field(min_length=1)
    esco_skills: list[EscoSkillRef] = Field(default_factory=list)


# --- Workload, level ---------------------------------------------------------------------------


class NotionalWorkload(_Value):
    """Annex I: "Notional workload needed to achieve the learning outcomes (in ECTS, wherever
    possible)". At least one of ``ects`` and ``hours``."""

    ects: Decimal | None = Field(default=None, gt=0, le=60, decimal_places=2)
    hours: int | None = Field(default=None, gt=0, le=2000)

    @model_validator(mode="after")
    def _at_least_one(self) -> NotionalWorkload:
        if self.ects is None and self.hours is None:
            raise ValueError("missing: give ECTS credits, hours, or both")
        return self


class NQFLevel(_Value):
    """A level in a national qualifications framework referenced to the EQF."""

    country: CountryCode
    #: The framework's name or identifier, e.g. ``DQR`` or ``RQF``.
    framework: str = Field(min_length=1)
    level: str = Field(min_length=1)
    #: The level's concept URI in the EU Qualification Dataset Register
    #: (``http://data.europa.eu/snb/qdr/...``), when known; ELM uses it as ``NQFLevel``.
    uri: str | None = None


class QFEHEACycle(StrEnum):
    """Cycles of the Qualifications Framework of the European Higher Education Area."""

    SHORT = "short"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"


class Level(_Value):
    """Annex I: "Level (and cycle, if applicable) of the learning experience leading to the
    micro-credential (EQF, QF-EHEA), if applicable". Every part is optional."""

    eqf: int | None = Field(default=None, ge=1, le=8)
    nqf: NQFLevel | None = None
    qf_ehea_cycle: QFEHEACycle | None = None


# --- Assessment, participation, supervision, integration ---------------------------------------


class AssessmentType(StrEnum):
    """Annex I: "Type of assessment". Annex I gives no list; these are the usual kinds."""

    WRITTEN_EXAM = "written_exam"
    ORAL_EXAM = "oral_exam"
    ONLINE_TEST = "online_test"
    PRACTICAL_DEMONSTRATION = "practical_demonstration"
    PROJECT = "project"
    PORTFOLIO = "portfolio"
    CONTINUOUS_ASSESSMENT = "continuous_assessment"
    RECOGNITION_OF_PRIOR_LEARNING = "recognition_of_prior_learning"
    OTHER = "other"


class Assessment(_Value):
    """Annex I: "Type of assessment" - the kind, and a description (required for ``other``)."""

    type: AssessmentType
    description: str | None = None

    @model_validator(mode="after")
    def _other_needs_description(self) -> Assessment:
        if self.type is AssessmentType.OTHER and not self.description:
            raise ValueError("describe the assessment when its type is 'other'")
        return self


class ParticipationMode(StrEnum):
    """How the learner takes part: online, on site, or blended."""

    ONLINE = "online"
    ONSITE = "onsite"
    BLENDED = "blended"


class LearningSetting(StrEnum):
    """The setting of the learning: formal, non-formal, informal, or at the workplace."""

    FORMAL = "formal"
    NON_FORMAL = "non_formal"
    INFORMAL = "informal"
    WORKPLACE = "workplace"


class Participation(_Value):
    """Annex I: "Form of participation in the learning activity"."""

    mode: ParticipationMode
    setting: LearningSetting


class Supervision(StrEnum):
    """Annex I (optional): "Supervision and identity verification during assessment".

    Annex I names three values (unsupervised with no identity verification, supervised with no
    identity verification, supervised online or onsite with identity verification); the Europass
    vocabulary (``http://data.europa.eu/snb/supervision-verification/25831c2``) adds the fourth,
    unsupervised with identity verification.
    """

    UNSUPERVISED_NO_IDENTITY_VERIFICATION = "unsupervised_no_identity_verification"
    UNSUPERVISED_IDENTITY_VERIFIED = "unsupervised_identity_verified"
    SUPERVISED_NO_IDENTITY_VERIFICATION = "supervised_no_identity_verification"
    SUPERVISED_IDENTITY_VERIFIED = "supervised_identity_verified"

    @property
    def label(self) -> str:
        """The value in the words of Annex I (or of the Europass vocabulary for the fourth)."""
        return _SUPERVISION_LABELS[self]


_SUPERVISION_LABELS = {
    Supervision.UNSUPERVISED_NO_IDENTITY_VERIFICATION: "unsupervised with no identity verification",
    Supervision.UNSUPERVISED_IDENTITY_VERIFIED: "unsupervised with identity verification",
    Supervision.SUPERVISED_NO_IDENTITY_VERIFICATION: "supervised with no identity verification",
    Supervision.SUPERVISED_IDENTITY_VERIFIED: (
        "supervised online or onsite with identity verification"
    ),
}


class IntegrationKind(StrEnum):
    """Annex I (optional): "Integration/stackability options"."""

    STAND_ALONE = "stand_alone"
    STACKABLE = "stackable"


class Integration(_Value):
    """Stand-alone, or stackable towards a named larger credential (with an optional link)."""

    kind: IntegrationKind
    towards_name: str | None = None
    towards_url: WebAddress | None = None

    @model_validator(mode="after")
    def _stackable_needs_target(self) -> Integration:
        if self.kind is IntegrationKind.STACKABLE and not self.towards_name:
            raise ValueError("name the larger credential it stacks towards (towards_name)")
        if self.kind is IntegrationKind.STAND_ALONE and (self.towards_name or self.towards_url):
            raise ValueError(
                "a stand-alone micro-credential stacks towards nothing: remove towards_*"
            )
        return self


# --- The definition ----------------------------------------------------------------------------


class Achievement(_Value):
    """A micro-credential definition carrying every Annex I element except the per-learner ones.

    The learner's identification and the date of issuing (mandatory Annex I elements) are given
    at issuance (:class:`LearnerRef`, ``issued_at``); the grade achieved is per learner too.

    Maps to OB3 ``Achievement`` (https://www.imsglobal.org/spec/ob/v3p0/#achievement) with
    ``achievementType: MicroCredential``, and to ELM ``LearningAchievement`` specified by a
    ``Qualification``. See docs/micro-credentials.md for the element-by-element table.
    """

    #: Opaque public id, set by the service when the definition is stored.
    id: str | None = None
    title: str = Field(min_length=3, max_length=300)
    description: str = Field(min_length=10)
    awarding_bodies: list[Organisation] = Field(min_length=1)
    learning_outcomes: list[LearningOutcome] = Field(min_length=1)
    workload: NotionalWorkload
    level: Level = Field(default_factory=Level)
    assessment: Assessment
    participation: Participation
    #: Annex I: "Type of quality assurance used to underpin the micro-credential".
    quality_assurance: str = Field(min_length=3)
    #: ISO 639-1 codes of the languages of instruction and assessment.
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    # Optional Annex I elements.
    prerequisites: str | None = None
    supervision: Supervision | None = None
    grading_scheme: str | None = None
    integration: Integration | None = None
    further_information: str | None = None
    #: Capability areas that follow from the skills; filled by the service, not by authors.
    capability_areas: list[str] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, value: list[str]) -> list[str]:
        bad = [code for code in value if not _LANGUAGE.match(code)]
        if bad:
            raise ValueError(
                f"{', '.join(bad)}: use two-letter ISO 639-1 language codes, e.g. en, de, fr"
            )
        return value

    @property
    def esco_skills(self) -> list[EscoSkillRef]:
        """Every ESCO skill of every learning outcome, first occurrence order, no duplicates."""
        seen: dict[str, EscoSkillRef] = {}
        for outcome in self.learning_outcomes:
            for skill in outcome.esco_skills:
                seen.setdefault(skill.uri, skill)
        return list(seen.values())


# --- Issuance participants ---------------------------------------------------------------------


class OrganisationKind(StrEnum):
    """Kinds of issuing organisation named by the issue."""

    UNIVERSITY = "university"
    VET = "vet"
    EMPLOYER = "employer"
    PROFESSIONAL_BODY = "professional_body"
    SOCIAL_PARTNER = "social_partner"
    PUBLIC_BODY = "public_body"


class RegistrationIdentifier(_Value):
    """A legal or registration identifier of an organisation (VAT, trade register, eIDAS...)."""

    #: What kind of identifier: ``eidas``, ``vat``, ``register``, ``erasmus``, ...
    scheme: str = Field(min_length=1)
    value: str = Field(min_length=1)
    #: The country that issued it (ISO 3166-1 alpha-2); defaults to the organisation's.
    country: str | None = None


class IssuerProfile(_Value):
    """The organisation that issues (and signs) a credential: OB3 ``Profile``
    (https://www.imsglobal.org/spec/ob/v3p0/#profile), ELM ``Organisation`` as ``issuer``."""

    #: ``did:key``, ``did:web`` or an https URL.
    id: str
    name: str = Field(min_length=1)
    country: CountryCode
    region: str | None = None
    url: WebAddress | None = None
    email: str | None = None
    registration_identifiers: list[RegistrationIdentifier] = Field(default_factory=list)
    kind: OrganisationKind | None = None

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not (value.startswith(("did:key:", "did:web:", "https://", "http://"))):
            raise ValueError("an issuer id is a did:key, a did:web or an https URL")
        return value


def hash_identity(identifier: str, salt: str) -> str:
    """OB3 ``IdentityHash``: ``sha256$`` + hex SHA-256 of the identifier followed by the salt.

    The identifier is trimmed and, for e-mail addresses, lower-cased first, so the same address
    typed differently gives the same hash (https://www.imsglobal.org/spec/ob/v3p0/#identityobject).

    Args:
        identifier: An e-mail address or another identifier of the learner.
        salt: The salt stored next to the hash.

    Returns:
        The identity hash string.
    """
    value = identifier.strip()
    if "@" in value:
        value = value.lower()
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


class LearnerRef(_Value):
    """Annex I: "Identification of the learner" - a DID, or a salted hash of an identifier
    (OB3 ``IdentityObject`` with ``hashed: true``), plus an optional display name."""

    did: str | None = None  # personal data
    identity_hash: str | None = None  # personal data (pseudonymous)
    salt: str | None = None
    #: OB3 ``identityType`` of the hashed identifier.
    identity_type: Literal["emailAddress", "identifier", "nationalIdentityNumber"] = "emailAddress"
    name: str | None = None  # personal data

    @model_validator(mode="after")
    def _identified(self) -> LearnerRef:
        if not self.did and not self.identity_hash:
            raise ValueError("identify the learner by a DID or by a hashed e-mail address")
        if self.did is not None and not self.did.startswith("did:"):
            raise ValueError(f"'{self.did}' is not a DID: it should start with did:")
        if self.identity_hash is not None:
            if not _IDENTITY_HASH.match(self.identity_hash):
                raise ValueError(
                    "the identity hash must look like sha256$ followed by 64 hex digits"
                )
            if not self.salt:
                raise ValueError("a hashed learner identifier needs its salt")
        return self

    @classmethod
    def from_email(cls, email: str, *, salt: str, name: str | None = None) -> LearnerRef:
        """A learner identified by a salted SHA-256 hash of their e-mail address.

        Args:
            email: The learner's e-mail address (never stored in the credential).
            salt: A random salt, e.g. ``secrets.token_hex(16)``.
            name: Optional display name.

        Returns:
            The learner reference.
        """
        return cls(identity_hash=hash_identity(email, salt), salt=salt, name=name)


class StatusPurpose(StrEnum):
    """Bitstring Status List purposes SkillPass uses."""

    REVOCATION = "revocation"
    SUSPENSION = "suspension"


class StatusEntry(_Value):
    """A ``BitstringStatusListEntry`` (https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry)."""

    id: str
    status_purpose: StatusPurpose = StatusPurpose.REVOCATION
    status_list_index: int = Field(ge=0)
    status_list_credential: str

    def to_json(self) -> dict[str, Any]:
        """The entry as it appears in ``credentialStatus`` (the index is a string, per spec)."""
        return {
            "id": self.id,
            "type": "BitstringStatusListEntry",
            "statusPurpose": self.status_purpose.value,
            "statusListIndex": str(self.status_list_index),
            "statusListCredential": self.status_list_credential,
        }


# --- Plain-words validation --------------------------------------------------------------------

#: Field name -> (what a person calls it, the Annex I element or None, what to give).
_ELEMENTS: dict[str, tuple[str, str | None, str]] = {
    "title": ("Title", "title of the micro-credential", "give the micro-credential a title"),
    "description": ("Description", None, "describe the micro-credential in a sentence or two"),
    "awarding_bodies": (
        "Awarding body",
        "awarding body(ies)",
        "list at least one awarding body with its name and country",
    ),
    "learning_outcomes": (
        "Learning outcomes",
        "learning outcomes",
        "list at least one learning outcome, each with its text and ESCO skills",
    ),
    "workload": (
        "Notional workload",
        "notional workload",
        "give ECTS credits, hours, or both",
    ),
    "level": ("Level", "level (EQF, QF-EHEA), if applicable", "give the EQF level 1-8"),
    "assessment": (
        "Type of assessment",
        "type of assessment",
        "give the assessment type, e.g. written_exam, project, portfolio",
    ),
    "participation": (
        "Form of participation",
        "form of participation in the learning activity",
        "give mode (online, onsite, blended) and setting (formal, non_formal, informal, workplace)",
    ),
    "quality_assurance": (
        "Quality assurance",
        "type of quality assurance",
        "say which quality assurance underpins the micro-credential",
    ),
    "languages": ("Languages", None, "list the languages as ISO 639-1 codes, e.g. [en]"),
    "prerequisites": ("Prerequisites", "prerequisites needed to enrol", "describe them in text"),
    "supervision": (
        "Supervision and identity verification",
        "supervision and identity verification during assessment",
        "use one of: " + ", ".join(s.value for s in Supervision),
    ),
    "grading_scheme": ("Grading scheme", "grade achieved", "describe the grading in text"),
    "integration": (
        "Integration/stackability",
        "integration/stackability options",
        "use kind stand_alone, or stackable with towards_name",
    ),
    "further_information": ("Further information", "further information", "give it as text"),
    "capability_areas": ("Capability areas", None, "leave it to SkillPass"),
    "id": ("Identifier", None, "leave it to SkillPass"),
}


def _describe(loc: Sequence[int | str], kind: str, message: str, value: Any) -> dict[str, str]:
    path = ".".join(str(part) for part in loc)
    head = str(loc[0]) if loc else ""
    label, annex, hint = _ELEMENTS.get(head, (head.replace("_", " ").capitalize(), None, ""))
    where = f" (Annex I, element '{annex}')" if annex else ""
    sub = [str(part + 1) if isinstance(part, int) else part.replace("_", " ") for part in loc[1:]]
    if sub:
        label = f"{label} {' '.join(sub)}" if sub[0].isdigit() else f"{label}, {' '.join(sub)}"
        label = label.replace(" ".join(sub), ", ".join(sub)) if sub[0].isdigit() else label
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if message.startswith("missing: "):
        problem = f"{label} is missing: {message.removeprefix('missing: ')}{where}."
    elif kind == "missing":
        if len(loc) == 1:
            problem = f"{label} is missing: {hint}{where}."
        else:
            problem = f"{label} is missing{where}."
    elif kind == "extra_forbidden":
        problem = f"'{path}' is not an element SkillPass knows: check its spelling or remove it."
    elif kind == "enum":
        problem = f"{label} has a value SkillPass does not know ({value!r}): {message}{where}."
    elif kind == "too_short" and isinstance(value, list):
        problem = f"{label} is empty: {hint}{where}."
    else:
        problem = f"{label} is not right: {message}{where}."
    return {"element": path, "problem": problem}


def problems_from_validation_error(error: ValidationError) -> list[dict[str, str]]:
    """Turn a pydantic error into plain-words ``{"element", "problem"}`` items.

    Args:
        error: The error raised while validating an :class:`Achievement`.

    Returns:
        One item per problem, in the order pydantic found them.
    """
    return [
        _describe(item["loc"], item["type"], item["msg"], item.get("input"))
        for item in error.errors(include_url=False)
    ]


def parse_achievement(data: Mapping[str, Any]) -> Achievement:
    """Validate a micro-credential definition given as plain data (JSON, YAML, a form).

    Args:
        data: The definition, with the field names of :class:`Achievement`.

    Returns:
        The validated definition.

    Raises:
        InvalidInput: Listing every problem found, each naming the element in plain words;
            ``details["problems"]`` holds ``[{"element", "problem"}]``.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput(
            "A micro-credential definition must be a mapping of elements (title, description...).",
            details={"problems": [{"element": "", "problem": "not a mapping"}]},
        )
    try:
        return Achievement.model_validate(dict(data))
    except ValidationError as error:
        problems = problems_from_validation_error(error)
        raise InvalidInput(format_problems(problems), details={"problems": problems}) from None


def format_problems(problems: Sequence[Mapping[str, str]]) -> str:
    """One message listing every problem, for the CLI and the API envelope.

    Args:
        problems: Items with ``element`` and ``problem``.

    Returns:
        A message such as "The micro-credential definition has 2 problems: - ... - ...".
    """
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    lines = "\n".join(f"- {item['problem']}" for item in problems)
    return f"The micro-credential definition has {count} {noun}:\n{lines}"
