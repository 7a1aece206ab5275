"""The qualification levels page: compare a national level across countries through EQF."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from skillpass.errors import InvalidInput, NotFound
from skillpass.web._common import HtmlRoute, WebApp, render

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)


def _split_targets(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


@router.get("/levels")
def levels(
    request: Request,
    skillpass: WebApp,
    country: Annotated[str, Query(max_length=40)] = "",
    level: Annotated[str, Query(max_length=20)] = "",
    targets: Annotated[str, Query(max_length=300)] = "",
) -> Response:
    """The comparison form, its result (NQF ↔ EQF ↔ NQF with caveats and sources), EQF levels.

    Without ``country`` and ``level`` only the form and the EQF descriptors are shown; a bad
    country or level is explained next to the form (status 404 or 422).
    """
    qualifications = skillpass.qualifications
    countries = qualifications.frameworks()
    context: dict[str, Any] = {
        "title": "Qualification levels",
        "countries": [c for c in countries if c.frameworks],
        "missing": [c for c in countries if not c.frameworks],
        "eqf_levels": qualifications.eqf_levels(),
        "country": country.strip(),
        "level": level.strip(),
        "targets": targets.strip(),
        "comparison": None,
        "problem": None,
    }
    status = 200
    if context["country"] or context["level"]:
        if not context["country"] or not context["level"]:
            context["problem"] = "Choose a country and type its level (for example SE and 5)."
            status = 422
        else:
            try:
                target_list = _split_targets(context["targets"])
                context["comparison"] = qualifications.compare(
                    context["country"], context["level"], target_list or None
                )
                context["title"] = f"Qualification levels: {country} {level}"
            except (NotFound, InvalidInput) as error:
                context["problem"] = error.message
                status = error.status_code
    return render(request, "levels.html", context, status_code=status)
