"""What the community pages share: words for roles and types, form reading, the charts.

Charts are Vega-Lite specs built with Altair and rendered to SVG on the server (like
:mod:`skillpass.web.charts`); each page shows the same numbers in a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from skillpass.community.models import (
    AreaRow,
    CommunityRole,
    ContactStatus,
    PartnershipKind,
    PracticeStatus,
    PracticeType,
    YearRow,
)

__all__ = [
    "CONTACT_WORDS",
    "KIND_WORDS",
    "PRACTICE_STATUS_WORDS",
    "ROLE_WORDS",
    "TYPE_WORDS",
    "bar_spec",
    "breakdown_svg",
    "codes",
    "trend_svg",
    "words",
]

ROLE_WORDS: Mapping[CommunityRole, str] = {
    CommunityRole.EMPLOYER: "Employer",
    CommunityRole.VET_PROVIDER: "VET provider",
    CommunityRole.UNIVERSITY: "University",
    CommunityRole.SOCIAL_PARTNER: "Social partner",
    CommunityRole.CHAMBER: "Chamber",
    CommunityRole.PUBLIC_BODY: "Public body",
}
KIND_WORDS: Mapping[PartnershipKind, str] = {
    PartnershipKind.LARGE_SCALE: "Large-scale (sectoral, EU-wide)",
    PartnershipKind.REGIONAL: "Regional",
}
TYPE_WORDS: Mapping[PracticeType, str] = {
    PracticeType.VET_EXCELLENCE: "VET excellence",
    PracticeType.STEM_PROMOTION: "STEM promotion",
    PracticeType.LIFELONG_LEARNING: "Lifelong learning",
    PracticeType.MICRO_CREDENTIALS: "Micro-credentials",
    PracticeType.INDUSTRY_EDUCATION: "Industry–education cooperation",
}
PRACTICE_STATUS_WORDS: Mapping[PracticeStatus, str] = {
    PracticeStatus.SUBMITTED: "waiting for a moderator",
    PracticeStatus.PUBLISHED: "published",
    PracticeStatus.REJECTED: "not published",
}
CONTACT_WORDS: Mapping[ContactStatus, str] = {
    ContactStatus.PENDING: "waiting for an answer",
    ContactStatus.ACCEPTED: "accepted",
    ContactStatus.DECLINED: "declined",
}


def codes(text: str | None) -> list[str]:
    """``"C27, c28 "`` → ``["C27", "C28"]`` (commas or spaces)."""
    return [part.upper() for part in (text or "").replace(",", " ").split() if part]


def words(text: str | None) -> list[str]:
    """Comma-separated words, trimmed: ``"training places, trainers"``."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def bar_spec(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    value_title: str,
    horizontal: bool,
) -> dict[str, Any]:
    """A bar chart of (label, value) rows, in the given order.

    Args:
        rows: Labels and values.
        title: Chart title.
        value_title: Axis title of the values.
        horizontal: Bars along x (long labels) rather than columns.

    Returns:
        The Vega-Lite specification.
    """
    import altair as alt  # heavy: imported when a chart is drawn

    values = [{"label": label, "value": value} for label, value in rows]
    order = [label for label, _ in rows]
    label_axis = alt.Axis(labelLimit=260) if horizontal else alt.Axis(labelAngle=0)
    category = (alt.Y if horizontal else alt.X)("label:N", title=None, sort=order, axis=label_axis)
    value = (alt.X if horizontal else alt.Y)("value:Q", title=value_title)
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar(color="#0b4fa8")
        .encode(**({"y": category, "x": value} if horizontal else {"x": category, "y": value}))
        .properties(width=420, title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


@lru_cache(maxsize=64)
def _svg(
    rows: tuple[tuple[str, float], ...], title: str, value_title: str, horizontal: bool
) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(
        bar_spec(rows, title=title, value_title=value_title, horizontal=horizontal)
    )
    return svg


def trend_svg(by_year: Sequence[YearRow]) -> str | None:
    """People reached per reported year (None when nothing was reported)."""
    if not by_year:
        return None
    rows = tuple((str(row.year), float(row.people_reached)) for row in by_year)
    return _svg(rows, "People reached per year", "People reached", False)


def breakdown_svg(rows: Sequence[AreaRow], title: str) -> str | None:
    """People reached per sector, region or area (the first 12 rows; None when empty)."""
    if not rows:
        return None
    data = tuple((row.label, float(row.people_reached)) for row in rows[:12])
    return _svg(data, title, "People reached", True)
