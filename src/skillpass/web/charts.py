"""Charts for the web UI: Vega-Lite specs built with Altair, rendered to SVG on the server.

Rendering on the server (``vl_convert``) keeps the pages free of chart JavaScript, works without
network access, and gives an SVG that prints and zooms well. Every chart is paired on its page
with a table of the same numbers, for screen readers and for people who would rather read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from skillpass.taxonomy.capabilities import CapabilityArea

__all__ = ["members_per_area_spec", "members_per_area_svg"]

_SKILLS = "Skills"
_OCCUPATIONS = "Occupations"


def members_per_area_spec(areas: Sequence[CapabilityArea]) -> dict[str, Any]:
    """A grouped horizontal bar chart: member skills and occupations per capability area.

    Args:
        areas: The areas with their member counts, in display order.

    Returns:
        The Vega-Lite specification (a plain dict).
    """
    import altair as alt  # heavy: imported when a chart is drawn, not with the web package

    values = [
        {"area": area.label, "kind": kind, "members": count}
        for area in areas
        for kind, count in ((_SKILLS, area.skills), (_OCCUPATIONS, area.occupations))
    ]
    order = [area.label for area in areas]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("area:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("kind:N", sort=[_SKILLS, _OCCUPATIONS]),
            x=alt.X("members:Q", title="Members"),
            color=alt.Color(
                "kind:N",
                title=None,
                sort=[_SKILLS, _OCCUPATIONS],
                # Blue and orange: distinguishable with the common colour-vision deficiencies.
                scale=alt.Scale(domain=[_SKILLS, _OCCUPATIONS], range=["#0b4fa8", "#c25400"]),
                legend=alt.Legend(orient="top"),
            ),
        )
        .properties(width=420, title="Members per capability area")
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


@lru_cache(maxsize=16)
def _render_svg(rows: tuple[tuple[str, int, int], ...]) -> str:
    import vl_convert

    areas = [
        CapabilityArea(
            id=str(n), label=label, kind="", description="", skills=s, occupations=o, version=""
        )
        for n, (label, s, o) in enumerate(rows)
    ]
    svg: str = vl_convert.vegalite_to_svg(members_per_area_spec(areas))
    return svg


def members_per_area_svg(areas: Sequence[CapabilityArea]) -> str:
    """The members-per-area chart as an SVG document (cached per distinct set of counts).

    Args:
        areas: The areas with their member counts, in display order.

    Returns:
        SVG markup, to embed inline.
    """
    return _render_svg(tuple((a.label, a.skills, a.occupations) for a in areas))
