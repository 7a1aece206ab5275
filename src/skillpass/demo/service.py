"""Demo seeding. OWNED BY: auth/demo work (stub to be replaced)."""

from __future__ import annotations

from sqlalchemy import Engine

from skillpass.auth.service import AuthService

__all__ = ["DemoService"]


class DemoService:
    """Seeds clearly-labelled synthetic organisations and users."""

    def __init__(self, engine: Engine, auth: AuthService) -> None:
        self._engine = engine
        self._auth = auth
