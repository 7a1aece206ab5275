"""Use cases behind the HTTP API and the dashboard: filtered indicator tables with provenance.

:class:`IntelligenceReports` wraps :class:`~skillpass.intelligence.analytics.IndicatorService`:

* :meth:`IntelligenceReports.table` — one indicator, filtered by country, capability area, skill
  and period range, with its :class:`Provenance` (sources, synthetic flag, store, engine, when it
  was computed) and suppressed cells kept and marked (``suppressed: true``, values null);
* :meth:`IntelligenceReports.dashboard` — the three views of the ``/intelligence`` page (demand
  by capability area over time, top emerging skills, location quotients per region);
* :meth:`IntelligenceReports.has_adverts` — whether anything has been ingested (the empty state).

Filtering a whole group (a country) is exact, not a trim of rows: asking for ``country=DE`` adds
``country`` to the grouping, so each share is computed over German adverts only, and then keeps
the German rows. NUTS regions are matched by their country prefix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from skillpass.errors import InvalidInput
from skillpass.intelligence.analytics import IndicatorResult, IndicatorService
from skillpass.intelligence.engines import EngineName

if TYPE_CHECKING:  # Ibis and pandas load when an indicator is computed, not with the app
    import pandas as pd

    from skillpass.taxonomy.capabilities import CapabilityService

__all__ = [
    "PUBLICATION_RULE",
    "Dashboard",
    "DashboardFilters",
    "IndicatorFilters",
    "IndicatorTable",
    "IntelligenceReports",
    "PeriodName",
    "Provenance",
    "ReportSection",
    "to_csv",
]

Period = Literal["month", "quarter", "year"]


class PeriodName(StrEnum):
    """Period lengths, as the CLI and the HTTP API accept them."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


#: Indicators whose rows can be narrowed to a country by grouping by country first.
_GROUPABLE = frozenset({"share", "growth", "emerging", "shortage"})
#: The rule of :class:`~skillpass.intelligence.indicators.PublicationRule`, for people.
PUBLICATION_RULE = (
    "A cell is published only when at least 10 adverts from at least 3 distinct employers "
    "make it; otherwise its values are null and `suppressed` is true."
)


class IndicatorFilters(BaseModel):
    """What to keep of an indicator's rows (every list: any of its values; empty: all)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    countries: tuple[str, ...] = Field(default=(), description="ISO 3166 alpha-2 codes (DE, FR).")
    areas: tuple[str, ...] = Field(
        default=(), description="Capability area ids: the area itself, or skills in it."
    )
    skills: tuple[str, ...] = Field(
        default=(), description="ESCO skill URIs or exact preferred labels (case-insensitive)."
    )
    period_from: str | None = Field(
        default=None, description="First period kept: 2024-03, 2024-Q1 or 2024 (as `period`)."
    )
    period_to: str | None = Field(default=None, description="Last period kept (inclusive).")

    def normalised(self) -> IndicatorFilters:
        """Upper-case countries, lower-case areas, stripped values, no empty strings."""
        return IndicatorFilters(
            countries=tuple(c.strip().upper() for c in self.countries if c.strip()),
            areas=tuple(a.strip().lower() for a in self.areas if a.strip()),
            skills=tuple(s.strip() for s in self.skills if s.strip()),
            period_from=(self.period_from or "").strip() or None,
            period_to=(self.period_to or "").strip() or None,
        )


class Provenance(BaseModel):
    """Where the numbers come from and how they were made."""

    sources: list[str] = Field(description="Advert sources in the store (job boards, PES, ...).")
    synthetic: bool = Field(description="True when any advert is synthetic (generated).")
    store: str = Field(description="Name of the intelligence store folder.")
    engine: str = Field(description="Engine that computed the indicator (duckdb or spark).")
    generated_at: datetime = Field(description="When this table was computed (UTC).")
    batches: int = Field(description="Ingest batches in the store.")
    adverts: int = Field(description="Adverts ingested (after removing duplicates).")
    ingested_at: datetime | None = Field(description="When the newest batch finished.")
    esco: str | None = Field(description="ESCO version skills were extracted to.")
    matching_mode: str | None = Field(description="Extraction mode of the newest batch.")
    publication_rule: str = Field(default=PUBLICATION_RULE, description="The suppression rule.")


class IndicatorTable(BaseModel):
    """An indicator's rows after filtering, with provenance."""

    indicator: str = Field(description="Which indicator (see docs/indicators.md).")
    by: list[str] = Field(description="Store columns the rows are grouped by.")
    item: str = Field(description="skill or capability_area.")
    period: str | None = Field(description="Period length, for indicators with periods.")
    columns: list[str] = Field(description="Column names, in order.")
    total: int = Field(description="Rows after filtering (before offset and limit).")
    suppressed: int = Field(description="Rows among them that are suppressed.")
    rows: list[dict[str, Any]] = Field(description="Rows; suppressed cells carry null values.")
    provenance: Provenance


