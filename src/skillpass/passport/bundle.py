"""What leaves a passport whole: the portable bundle (JSON) and the CV-style HTML page.

The bundle is the learner's own copy of their passport, readable by any SkillPass instance
(:meth:`~skillpass.passport.service.PassportService.import_bundle`)::

    {"format": "skillpass-passport-bundle", "version": 1,
     "exported_at": ISO 8601, "exported_from": the instance's public address,
     "holder": {"name", "email", "did"},
     "items": [{"id", "kind", "source", "category", "title", "description",
                "period_start", "period_end", "skills": [{"uri", "label"}],
                "issuer": {"id", "name", "country"}, "eqf", "ects", "hours",
                "credential": {"format", "id", "document"} | null,
                "verified", "checked_at",
                "evidence": [{"filename", "media_type", "size", "sha256", "content_base64"}],
                "created_at"}]}

``credential.document`` is the credential exactly as issued (JSON text or a compact JWT), so it
verifies anywhere; everything else about a credential item is derived from it again on import.
``verified`` and ``checked_at`` are informational: the importing instance verifies again.

The CV page is self-contained (inline CSS, no scripts, no external resources), printable, and
escapes every value that comes from a user or a credential.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from html import escape
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from skillpass.errors import InvalidInput
from skillpass.passport.models import (
    ExperienceCategory,
    ItemKind,
    ItemSource,
    PassportItem,
    SkillRef,
    SkillsProfile,
    Strength,
)

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_VERSION",
    "MAX_BUNDLE_BYTES",
    "MAX_BUNDLE_ITEMS",
    "BundleEntry",
    "BundleEvidence",
    "build_bundle",
    "parse_bundle",
    "render_cv_html",
]

BUNDLE_FORMAT = "skillpass-passport-bundle"
BUNDLE_VERSION = 1
#: Largest bundle accepted (evidence files travel inside it, base64-encoded).
MAX_BUNDLE_BYTES = 200 * 1024 * 1024
#: Most items a bundle may hold.
MAX_BUNDLE_ITEMS = 5_000


class BundleEvidence(BaseModel):
    """An evidence file inside a bundle."""

    model_config = ConfigDict(extra="ignore")

    filename: str = Field(max_length=255)
    media_type: str | None = None
    sha256: str | None = None
    content_base64: str

    def content(self) -> bytes:
        """The decoded bytes.

        Raises:
            InvalidInput: Not base64, or the bytes do not match the stated SHA-256.
        """
        import hashlib

        try:
            raw = base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(f"evidence {self.filename!r} is not valid base64") from None
        if self.sha256 and hashlib.sha256(raw).hexdigest() != self.sha256.lower():
            raise InvalidInput(f"evidence {self.filename!r} does not match its SHA-256")
        return raw


class BundleCredential(BaseModel):
    """A credential inside a bundle, exactly as issued."""

    model_config = ConfigDict(extra="ignore")

    document: str = Field(min_length=2)
    format: str | None = None
    id: str | None = None


class BundleEntry(BaseModel):
    """One item of a bundle, as read back (unknown fields ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    kind: ItemKind
    source: ItemSource
    category: ExperienceCategory | None = None
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=20_000)
    period_start: date | None = None
    period_end: date | None = None
    skills: list[SkillRef] = Field(default_factory=list, max_length=200)
    credential: BundleCredential | None = None
    evidence: list[BundleEvidence] = Field(default_factory=list, max_length=50)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def build_bundle(
    *,
    holder: Mapping[str, str | None],
    items: Sequence[PassportItem],
    evidence: Mapping[str, Sequence[tuple[str, str, int, str, bytes]]] | None = None,
    exported_at: datetime,
    exported_from: str,
) -> dict[str, Any]:
    """The bundle of a passport.

    Args:
        holder: ``name``, ``email`` and ``did`` of the learner.
        items: Every item, newest first.
        evidence: Item public id → its files as ``(filename, media_type, size, sha256,
            content)``.
        exported_at: When.
        exported_from: The exporting instance's public address.

    Returns:
        The bundle as JSON-ready data (see the module docstring).
    """
    files = evidence or {}
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "exported_at": exported_at.isoformat(),
        "exported_from": exported_from,
        "holder": dict(holder),
        "items": [
            {
                "id": item.id,
                "kind": item.kind.value,
                "source": item.source.value,
                "category": item.category.value if item.category else None,
                "title": item.title,
                "description": item.description,
                "period_start": _iso(item.period_start),
                "period_end": _iso(item.period_end),
                "skills": [skill.model_dump() for skill in item.skills],
                "issuer": {
                    "id": item.issuer_id,
                    "name": item.issuer_name,
                    "country": item.issuer_country,
                },
                "eqf": item.eqf,
                "ects": item.ects,
                "hours": item.hours,
                "credential": {
                    "format": item.format,
                    "id": item.credential_id,
                    "document": item.document,
                }
                if item.document is not None
                else None,
                "verified": item.verified,
                "checked_at": _iso(item.checked_at),
                "evidence": [
                    {
                        "filename": name,
                        "media_type": media_type,
                        "size": size,
                        "sha256": sha,
                        "content_base64": base64.b64encode(content).decode("ascii"),
                    }
                    for name, media_type, size, sha, content in files.get(item.id, ())
                ],
                "created_at": _iso(item.created_at),
            }
            for item in items
        ],
    }


