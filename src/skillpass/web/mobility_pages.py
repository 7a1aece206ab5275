"""Pages over STEM talent mobility: the flow matrix of the EU, the EQF levels of cross-border
credentials, and one place's page.

Everything shown comes from released (differentially private) tables: signed noisy counts with
95% intervals; estimates whose interval includes zero are marked "uncertain", the matrix greys
out corridors where noise dominates, and the levels table shows such cells as "suppressed"
(value hidden, counted in the area's total). Synthetic data are labelled as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from skillpass.errors import NotFound
from skillpass.mobility.categories import AREA_LABELS, PLACE_LABELS, PLACES
from skillpass.mobility.models import CapabilityMixRow, CorridorFlow, TrendPoint
from skillpass.web._common import HtmlRoute, WebApp, render

__all__ = ["capability_mix_spec", "flow_matrix_spec", "router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_DOMINATED = "noise dominates"


def flow_matrix_spec(matrix: Sequence[CorridorFlow], title: str) -> dict[str, Any]:
    """A heatmap of origin (rows) × destination (columns) flows; noise-dominated cells grey.

    Args:
        matrix: Every corridor with its estimate.
        title: The chart's title.

    Returns:
        The Vega-Lite specification.
    """
    import altair as alt  # heavy: imported when a chart is drawn

    values = [
        {
            "origin": row.origin,
            "destination": row.destination,
            "people": round(row.flow.value) if row.flow.ci_low > 0 else None,
            "status": "estimate" if row.flow.ci_low > 0 else _DOMINATED,
        }
        for row in matrix
    ]
    order = list(PLACES)
    base = alt.Chart(alt.Data(values=values)).encode(  # type: ignore[no-untyped-call]
        x=alt.X("destination:N", sort=order, title="Destination", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("origin:N", sort=order, title="Origin"),
    )
    dominated = base.transform_filter(alt.datum.status == _DOMINATED).mark_rect(color="#eeeeee")
    estimates = (
        base.transform_filter(alt.datum.status == "estimate")
        .mark_rect()
        .encode(
            color=alt.Color(
                "people:Q",
                title="People (95% interval above 0)",
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["origin:N", "destination:N", "people:Q"],
        )
    )
    chart = (dominated + estimates).properties(width=560, height=560, title=title)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def capability_mix_spec(mix: Sequence[CapabilityMixRow], title: str) -> dict[str, Any]:
    """Arrivals and departures per capability area, as bars with 95% error bars."""
    import altair as alt

    values = [
        {
            "area": row.label,
            "direction": direction,
            "people": estimate.value,
            "low": estimate.ci_low,
            "high": estimate.ci_high,
        }
        for row in mix
        for direction, estimate in (("Arrivals", row.arrivals), ("Departures", row.departures))
    ]
    order = [row.label for row in mix]
    base = alt.Chart(alt.Data(values=values)).encode(  # type: ignore[no-untyped-call]
        y=alt.Y("area:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("direction:N"),
    )
    bars = base.mark_bar().encode(
        x=alt.X("people:Q", title="People (noisy count, 95% interval)"),
        color=alt.Color(
            "direction:N",
            title=None,
            scale=alt.Scale(domain=["Arrivals", "Departures"], range=["#0b4fa8", "#c25400"]),
            legend=alt.Legend(orient="top"),
        ),
    )
    rules = base.mark_rule(color="#222222").encode(x="low:Q", x2="high:Q")
    spec: dict[str, Any] = (bars + rules).properties(width=420, title=title).to_dict()
    return spec


def trend_spec(trend: Sequence[TrendPoint], title: str) -> dict[str, Any]:
    """Net flow per quarter with its 95% band."""
    import altair as alt

    values = [
        {"quarter": p.period, "net": p.net.value, "low": p.net.ci_low, "high": p.net.ci_high}
        for p in trend
    ]
    base = alt.Chart(alt.Data(values=values)).encode(  # type: ignore[no-untyped-call]
        x=alt.X("quarter:O", title="Quarter")
    )
    band = base.mark_area(opacity=0.25, color="#0b4fa8").encode(
        y=alt.Y("low:Q", title="Net flow (in − out)"), y2="high:Q"
    )
    line = base.mark_line(point=True, color="#0b4fa8").encode(y="net:Q")
    spec: dict[str, Any] = (band + line).properties(width=420, title=title).to_dict()
    return spec


def _svg(spec: dict[str, Any]) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


@router.get("/mobility")
def mobility(
    request: Request,
    skillpass: WebApp,
    area: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The flow matrix, flows per place, top corridors and (when released) the EQF levels table
    over the latest released quarters."""
    area_id = area if area in AREA_LABELS else None
    try:
        overview = skillpass.mobility.overview(area=area_id)
    except NotFound:
        overview = None
    chart = None
    if overview is not None:
        title = "Origin → destination, " + (AREA_LABELS[area_id] if area_id else "all STEM areas")
        chart = _svg(flow_matrix_spec(overview.matrix, title))
    return render(
        request,
        "mobility.html",
        {
            "title": "STEM talent mobility",
            "overview": overview,
            "chart_svg": chart,
            "areas": AREA_LABELS,
            "area": area_id or "",
            "places": PLACE_LABELS,
        },
    )


@router.get("/mobility/{place}")
def mobility_country(request: Request, skillpass: WebApp, place: str) -> Response:
    """One place: who arrives, who leaves, which capabilities, with uncertainty."""
    info = skillpass.mobility.country(place[:2])
    return render(
        request,
        "mobility_country.html",
        {
            "title": f"STEM mobility: {info.label}",
            "info": info,
            "places": PLACE_LABELS,
            "mix_svg": _svg(capability_mix_spec(info.mix, "Capabilities arriving and leaving")),
            "trend_svg": _svg(trend_spec(info.trend, "Net flow per quarter"))
            if info.trend
            else None,
        },
    )
