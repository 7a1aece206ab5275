"""From a verified credential to a passport item: what to refuse, and what to read from it.

The import rule (docs/adr/0006-passport.md):

* **refused**, nothing stored — the input cannot be read as a credential, or its proof was
  checked against a known key and does not match (the document was altered), or there is no
  proof at all to check (an unsigned document proves nothing: declare it as experience);
* **kept, unverified** — the proof could not be checked because the issuer's key is unknown
  here (an operator can pin it, and a re-check then passes), or another check failed: expired,
  revoked, issuer not in the trusted-issuer registry. The report says which.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from typing import Any

from skillpass.credentials.limits import DEFAULT_LIMITS
from skillpass.credentials.proofs.jwt import decode_jwt, looks_like_jwt
from skillpass.credentials.verify import VerificationReport
from skillpass.errors import InvalidInput
from skillpass.passport.models import ItemKind, ItemSource, SkillRef
from skillpass.passport.repository import NewItem

__all__ = ["WORKPLACE_LEARNING", "credential_object", "item_from_report", "refusal"]

#: ``achievementType`` of employer attestations (credentials/formats/attestation.py).
WORKPLACE_LEARNING = "ext:WorkplaceLearning"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FORMATS = {
    "ob3-data-integrity": "ob3",
    "clr-data-integrity": "clr",
    "elm": "elm",
    "elm-jades": "elm",
    "ob2": "ob2",
    "vc1.1": "vc",
    "vc-data-integrity": "vc",
}
_OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}


def refusal(report: VerificationReport) -> str | None:
    """Why an import must be refused, or None when it may be kept (verified or not)."""
    if not report.processable:
        detail = "; ".join(report.errors) or "it is not a credential in a supported format"
        return f"This cannot be imported as a credential: {detail}"
    proof = report.check("proof")
    key = report.check("key")
    if proof is None or proof.ok is not False:
        return None
    if key is not None and key.ok is False:
        return None  # the key is unknown or not bound to the issuer: kept, marked unverified
    return (
        f"The credential's proof does not verify: {proof.detail} It may have been altered; "
        "nothing was stored. Import the credential exactly as the issuer sent it."
    )


def credential_object(document: str) -> dict[str, Any] | None:
    """The credential inside a stored document (JSON-LD, a VC-JWT's claims, an ELM seal's
    payload); None when it cannot be read. Nothing is verified here."""
    text = document.strip()
    try:
        if looks_like_jwt(text):
            return decode_jwt(text, DEFAULT_LIMITS).credential
        data = json.loads(text)
    except (InvalidInput, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("payload"), str) and "signatures" in data:
        try:
            data = json.loads(data["payload"])
        except ValueError:
            return None
    return data if isinstance(data, dict) else None


def _subject(credential: dict[str, Any] | None) -> dict[str, Any]:
    if credential is None:
        return {}
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = next((s for s in subject if isinstance(s, dict)), None)
    return subject if isinstance(subject, dict) else {}


def is_workplace_learning(credential: dict[str, Any] | None) -> bool:
    """An employer attestation of workplace learning (OB3 ``achievementType``)."""
    achievement = _subject(credential).get("achievement")
    return (
        isinstance(achievement, dict) and achievement.get("achievementType") == WORKPLACE_LEARNING
    )


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _short_format(report: VerificationReport) -> str:
    if report.format == "vc-jwt":
        types = set(report.credential.get("types") or [])
        return "ob3-jwt" if types & _OB3_TYPES else "vc-jwt"
    return _FORMATS.get(report.format, report.format[:16])


def item_from_report(
    document: str,
    report: VerificationReport,
    source: ItemSource,
    *,
    kind: ItemKind | None = None,
    labels: dict[str, str] | None = None,
    issued_credential: str | None = None,
    checked_at: datetime,
) -> NewItem:
    """The passport item for a verified (or kept-unverified) credential.

    Args:
        document: The credential exactly as received.
        report: Its verification report.
        source: Where it came from.
        kind: Force the kind; by default an employer attestation (``ext:WorkplaceLearning``)
            or a source of ``attested`` makes an attestation, anything else a credential.
        labels: Known ESCO skill labels by URI (for skills the credential names without one).
        issued_credential: Its public id in this instance's issued credentials.
        checked_at: When it was verified.
    """
    credential = credential_object(document)
    summary = report.summary
    workplace = is_workplace_learning(credential)
    if kind is None:
        kind = (
            ItemKind.ATTESTATION
            if source is ItemSource.ATTESTED or workplace
            else ItemKind.CREDENTIAL
        )
    subject = _subject(credential)
    credential_id = report.credential.get("id") if report.credential else None
    if not isinstance(credential_id, str) or not credential_id or len(credential_id) > 500:
        credential_id = "sha256:" + hashlib.sha256(document.strip().encode("utf-8")).hexdigest()
    known = labels or {}
    skills = tuple(
        SkillRef(uri=s.uri, label=s.label or known.get(s.uri) or s.uri.rsplit("/", 1)[-1])
        for s in (summary.skills if summary is not None else ())
    )
    title = (summary.title if summary else None) or report.credential.get("name") or "Credential"
    country = summary.issuer_country if summary else None
    return NewItem(
        kind=kind,
        source=source,
        title=str(title),
        description=(summary.description if summary else None) or "",
        issuer_name=(summary.issuer_name if summary else None) or report.issuer_name,
        issuer_id=report.issuer_id,
        issuer_country=country if country and _COUNTRY.match(country) else None,
        format=_short_format(report),
        document=document,
        credential_id=credential_id,
        verified=report.verified,
        verification=report.to_dict(),
        checked_at=checked_at,
        issued_at=_datetime(summary.issued if summary else None),
        valid_until=_datetime(summary.valid_until if summary else None),
        period_start=_date(subject.get("activityStartDate")) if workplace else None,
        period_end=_date(subject.get("activityEndDate")) if workplace else None,
        skills=skills,
        eqf=summary.eqf if summary and summary.eqf and 1 <= summary.eqf <= 8 else None,
        ects=summary.ects if summary else None,
        hours=summary.hours if summary else None,
        issued_credential=issued_credential,
    )