def parse_bundle(
    data: bytes | str | Mapping[str, Any],
) -> tuple[list[tuple[int, BundleEntry]], list[str]]:
    """Read a bundle.

    Args:
        data: The bundle as bytes, text or parsed JSON.

    Returns:
        The readable entries with their position (1-based), and one plain-words reason per
        entry that could not be read.

    Raises:
        InvalidInput: Not JSON, not a SkillPass passport bundle, an unsupported version, or too
            large.
    """
    if isinstance(data, bytes | str):
        size = len(data.encode("utf-8") if isinstance(data, str) else data)
        if size > MAX_BUNDLE_BYTES:
            raise InvalidInput(
                f"The bundle is {size:,} bytes; the limit is {MAX_BUNDLE_BYTES:,} bytes."
            )
        try:
            parsed: Any = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise InvalidInput(
                "This is not a passport bundle: it is not JSON. Export the bundle again "
                "(`skillpass passport export` or 'Export' on the passport page)."
            ) from None
    else:
        parsed = dict(data)
    if not isinstance(parsed, dict) or parsed.get("format") != BUNDLE_FORMAT:
        raise InvalidInput(
            f"This is not a SkillPass passport bundle (its 'format' is not {BUNDLE_FORMAT!r}). "
            "To add a single credential, import the credential file instead."
        )
    if parsed.get("version") != BUNDLE_VERSION:
        raise InvalidInput(
            f"Bundle version {parsed.get('version')!r} is not supported; this instance reads "
            f"version {BUNDLE_VERSION}. Export it again from an up-to-date instance."
        )
    raw_items = parsed.get("items")
    if not isinstance(raw_items, list):
        raise InvalidInput("The bundle has no 'items' list.")
    if len(raw_items) > MAX_BUNDLE_ITEMS:
        raise InvalidInput(f"The bundle holds over {MAX_BUNDLE_ITEMS} items; split it.")
    entries: list[tuple[int, BundleEntry]] = []
    refused: list[str] = []
    for number, raw in enumerate(raw_items, start=1):
        try:
            entries.append((number, BundleEntry.model_validate(raw)))
        except ValidationError as error:
            title = raw.get("title") if isinstance(raw, dict) else None
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'item'}: {e['msg']}"
                for e in error.errors()[:3]
            )
            refused.append(f"item {number} ({title or 'untitled'}): cannot be read: {problems}")
    return entries, refused


# --- CV page -----------------------------------------------------------------------------------

