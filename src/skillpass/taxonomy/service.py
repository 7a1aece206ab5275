"""Use cases of the taxonomy capability: import ESCO, report what is loaded, search, show."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from skillpass.errors import NotFound
from skillpass.progress import NullProgress, Progress
from skillpass.taxonomy import importer, repository
from skillpass.taxonomy.capabilities import CapabilityService
from skillpass.taxonomy.models import (
    Concept,
    ConceptRef,
    ConceptType,
    ImportReport,
    Page,
    SearchHit,
    TaxonomyStats,
)
from skillpass.taxonomy.search import SearchIndexCache

__all__ = ["TaxonomyService"]


class TaxonomyService:
    """ESCO in SkillPass: import, statistics, search and concept pages.

    Args:
        engine: The database engine.
        data_dir: Folder for the on-disk search index cache.
        capabilities: Resolves capability areas inside each base import's transaction.
    """

    def __init__(self, engine: Engine, data_dir: Path, capabilities: CapabilityService) -> None:
        self._engine = engine
        self._capabilities = capabilities
        self._index = SearchIndexCache(engine, data_dir / "search-index")

    @property
    def engine(self) -> Engine:
        """The database the taxonomy lives in (for read-only queries by other services)."""
        return self._engine

    def import_esco(
        self, path: Path, *, version: str | None = None, progress: Progress | None = None
    ) -> ImportReport:
        """Import an official ESCO CSV download (folder or zip), in any language.

        Args:
            path: The folder or ``.zip``.
            version: The ESCO version; detected from the path (``v1.2.0``) when not given.
            progress: Receives progress of the import.

        Returns:
            What was imported, or that nothing changed.

        Raises:
            TaxonomyImportError: A file is missing or malformed; the database is unchanged.
        """
        report = importer.import_esco(
            self._engine,
            path,
            version=version,
            progress=progress or NullProgress(),
            resolve_capabilities=self._capabilities.resolve_in,
        )
        if report.changed:
            self._index.invalidate()
        return report

    def stats(self) -> TaxonomyStats:
        """Counts of what is imported, the version and the languages."""
        return importer.read_stats(self._engine)

    def search(
        self,
        query: str,
        *,
        concept_type: ConceptType | None = None,
        lang: str | None = None,
        limit: int = 10,
    ) -> list[SearchHit]:
        """Rank concepts by how well their labels match ``query`` (typo-tolerant).

        Args:
            query: Free text, e.g. ``"pyhton programing"``.
            concept_type: Only skills or only occupations (default: both).
            lang: Only labels in this language (default: every imported language).
            limit: At most this many hits (1-100).

        Raises:
            InvalidInput: The query is empty or too long, or the limit is out of range.
            TaxonomyNotLoaded: No ESCO has been imported.
        """
        return self._index.get().search(query, concept_type=concept_type, lang=lang, limit=limit)

    def get_concept(self, uri_or_id: str, *, expected_type: ConceptType | None = None) -> Concept:
        """A concept with its labels, groups, relations and capability areas.

        Args:
            uri_or_id: The ESCO URI, or its last path segment (the UUID / code).
            expected_type: Refuse a concept of another type (``/skills/{id}`` given an
                occupation's id).

        Raises:
            NotFound: No such concept (of that type).
        """
        concept = repository.get_concept(self._engine, uri_or_id)
        if expected_type is not None and concept.type != expected_type:
            raise NotFound(
                f"'{uri_or_id}' is a {concept.type.value.replace('_', ' ')}, not a "
                f"{expected_type.value}. Its page: /{concept.type.value}s/{uri_or_id}.",
                details={"uri": concept.uri, "type": concept.type.value},
            )
        areas = self._capabilities.areas_for(concept.uri)
        return concept.model_copy(update={"capability_areas": areas})

    def list_concepts(
        self, concept_type: ConceptType, *, offset: int = 0, limit: int = 50
    ) -> Page[ConceptRef]:
        """A page of concepts of one type, ordered by label."""
        return repository.list_concepts(self._engine, concept_type, offset=offset, limit=limit)
