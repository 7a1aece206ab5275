"""Use case: compute the indicators of a store on an engine (the CLI, API and web call this).

Wires settings (engine, memory cap, Spark master), the default store folder and the platform's
aggregated supply (:mod:`skillpass.intelligence.supply`) to the Ibis expressions of
:mod:`skillpass.intelligence.indicators`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import InvalidInput
from skillpass.intelligence.engines import EngineName, connect, open_store
from skillpass.intelligence.supply import SupplyRepository

if TYPE_CHECKING:  # Ibis and pandas load when an indicator is computed, not with the app
    import pandas as pd
    from sqlalchemy import Engine as SqlEngine

    from skillpass.config import Settings
    from skillpass.intelligence.indicators import IndicatorRunner, Period

__all__ = ["IndicatorResult", "IndicatorService"]


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator's table and what it was computed from."""

    indicator: str
    frame: pd.DataFrame
    engine: str
    store: Path
    synthetic: bool

    def records(self) -> list[dict[str, Any]]:
        """Rows as JSON-ready dictionaries (NaN becomes None)."""
        frame = self.frame.astype(object).where(self.frame.notna(), None)
        rows: list[dict[str, Any]] = frame.to_dict(orient="records")
        return rows


class IndicatorService:
    """Computes indicators of a store on DuckDB (default) or Spark.

    Args:
        settings: Engine settings (``intel_*``, ``spark_master``) and the data dir.
        database: The platform database, for the supply side of the shortage signal.
    """

    def __init__(self, settings: Settings, database: SqlEngine) -> None:
        self._settings = settings
        self._supply = SupplyRepository(database)

    def default_store(self) -> Path:
        """``<data_dir>/intelligence``."""
        return self._settings.data_dir / "intelligence"

    def compute(
        self,
        indicator: str = "share",
        *,
        by: str | list[str] | None = None,
        period: Period = "month",
        engine: EngineName | str = EngineName.DUCKDB,
        store: Path | None = None,
        **options: Any,
    ) -> IndicatorResult:
        """Compute one indicator.

        Args:
            indicator: share, growth, emerging, location_quotient, specialisation, genome or
                shortage.
            by: Grouping (``country,capability_area``; see
                :func:`~skillpass.intelligence.indicators.parse_by`). For location quotients
                and specialisation the first dimension is the region (default country); for the
                genome, the occupation or sector (default isco).
            period: month, quarter or year (share, growth, location quotient, specialisation).
            engine: duckdb or spark.
            store: Store folder; default ``<data_dir>/intelligence``.
            **options: Passed to the indicator (e.g. ``window``, ``top``, ``min_mentions``).

        Returns:
            The table (with ``suppressed``) and its provenance.

        Raises:
            InvalidInput: Unknown indicator, grouping or period.
            NotFound: The store holds no adverts.
            ConfigurationError: Spark asked for but not available.
        """
        from skillpass.intelligence.indicators import INDICATORS, IndicatorRunner, parse_by

        if indicator not in INDICATORS:
            raise InvalidInput(
                f"Unknown indicator '{indicator}': use one of {', '.join(INDICATORS)}."
            )
        if period not in ("month", "quarter", "year"):
            raise InvalidInput(f"Unknown period '{period}': use month, quarter or year.")
        dims, item = parse_by(by)
        folder = store or self.default_store()
        with connect(self._settings, engine) as opened:
            runner = IndicatorRunner(opened, open_store(opened, folder))
            frame = self._run(runner, indicator, dims, item, period, options)
            synthetic = runner.has_synthetic()
            name = opened.name.value
        return IndicatorResult(indicator, frame, name, folder, synthetic)

    def _run(
        self,
        runner: IndicatorRunner,
        indicator: str,
        dims: tuple[str, ...],
        item: Any,
        period: Period,
        options: dict[str, Any],
    ) -> pd.DataFrame:
        if indicator == "share":
            return runner.share(by=dims, period=period, item=item)
        if indicator == "growth":
            return runner.growth(by=dims, period=period, item=item)
        if indicator == "emerging":
            return runner.emerging(by=dims, item=item, **options)
        if indicator in ("location_quotient", "specialisation"):
            region = dims[0] if dims else "country"
            return runner.run(indicator, region=region, period=period, item=item)
        if indicator == "genome":
            group = dims[0] if dims else "isco"
            return runner.genome(group=group, item=item, **options)
        supply = self._supply.counts(by_area=item == "capability_area").as_frame()
        return runner.shortage(supply, by_country="country" in dims, item=item)