_STRENGTH_WORDS = {
    Strength.VERIFIED_CREDENTIAL: "verified credential",
    Strength.EMPLOYER_ATTESTED: "attested by an employer",
    Strength.ASSESSED_RPL: "assessed (recognition of prior learning)",
    Strength.SELF_DECLARED: "self-declared",
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;
max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #1f4e79;padding-bottom:.2rem;margin-top:2rem;
color:#1f4e79}h3{margin:.2rem 0}.muted{color:#555}.item{margin:.8rem 0;break-inside:avoid}
.badge{display:inline-block;font-size:.8rem;padding:0 .4rem;border:1px solid #777;
border-radius:.3rem;margin-left:.3rem}.ok{border-color:#1b6e2b;color:#1b6e2b}
.warn{border-color:#8a5300;color:#8a5300}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.2rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}
ul.skills{columns:2;padding-left:1.2rem}footer{margin-top:2rem;font-size:.85rem;color:#555}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _period(item: PassportItem) -> str:
    if item.period_start is None and item.period_end is None:
        when = item.issued_at.date().isoformat() if item.issued_at else ""
        return _e(when)
    start = item.period_start.isoformat() if item.period_start else "?"
    end = item.period_end.isoformat() if item.period_end else "present"
    return _e(f"{start} – {end}")


def _status(item: PassportItem) -> str:
    if item.verified is None:
        return '<span class="badge">self-declared, unverified</span>'
    if item.verified:
        checked = item.checked_at.date().isoformat() if item.checked_at else ""
        return f'<span class="badge ok">verified {_e(checked)}</span>'
    return '<span class="badge warn">not verified</span>'


def _item_html(item: PassportItem) -> str:
    parts = [f'<div class="item"><h3>{_e(item.title)} {_status(item)}</h3>']
    facts = [
        text
        for text in (
            item.issuer_name
            and f"{item.issuer_name}"
            + (f" ({item.issuer_country})" if item.issuer_country else ""),
            item.eqf and f"EQF level {item.eqf}",
            item.ects and f"{item.ects:g} ECTS",
            item.hours and f"{item.hours:g} hours",
        )
        if text
    ]
    period = _period(item)
    if period or facts:
        joined = " · ".join(_e(f) for f in facts)
        parts.append(
            f'<div class="muted">{period}{" · " if period and joined else ""}{joined}</div>'
        )
    if item.description:
        parts.append(f"<p>{_e(item.description)}</p>")
    if item.skills:
        parts.append(
            '<div class="muted">Skills: '
            + ", ".join(_e(skill.label or skill.uri) for skill in item.skills)
            + "</div>"
        )
    parts.append("</div>")
    return "\n".join(parts)


def render_cv_html(
    *,
    name: str,
    email: str | None,
    items: Sequence[PassportItem],
    profile: SkillsProfile,
    area_labels: Mapping[str, str],
    generated_at: datetime,
) -> str:
    """A readable, printable CV-style page of a passport.

    Args:
        name: The learner's name.
        email: Their e-mail (shown under the name), or None to leave it out.
        items: The passport's items.
        profile: Its skills profile.
        area_labels: Capability area id → label.
        generated_at: When the page was made.

    Returns:
        A complete HTML document (UTF-8, inline CSS, no scripts, every value escaped).
    """
    sections: list[tuple[str, list[PassportItem]]] = [
        (
            "Credentials",
            [i for i in items if i.kind is ItemKind.CREDENTIAL and i.source is not ItemSource.RPL],
        ),
        ("Recognition of prior learning", [i for i in items if i.source is ItemSource.RPL]),
        (
            "Workplace learning attested by employers",
            [i for i in items if i.kind is ItemKind.ATTESTATION],
        ),
        ("Experience and informal learning", [i for i in items if i.kind is ItemKind.EXPERIENCE]),
    ]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(name)} — competence passport</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>{_e(name)}</h1>",
    ]
    if email:
        out.append(f'<div class="muted">{_e(email)}</div>')
    summary = [f"{profile.items} items", f"{len(profile.skills)} skills"]
    if profile.ects_total:
        summary.append(f"{profile.ects_total:g} ECTS from verified credentials")
    if profile.highest_eqf:
        summary.append(f"highest EQF level {profile.highest_eqf}")
    out.append(f'<div class="muted">{_e(" · ".join(summary))}</div></header>')
    if profile.areas:
        out.append("<h2>Capability areas</h2><table><thead><tr><th>Area</th><th>Skills</th>")
        out.append("<th>Strongest evidence</th></tr></thead><tbody>")
        for area in profile.areas:
            strongest = ", ".join(
                f"{count} {_STRENGTH_WORDS[strength]}" for strength, count in area.strongest.items()
            )
            out.append(
                f"<tr><td>{_e(area_labels.get(area.area_id, area.label))}</td>"
                f"<td>{len(area.skills)}</td><td>{_e(strongest)}</td></tr>"
            )
        out.append("</tbody></table>")
    if profile.skills:
        out.append('<h2>Skills</h2><ul class="skills">')
        for skill in profile.skills:
            out.append(
                f'<li>{_e(skill.label)} <span class="muted">'
                f"({_e(_STRENGTH_WORDS[skill.strength])})</span></li>"
            )
        out.append("</ul>")
    for heading, members in sections:
        if members:
            out.append(f"<h2>{_e(heading)}</h2>")
            out.extend(_item_html(item) for item in members)
    out.append(
        f"<footer>Generated {_e(generated_at.strftime('%Y-%m-%d %H:%M UTC'))} from a SkillPass "
        "competence passport. Verification states are as of the last check; the credentials "
        "themselves can be verified independently.</footer></body></html>"
    )
    return "\n".join(out)
