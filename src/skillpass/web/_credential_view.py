"""Presentation helpers for the credential pages: plain-language checks, summaries, QR codes.

Nothing here verifies anything: the verdict always comes from the one verification engine
(:meth:`skillpass.credentials.trust.TrustService.verify`). These helpers only turn its report and
the credential's own content into words and tables for people.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import segno

from skillpass.credentials.models import Achievement, Supervision
from skillpass.credentials.summary import CredentialSummary as LibrarySummary
from skillpass.credentials.verify import Check, VerificationReport
from skillpass.web._common import concept_id

__all__ = [
    "CheckLine",
    "CredentialSummary",
    "SkillLink",
    "Verdict",
    "annex_rows",
    "check_lines",
    "credential_slug",
    "qr_svg",
    "summary_view",
    "verdict_of",
]

FORMAT_NAMES = {
    "ob3": "Open Badges 3.0 (JSON-LD, Data Integrity proof)",
    "ob3-jwt": "Open Badges 3.0 as a VC-JWT",
    "elm": "European Learning Model (Europass), sealed",
    "ob3-data-integrity": "Open Badges 3.0 (JSON-LD, Data Integrity proof)",
    "vc-jwt": "Verifiable Credential as a JWT",
    "elm-jades": "European Learning Model (Europass), JAdES seal",
}

_CHECK_TITLES = {
    "well_formed": "Readable credential",
    "contexts": "Known vocabulary",
    "schema": "Structure",
    "proof": "Signature",
    "key": "Signing key",
    "issuer_trusted": "Trusted issuer",
    "status": "Not revoked",
    "validity": "Validity period",
    "nested_credentials": "Credentials inside it",
}

#: (passed, failed, not checked) sentences per check name.
_SENTENCES: dict[str, tuple[str, str, str]] = {
    "well_formed": (
        "This is a readable credential, within the size and nesting limits.",
        "This could not be read as a credential.",
        "Whether the input is readable was not checked.",
    ),
    "contexts": (
        "Every vocabulary it uses is known to this site, so its meaning is clear "
        "(nothing was downloaded).",
        "It uses a vocabulary this site does not know, so its meaning cannot be confirmed.",
        "Its vocabulary was not checked.",
    ),
    "schema": (
        "It has the structure its standard requires.",
        "It does not have the structure its standard requires.",
        "Its structure was not checked against the official schema.",
    ),
    "proof": (
        "The signature matches the content: nothing was changed after issuing.",
        "The signature does not match the content: the credential was changed after it was "
        "issued, or it was not signed by the key it names.",
        "The signature could not be checked.",
    ),
    "key": (
        "The key that signed it belongs to the issuer.",
        "The key that signed it could not be tied to the issuer.",
        "Whose key signed it could not be established.",
    ),
    "issuer_trusted": (
        "The issuer is known here: it is in the trusted-issuer registry or issues on this site.",
        "The issuer is not in this site's trusted-issuer registry. Anyone can make a signing "
        "key, so find out who the issuer is before you rely on it.",
        "This site keeps no trusted-issuer registry entry for it, so whether the issuer is "
        "accredited was not checked.",
    ),
    "status": (
        "Its issuer has not revoked it.",
        "This credential was revoked by its issuer.",
        "Whether it was revoked could not be checked (its status list is not available offline).",
    ),
    "validity": (
        "It is within its validity period.",
        "It is outside its validity period: it has expired or is not valid yet.",
        "Its validity period was not checked.",
    ),
    "nested_credentials": (
        "Every credential inside it verifies too.",
        "At least one credential inside it does not verify.",
        "The credentials inside it were not checked.",
    ),
}


@dataclass(frozen=True)
class CheckLine:
    """One check in plain words: ``state`` is ``passed``, ``failed`` or ``not-checked``."""

    name: str
    title: str
    state: str
    sentence: str
    detail: str


@dataclass(frozen=True)
class Verdict:
    """The banner: ``kind`` is ``verified``, ``not-verified`` or ``unchecked``."""

    kind: str
    heading: str
    text: str


@dataclass(frozen=True)
class SkillLink:
    """An ESCO skill with the address of its page on this site."""

    uri: str
    label: str

    @property
    def page(self) -> str:
        """``/skills/{id}``."""
        return f"/skills/{concept_id(self.uri)}"


@dataclass
class CredentialSummary:
    """What a credential says about itself, formatted for the verification page."""

    title: str | None = None
    description: str | None = None
    issuer_name: str | None = None
    issuer_country: str | None = None
    learner_name: str | None = None  # personal data
    issued: str | None = None
    valid_until: str | None = None
    ects: str | None = None
    hours: str | None = None
    eqf: str | None = None
    nqf: str | None = None
    awarding_bodies: list[str] = field(default_factory=list)
    skills: list[SkillLink] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing could be read."""
        return not (self.title or self.issuer_name or self.skills)


