"""HTTP routes of skills intelligence (``/api/v1/intelligence``): indicators from job adverts.

Everything served is an aggregate of job adverts, and every cell passes the publication rule
(≥ 10 adverts from ≥ 3 employers) or is returned suppressed (values null, ``suppressed: true``);
the shortage signal's supply side is coarsened too (:mod:`skillpass.intelligence.supply`). Like
released mobility tables, the indicators are therefore public: analysts, ministries, education
providers and journalists read them without an account. Every answer carries its provenance
(sources, the synthetic flag, the store, when it was computed); the CSV variant carries it in
``X-SkillPass-*`` headers. Ingestion stays on the command line (``skillpass intel ingest``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep
from skillpass.errors import NotFound
from skillpass.intelligence.reports import (
    PUBLICATION_RULE,
    Dashboard,
    DashboardFilters,
    IndicatorFilters,
    IndicatorTable,
    PeriodName,
    to_csv,
)

__all__ = ["IndicatorInfo", "IndicatorName", "IndicatorsOverview", "router"]

router = APIRouter(prefix="/intelligence", tags=["intelligence"])


class IndicatorName(StrEnum):
    """Indicators served (definitions: docs/indicators.md)."""

    SHARE = "share"
    GROWTH = "growth"
    EMERGING = "emerging"
    LOCATION_QUOTIENT = "location_quotient"
    SPECIALISATION = "specialisation"
    GENOME = "genome"
    SHORTAGE = "shortage"


_DESCRIPTIONS: dict[IndicatorName, str] = {
    IndicatorName.SHARE: "Adverts mentioning the skill (or area) / adverts, per group and period.",
    IndicatorName.GROWTH: "Share vs. the same period a year earlier, with a 95% interval.",
    IndicatorName.EMERGING: "Skills whose lower 95% bound of the log share ratio (recent months "
    "vs. a year before) is above zero, best first.",
    IndicatorName.LOCATION_QUOTIENT: "A region's share over the share in all regions "
    "(first `by`: country or region).",
    IndicatorName.SPECIALISATION: "Krugman index of each region's skill mix against all regions.",
    IndicatorName.GENOME: "Most distinctive skills of each occupation or sector (TF-IDF; first "
    "`by`: occupation or sector).",
    IndicatorName.SHORTAGE: "Demand share over supply share on this platform (a signal, not a "
    "measured shortage).",
}


class IndicatorInfo(BaseModel):
    """One indicator and where it is served."""

    name: IndicatorName = Field(description="The indicator's name.")
    description: str = Field(description="What it measures.")
    url: str = Field(description="Its JSON endpoint (append `.csv` for CSV).")


class IndicatorsOverview(BaseModel):
    """What this API serves, whether anything has been ingested, and the publication rule."""

    has_adverts: bool = Field(description="Whether any job advert has been ingested.")
    publication_rule: str = Field(description="When a cell is published or suppressed.")
    indicators: list[IndicatorInfo] = Field(description="Every indicator.")


By = Annotated[
    list[str] | None,
    Query(
        description="Groupings, repeated or comma-separated: country, region, sector, "
        "occupation; capability_area counts capability areas instead of single skills.",
        max_length=8,
    ),
]
PeriodQuery = Annotated[PeriodName, Query(description="Period length.")]
Countries = Annotated[
    list[str] | None,
    Query(
        alias="country",
        description="Only these countries (ISO 3166 alpha-2; repeat).",
        max_length=40,
    ),
]
Areas = Annotated[
    list[str] | None,
    Query(
        alias="area",
        description="Only these capability areas (ids; repeat): the areas themselves when "
        "grouping by capability_area, otherwise the skills tagged with them.",
        max_length=20,
    ),
]
Skills = Annotated[
    list[str] | None,
    Query(
        alias="skill",
        description="Only these skills: ESCO URIs or exact labels (repeat).",
        max_length=50,
    ),
]
PeriodFrom = Annotated[
    str | None,
    Query(alias="from", max_length=7, description="First period kept: 2024-03, 2024-Q1 or 2024."),
]
PeriodTo = Annotated[
    str | None, Query(alias="to", max_length=7, description="Last period kept (inclusive).")
]
Offset = Annotated[int, Query(ge=0, description="Rows skipped (JSON only).")]
Limit = Annotated[int, Query(ge=1, le=5000, description="Rows returned at most (JSON only).")]
Window = Annotated[
    int, Query(ge=1, le=12, description="emerging: recent months compared with a year before.")
]
Top = Annotated[int, Query(ge=1, le=200, description="emerging, genome: items per group.")]
MinMentions = Annotated[
    int, Query(ge=1, le=10_000, description="emerging: adverts needed in the recent window.")
]
IndicatorPath = Annotated[IndicatorName, Path(description="Which indicator.")]


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def _table(
    skillpass: AppDep,
    indicator: IndicatorName,
    by: list[str] | None,
    period: PeriodName,
    country: list[str] | None,
    area: list[str] | None,
    skill: list[str] | None,
    period_from: str | None,
    period_to: str | None,
    window: int,
    top: int,
    min_mentions: int,
    offset: int = 0,
    limit: int | None = None,
) -> IndicatorTable:
    options: dict[str, Any] = {}
    if indicator is IndicatorName.EMERGING:
        options = {"window": window, "top": top, "min_mentions": min_mentions}
    elif indicator is IndicatorName.GENOME:
        options = {"top": top}
    filters = IndicatorFilters(
        countries=_split(country),
        areas=_split(area),
        skills=tuple(s.strip() for s in skill or [] if s.strip()),
        period_from=period_from,
        period_to=period_to,
    )
    return skillpass.intelligence_reports.table(
        indicator.value,
        by=_split(by),
        period=period.value,
        filters=filters,
        offset=offset,
        limit=limit,
        **options,
    )


@router.get("/indicators", response_model=IndicatorsOverview)
def indicators(skillpass: AppDep) -> IndicatorsOverview:
    """The indicators served, the publication rule, and whether adverts have been ingested."""
    return IndicatorsOverview(
        has_adverts=skillpass.intelligence_reports.has_adverts(),
        publication_rule=PUBLICATION_RULE,
        indicators=[
            IndicatorInfo(
                name=name,
                description=_DESCRIPTIONS[name],
                url=f"/api/v1/intelligence/indicators/{name.value}",
            )
            for name in IndicatorName
        ],
    )


@router.get(
    "/indicators/{indicator}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The rows as CSV."}},
)
def indicator_csv(
    skillpass: AppDep,
    indicator: IndicatorPath,
    by: By = None,
    period: PeriodQuery = PeriodName.MONTH,
    country: Countries = None,
    area: Areas = None,
    skill: Skills = None,
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
    window: Window = 3,
    top: Top = 20,
    min_mentions: MinMentions = 20,
) -> Response:
    """One indicator as CSV, every row after filtering (suppressed rows have empty values).

    Provenance travels in headers: `X-SkillPass-Synthetic`, `X-SkillPass-Sources`,
    `X-SkillPass-Store`, `X-SkillPass-Generated-At`; the file name says "synthetic" when the
    data are.
    """
    table = _table(
        skillpass, indicator, by, period, country, area, skill, period_from, period_to,
        window, top, min_mentions,
    )  # fmt: skip
    origin = table.provenance
    name = f"skillpass-{indicator.value}{'-synthetic' if origin.synthetic else ''}.csv"
    return Response(
        to_csv(table.columns, table.rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-SkillPass-Synthetic": "true" if origin.synthetic else "false",
            "X-SkillPass-Sources": ",".join(origin.sources),
            "X-SkillPass-Store": origin.store,
            "X-SkillPass-Generated-At": origin.generated_at.isoformat(),
        },
    )


@router.get("/indicators/{indicator}", response_model=IndicatorTable)
def indicator_json(
    skillpass: AppDep,
    indicator: IndicatorPath,
    by: By = None,
    period: PeriodQuery = PeriodName.MONTH,
    country: Countries = None,
    area: Areas = None,
    skill: Skills = None,
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
    window: Window = 3,
    top: Top = 20,
    min_mentions: MinMentions = 20,
    offset: Offset = 0,
    limit: Limit = 1000,
) -> IndicatorTable:
    """One indicator with filters, its provenance, and suppressed cells marked.

    Filtering by country groups by country first, so shares are computed over that country's
    adverts. 404 when no adverts have been ingested (`skillpass intel ingest FILE`).
    """
    return _table(
        skillpass, indicator, by, period, country, area, skill, period_from, period_to,
        window, top, min_mentions, offset, limit,
    )  # fmt: skip


@router.get("/dashboard", response_model=Dashboard)
def dashboard(
    skillpass: AppDep,
    country: Annotated[
        str | None, Query(max_length=2, description="One country (ISO 3166 alpha-2).")
    ] = None,
    area: Annotated[str | None, Query(max_length=64, description="One capability area id.")] = None,
    period: PeriodQuery = PeriodName.QUARTER,
) -> Dashboard:
    """The dashboard's views: demand by capability area over time, top emerging skills, and
    location quotients per region in the latest year (404 when nothing has been ingested)."""
    found = skillpass.intelligence_reports.dashboard(
        DashboardFilters(country=country or None, area=area or None, period=period.value)
    )
    if found is None:
        raise NotFound(
            "No job adverts have been ingested: run `skillpass intel generate --adverts 20000 "
            "--out adverts.csv` (synthetic) or use your own file, then `skillpass intel ingest "
            "adverts.csv`."
        )
    return found
