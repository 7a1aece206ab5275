"""Public credential pages: the verification page and the human-readable credential page.

* ``/verify`` — anyone drops a credential file or pastes its JSON or JWT and gets the report of
  the one verification engine (:meth:`skillpass.credentials.trust.TrustService.verify`) in plain
  language. ``/verify?credential=ID`` verifies the copy of a credential issued here (the target of
  the QR code). Nothing is fetched from the network: the engine's context is offline unless the
  operator allow-listed hosts.
* ``/credentials/{id}`` — a credential issued here, for people: title, issuer, learner name (only
  what the credential itself shows), Annex I elements, ESCO skills, status, download, QR code.

The issuer dashboard is in :mod:`skillpass.web.issuer_pages`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from skillpass.app import SkillPass
from skillpass.credentials.records import IssuedCredential
from skillpass.credentials.verify import VerificationReport
from skillpass.errors import NotFound
from skillpass.web._common import HtmlRoute, WebApp, is_fragment_request, render, session_user
from skillpass.web._credential_view import (
    FORMAT_NAMES,
    SkillLink,
    annex_rows,
    check_lines,
    credential_slug,
    pretty_json,
    qr_svg,
    summary_view,
    verdict_of,
)

__all__ = ["router", "verification_url"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_DOWNLOADS = {
    "ob3": ("application/ld+json", "json", "Open Badges 3.0 JSON-LD"),
    "ob3-jwt": ("application/jwt", "jwt", "Open Badges 3.0 VC-JWT"),
    "elm": ("application/json", "json", "European Learning Model (sealed JSON)"),
}


def verification_url(skillpass: SkillPass, credential_id: str) -> str:
    """The public address that verifies a credential issued here (what its QR code holds).

    Args:
        skillpass: The services (for ``public_base_url``).
        credential_id: ``urn:uuid:…`` or the bare UUID.

    Returns:
        ``{public_base_url}/verify?credential={uuid}``.
    """
    base = skillpass.settings.public_base_url.rstrip("/")
    return f"{base}/verify?credential={credential_slug(credential_id)}"


def _ours(skillpass: SkillPass, report: VerificationReport) -> IssuedCredential | None:
    """The stored credential the report is about, if this site issued it (same id and issuer)."""
    credential_id = report.credential.get("id") if report.credential else None
    if not isinstance(credential_id, str) or report.issuer_id is None:
        return None
    try:
        stored = skillpass.credentials.get(credential_id)
    except NotFound:
        return None
    issuer = skillpass.issuers.find_by_did(report.issuer_id)
    return stored if issuer is not None and issuer.id == stored.issuer_id else None


def _report_context(skillpass: SkillPass, report: VerificationReport) -> dict[str, Any]:
    stored = _ours(skillpass, report)
    revoked_on: datetime | None = stored.revoked_at if stored is not None else None
    summary = summary_view(report.summary) if report.processable else None
    trusted = report.check("issuer_trusted")
    return {
        "report": report,
        "verdict": verdict_of(report),
        "lines": check_lines(report.checks, revoked_on),
        "summary": summary,
        "format_name": FORMAT_NAMES.get(report.format, report.format),
        "issuer_trusted": None if trusted is None else trusted.ok,
        "stored": stored,
        "stored_page": f"/credentials/{credential_slug(stored.id)}" if stored else None,
        "raw_report": pretty_json(report.to_dict()),
    }


def _verify_page(
    request: Request,
    skillpass: SkillPass,
    *,
    result: dict[str, Any] | None = None,
    text: str = "",
    problem: str | None = None,
    checked_stored: str | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "title": "Verify a credential",
        "text": text,
        "problem": problem,
        "result": result,
        "checked_stored": checked_stored,
        "max_kb": skillpass.settings.max_credential_bytes // 1024,
    }
    template = "verify_result.html" if is_fragment_request(request) else "verify.html"
    return render(request, template, context, status_code=status_code)


@router.get("/verify")
def verify_form(
    request: Request,
    skillpass: WebApp,
    credential: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The verification form; with ``?credential=ID``, the report for a credential issued here.

    Raises:
        NotFound: No credential with that id was issued here (an HTML 404 page).
    """
    if not credential.strip():
        return _verify_page(request, skillpass)
    stored = skillpass.credentials.get(credential.strip())
    report = skillpass.trust.verify(stored.document, verifier=session_user(request))
    return _verify_page(
        request,
        skillpass,
        result=_report_context(skillpass, report),
        checked_stored=stored.id,
    )


