"""Domain models for users and roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["ApiToken", "IssuedToken", "Role", "User"]


class Role(StrEnum):
    """What a user may do. A user can hold several roles."""

    LEARNER = "learner"
    ISSUER = "issuer"
    VERIFIER = "verifier"
    ASSESSOR = "assessor"
    ANALYST = "analyst"
    ADMIN = "admin"
    MODERATOR = "moderator"  # publishes community practices, posts news and events


class User(BaseModel):
    """A person who signs in. ``public_id`` is opaque; database keys never leave storage."""

    model_config = ConfigDict(frozen=True)

    public_id: str
    email: str  # personal data
    display_name: str  # personal data
    roles: frozenset[Role]
    is_active: bool = True
    synthetic: bool = False
    created_at: datetime


class IssuedToken(BaseModel):
    """An API token as issued: the secret is shown exactly once and stored only as a hash."""

    model_config = ConfigDict(frozen=True)

    public_id: str
    name: str
    token: str
    user_public_id: str


class ApiToken(BaseModel):
    """What is known about an API token after it was issued (never the secret)."""

    model_config = ConfigDict(frozen=True)

    public_id: str
    name: str
    user_public_id: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked: bool = False
