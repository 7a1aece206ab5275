"""Funding pages: search the directory for a situation, and one programme.

* ``/funding`` — who you are (a person, an employer …; age, work, income), what (words, a
  capability area, a course from the catalogue) and where (country, region). With any answer
  about the situation, every programme says whether it applies, rule by rule, in sentences
  ("eligible because …", "not eligible: …", and what we still need to know); with a course, what
  it would pay for it. Deadlines are shown; the shipped programmes carry an "example" label (real
  programme types to be confirmed by the operator). Nothing is stored: the form is a GET.
* ``/funding/{id}`` — one programme: what it funds, eligibility in the source's words and as
  rules, amounts as stated, deadline, sources.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from skillpass.errors import NotFound
from skillpass.pathways.models import (
    EligibilityResult,
    FundingLevel,
    FundingProgramme,
    Opportunity,
)
from skillpass.web._common import HtmlRoute, WebApp, render
from skillpass.web._pathway_view import (
    APPLICANT_WORDS,
    COURSE_TYPE_WORDS,
    EMPLOYMENT_WORDS,
    LEVEL_WORDS,
    FormReader,
    eur,
    situation_from,
)

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

#: Fields that describe the situation: with any of them, eligibility is checked.
_SITUATION_FIELDS = ("home", "region", "age", "employment", "sector", "income", "company_size")


def verdict(result: EligibilityResult) -> tuple[str, str]:
    """The badge of a result: (``ok`` | ``neutral`` | ``bad``, words)."""
    if result.eligible:
        return "ok", "eligible"
    if result.unknown and not any(r.startswith("not eligible") for r in result.reasons):
        return "neutral", "we need more answers"
    return "bad", "not eligible"


@router.get("/funding")
def funding(request: Request, skillpass: WebApp) -> Response:
    """The search form and the programmes, with eligibility when a situation is given."""
    typed = dict(request.query_params)
    form = FormReader(typed)
    situation = situation_from(form)
    asked = any(typed.get(name) for name in _SITUATION_FIELDS) or bool(typed.get("applicant"))
    level = form.choice("level", LEVEL_WORDS)
    where = form.country("country") or situation.country
    course: Opportunity | None = None
    if opportunity_id := form.text("opportunity", 64):
        try:
            course = skillpass.catalogue.get(opportunity_id)
        except NotFound:
            form.problems["opportunity"] = (
                "That course is not in the catalogue any more; search without it."
            )
    hits: list[tuple[FundingProgramme, EligibilityResult | None]] = []
    if not form.problems:
        hits = skillpass.funding.search(
            text=form.text("q", 200),
            applicant=situation.applicant if typed.get("applicant") else None,
            level=level,
            country=where,
            capability_area=form.text("area", 100),
            situation=situation if asked else None,
        )
        if course is not None and asked:
            hits = [
                (programme, skillpass.funding.check(programme.id, situation, course))
                for programme, _ in hits
            ]
    context: dict[str, Any] = {
        "title": "Find funding for learning",
        "form": typed,
        "problems": form.problems,
        "hits": hits,
        "asked": asked,
        "course": course,
        "applied": skillpass.funding.funding_for(situation, course)
        if course is not None and asked and not form.problems
        else [],
        "applicant_words": APPLICANT_WORDS,
        "employment_words": EMPLOYMENT_WORDS,
        "level_words": LEVEL_WORDS,
        "areas": {a.id: a.label for a in skillpass.capabilities.definitions},
        "eur": eur,
        "verdict": verdict,
        "levels": {level.value: LEVEL_WORDS[level] for level in FundingLevel},
    }
    return render(request, "funding.html", context, status_code=422 if form.problems else 200)


@router.get("/funding/{programme_id}")
def programme(request: Request, skillpass: WebApp, programme_id: str) -> Response:
    """One programme (a 404 page when there is none)."""
    found = skillpass.funding.get(programme_id)
    return render(
        request,
        "funding_programme.html",
        {
            "title": found.name,
            "p": found,
            "level_words": LEVEL_WORDS,
            "applicant_words": APPLICANT_WORDS,
            "employment_words": EMPLOYMENT_WORDS,
            "type_words": COURSE_TYPE_WORDS,
            "eur": eur,
        },
    )
