"""Read access to imported taxonomy tables (concept pages, listings)."""

from __future__ import annotations

from sqlalchemy import Engine

from skillpass.taxonomy.models import Concept, ConceptRef, ConceptType, Page

__all__ = ["get_concept", "list_concepts"]


def get_concept(engine: Engine, uri_or_id: str) -> Concept:
    """See TaxonomyService.get_concept."""
    raise NotImplementedError


def list_concepts(
    engine: Engine, concept_type: ConceptType, *, offset: int, limit: int
) -> Page[ConceptRef]:
    """See TaxonomyService.list_concepts."""
    raise NotImplementedError
