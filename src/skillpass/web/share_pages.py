"""Share links: the learner creates, lists and revokes them; a verifier opens them.

* ``/passport/shares`` — learners only: choose items, a label and an expiry; the link (with its
  secret token) is shown once, right after creating it; every share lists its access log and has
  a revoke button.
* ``/s/{token}`` — **public**: the holder and the shared items, each verified again now, with
  every check in words; a form for a holder-signed verifiable presentation with the verifier's
  own challenge and domain. A revoked, expired or unknown link is a clear 404 page.

Calls :class:`~skillpass.passport.shares.ShareService` (and the passport's item list).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from skillpass.app import SkillPass
from skillpass.errors import InvalidInput, NotFound
from skillpass.passport.models import SharedView
from skillpass.web._common import HtmlRoute, WebApp, render
from skillpass.web._credential_view import FORMAT_NAMES, SkillLink, check_lines, verdict_of
from skillpass.web._passport_view import (
    KIND_WORDS,
    SOURCE_WORDS,
    STRENGTH_WORDS,
    CsrfField,
    actor,
    guard,
    item_badge,
    item_check_lines,
)

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_EXPIRY_CHOICES = (7, 30, 90, 365)
_MAX_CHALLENGE = 200
#: Session key holding a just-created share's link until the shares page shows it.
_NEW_SHARE = "new_share"


def _words() -> dict[str, Any]:
    return {
        "kind_words": KIND_WORDS,
        "source_words": SOURCE_WORDS,
        "strength_words": STRENGTH_WORDS,
        "badge": item_badge,
        "format_names": FORMAT_NAMES,
    }


def _client(request: Request) -> str:
    """A coarse description of who opened a share (never the IP address)."""
    agent = request.headers.get("user-agent", "").lower()
    for needle, name in (
        ("edg/", "Edge"),
        ("chrome", "Chrome or Chromium"),
        ("firefox", "Firefox"),
        ("safari", "Safari"),
        ("curl", "command line"),
        ("python", "a program"),
    ):
        if needle in agent:
            return f"web page ({name})"
    return "web page"


# --- the learner's shares ------------------------------------------------------------------


def _shares_page(
    request: Request,
    skillpass: SkillPass,
    *,
    form: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    created: Any = None,
    status_code: int = 200,
) -> Response:
    user = actor(request)
    now = datetime.now(UTC)
    items = skillpass.passport.items(user)
    return render(
        request,
        "passport_shares.html",
        {
            "title": "Share your passport",
            "section": "shares",
            "items": items,
            "item_titles": {item.id: item.title for item in items},
            "shares": skillpass.shares.list_shares(user),
            "now": now,
            "form": form or {"expires_in_days": "30", "item_ids": []},
            "expiry_choices": _EXPIRY_CHOICES,
            "problems": problems or [],
            "created": created,
            "revoked": request.query_params.get("revoked") == "1",
            **_words(),
        },
        status_code=status_code,
    )


@router.get("/passport/shares")
def shares(request: Request, skillpass: WebApp) -> Response:
    """The learner's shares with their access logs, and the form to share chosen items; right
    after creating one, its link (shown this once)."""
    refusal = guard(request, "passport")
    if refusal is not None:
        return refusal
    created = request.session.pop(_NEW_SHARE, None)
    return _shares_page(request, skillpass, created=created if isinstance(created, dict) else None)


@router.post("/passport/shares")
def create_share(
    request: Request,
    skillpass: WebApp,
    csrf_token: CsrfField = "",
    label: Annotated[str, Form(max_length=200)] = "",
    expires_in_days: Annotated[str, Form(max_length=5)] = "30",
    item_id: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Create a share of the ticked items; the page shows the link once."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    chosen = [value for value in item_id or [] if value]
    form = {"label": label, "expires_in_days": expires_in_days, "item_ids": chosen}
    problems: list[str] = []
    if not chosen:
        problems.append("Tick at least one item to share.")
    if not label.strip():
        problems.append("Label: say who the link is for, e.g. “Application to Acme”.")
    try:
        days = int(expires_in_days)
    except ValueError:
        problems.append("Expiry: choose how long the link works.")
        days = 30
    if problems:
        return _shares_page(request, skillpass, form=form, problems=problems, status_code=422)
    try:
        share = skillpass.shares.create(actor(request), chosen, label.strip(), expires_in_days=days)
    except (InvalidInput, NotFound) as error:
        return _shares_page(
            request,
            skillpass,
            form=form,
            problems=[error.message],
            status_code=404 if isinstance(error, NotFound) else 422,
        )
    # Post/redirect/get, so reloading the page does not create another share. The link is kept
    # in the signed session only until the next page shows it once.
    request.session[_NEW_SHARE] = {
        "url": share.url,
        "label": share.label,
        "expires": share.expires_at.strftime("%d %B %Y"),
    }
    return RedirectResponse("/passport/shares?created=1", status_code=303)


@router.post("/passport/shares/{share_id}/revoke")
def revoke_share(
    request: Request, skillpass: WebApp, share_id: str, csrf_token: CsrfField = ""
) -> Response:
    """Stop a share now: its link answers "no longer available" at once."""
    refusal = guard(request, "passport", csrf_token)
    if refusal is not None:
        return refusal
    skillpass.shares.revoke(actor(request), share_id)
    return RedirectResponse("/passport/shares?revoked=1", status_code=303)


# --- what the verifier opens -----------------------------------------------------------------


def _gone(request: Request, message: str) -> Response:
    return render(
        request,
        "share_gone.html",
        {"title": "This shared link does not work", "message": message},
        status_code=404,
    )


def _view_context(view: SharedView) -> dict[str, Any]:
    entries = [
        {
            "item": item,
            "badge": item_badge(item),
            "lines": item_check_lines(item.verification),
            "skills": [SkillLink(s.uri, s.label) for s in item.skills],
        }
        for item in view.items
    ]
    checked = [item for item in view.items if item.verified is not None]
    return {
        "view": view,
        "entries": entries,
        "all_verified": bool(checked) and all(item.verified for item in checked),
        "unverified": [item for item in checked if not item.verified],
        "declared": [item for item in view.items if item.verified is None],
    }


@router.get("/s/{token}")
def shared(
    request: Request,
    skillpass: WebApp,
    token: str,
) -> Response:
    """**Public.** The shared items, each verified again now, with every check in words.

    A revoked, expired or unknown link answers a 404 page that says so.
    """
    try:
        view = skillpass.shares.open(token, client=_client(request))
    except NotFound as error:
        return _gone(request, error.message)
    return render(
        request,
        "share_view.html",
        {
            "title": f"Shared by {view.holder_name}",
            "token": token,
            "now": datetime.now(UTC),
            "challenge": "",
            "domain": "",
            **_view_context(view),
            **_words(),
        },
    )


@router.get("/s/{token}/presentation")
def presentation(
    request: Request,
    skillpass: WebApp,
    token: str,
    challenge: Annotated[str, Query(max_length=_MAX_CHALLENGE * 2)] = "",
    domain: Annotated[str, Query(max_length=_MAX_CHALLENGE * 2)] = "",
    download: Annotated[bool, Query()] = False,
) -> Response:
    """**Public.** A verifiable presentation of the shared credentials, signed with the holder's
    key over the verifier's challenge and domain; shown with its own verification, or as a file.
    """
    if not challenge.strip() or not domain.strip():
        try:
            view = skillpass.shares.open(token, client=_client(request))
        except NotFound as error:
            return _gone(request, error.message)
        return render(
            request,
            "share_view.html",
            {
                "title": f"Shared by {view.holder_name}",
                "token": token,
                "now": datetime.now(UTC),
                "challenge": challenge,
                "domain": domain,
                "vp_problem": "Give both a challenge (a random value you chose) and your domain "
                "(e.g. hr.example.com), then press the button again.",
                **_view_context(view),
                **_words(),
            },
            status_code=422,
        )
    try:
        vp = skillpass.shares.presentation(
            token, challenge.strip(), domain.strip(), client=_client(request)
        )
    except NotFound as error:
        return _gone(request, error.message)
    text = json.dumps(vp, indent=2, ensure_ascii=False)
    if download:
        return Response(
            content=text,
            media_type="application/ld+json",
            headers={"Content-Disposition": 'attachment; filename="presentation.json"'},
        )
    report = skillpass.trust.verify(vp, challenge=challenge.strip(), domain=domain.strip())
    return render(
        request,
        "share_presentation.html",
        {
            "title": "Verifiable presentation",
            "token": token,
            "challenge": challenge.strip(),
            "domain": domain.strip(),
            "vp_text": text,
            "verdict": verdict_of(report),
            "lines": check_lines(report.checks),
        },
    )
