"""API routes for levels. OWNED BY: levels work."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["levels"])
