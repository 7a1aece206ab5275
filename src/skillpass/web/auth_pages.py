"""Sign in and sign out: a session cookie signed with the secret key, forms protected by CSRF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from skillpass.auth.models import Role
from skillpass.demo.service import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from skillpass.errors import AuthenticationRequired
from skillpass.web._common import (
    CSRF_FIELD,
    HtmlRoute,
    WebApp,
    check_csrf,
    error_page,
    render,
    session_user,
    sign_in,
    sign_out,
)

__all__ = ["router", "safe_next"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_CSRF_FAILED = (
    "This form has expired or did not come from this site, so it was not accepted. "
    "Go back, reload the page and try again."
)


def _login_page(
    request: Request, next: str, email: str, problem: str | None, status_code: int = 200
) -> Response:
    return render(
        request,
        "login.html",
        {
            "title": "Sign in",
            "next": safe_next(next),
            "email": email,
            "problem": problem,
            "demo_roles": [role.value for role in Role],
            "demo_domain": DEMO_EMAIL_DOMAIN,
            "demo_password": DEMO_PASSWORD,
        },
        status_code=status_code,
    )


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site.

    Args:
        target: The ``next`` value from the login form.

    Returns:
        ``target`` if it is a local path (``/…`` but not ``//…``), otherwise ``/``.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=500)] = "/") -> Response:
    """The sign-in form."""
    return _login_page(request, next, "", None)


@router.post("/login")
def login(
    request: Request,
    skillpass: WebApp,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the email and password; on success start a session and go to ``next``."""
    if not check_csrf(request, csrf_token):
        return error_page(request, 403, _CSRF_FAILED)
    try:
        user = skillpass.auth.authenticate(email, password)
    except AuthenticationRequired as error:
        return _login_page(request, next, email, error.message, status_code=401)
    sign_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(
    request: Request,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
) -> Response:
    """End the session and go to the home page."""
    if session_user(request) is not None and not check_csrf(request, csrf_token):
        return error_page(request, 403, _CSRF_FAILED)
    sign_out(request)
    return RedirectResponse("/", status_code=303)
