"""The skills-intelligence dashboard: demand by capability area, emerging skills, regions.

Charts are Vega-Lite specs (Altair) rendered to SVG on the server, like every chart of the UI
(:mod:`skillpass.web.charts`); each is followed by its table and a CSV link with the same rows.
Suppressed cells (fewer than 10 adverts or 3 employers) are left out of charts, marked in tables,
and empty in the CSV files. Synthetic data are labelled as such, with the data's provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from skillpass.errors import NotFound
from skillpass.intelligence.reports import Dashboard, DashboardFilters, ReportSection, to_csv
from skillpass.web._common import HtmlRoute, WebApp, render

__all__ = ["demand_spec", "emerging_spec", "regions_spec", "router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_EMPTY = (
    "No job adverts have been ingested yet: run `skillpass intel generate --adverts 20000 "
    "--out adverts.csv`, then `skillpass intel ingest adverts.csv`."
)
_BLUE = "#0b4fa8"
_SUPPRESSED = "#dddddd"

CountryQuery = Annotated[str, Query(max_length=2)]
AreaQuery = Annotated[str, Query(max_length=64)]
PeriodQuery = Annotated[Literal["month", "quarter", "year"], Query()]


def demand_spec(rows: Sequence[dict[str, Any]], title: str) -> dict[str, Any]:
    """Lines: each capability area's share of adverts per period (published cells only).

    Args:
        rows: The demand section's rows (period, label, share, suppressed).
        title: The chart's title.

    Returns:
        The Vega-Lite specification.
    """
    import altair as alt  # heavy: imported when a chart is drawn

    values = [
        {"period": r["period"], "area": r["label"], "share": r["share"]}
        for r in rows
        if not r["suppressed"] and r["share"] is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title="Period", axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("share:Q", title="Share of adverts", axis=alt.Axis(format="%")),
            color=alt.Color(
                "area:N",
                title=None,
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=260),
            ),
            tooltip=["period:O", "area:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=560, height=300, title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def emerging_spec(rows: Sequence[dict[str, Any]], title: str) -> dict[str, Any]:
    """Bars: the growth on a year earlier each emerging skill has with 95% confidence."""
    import altair as alt

    values = [{"skill": r["skill"], "growth": r["growth_lower"]} for r in rows]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar(color=_BLUE)
        .encode(
            y=alt.Y(
                "skill:N",
                title=None,
                sort=[r["skill"] for r in rows],
                axis=alt.Axis(labelLimit=260),
            ),
            x=alt.X(
                "growth:Q",
                title="Growth on a year earlier, lower 95% bound",
                axis=alt.Axis(format="%"),
            ),
            tooltip=["skill:N", alt.Tooltip("growth:Q", format=".0%")],
        )
        .properties(width=420, title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def regions_spec(rows: Sequence[dict[str, Any]], title: str) -> dict[str, Any]:
    """Heatmap of location quotients, region × capability area; suppressed cells grey."""
    import altair as alt

    values = [
        {
            "region": r["region"],
            "area": r["label"],
            "lq": None if r["suppressed"] else r["lq"],
            "status": "suppressed" if r["suppressed"] else "published",
        }
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=values)).encode(  # type: ignore[no-untyped-call]
        x=alt.X("area:N", title=None, axis=alt.Axis(labelAngle=-40, labelLimit=200)),
        y=alt.Y("region:N", title="Region"),
    )
    hidden = base.transform_filter(alt.datum.status == "suppressed").mark_rect(color=_SUPPRESSED)
    shown = (
        base.transform_filter(alt.datum.status == "published")
        .mark_rect()
        .encode(
            color=alt.Color(
                "lq:Q",
                title="Location quotient (1 = as everywhere)",
                # Diverging around 1: blue above (asks more), orange below; colour-blind safe.
                scale=alt.Scale(scheme="blueorange", domainMid=1, reverse=True),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["region:N", "area:N", alt.Tooltip("lq:Q", format=".2f")],
        )
    )
    spec: dict[str, Any] = (hidden + shown).properties(width=480, title=title).to_dict()
    return spec


def _svg(spec: dict[str, Any]) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


def _filters(country: str, area: str, period: str) -> DashboardFilters:
    return DashboardFilters(
        country=country.strip().upper() or None,
        area=area.strip() or None,
        period=period,
    )


def _charts(board: Dashboard) -> dict[str, str | None]:
    where = f" in {board.filters.country}" if board.filters.country else ""
    demand = [r for r in board.demand.rows if not r["suppressed"]]
    published = [r for r in board.regions.rows if not r["suppressed"]]
    return {
        "demand": _svg(demand_spec(board.demand.rows, f"Share of adverts per area{where}"))
        if demand
        else None,
        "emerging": _svg(emerging_spec(board.emerging.rows, f"Top emerging skills{where}"))
        if board.emerging.rows
        else None,
        "regions": _svg(regions_spec(board.regions.rows, board.regions.title))
        if published
        else None,
    }


@router.get("/intelligence")
def intelligence(
    request: Request,
    skillpass: WebApp,
    country: CountryQuery = "",
    area: AreaQuery = "",
    period: PeriodQuery = "quarter",
) -> Response:
    """The dashboard, or how to ingest adverts when there are none."""
    board = skillpass.intelligence_reports.dashboard(_filters(country, area, period))
    query = ""
    if board is not None:
        query = "&".join(
            f"{k}={v}"
            for k, v in (
                ("country", board.filters.country or ""),
                ("area", board.filters.area or ""),
                ("period", board.filters.period),
            )
            if v
        )
    return render(
        request,
        "intelligence.html",
        {
            "title": "Skills intelligence",
            "board": board,
            "charts": _charts(board) if board is not None else {},
            "query": query,
            "areas": skillpass.intelligence_reports.area_labels(),
        },
    )


@router.get("/intelligence/{section}.csv")
def intelligence_csv(
    skillpass: WebApp,
    section: Annotated[Literal["demand", "emerging", "regions"], Path()],
    country: CountryQuery = "",
    area: AreaQuery = "",
    period: PeriodQuery = "quarter",
) -> Response:
    """The rows of one chart as CSV (the same rows as its table)."""
    board = skillpass.intelligence_reports.dashboard(_filters(country, area, period))
    if board is None:
        raise NotFound(_EMPTY)
    rows: ReportSection = getattr(board, section)
    synthetic = board.provenance.synthetic
    name = f"skillpass-{section}{'-synthetic' if synthetic else ''}.csv"
    return Response(
        to_csv(rows.columns, rows.rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-SkillPass-Synthetic": "true" if synthetic else "false",
        },
    )
