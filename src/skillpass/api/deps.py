"""FastAPI dependencies as ``Annotated`` aliases.

* :data:`AppDep` — the :class:`~skillpass.app.SkillPass` the app was built with.
* :data:`CurrentUser` — the user of the ``Authorization: Bearer <token>`` header; 401 without one.
* :data:`MaybeUser` — the same, or ``None`` when no header was sent (a bad token is still 401).
* :func:`require_roles` — ``Depends(require_roles(Role.ADMIN))``: 403 unless the user holds one
  of the roles named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.auth.service import check_roles
from skillpass.errors import AuthenticationRequired

__all__ = [
    "AppDep",
    "CurrentUser",
    "MaybeUser",
    "current_user",
    "get_skillpass",
    "maybe_user",
    "require_roles",
]


def get_skillpass(request: Request) -> SkillPass:
    """The SkillPass instance the ASGI app was built with."""
    skillpass: SkillPass = request.app.state.skillpass
    return skillpass


AppDep = Annotated[SkillPass, Depends(get_skillpass)]

_bearer = HTTPBearer(
    auto_error=False,
    description="An API token made with `skillpass admin create-token` or POST /api/v1/tokens.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def maybe_user(skillpass: AppDep, request: Request, credentials: BearerDep) -> User | None:
    """The user of the Bearer token, or None when the request carries no Authorization header.

    Raises:
        AuthenticationRequired: A header was sent but is not a valid Bearer token.
    """
    if credentials is None:
        if request.headers.get("authorization"):
            raise AuthenticationRequired(
                "Use the header `Authorization: Bearer <token>` to send an API token."
            )
        return None
    return skillpass.auth.user_for_token(credentials.credentials)


MaybeUser = Annotated[User | None, Depends(maybe_user)]


def current_user(user: MaybeUser) -> User:
    """The user of the Bearer token.

    Raises:
        AuthenticationRequired: No token, or one that is unknown, revoked or of a deactivated user.
    """
    if user is None:
        raise AuthenticationRequired(
            "This needs an API token: send `Authorization: Bearer <token>` "
            "(make one with `skillpass admin create-token EMAIL --name NAME`)."
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets a request through only if its user holds one of ``roles``.

    Use it as ``user: Annotated[User, Depends(require_roles(Role.ADMIN))]`` or in a route's
    ``dependencies=[...]``.

    Args:
        roles: The roles that allow the action (any one suffices; ``admin`` is not a wildcard).

    Returns:
        The dependency; it yields the user.

    Raises:
        ValueError: No role was named (a programming error).
    """
    if not roles:
        raise ValueError("require_roles needs at least one role")

    def _check(user: CurrentUser) -> User:
        return check_roles(user, roles)

    _check.__name__ = "require_" + "_or_".join(role.value for role in roles)
    return _check
