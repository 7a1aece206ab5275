"""Use cases of skills intelligence: ingest job adverts into a store, generate synthetic adverts.

The work lives in :mod:`~skillpass.intelligence.pipeline` (ingest),
:mod:`~skillpass.intelligence.synthetic` (generator) and, for indicators,
:mod:`~skillpass.intelligence.indicators`; this class wires them to the application's settings,
matching engine and capability areas.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field
from sqlalchemy import Engine

from skillpass import __version__
from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.intelligence.repository import TaxonomyReads
from skillpass.intelligence.synthetic import (
    EMERGING,
    EMERGING_END,
    EMERGING_START,
    STABLE,
    STABLE_SHARE,
    GeneratorTruth,
    PlantedSkill,
    ProfileSkill,
    generate_adverts,
)
from skillpass.matching.models import MatchMode
from skillpass.matching.service import MatchingService
from skillpass.progress import NullProgress, Progress
from skillpass.taxonomy.capabilities import CapabilityService

if TYPE_CHECKING:  # PyArrow loads on first use, not when the app is built
    from skillpass.intelligence.schema import IngestReport
    from skillpass.intelligence.store import IntelligenceStore

__all__ = ["MAX_SYNTHETIC", "GenerateReport", "IntelligenceService"]

MAX_SYNTHETIC = 10_000_000


class GenerateReport(BaseModel):
    """What ``generate`` wrote."""

    out: str = Field(description="The advert file.")
    truth: str = Field(description="The ground-truth file (planted trends and duplicates).")
    adverts: int = Field(description="Rows written, duplicates included.")
    duplicates: int = Field(description="Planted re-posts and cross-posts among them.")
    emerging: list[str] = Field(description="Labels of the skills planted as rising.")
    synthetic: bool = True


class IntelligenceService:
    """Job-advert ingestion and synthetic adverts (indicators: see ``indicators.py``).

    Args:
        engine: The database holding ESCO.
        data_dir: The data dir; the default store is ``<data_dir>/intelligence``.
        matching: The matching service used for extraction.
        capabilities: The capability areas (skill tagging).
    """

    def __init__(
        self,
        engine: Engine,
        data_dir: Path,
        matching: MatchingService,
        capabilities: CapabilityService,
    ) -> None:
        self._taxonomy = TaxonomyReads(engine)
        self._data_dir = data_dir
        self._matching = matching
        self._capabilities = capabilities

    def store(self, path: Path | None = None) -> IntelligenceStore:
        """The store at ``path`` (default ``<data_dir>/intelligence``)."""
        from skillpass.intelligence.store import IntelligenceStore

        return IntelligenceStore(path or self._data_dir / "intelligence")

    def _skill_areas(self) -> list[tuple[str, str, str]]:
        rows: list[tuple[str, str, str]] = []
        for definition in self._capabilities.definitions:
            detail = self._capabilities.get_area(definition.id, "skill")
            rows += [(m.uri, definition.id, m.tier) for m in detail.members]
        return rows

    def ingest(
        self,
        files: Sequence[Path],
        store: Path | None = None,
        mode: MatchMode | str = MatchMode.FAST,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest advert files (CSV, JSON Lines, Parquet) as one batch of the store.

        Rows are checked (bad rows counted and reported, never fatal), re-posts and cross-posts
        removed, titles normalised to ESCO occupations (ISCO filled when missing), skills
        extracted, and adverts, advert x skill rows, the monthly cube and capability-area tags
        written as Parquet. A file already ingested (same SHA-256) is skipped.

        Args:
            files: Advert files.
            store: The store folder (default ``<data_dir>/intelligence``).
            mode: ``fast`` (bulk, default) or ``default`` (the matching engine's best).
            progress: Receives progress (rows per file).

        Returns:
            Counts, duplicates, row errors and the batch id (None when nothing was new).

        Raises:
            InvalidInput: A missing file, an unknown type, missing columns, a bad mode.
            TaxonomyNotLoaded: No ESCO imported.
        """
        from skillpass.intelligence.pipeline import IngestJob

        try:
            match_mode = MatchMode(mode)
        except ValueError:
            raise InvalidInput(f"Unknown mode {mode!r}; use fast or default.") from None
        version = self._taxonomy.taxonomy_version()
        if version is None:
            raise TaxonomyNotLoaded(
                "No ESCO taxonomy is imported; skills are extracted to ESCO. "
                "Run `skillpass taxonomy import PATH` first."
            )
        job = IngestJob(
            self.store(store),
            self._matching,
            self._skill_areas,
            {
                "skillpass": __version__,
                "matching_mode": match_mode.value,
                "semantic": self._matching.semantic,
                "esco": version,
            },
            match_mode,
            progress,
        )
        return job.run([Path(f) for f in files])

    def generate(
        self,
        adverts: int,
        seed: int = 0,
        out: Path = Path("adverts.csv"),
        fmt: str | None = None,
        *,
        start: date = date(2023, 1, 1),
        progress: Progress | None = None,
    ) -> GenerateReport:
        """Write synthetic adverts from ESCO occupation profiles, with their ground truth.

        The truth (planted rising and stable skills, planted duplicates, each advert's
        occupation) goes to ``<out without suffix>.truth.json``.

        Args:
            adverts: Rows to write (duplicates included), 1 to 10,000,000.
            seed: Random seed: the same seed gives the same file.
            out: The advert file (.csv, .jsonl or .parquet).
            fmt: ``csv``, ``jsonl`` or ``parquet`` (default: from the suffix).
            start: First of the 36 months.
            progress: Receives progress.

        Returns:
            What was written.

        Raises:
            InvalidInput: A count out of range or an unknown format.
            TaxonomyNotLoaded: No ESCO imported.
        """
        from skillpass.intelligence.ingest import write_adverts

        if not 1 <= adverts <= MAX_SYNTHETIC:
            raise InvalidInput(f"Generate between 1 and {MAX_SYNTHETIC:,} adverts (got {adverts}).")
        progress = progress or NullProgress()
        progress.stage("Reading ESCO occupation profiles")
        profiles = self._taxonomy.occupation_profiles()
        if not profiles:
            raise TaxonomyNotLoaded(
                "No ESCO occupations with skills are imported; synthetic adverts are written from "
                "them. Run `skillpass taxonomy import PATH` first."
            )
        planted = self._planted()
        truth = GeneratorTruth(
            seed=seed,
            adverts=adverts,
            start=start,
            months=36,
            emerging=[
                {
                    "uri": p.skill.uri,
                    "label": p.skill.label,
                    "theme": p.theme,
                    "share_start": p.start,
                    "share_end": p.end,
                }
                for p in planted
                if p.theme != "stable"
            ],
            stable=[
                {"uri": p.skill.uri, "label": p.skill.label, "share": p.start}
                for p in planted
                if p.theme == "stable"
            ],
        )
        progress.stage(f"Writing {adverts:,} synthetic adverts", total=adverts)

        def rows() -> Iterator[dict[str, Any]]:
            generated = generate_adverts(profiles, planted, adverts, seed, start=start, truth=truth)
            for n, row in enumerate(generated, 1):
                if n % 1000 == 0:
                    progress.advance(1000)
                yield row

        written = write_adverts(rows(), out, fmt)
        truth_path = out.with_suffix(".truth.json")
        truth_path.write_text(json.dumps(truth.as_json(), indent=1), encoding="utf-8")
        return GenerateReport(
            out=str(out),
            truth=str(truth_path),
            adverts=written,
            duplicates=len(truth.duplicates),
            emerging=[e["label"] for e in truth.emerging],
        )

    def _planted(self) -> list[PlantedSkill]:
        labels = [label for names, _ in EMERGING.values() for label in names] + list(STABLE)
        found = self._taxonomy.skills_by_label(labels)
        planted: list[PlantedSkill] = []
        for theme, (names, sectors) in EMERGING.items():
            for label in names:
                if label in found:
                    uri, kind = found[label]
                    planted.append(
                        PlantedSkill(
                            ProfileSkill(uri, label, kind != "skill/competence"),
                            theme,
                            EMERGING_START,
                            EMERGING_END,
                            sectors,
                        )
                    )
        for label in STABLE:
            if label in found:
                uri, kind = found[label]
                skill = ProfileSkill(uri, label, kind != "skill/competence")
                planted.append(
                    PlantedSkill(skill, "stable", STABLE_SHARE, STABLE_SHARE, frozenset())
                )
        return planted
