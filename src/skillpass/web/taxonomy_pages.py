"""Pages over the ESCO taxonomy: home, search (with an htmx results fragment), concept pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from skillpass.errors import InvalidInput, NotFound, TaxonomyNotLoaded
from skillpass.taxonomy.models import Concept, ConceptType, RelatedConcept, SearchHit
from skillpass.web._common import HtmlRoute, WebApp, is_fragment_request, render

__all__ = ["router"]

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

_NO_TAXONOMY = (
    "No ESCO taxonomy is imported yet, so there are no skills or occupations to show. "
    "Run `skillpass taxonomy import PATH` with an ESCO download."
)
_KIND_LABELS = {
    ConceptType.SKILL: "Skill",
    ConceptType.OCCUPATION: "Occupation",
    ConceptType.SKILL_GROUP: "Skill group",
    ConceptType.ISCO_GROUP: "ISCO-08 group",
}
_SEARCH_TYPES = {"skill": ConceptType.SKILL, "occupation": ConceptType.OCCUPATION}
#: Results shown per search (the service accepts up to 100).
SEARCH_LIMIT = 25


@router.get("/")
def home(request: Request, skillpass: WebApp) -> Response:
    """What SkillPass does and for whom, and whether ESCO is imported."""
    return render(request, "home.html", {"title": "Home", "stats": skillpass.taxonomy.stats()})


@router.get("/taxonomy/search")
def search(
    request: Request,
    skillpass: WebApp,
    q: Annotated[str, Query(max_length=500)] = "",
    type: Annotated[str, Query(max_length=20)] = "",
    lang: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """Search ESCO; htmx requests get only the results fragment.

    Works as a plain GET form without JavaScript. An unknown ``type`` searches both kinds.
    """
    query = q.strip()
    concept_type = _SEARCH_TYPES.get(type)
    language = lang.strip().lower() or None
    stats = skillpass.taxonomy.stats()
    context: dict[str, Any] = {
        "title": f"Search: {query}" if query else "Search skills and occupations",
        "q": query,
        "type": concept_type.value if concept_type else "",
        "lang": language or "",
        "languages": stats.languages,
        "hits": [],
        "problem": None,
        "no_taxonomy": not stats.version,
    }
    if query and stats.version:
        try:
            hits: list[SearchHit] = skillpass.taxonomy.search(
                query, concept_type=concept_type, lang=language, limit=SEARCH_LIMIT
            )
            context["hits"] = hits
        except TaxonomyNotLoaded:
            context["no_taxonomy"] = True
        except InvalidInput as error:
            context["problem"] = error.message
    if is_fragment_request(request):
        response = render(request, "_search_results.html", context)
    else:
        response = render(request, "search.html", context)
    response.headers["Vary"] = "HX-Request"
    return response


def _concept_page(
    request: Request, skillpass: WebApp, concept_id: str, expected: ConceptType | None
) -> Response:
    try:
        concept = skillpass.taxonomy.get_concept(concept_id, expected_type=expected)
    except NotFound:
        if not skillpass.taxonomy.stats().version:
            raise TaxonomyNotLoaded(_NO_TAXONOMY) from None
        raise
    related: list[RelatedConcept] = (
        concept.skills if concept.type is ConceptType.OCCUPATION else concept.occupations
    )
    return render(
        request,
        "concept.html",
        {
            "title": concept.label,
            "concept": concept,
            "kind_label": _KIND_LABELS.get(concept.type, concept.type.value),
            "essential": [r for r in related if r.relation_type == "essential"],
            "optional": [r for r in related if r.relation_type != "essential"],
            "other_languages": _other_languages(concept),
        },
    )


def _other_languages(concept: Concept) -> list[tuple[str, Any]]:
    return sorted(
        (code, labels)
        for code, labels in concept.labels.items()
        if code != "en" and (labels.preferred or labels.alt)
    )


@router.get("/skills/{skill_id}")
def skill_page(request: Request, skillpass: WebApp, skill_id: str) -> Response:
    """A skill: labels, groups, collections, capability areas, occupations, related skills."""
    return _concept_page(request, skillpass, skill_id, ConceptType.SKILL)


@router.get("/occupations/{occupation_id}")
def occupation_page(request: Request, skillpass: WebApp, occupation_id: str) -> Response:
    """An occupation: labels, ISCO group, capability areas, essential and optional skills."""
    return _concept_page(request, skillpass, occupation_id, ConceptType.OCCUPATION)


@router.get("/concepts/{concept_id}")
def concept_page(request: Request, skillpass: WebApp, concept_id: str) -> Response:
    """Any ESCO concept, e.g. a skill group or an ISCO group linked from a broader list."""
    return _concept_page(request, skillpass, concept_id, None)
