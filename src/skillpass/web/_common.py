"""What every page module shares: the dependency, templates, sessions, CSRF and error pages.

Pages are rendered by :func:`render`, which adds the signed-in user, the CSRF token and the
environment to every template. Routes use :class:`HtmlRoute`, which turns a
:class:`~skillpass.errors.SkillPassError` (or an invalid query) into a friendly HTML error page
instead of the API's JSON envelope, and adds security headers to every page.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from skillpass.app import SkillPass
from skillpass.auth.models import User
from skillpass.config import Environment
from skillpass.errors import NotFound, SkillPassError, TaxonomyNotLoaded
from skillpass.taxonomy.models import ConceptType

__all__ = [
    "CSRF_FIELD",
    "ESCO_DOWNLOAD_URL",
    "SECURITY_HEADERS",
    "HtmlRoute",
    "WebApp",
    "check_csrf",
    "concept_id",
    "concept_url",
    "csrf_token",
    "error_page",
    "get_skillpass",
    "is_fragment_request",
    "render",
    "session_user",
    "templates",
]

#: Where people download ESCO (shown whenever no taxonomy is imported).
ESCO_DOWNLOAD_URL = "https://esco.ec.europa.eu/en/use-esco/download"
#: Name of the hidden form field carrying the CSRF token.
CSRF_FIELD = "csrf_token"
#: Session keys.
_SESSION_USER = "user_id"
_SESSION_CSRF = "csrf"

#: Sent with every page. Scripts and styles come from this origin only (htmx is vendored);
#: inline styles are allowed because htmx and the server-rendered SVG charts use them.
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def get_skillpass(request: Request) -> SkillPass:
    """The SkillPass instance the ASGI app was built with."""
    skillpass: SkillPass = request.app.state.skillpass
    return skillpass


WebApp = Annotated[SkillPass, Depends(get_skillpass)]
"""The services, for page handlers: ``def page(skillpass: WebApp) -> ...``."""


def concept_id(uri: str) -> str:
    """The page id of an ESCO concept: the last segment of its URI.

    Args:
        uri: An ESCO URI such as ``http://data.europa.eu/esco/skill/ccd0a1d9-…``.

    Returns:
        The last path segment (a UUID, or an ISCO code such as ``C2512``).
    """
    return uri.rstrip("/").rsplit("/", 1)[-1]


def concept_url(uri: str, concept_type: ConceptType | str) -> str:
    """The web page of a concept: ``/skills/{id}``, ``/occupations/{id}`` or ``/concepts/{id}``.

    Args:
        uri: The concept's ESCO URI.
        concept_type: Its type.

    Returns:
        A site-relative URL.
    """
    kind = ConceptType(concept_type)
    if kind is ConceptType.SKILL:
        return f"/skills/{concept_id(uri)}"
    if kind is ConceptType.OCCUPATION:
        return f"/occupations/{concept_id(uri)}"
    return f"/concepts/{concept_id(uri)}"


templates.env.globals["concept_url"] = concept_url
templates.env.globals["ESCO_DOWNLOAD_URL"] = ESCO_DOWNLOAD_URL
templates.env.globals["CSRF_FIELD"] = CSRF_FIELD


# --- sessions and CSRF ----------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser session, created on first use.

    Forms that change state post it back in the ``csrf_token`` field; :func:`check_csrf`
    compares it with the copy kept in the signed session cookie.
    """
    token = request.session.get(_SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_CSRF] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> bool:
    """Whether ``submitted`` is this session's CSRF token (constant-time comparison)."""
    expected = request.session.get(_SESSION_CSRF)
    if not isinstance(expected, str) or not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for ``user`` (a new CSRF token too, so an old one cannot be reused)."""
    request.session.clear()
    request.session[_SESSION_USER] = user.public_id
    request.session[_SESSION_CSRF] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    """Forget the session."""
    request.session.clear()


def session_user(request: Request) -> User | None:
    """The signed-in user of this browser session, or None.

    A session naming a user that no longer exists or was deactivated is cleared.
    """
    if "_web_user" in request.scope:
        cached: User | None = request.scope["_web_user"]
        return cached
    user: User | None = None
    public_id = request.session.get(_SESSION_USER)
    if isinstance(public_id, str) and public_id:
        try:
            user = get_skillpass(request).auth.get_user(public_id)
        except NotFound:
            user = None
        if user is None or not user.is_active:
            user = None
            request.session.pop(_SESSION_USER, None)
    request.scope["_web_user"] = user
    return user


# --- rendering ------------------------------------------------------------------------------


def is_fragment_request(request: Request) -> bool:
    """Whether htmx asked for a fragment (not a history restore, which needs the whole page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render a template with what every page needs (user, CSRF token, environment).

    Args:
        request: The request.
        template: Template file name under ``web/templates``.
        context: Variables for the template.
        status_code: HTTP status of the response.

    Returns:
        The HTML response.
    """
    skillpass = get_skillpass(request)
    full: dict[str, Any] = {
        "user": session_user(request),
        "csrf": csrf_token(request),
        "demo": skillpass.settings.environment is Environment.DEMO,
        "path": request.url.path,
    }
    full.update(context or {})
    return templates.TemplateResponse(request, template, full, status_code=status_code)


_ERROR_TITLES = {
    401: "Please sign in",
    403: "Not allowed",
    404: "Page not found",
    409: "Not available yet",
    422: "That did not work",
}


def error_page(
    request: Request, status_code: int, message: str, *, no_taxonomy: bool = False
) -> Response:
    """A friendly HTML error page.

    Args:
        request: The request.
        status_code: HTTP status (404, 409, ...).
        message: What went wrong and what to do, for people.
        no_taxonomy: Add the instructions for importing ESCO.

    Returns:
        The rendered error page.
    """
    return render(
        request,
        "error.html",
        {
            "title": _ERROR_TITLES.get(status_code, "Something went wrong"),
            "status": status_code,
            "message": message,
            "no_taxonomy": no_taxonomy,
        },
        status_code=status_code,
    )


class HtmlRoute(APIRoute):
    """A route whose errors are HTML pages and whose responses carry the security headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the FastAPI handler: map errors to :func:`error_page`, add headers."""
        handler = super().get_route_handler()

        async def html_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except SkillPassError as error:
                response = error_page(
                    request,
                    error.status_code,
                    error.message,
                    no_taxonomy=isinstance(error, TaxonomyNotLoaded),
                )
            except RequestValidationError as error:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
                    for e in error.errors()
                )
                response = error_page(request, 422, f"The address is not valid: {problems}.")
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return html_handler
