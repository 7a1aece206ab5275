"""HTTP routes for users and API tokens (``/api/v1/me``, ``/users``, ``/tokens``).

Wire schemas are ``XxxCreate`` (request) and ``XxxPublic`` (response); password hashes and token
hashes never appear in a response, and a token secret appears exactly once, when it is issued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep, CurrentUser, require_roles
from skillpass.auth.models import ApiToken, IssuedToken, Role, User

__all__ = ["TokenCreate", "TokenIssued", "TokenPublic", "UserCreate", "UserPublic", "router"]

router = APIRouter(tags=["auth"])

AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]


class UserCreate(BaseModel):
    """A new user, as an administrator sends it."""

    email: str = Field(max_length=320, examples=["ana.lopez@example.org"])  # personal data
    display_name: str = Field(max_length=200, examples=["Ana López"])  # personal data
    password: str = Field(max_length=1024, description="At least 10 characters.")
    roles: list[str] = Field(
        default_factory=lambda: [Role.LEARNER.value],
        description="Any of: " + ", ".join(r.value for r in Role),
    )


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: str = Field(description="Opaque public id.")
    email: str  # personal data
    display_name: str  # personal data
    roles: list[str]
    is_active: bool
    synthetic: bool
    created_at: datetime

    @classmethod
    def from_user(cls, user: User) -> UserPublic:
        """Render a domain user."""
        return cls(
            id=user.public_id,
            email=user.email,
            display_name=user.display_name,
            roles=sorted(role.value for role in user.roles),
            is_active=user.is_active,
            synthetic=user.synthetic,
            created_at=user.created_at,
        )


class TokenCreate(BaseModel):
    """A request for a new API token for yourself."""

    name: str = Field(max_length=100, examples=["laptop"], description="What the token is for.")


class TokenIssued(BaseModel):
    """A newly issued token. ``token`` is the secret: it is shown now and never again."""

    id: str
    name: str
    token: str
    user_id: str

    @classmethod
    def from_issued(cls, issued: IssuedToken) -> TokenIssued:
        """Render an issued token."""
        return cls(
            id=issued.public_id, name=issued.name, token=issued.token, user_id=issued.user_public_id
        )


class TokenPublic(BaseModel):
    """A token without its secret."""

    id: str
    name: str
    user_id: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    @classmethod
    def from_token(cls, token: ApiToken) -> TokenPublic:
        """Render a stored token."""
        return cls(
            id=token.public_id,
            name=token.name,
            user_id=token.user_public_id,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked=token.revoked,
        )


@router.get("/me", response_model=UserPublic, summary="The user of the API token")
def read_me(user: CurrentUser) -> UserPublic:
    """Who the Bearer token belongs to, with their roles."""
    return UserPublic.from_user(user)


@router.post(
    "/users",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create a user (admin)",
)
def create_user(body: UserCreate, skillpass: AppDep, _admin: AdminUser) -> UserPublic:
    """Create a user with a password and roles. Needs the admin role; 409 if the email is taken."""
    user = skillpass.auth.create_user(body.email, body.display_name, body.password, body.roles)
    return UserPublic.from_user(user)


@router.get("/users", response_model=list[UserPublic], summary="List users (admin)")
def list_users(skillpass: AppDep, _admin: AdminUser) -> list[UserPublic]:
    """Every user, oldest first. Needs the admin role."""
    return [UserPublic.from_user(user) for user in skillpass.auth.list_users()]


@router.get("/tokens", response_model=list[TokenPublic], summary="Your API tokens")
def list_tokens(skillpass: AppDep, user: CurrentUser) -> list[TokenPublic]:
    """Your tokens, without their secrets, revoked ones included."""
    return [TokenPublic.from_token(t) for t in skillpass.auth.list_tokens(user.public_id)]


@router.post(
    "/tokens",
    response_model=TokenIssued,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API token for yourself",
)
def create_token(body: TokenCreate, skillpass: AppDep, user: CurrentUser) -> TokenIssued:
    """Issue a new token for the calling user. Store the `token` now: it is not shown again."""
    return TokenIssued.from_issued(skillpass.auth.create_token(user.public_id, body.name))


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Revoke an API token",
)
def revoke_token(token_id: str, skillpass: AppDep, user: CurrentUser) -> Response:
    """Revoke one of your tokens (an admin may revoke anyone's). 404 if it is not yours."""
    skillpass.auth.revoke_token(token_id, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
