"""Typo-tolerant label search over the imported taxonomy."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from skillpass.taxonomy.models import ConceptType, SearchHit

__all__ = ["SearchIndex", "SearchIndexCache"]


class SearchIndex:
    """An in-memory inverted index over labels."""

    def search(
        self, query: str, *, concept_type: ConceptType | None, lang: str | None, limit: int
    ) -> list[SearchHit]:
        """Ranked hits."""
        raise NotImplementedError


class SearchIndexCache:
    """Builds the index from the database once, keeps it on disk and in memory."""

    def __init__(self, engine: Engine, folder: Path) -> None:
        self._engine = engine
        self._folder = folder

    def get(self) -> SearchIndex:
        """The current index."""
        raise NotImplementedError

    def invalidate(self) -> None:
        """Forget the index (after an import)."""
