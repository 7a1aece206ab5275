"""Qualification levels use cases. OWNED BY: qualification-levels work (stub to be replaced)."""

from __future__ import annotations

__all__ = ["QualificationService"]


class QualificationService:
    """EQF levels, national frameworks referenced to EQF, and level comparison."""
