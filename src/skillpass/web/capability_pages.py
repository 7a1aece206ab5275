"""Pages over the STEM capability framework: every area (with a chart) and one area."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from skillpass.web._common import HtmlRoute, WebApp, render
from skillpass.web.charts import members_per_area_svg

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_KINDS = {"skill", "occupation"}
_KIND_TITLES = {
    "stem_discipline": "STEM disciplines",
    "strategic_area": "Strategic capability areas",
}


@router.get("/capabilities")
def capabilities(request: Request, skillpass: WebApp) -> Response:
    """Every capability area with its member counts, as a chart and as a table."""
    areas = skillpass.capabilities.list_areas()
    resolved = any(area.skills or area.occupations for area in areas)
    groups = [
        (title, [area for area in areas if area.kind == kind])
        for kind, title in _KIND_TITLES.items()
    ]
    other = [area for area in areas if area.kind not in _KIND_TITLES]
    if other:
        groups.append(("Other areas", other))
    return render(
        request,
        "capabilities.html",
        {
            "title": "Capability areas",
            "areas": areas,
            "groups": [(title, members) for title, members in groups if members],
            "chart_svg": members_per_area_svg(areas) if resolved else None,
            "resolved": resolved,
            "stats": skillpass.taxonomy.stats(),
        },
    )


@router.get("/capabilities/{area_id}")
def capability(
    request: Request,
    skillpass: WebApp,
    area_id: str,
    type: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One area: its rationale, sources and members with the reason each is there.

    ``?type=skill`` or ``?type=occupation`` shows only members of that kind.
    """
    kind = type if type in _KINDS else None
    detail = skillpass.capabilities.get_area(area_id, concept_type=kind)
    return render(
        request,
        "capability.html",
        {
            "title": detail.area.label,
            "detail": detail,
            "kind": kind or "",
            "occupations": [m for m in detail.members if m.type == "occupation"],
            "skills": [m for m in detail.members if m.type == "skill"],
        },
    )
