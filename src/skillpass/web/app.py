"""Mount the server-rendered web UI on the ASGI app.

Pages live in ``*_pages.py`` modules (one per capability), templates in ``web/templates``,
static files (the stylesheet and the vendored htmx) in ``web/static``. See ``docs/web-ui.md``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from skillpass.app import SkillPass
from skillpass.config import Environment
from skillpass.web import (
    attestation_pages,
    auth_pages,
    capability_pages,
    catalogue_pages,
    community_pages,
    credential_pages,
    funding_pages,
    intelligence_pages,
    issuer_pages,
    level_pages,
    matching_pages,
    mobility_pages,
    passport_pages,
    pathway_pages,
    recognition_pages,
    rpl_pages,
    share_pages,
    taxonomy_pages,
)
from skillpass.web._common import SECURITY_HEADERS, error_page

__all__ = ["SESSION_COOKIE", "install_web"]

#: Name of the signed session cookie of the web UI.
SESSION_COOKIE = "skillpass_session"

_STATIC = Path(__file__).parent / "static"
_NOT_FOUND = (
    "There is no page at this address. Check the address, or search for the skill or "
    "occupation you are looking for."
)


def install_web(api: FastAPI) -> None:
    """Mount the web UI (pages, static files, sessions) on the ASGI app.

    Needs ``api.state.skillpass`` to be set already (its settings give the session secret).

    Args:
        api: The FastAPI application built by :func:`skillpass.api.app.create_api`.
    """
    skillpass: SkillPass = api.state.skillpass
    settings = skillpass.settings
    api.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.environment is Environment.PRODUCTION,
    )
    api.mount("/static", StaticFiles(directory=_STATIC), name="static")
    for pages in (
        taxonomy_pages,
        capability_pages,
        level_pages,
        auth_pages,
        credential_pages,
        issuer_pages,
        matching_pages,
        mobility_pages,
        intelligence_pages,
        passport_pages,
        attestation_pages,
        rpl_pages,
        share_pages,
        catalogue_pages,
        funding_pages,
        pathway_pages,
        recognition_pages,
        community_pages,
    ):
        api.include_router(pages.router)

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        # The API keeps FastAPI's JSON answer; people browsing get a page.
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return await http_exception_handler(request, error)
        if error.status_code == 404:
            response = error_page(request, 404, _NOT_FOUND)
        else:
            response = error_page(request, error.status_code, str(error.detail))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
