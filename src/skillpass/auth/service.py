"""Users, roles and API tokens. OWNED BY: auth work (stub to be replaced)."""

from __future__ import annotations

from sqlalchemy import Engine

from skillpass.config import Settings

__all__ = ["AuthService"]


class AuthService:
    """Creates users, checks passwords, issues API tokens, enforces roles."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
