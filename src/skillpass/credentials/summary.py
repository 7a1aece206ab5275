"""What a credential certifies, read from the document: title, learner, level, workload, skills.

:func:`summarise_credential` reads an Open Badges 3.0 credential (JSON-LD, or the ``vc`` claims
of a VC-JWT payload — pass the credential object either way) and a European Learning Model
credential (the payload of its seal). Anything else yields what generic VC terms give. The values
are what the document *claims*; the verification report says whether to believe them. The
verification engine puts the summary in every report (``summary`` in
:meth:`~skillpass.credentials.verify.VerificationReport.to_dict`), so the CLI, the HTTP API and
the web UI show the same thing.

OB3 terms: https://www.imsglobal.org/spec/ob/v3p0/#achievement (``name``, ``alignment`` with
``targetFramework`` ESCO / EQF, ``creditsAvailable``) plus the SkillPass Annex I extension
(``ectsCredits``, ``workloadHours``, ``nqfFramework``/``nqfLevel``/``nqfCountry``; see
``docs/micro-credentials.md``). ELM terms: https://europa.eu/europass/elm-browser/ —
``hasClaim`` (``LearningAchievement``) ``specifiedBy`` (``eqfLevel``, ``creditPoint``,
``volumeOfLearning``, ``learningOutcome.relatedESCOSkill``).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from skillpass.credentials._json import as_list

__all__ = ["ESCO_SKILL_PREFIX", "CredentialSummary", "SkillClaim", "summarise_credential"]

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
_EQF_PREFIX = "http://data.europa.eu/snb/eqf/"
_ECTS_FRAMEWORK = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?)?$"
)


class SkillClaim(BaseModel):
    """An ESCO skill a credential names, with the label it gives (if any)."""

    model_config = ConfigDict(frozen=True)

    uri: str
    label: str | None = None


class CredentialSummary(BaseModel):
    """What a credential says it certifies (not verified by itself).

    Attributes:
        title: The achievement's title.
        description: The achievement's description.
        issuer_name: The issuer's name as the credential states it.
        issuer_country: The issuer's country as stated (OB3: ISO code; ELM: its label).
        learner_name: The learner's name, when the credential shows one.
        issued: ``validFrom`` / ``issuanceDate`` as written (ISO 8601).
        valid_until: ``validUntil`` / ``expirationDate`` as written.
        ects: ECTS credits.
        hours: Notional workload in hours.
        eqf: EQF level (1–8).
        nqf: National framework level, e.g. ``DQR level 6 (DE)``.
        awarding_bodies: Names of the awarding bodies.
        skills: ESCO skills, in document order, without repeats.
    """

    model_config = ConfigDict(frozen=True)

    title: str | None = None
    description: str | None = None
    issuer_name: str | None = None
    issuer_country: str | None = None
    learner_name: str | None = None  # personal data
    issued: str | None = None
    valid_until: str | None = None
    ects: float | None = None
    hours: float | None = None
    eqf: int | None = None
    nqf: str | None = None
    awarding_bodies: tuple[str, ...] = ()
    skills: tuple[SkillClaim, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing could be read."""
        return not (self.title or self.issuer_name or self.skills)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the ``summary`` of a verification report)."""
        return self.model_dump(mode="json")


def _text(value: Any) -> str | None:
    """A string, or the English (else first) value of a language map."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("en", "@value"):
            if isinstance(value.get(key), str):
                return str(value[key]).strip() or None
        for item in value.values():
            if isinstance(item, str):
                return item.strip() or None
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in as_list(value) if isinstance(item, dict)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else None


def _hours(duration: Any) -> float | None:
    """ISO 8601 duration (``PT125H``, ``P2DT4H``) in hours."""
    if not isinstance(duration, str):
        return None
    match = _DURATION.match(duration.strip())
    if match is None or not any(match.groupdict().values()):
        return None
    days, hours, minutes = (float(match.group(k) or 0) for k in ("d", "h", "m"))
    return days * 24 + hours + minutes / 60


def _esco_skills(node: Any, found: dict[str, str | None]) -> None:
    """Collect ESCO skill URIs anywhere under ``node``, with a label where one is given."""
    if isinstance(node, dict):
        for key in ("targetUrl", "id", "@id"):
            value = node.get(key)
            if isinstance(value, str) and value.startswith(ESCO_SKILL_PREFIX):
                label = _text(node.get("targetName")) or _text(node.get("prefLabel"))
                found[value] = label or found.get(value)
        for value in node.values():
            _esco_skills(value, found)
    elif isinstance(node, list):
        for item in node:
            _esco_skills(item, found)
    elif isinstance(node, str) and node.startswith(ESCO_SKILL_PREFIX):
        found.setdefault(node, None)