class ReportSection(BaseModel):
    """One view of the dashboard: a chart's numbers, also shown as a table and a CSV."""

    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]

    @property
    def suppressed(self) -> int:
        """Rows marked suppressed."""
        return sum(1 for r in self.rows if r.get("suppressed"))


class DashboardFilters(BaseModel):
    """The dashboard's filters."""

    model_config = ConfigDict(frozen=True)

    country: str | None = None
    area: str | None = None
    period: Period = "quarter"


class Dashboard(BaseModel):
    """What ``/intelligence`` shows."""

    filters: DashboardFilters
    provenance: Provenance
    demand: ReportSection
    emerging: ReportSection
    regions: ReportSection
    countries: list[str] = Field(description="Countries with adverts (for the filter).")
    areas: dict[str, str] = Field(description="Capability area id -> label.")


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """Rows as CSV text (header first; null values empty)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


class IntelligenceReports:
    """Filtered indicator tables and the dashboard views, with provenance.

    Args:
        indicators: Computes indicators on an engine.
        capabilities: Capability area labels and the default store's skill tags.
    """

    def __init__(self, indicators: IndicatorService, capabilities: CapabilityService) -> None:
        self._indicators = indicators
        self._capabilities = capabilities

    @property
    def store(self) -> Path:
        """The store these reports read (``<data_dir>/intelligence``)."""
        return self._indicators.default_store()

    def has_adverts(self) -> bool:
        """Whether any advert has been ingested into the store."""
        return any((self.store / "advert_skills").glob("*.parquet"))

    def area_labels(self) -> dict[str, str]:
        """Capability area id -> label, in framework order."""
        return {d.id: d.label for d in self._capabilities.definitions}

    def table(
        self,
        indicator: str,
        *,
        by: Sequence[str] = (),
        period: Period = "month",
        filters: IndicatorFilters | None = None,
        engine: EngineName | str = EngineName.DUCKDB,
        offset: int = 0,
        limit: int | None = None,
        **options: Any,
    ) -> IndicatorTable:
        """One indicator, filtered, with provenance.

        Args:
            indicator: share, growth, emerging, location_quotient, specialisation, genome or
                shortage.
            by: Groupings (country, region, sector, occupation, capability_area).
            period: month, quarter or year.
            filters: Countries, capability areas, skills, period range.
            engine: duckdb or spark.
            offset: Rows skipped (after filtering).
            limit: Rows returned at most; None: all.
            **options: Passed to the indicator (``window``, ``top``, ``min_mentions``).

        Returns:
            The rows (suppressed ones included and marked) and their provenance.

        Raises:
            InvalidInput: Unknown indicator, grouping or period; a filter the indicator cannot
                apply (e.g. a country filter on a genome by occupation).
            NotFound: No adverts ingested.
        """
        from skillpass.intelligence.indicators import INDICATORS, parse_by

        if indicator not in INDICATORS:
            raise InvalidInput(
                f"Unknown indicator '{indicator}': use one of {', '.join(INDICATORS)}."
            )
        wanted = (filters or IndicatorFilters()).normalised()
        dims, item = parse_by(list(by))
        names = list(by)
        if wanted.countries and indicator in _GROUPABLE and not {"country", "nuts"} & set(dims):
            names = ["country", *names]
        result = self._indicators.compute(
            indicator, by=names or None, period=period, engine=engine, **options
        )
        frame = _filter(result.frame, wanted, self._area_skills(wanted.areas, item), indicator)
        total = len(frame)
        suppressed = int(frame["suppressed"].sum()) if "suppressed" in frame.columns else 0
        page = frame.iloc[offset : None if limit is None else offset + limit]
        shown = IndicatorResult(result.indicator, page, result.engine, result.store, False)
        has_period = "period" in result.frame.columns
        return IndicatorTable(
            indicator=indicator,
            by=list(parse_by(names)[0]),
            item=item,
            period=period if has_period else None,
            columns=[str(c) for c in frame.columns],
            total=total,
            suppressed=suppressed,
            rows=[_jsonable(r) for r in shown.records()],
            provenance=self.provenance(result),
        )

    def provenance(self, result: IndicatorResult) -> Provenance:
        """The provenance of a computed indicator (from the store's manifest and adverts)."""
        from skillpass.intelligence.store import IntelligenceStore

        manifest = IntelligenceStore(result.store).manifest()
        newest = max(manifest.batches, key=lambda b: b.finished, default=None)
        return Provenance(
            sources=_distinct(result.store, "source"),
            synthetic=result.synthetic,
            store=result.store.name,
            engine=result.engine,
            generated_at=datetime.now(UTC),
            batches=len(manifest.batches),
            adverts=sum(b.adverts for b in manifest.batches),
            ingested_at=newest.finished if newest else None,
            esco=str(newest.engine.get("esco")) if newest and newest.engine.get("esco") else None,
            matching_mode=newest.mode if newest else None,
        )

    def dashboard(self, filters: DashboardFilters | None = None) -> Dashboard | None:
        """The dashboard's three views, or None when no adverts have been ingested.

        * demand: each capability area's share of adverts per period (in the country chosen);
        * emerging: the ten skills whose growth on a year earlier is surest (lower confidence
          bound of the log share ratio), in the area and country chosen;
        * regions: location quotients of capability areas per country (or per NUTS region
          within the country chosen) in the latest year.

        Args:
            filters: Country, capability area, period length.

        Returns:
            The views with provenance; None when the store holds no adverts.

        Raises:
            InvalidInput: An unknown capability area or period.
        """
        filters = filters or DashboardFilters()
        if not self.has_adverts():
            return None
        labels = self.area_labels()
        if filters.area and filters.area not in labels:
            raise InvalidInput(
                f"Unknown capability area '{filters.area}': use one of {', '.join(labels)}."
            )
        country = (filters.country or "").strip().upper() or None
        chosen = IndicatorFilters(
            countries=(country,) if country else (), areas=(filters.area,) if filters.area else ()
        )
        demand = self.table("share", by=["capability_area"], period=filters.period, filters=chosen)
        emerging = self.table("emerging", filters=chosen, top=None, min_mentions=10)
        region = "region" if country else "country"
        regions = self.table(
            "location_quotient", by=[region, "capability_area"], period="year", filters=chosen
        )
        latest = max((str(r["period"]) for r in regions.rows), default=None)
        countries = _distinct(self.store, "country")
        return Dashboard(
            filters=DashboardFilters(country=country, area=filters.area, period=filters.period),
            provenance=demand.provenance,
            demand=ReportSection(
                key="demand",
                title="Demand by capability area",
                columns=[
                    "period",
                    *(["country"] if country else []),
                    "area",
                    "label",
                    "mentions",
                    "adverts",
                    "share",
                    "suppressed",
                ],
                rows=[
                    {**r, "area": r["item"], "label": labels.get(r["item"], r["item"])}
                    for r in demand.rows
                ],
            ),
            emerging=ReportSection(
                key="emerging",
                title="Top emerging skills",
                columns=[
                    "rank",
                    "skill",
                    "uri",
                    "mentions",
                    "share",
                    "base_share",
                    "growth_lower",
                    "suppressed",
                ],
                rows=[
                    {
                        **r,
                        "skill": r["label"],
                        "uri": r["item"],
                        "growth_lower": _growth(r.get("lower")),
                    }
                    for r in emerging.rows[:10]
                ],
            ),
            regions=ReportSection(
                key="regions",
                title="Location quotients" + (f", {latest}" if latest else ""),
                columns=[
                    "region",
                    "area",
                    "label",
                    "mentions",
                    "adverts",
                    "share",
                    "reference_share",
                    "lq",
                    "suppressed",
                ],
                rows=[
                    {
                        **r,
                        "region": r.get("nuts" if country else "country"),
                        "area": r["item"],
                        "label": labels.get(r["item"], r["item"]),
                    }
                    for r in regions.rows
                    if str(r["period"]) == latest
                ],
            ),
            countries=countries,
            areas=labels,
        )

    def _area_skills(self, areas: Sequence[str], item: str) -> frozenset[str] | None:
        """Items kept by an area filter: the areas themselves, or the skills tagged with them."""
        if not areas:
            return None
        labels = self.area_labels()
        unknown = [a for a in areas if a not in labels]
        if unknown:
            raise InvalidInput(
                f"Unknown capability area '{unknown[0]}': use one of {', '.join(labels)}."
            )
        if item == "capability_area":
            return frozenset(areas)
        path = self.store / "skill_areas.parquet"
        if not path.exists():
            raise InvalidInput(
                "This store has no capability-area tags (skill_areas.parquet): ingest again with "
                "the capability framework loaded, or drop the area filter."
            )
        import pyarrow.parquet as pq

        tags = pq.read_table(path, columns=["skill_uri", "area_id"]).to_pylist()
        return frozenset(str(t["skill_uri"]) for t in tags if t["area_id"] in areas)


def _filter(
    frame: pd.DataFrame,
    filters: IndicatorFilters,
    items: frozenset[str] | None,
    indicator: str,
) -> pd.DataFrame:
    """Keep the rows the filters ask for (raises when a filter cannot apply)."""
    mask = frame.index == frame.index
    if filters.countries:
        if "country" in frame.columns:
            mask &= frame["country"].astype(str).str.upper().isin(filters.countries)
        elif "nuts" in frame.columns:
            prefixes = tuple(filters.countries)
            mask &= frame["nuts"].astype(str).str.upper().str.startswith(prefixes)
        else:
            raise InvalidInput(
                f"The {indicator} rows are not per country: group them by country or region "
                "(by=country) to filter by country."
            )
    if items is not None or filters.skills:
        if "item" not in frame.columns:
            raise InvalidInput(
                f"The {indicator} rows are per region, not per skill or area: drop the area and "
                "skill filters."
            )
        if items is not None:
            mask &= frame["item"].isin(items)
        if filters.skills:
            wanted = {s.lower() for s in filters.skills}
            mask &= frame["item"].str.lower().isin(wanted) | frame["label"].astype(
                str
            ).str.lower().isin(wanted)
    if filters.period_from or filters.period_to:
        if "period" not in frame.columns:
            raise InvalidInput(
                f"The {indicator} rows have no period: drop the period range (from, to)."
            )
        periods = frame["period"].astype(str)
        if filters.period_from:
            mask &= periods >= filters.period_from
        if filters.period_to:
            mask &= periods <= filters.period_to
    return frame[mask].reset_index(drop=True)


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """Numpy and pandas scalars as plain Python values (dates as ISO text)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if hasattr(value, "item") and not isinstance(value, str | bytes):
            value = value.item()
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[str(key)] = value
    return out


def _growth(lower: Any) -> float | None:
    """``exp(lower) - 1``: the growth on a year earlier one can be 95% confident of."""
    import math

    if lower is None:
        return None
    return math.exp(float(lower)) - 1.0


def _distinct(store: Path, name: str) -> list[str]:
    """Distinct values of one column of the store's adverts (read from that column only)."""
    folder = store / "adverts"
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return []
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    dataset = ds.dataset([str(f) for f in files], format="parquet")
    if name not in dataset.schema.names:
        return []
    column = dataset.to_table(columns=[name]).column(name)
    return sorted(str(s) for s in pc.unique(column).to_pylist() if s is not None)
