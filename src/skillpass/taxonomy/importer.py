"""ESCO import. OWNED BY: importer work (stub to be replaced)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine

from skillpass.progress import Progress
from skillpass.taxonomy.models import ImportReport, TaxonomyStats

__all__ = ["import_esco", "read_stats"]


def import_esco(
    engine: Engine,
    path: Path,
    *,
    version: str | None,
    progress: Progress,
    resolve_capabilities: Callable[[Connection, str], dict[str, int]],
) -> ImportReport:
    """Import an ESCO download (see TaxonomyService.import_esco)."""
    raise NotImplementedError


def read_stats(engine: Engine) -> TaxonomyStats:
    """Counts of what is imported."""
    raise NotImplementedError