@router.post("/verify")
def verify_submit(
    request: Request,
    skillpass: WebApp,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
) -> Response:
    """Verify a dropped file or pasted JSON/JWT and show the report in plain language.

    A file wins over pasted text when both are given. Inputs over
    ``SKILLPASS_MAX_CREDENTIAL_BYTES`` are refused before parsing. No CSRF token: verifying
    changes nothing and anyone may do it.
    """
    limit = skillpass.settings.max_credential_bytes
    data: bytes | str | None = None
    if file is not None and file.filename:
        raw = file.file.read(limit + 1)
        if len(raw) > limit:
            return _verify_page(
                request,
                skillpass,
                problem=f"The file is larger than {limit // 1024} KB, the limit for credentials "
                "on this site. A credential is usually a few KB: check that you chose the right "
                "file.",
                status_code=413,
            )
        data = raw or None
    if data is None and text.strip():
        if len(text.encode("utf-8", "surrogatepass")) > limit:
            return _verify_page(
                request,
                skillpass,
                text="",
                problem=f"The pasted text is larger than {limit // 1024} KB, the limit for "
                "credentials on this site.",
                status_code=413,
            )
        data = text
    if data is None:
        return _verify_page(
            request,
            skillpass,
            problem="Choose a credential file or paste the credential's JSON or JWT, then press "
            "Verify.",
            status_code=422,
        )
    report = skillpass.trust.verify(data, verifier=session_user(request))
    shown_text = text if isinstance(data, str) else ""
    return _verify_page(
        request, skillpass, result=_report_context(skillpass, report), text=shown_text
    )


@router.get("/credentials/{credential_id}")
def credential_page(request: Request, skillpass: WebApp, credential_id: str) -> Response:
    """A credential issued here, for people, with a QR code to its verification.

    Raises:
        NotFound: No such credential (an HTML 404 page).
    """
    stored = skillpass.credentials.get(credential_id)
    achievement = skillpass.achievements.achievement(stored.achievement_id)
    issuer = skillpass.issuers.get(stored.issuer_id)
    slug = credential_slug(stored.id)
    verify_at = verification_url(skillpass, stored.id)
    outcomes = [
        (outcome.text, [SkillLink(s.uri, s.label) for s in outcome.esco_skills])
        for outcome in achievement.learning_outcomes
    ]
    area_labels = (
        {area.id: area.label for area in skillpass.capabilities.list_areas()}
        if achievement.capability_areas
        else {}
    )
    _media, extension, download_name = _DOWNLOADS[stored.format]
    return render(
        request,
        "credentials_page.html",
        {
            "title": achievement.title,
            "credential": stored,
            "slug": slug,
            "achievement": achievement,
            "issuer": issuer,
            "rows": annex_rows(achievement),
            "outcomes": outcomes,
            "area_labels": area_labels,
            "format_name": FORMAT_NAMES.get(stored.format, stored.format),
            "download_name": download_name,
            "download_ext": extension,
            "verify_url": verify_at,
            "verify_path": f"/verify?credential={slug}",
            "qr": qr_svg(verify_at, f"QR code: verify this credential at {verify_at}"),
            "existing": request.query_params.get("existing") == "1",
        },
    )


@router.get("/credentials/{credential_id}/download")
def credential_download(skillpass: WebApp, credential_id: str) -> Response:
    """The credential exactly as issued (JSON-LD, JWT or sealed ELM JSON), as a file.

    Raises:
        NotFound: No such credential.
    """
    stored = skillpass.credentials.get(credential_id)
    media, extension, _ = _DOWNLOADS[stored.format]
    filename = f"credential-{credential_slug(stored.id)}.{extension}"
    return Response(
        content=stored.document,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
