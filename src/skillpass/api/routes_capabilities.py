"""API routes for capabilities. OWNED BY: capabilities work."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["capabilities"])