def verdict_of(report: VerificationReport) -> Verdict:
    """The banner for a report.

    Args:
        report: The engine's report.

    Returns:
        ``verified`` when the report is verified, ``unchecked`` when the input could not be
        processed, else ``not-verified``.
    """
    if not report.processable:
        return Verdict(
            "unchecked",
            "Could not be checked",
            "This is not a credential SkillPass can read, so nothing about it could be checked.",
        )
    if report.verified:
        text = "The signature is valid and every check that could run passed."
        trusted = report.check("issuer_trusted")
        if trusted is not None and trusted.ok is None:
            text += " Whether the issuer is accredited was not checked: see below."
        return Verdict("verified", "Verified", text)
    failed = [line.title.lower() for line in check_lines(report.checks) if line.state == "failed"]
    reason = f" Failed: {', '.join(failed)}." if failed else ""
    return Verdict(
        "not-verified",
        "Not verified",
        "Do not rely on this credential." + reason,
    )


def check_lines(checks: Iterable[Check], revoked_on: datetime | None = None) -> list[CheckLine]:
    """Each check as a sentence for people, with the engine's own words kept as detail.

    Args:
        checks: The report's checks.
        revoked_on: When the credential was revoked, if this site knows (it issued it).

    Returns:
        One line per check, in the engine's order.
    """
    lines: list[CheckLine] = []
    for check in checks:
        passed, failed, unchecked = _SENTENCES.get(
            check.name, ("This check passed.", "This check failed.", "This was not checked.")
        )
        if check.ok is True:
            state, sentence = "passed", passed
        elif check.ok is False:
            state, sentence = "failed", failed
            if check.name == "status" and revoked_on is not None:
                sentence = f"This credential was revoked by its issuer on {revoked_on:%d %B %Y}."
        else:
            state, sentence = "not-checked", unchecked
        title = _CHECK_TITLES.get(check.name, check.name.replace("_", " ").capitalize())
        lines.append(CheckLine(check.name, title, state, sentence, check.detail))
    return lines


# --- what a credential certifies (read by the library, formatted here) -------------------------


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    text = str(value).strip()
    return text.removesuffix(".0") or None