def summarise_credential(document: dict[str, Any]) -> CredentialSummary:
    """Read what a credential certifies.

    Args:
        document: The credential object: OB3/VC JSON-LD, a VC-JWT's credential claims, or an
            ELM credential (a seal's payload).

    Returns:
        The summary; fields the document does not state stay None (or empty).
    """
    values: dict[str, Any] = {}
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        values["issuer_name"] = _text(issuer.get("name")) or _text(issuer.get("legalName"))
        address = issuer.get("address")
        if isinstance(address, dict):
            values["issuer_country"] = _text(address.get("addressCountryCode"))
        for location in _dicts(issuer.get("location")):
            country = location.get("address", {}) if isinstance(location, dict) else {}
            code = country.get("countryCode") if isinstance(country, dict) else None
            if isinstance(code, dict) and not values.get("issuer_country"):
                values["issuer_country"] = _text(code.get("prefLabel"))
    values["issued"] = _text(document.get("validFrom")) or _text(document.get("issuanceDate"))
    values["valid_until"] = _text(document.get("validUntil")) or _text(
        document.get("expirationDate")
    )
    values["title"] = _text(document.get("name"))
    subject = next(iter(_dicts(document.get("credentialSubject"))), {})
    learner = _text(subject.get("name")) or _text(subject.get("fullName"))
    if learner is None and (subject.get("givenName") or subject.get("familyName")):
        learner = " ".join(
            part
            for part in (_text(subject.get("givenName")), _text(subject.get("familyName")))
            if part
        )
    for identifier in _dicts(subject.get("identifier")):
        if identifier.get("identityType") == "name" and identifier.get("hashed") is False:
            learner = learner or _text(identifier.get("identityHash"))
    values["learner_name"] = learner
    bodies: list[str] = []
    achievement = subject.get("achievement")
    if isinstance(achievement, dict):
        _read_ob3_achievement(achievement, values, bodies)
    for claim in _dicts(subject.get("hasClaim")):
        _read_elm_claim(claim, values, bodies)
    found: dict[str, str | None] = {}
    _esco_skills(subject, found)
    return CredentialSummary(
        **values,
        awarding_bodies=tuple(dict.fromkeys(bodies)),
        skills=tuple(SkillClaim(uri=uri, label=label) for uri, label in found.items()),
    )


def _read_ob3_achievement(
    achievement: dict[str, Any], values: dict[str, Any], bodies: list[str]
) -> None:
    values["title"] = _text(achievement.get("name")) or values.get("title")
    values["description"] = _text(achievement.get("description"))
    values["ects"] = _number(achievement.get("ectsCredits"))
    if values["ects"] is None:
        values["ects"] = _number(achievement.get("creditsAvailable"))
    values["hours"] = _number(achievement.get("workloadHours"))
    for alignment in _dicts(achievement.get("alignment")):
        if alignment.get("targetFramework") == "EQF":
            values["eqf"] = _int(alignment.get("targetCode"))
    framework, level, country = (
        _text(achievement.get(key)) for key in ("nqfFramework", "nqfLevel", "nqfCountry")
    )
    if framework and level:
        values["nqf"] = f"{framework} level {level}" + (f" ({country})" if country else "")
    for body in _dicts(achievement.get("awardingBody")):
        name = _text(body.get("name"))
        if name:
            bodies.append(name)


def _read_elm_claim(claim: dict[str, Any], values: dict[str, Any], bodies: list[str]) -> None:
    values["title"] = values.get("title") or _text(claim.get("title"))
    values["description"] = values.get("description") or _text(claim.get("description"))
    awarded = claim.get("awardedBy")
    if isinstance(awarded, dict):
        for body in _dicts(awarded.get("awardingBody")):
            name = _text(body.get("legalName"))
            if name:
                bodies.append(name)
    spec = claim.get("specifiedBy")
    if not isinstance(spec, dict):
        return
    values["title"] = values.get("title") or _text(spec.get("title"))
    eqf = spec.get("eqfLevel")
    eqf_id = eqf.get("id") if isinstance(eqf, dict) else eqf
    if isinstance(eqf_id, str) and eqf_id.startswith(_EQF_PREFIX) and values.get("eqf") is None:
        values["eqf"] = _int(eqf_id[len(_EQF_PREFIX) :])
    for credit in _dicts(spec.get("creditPoint")):
        framework = credit.get("framework")
        framework_id = framework.get("id") if isinstance(framework, dict) else framework
        label = _text(framework.get("prefLabel")) if isinstance(framework, dict) else None
        is_ects = framework_id == _ECTS_FRAMEWORK or (label or "").startswith("European Credit")
        if is_ects and values.get("ects") is None:
            values["ects"] = _number(credit.get("point"))
    if values.get("hours") is None:
        values["hours"] = _hours(spec.get("volumeOfLearning"))
