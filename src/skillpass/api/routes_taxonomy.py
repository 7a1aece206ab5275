"""/api/v1/skills, /api/v1/occupations, /api/v1/taxonomy/*."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["taxonomy"])