def _date(value: str | None) -> str | None:
    """An ISO 8601 date-time as "22 November 2026 (04:21 UTC)"; other text unchanged."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.utcoffset() is None:
        return f"{moment:%d %B %Y, %H:%M}"
    offset = moment.utcoffset()
    zone = "UTC" if offset is not None and not offset.total_seconds() else moment.strftime("%z")
    return f"{moment:%d %B %Y, %H:%M} {zone}"


def summary_view(summary: LibrarySummary | None) -> CredentialSummary | None:
    """The report's summary (:func:`skillpass.credentials.summary.summarise_credential`) in
    words for the page: readable dates, plain numbers, links to the skills' pages.

    Args:
        summary: ``VerificationReport.summary``.

    Returns:
        The page's summary, or None when the credential states nothing worth showing.
    """
    if summary is None or summary.empty:
        return None
    return CredentialSummary(
        title=summary.title,
        description=summary.description,
        issuer_name=summary.issuer_name,
        issuer_country=summary.issuer_country,
        learner_name=summary.learner_name,
        issued=_date(summary.issued),
        valid_until=_date(summary.valid_until),
        ects=_number(summary.ects),
        hours=_number(summary.hours),
        eqf=str(summary.eqf) if summary.eqf is not None else None,
        nqf=summary.nqf,
        awarding_bodies=list(summary.awarding_bodies),
        skills=[SkillLink(s.uri, s.label or concept_id(s.uri)) for s in summary.skills],
    )


# --- the Annex I table, the QR code ------------------------------------------------------------

_PLAIN = {
    "written_exam": "written exam",
    "oral_exam": "oral exam",
    "online_test": "online test",
    "practical_demonstration": "practical demonstration",
    "project": "project",
    "portfolio": "portfolio",
    "continuous_assessment": "continuous assessment",
    "recognition_of_prior_learning": "recognition of prior learning",
    "other": "other",
    "online": "online",
    "onsite": "on site",
    "blended": "blended (online and on site)",
    "formal": "formal",
    "non_formal": "non-formal",
    "informal": "informal",
    "workplace": "at the workplace",
    "short": "short cycle",
    "first": "first cycle (bachelor)",
    "second": "second cycle (master)",
    "third": "third cycle (doctorate)",
}


def plain(value: str | None) -> str:
    """A model enum value in words (``non_formal`` → ``non-formal``)."""
    if value is None:
        return ""
    return _PLAIN.get(value, value.replace("_", " "))


def annex_rows(achievement: Achievement) -> list[tuple[str, str, bool]]:
    """The Annex I elements of a definition as (element, value, mandatory) rows.

    Args:
        achievement: The stored definition.

    Returns:
        Rows in the order of Annex I; optional elements only when given.
    """
    rows: list[tuple[str, str, bool]] = [("Title", achievement.title, True)]
    bodies = "; ".join(
        f"{b.name} ({b.country}{', ' + b.region if b.region else ''})"
        for b in achievement.awarding_bodies
    )
    rows.append(("Awarding body(ies) and country/region", bodies, True))
    workload = []
    if achievement.workload.ects is not None:
        workload.append(f"{_number(str(achievement.workload.ects))} ECTS credits")
    if achievement.workload.hours is not None:
        workload.append(f"{achievement.workload.hours} hours")
    rows.append(("Notional workload", ", ".join(workload), True))
    level = achievement.level
    parts = []
    if level.eqf is not None:
        parts.append(f"EQF level {level.eqf}")
    if level.nqf is not None:
        parts.append(f"{level.nqf.framework} level {level.nqf.level} ({level.nqf.country})")
    if level.qf_ehea_cycle is not None:
        parts.append(f"QF-EHEA {plain(level.qf_ehea_cycle.value)}")
    rows.append(("Level", ", ".join(parts) or "not applicable", True))
    assessment = plain(achievement.assessment.type.value)
    if achievement.assessment.description:
        assessment += f": {achievement.assessment.description}"
    rows.append(("Type of assessment", assessment, True))
    participation = achievement.participation
    rows.append(
        (
            "Form of participation",
            f"{plain(participation.mode.value)}; {plain(participation.setting.value)} learning",
            True,
        )
    )
    rows.append(("Type of quality assurance", achievement.quality_assurance, True))
    rows.append(("Languages", ", ".join(achievement.languages), False))
    if achievement.prerequisites:
        rows.append(("Prerequisites", achievement.prerequisites, False))
    if achievement.supervision is not None:
        rows.append(
            (
                "Supervision and identity verification",
                Supervision(achievement.supervision).label,
                False,
            )
        )
    if achievement.grading_scheme:
        rows.append(("Grading scheme", achievement.grading_scheme, False))
    if achievement.integration is not None:
        integration = achievement.integration
        text = plain(integration.kind.value)
        if integration.towards_name:
            text = f"stackable towards {integration.towards_name}"
        rows.append(("Integration / stackability", text, False))
    if achievement.further_information:
        rows.append(("Further information", achievement.further_information, False))
    return rows


def qr_svg(url: str, title: str) -> str:
    """An inline SVG QR code for ``url`` (generated here, nothing fetched).

    Args:
        url: What the code encodes.
        title: The SVG's ``<title>`` (its text alternative).

    Returns:
        SVG markup, safe to embed (segno escapes the title).
    """
    code = segno.make(url, error="m")
    svg: str = code.svg_inline(scale=4, border=4, title=title, dark="#000", light="#fff")
    return svg


def credential_slug(credential_id: str) -> str:
    """The page id of a credential: its UUID without ``urn:uuid:``."""
    return credential_id.removeprefix("urn:uuid:")


def pretty_json(value: Any) -> str:
    """Indented JSON for the technical details."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
