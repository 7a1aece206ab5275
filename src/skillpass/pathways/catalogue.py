"""The learning-opportunity catalogue: providers publish, learners and planners search.

Opportunities carry ESCO-aligned outcomes (and prerequisites); capability areas follow from the
outcome skills. Import from CSV or JSON validates every row first and writes all-or-nothing,
with a progress bar; a synthetic generator makes a realistic demo catalogue (labelled synthetic).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from skillpass.pathways.models import Opportunity, OpportunityCreate, OpportunityQuery

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.credentials.issuers import IssuerService
    from skillpass.progress import Progress
    from skillpass.taxonomy.capabilities import CapabilityService

__all__ = ["CatalogueImport", "CatalogueService"]


class CatalogueImport(BaseModel):
    """What an import did (or, with errors, why nothing was written)."""

    rows: int
    created: int
    updated: int
    errors: list[str]  # "row 12: cost_eur: must be ≥ 0" …; non-empty means nothing written


class CatalogueService:
    """Publish, import, search and generate learning opportunities."""

    def __init__(
        self, engine: Engine, capabilities: CapabilityService, issuers: IssuerService
    ) -> None:
        self._engine = engine
        self._capabilities = capabilities
        self._issuers = issuers

    def create(self, actor: User | None, opportunity: OpportunityCreate) -> Opportunity:
        """Publish one opportunity. With ``provider_id``, the actor must act for that
        organisation (``IssuerService.check_can_act``); None actor = the operator.

        Raises:
            InvalidInput: Unknown ESCO skill URIs (not imported), unknown prerequisite ids.
            PermissionDenied: The actor may not publish for the provider.
        """
        raise NotImplementedError

    def update(
        self, actor: User | None, opportunity_id: str, opportunity: OpportunityCreate
    ) -> Opportunity:
        """Replace an opportunity (same checks as :meth:`create`)."""
        raise NotImplementedError

    def delete(self, actor: User | None, opportunity_id: str) -> None:
        """Withdraw an opportunity."""
        raise NotImplementedError

    def get(self, opportunity_id: str) -> Opportunity:
        """One opportunity. Raises NotFound."""
        raise NotImplementedError

    def search(self, query: OpportunityQuery) -> tuple[list[Opportunity], int]:
        """Filtered, paged opportunities and the total number matching."""
        raise NotImplementedError

    def all(self) -> list[Opportunity]:
        """Every opportunity (for the planner)."""
        raise NotImplementedError

    def providing(self, skill_uris: list[str]) -> list[Opportunity]:
        """Opportunities with at least one of these skills among their outcomes."""
        raise NotImplementedError

    def import_file(
        self, path: Path, *, actor: User | None = None, progress: Progress | None = None
    ) -> CatalogueImport:
        """Import a CSV or JSON (array or JSON Lines) file of ``OpportunityCreate`` rows; rows
        with an ``id`` column update that opportunity. Validates everything before writing.

        Raises:
            InvalidInput: Unreadable file or unknown extension.
        """
        raise NotImplementedError

    def generate_synthetic(
        self, count: int, seed: int = 0, *, progress: Progress | None = None
    ) -> int:
        """Generate ``count`` synthetic opportunities (deterministic for a seed): outcomes drawn
        from ESCO occupation profiles across capability areas, providers and countries with
        realistic costs, hours, modes and languages; every one ``synthetic=True`` and titled
        plainly. Needs ESCO imported.

        Returns:
            How many were written.
        """
        raise NotImplementedError
