"""Web UI routes. OWNED BY: web work (stub to be replaced)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

__all__ = ["install_web"]

router = APIRouter(include_in_schema=False)


def install_web(api: FastAPI) -> None:
    """Mount the web UI (pages, static files, sessions) on the ASGI app."""
    api.include_router(router)
