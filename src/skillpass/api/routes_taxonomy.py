"""/api/v1/skills, /api/v1/occupations, /api/v1/taxonomy/*: read-only ESCO access."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from skillpass.api.deps import AppDep
from skillpass.taxonomy.models import (
    Concept,
    ConceptRef,
    ConceptType,
    Page,
    SearchHit,
    TaxonomyStats,
)

__all__ = ["router"]

router = APIRouter(tags=["taxonomy"])

_ID_HELP = "The ESCO URI's last segment (a UUID), or the whole URI URL-encoded."
ConceptId = Annotated[str, Path(description=_ID_HELP)]
Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="How many items to skip.")]
SearchText = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Search text; typo-tolerant. Without it, items are listed by label.",
        examples=["python"],
    ),
]
Lang = Annotated[
    str | None, Query(max_length=8, description="Only labels in this language, e.g. de.")
]


def _listing(
    app: AppDep,
    concept_type: ConceptType,
    q: str | None,
    lang: str | None,
    offset: int,
    limit: int,
) -> Page[ConceptRef] | list[SearchHit]:
    if q:
        return app.taxonomy.search(q, concept_type=concept_type, lang=lang, limit=min(limit, 100))
    return app.taxonomy.list_concepts(concept_type, offset=offset, limit=limit)


@router.get(
    "/skills",
    response_model=Page[ConceptRef] | list[SearchHit],
    summary="List or search ESCO skills",
    description="Without `q`: a page of skills ordered by label. With `q`: a ranked list of "
    "search hits (uri, label, type, score, matched_label, lang), at most 100.",
)
def list_skills(
    app: AppDep, q: SearchText = None, lang: Lang = None, offset: Offset = 0, limit: Limit = 50
) -> Page[ConceptRef] | list[SearchHit]:
    """List or search skills."""
    return _listing(app, ConceptType.SKILL, q, lang, offset, limit)


@router.get(
    "/skills/{skill_id:path}",
    response_model=Concept,
    summary="One ESCO skill",
    description="The skill with labels in every imported language, broader groups, collections, "
    "occupations that need it (essential/optional), related skills and capability areas.",
)
def get_skill(app: AppDep, skill_id: ConceptId) -> Concept:
    """One skill."""
    return app.taxonomy.get_concept(skill_id, expected_type=ConceptType.SKILL)


@router.get(
    "/occupations",
    response_model=Page[ConceptRef] | list[SearchHit],
    summary="List or search ESCO occupations",
    description="Without `q`: a page of occupations ordered by label. With `q`: ranked hits.",
)
def list_occupations(
    app: AppDep, q: SearchText = None, lang: Lang = None, offset: Offset = 0, limit: Limit = 50
) -> Page[ConceptRef] | list[SearchHit]:
    """List or search occupations."""
    return _listing(app, ConceptType.OCCUPATION, q, lang, offset, limit)


@router.get(
    "/occupations/{occupation_id:path}",
    response_model=Concept,
    summary="One ESCO occupation",
    description="The occupation with its ISCO-08 group, labels, regulated-profession note, "
    "essential and optional skills and capability areas.",
)
def get_occupation(app: AppDep, occupation_id: ConceptId) -> Concept:
    """One occupation."""
    return app.taxonomy.get_concept(occupation_id, expected_type=ConceptType.OCCUPATION)


@router.get(
    "/taxonomy/search",
    response_model=list[SearchHit],
    summary="Search skills and occupations together",
)
def search(
    app: AppDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Search text.")],
    type: Annotated[
        ConceptType | None, Query(description="skill or occupation; both when omitted.")
    ] = None,
    lang: Lang = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[SearchHit]:
    """Ranked search over both skills and occupations."""
    return app.taxonomy.search(q, concept_type=type, lang=lang, limit=limit)


@router.get(
    "/taxonomy/stats",
    response_model=TaxonomyStats,
    summary="What ESCO version and how much of it is imported",
)
def stats(app: AppDep) -> TaxonomyStats:
    """Counts, version and languages of the imported taxonomy."""
    return app.taxonomy.stats()
