"""Catalogue pages: search learning opportunities with filters, and one opportunity.

* ``/catalogue`` — search by words, skill, capability area, country, language, mode, highest
  cost and EQF level (:meth:`~skillpass.pathways.catalogue.CatalogueService.search`), paged;
  synthetic demo courses carry a label.
* ``/catalogue/{id}`` — one opportunity: outcomes (linked to their ESCO pages), prerequisites,
  dates, workload, price, and a link to the funding search for it.

Anyone may search; publishing is through the API or an import (``docs/catalogue.md``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from skillpass.pathways.models import OpportunityMode, OpportunityQuery
from skillpass.web._common import HtmlRoute, WebApp, render
from skillpass.web._pathway_view import COURSE_TYPE_WORDS, MODE_WORDS, FormReader, eur

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_PAGE = 25


@router.get("/catalogue")
def catalogue(request: Request, skillpass: WebApp) -> Response:
    """The search form and a page of results."""
    typed = dict(request.query_params)
    form = FormReader(typed)
    skill = form.text("skill", 300)
    query = OpportunityQuery(
        text=form.text("q", 200),
        skill=skill,
        capability_area=form.text("area", 100),
        country=form.country("country"),
        language=next(iter(form.languages("language")), None),
        mode=form.choice("mode", MODE_WORDS),
        max_cost_eur=form.number("max_cost", "the highest cost"),
        eqf=form.whole("eqf", "the EQF level", low=1, high=8),
        limit=_PAGE,
        offset=(form.whole("page", "the page", low=1, high=100_000) or 1) * _PAGE - _PAGE,
    )
    items, total = skillpass.catalogue.search(query) if not form.problems else ([], 0)
    areas = {a.id: a.label for a in skillpass.capabilities.definitions}
    page = query.offset // _PAGE + 1
    kept = {k: v for k, v in typed.items() if k != "page" and v}
    return render(
        request,
        "catalogue.html",
        {
            "title": "Courses and learning opportunities",
            "form": typed,
            "problems": form.problems,
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // _PAGE)),
            "page_url": lambda n: "/catalogue?" + urlencode({**kept, "page": n}),
            "areas": areas,
            "modes": {m.value: MODE_WORDS[m] for m in OpportunityMode},
            "mode_words": MODE_WORDS,
            "eur": eur,
            "searched": bool(kept),
        },
        status_code=422 if form.problems else 200,
    )


@router.get("/catalogue/{opportunity_id}")
def opportunity(request: Request, skillpass: WebApp, opportunity_id: str) -> Response:
    """One opportunity (a 404 page when there is none)."""
    found = skillpass.catalogue.get(opportunity_id)
    return render(
        request,
        "catalogue_item.html",
        {
            "title": found.title,
            "item": found,
            "mode_words": MODE_WORDS,
            "type_words": COURSE_TYPE_WORDS,
            "eur": eur,
            "funding_url": "/funding?"
            + urlencode({"country": found.country, "opportunity": found.id}),
        },
    )
