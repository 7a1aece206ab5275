"""API routes for auth. OWNED BY: auth work."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["auth"])
