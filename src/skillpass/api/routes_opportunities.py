"""HTTP routes of the learning-opportunity catalogue (``/api/v1/opportunities``).

Anyone may search and read. Providers publish for their organisation: a user who may act for the
organisation named in ``provider_id`` creates, replaces and withdraws its opportunities (an
administrator also publishes for providers that are not on SkillPass). An import upload (CSV,
JSON or JSON Lines) is checked in full before anything is written; every problem comes back with
its row.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from skillpass.api._schema import described
from skillpass.api.deps import AppDep, CurrentUser
from skillpass.api.routes_passport import multipart_body, read_form_file
from skillpass.errors import InvalidInput
from skillpass.pathways.catalogue import MAX_FILE_BYTES, CatalogueImport
from skillpass.pathways.models import (
    Opportunity,
    OpportunityCreate,
    OpportunityMode,
    OpportunityQuery,
)

__all__ = [
    "OPPORTUNITY_FIELDS",
    "ImportResult",
    "OpportunityBody",
    "OpportunityPage",
    "OpportunityPublic",
    "router",
]

router = APIRouter(tags=["opportunities"])

OpportunityId = Annotated[str, Path(max_length=64, description="The opportunity's public id.")]

#: What each field of an opportunity means (OpenAPI descriptions of the wire schemas).
OPPORTUNITY_FIELDS: dict[str, str] = {
    "id": "Opaque public id.",
    "title": "Title as learners see it (3 to 300 characters).",
    "provider": "Name of the education or training provider.",
    "provider_id": "Public id of the provider's organisation on SkillPass (GET /issuers); "
    "the user publishing must act for it. Empty: a provider not on SkillPass (admins only).",
    "country": "Where it takes place (ISO 3166-1 alpha-2, e.g. DE).",
    "region": "NUTS code of the region, e.g. DE60.",
    "languages": "Languages of instruction (ISO 639-1 codes, e.g. de, en).",
    "mode": "online, onsite or blended.",
    "course_type": "micro_credential, short_course, vet_module, university_module, "
    "apprenticeship or bootcamp (funding rules refer to it).",
    "start_dates": "Start dates (YYYY-MM-DD); empty means start any time (self-paced).",
    "duration_weeks": "How long it runs, in weeks.",
    "hours": "Notional workload in hours.",
    "ects": "ECTS credits, when it carries any.",
    "cost_eur": "Cost to the learner before any funding, in euros (0: free).",
    "eqf": "EQF level of the learning outcomes (1-8).",
    "outcomes": "ESCO skill URIs of the learning outcomes (at least one).",
    "prerequisite_skills": "ESCO skill URIs a learner needs before starting.",
    "prerequisite_opportunities": "Ids of opportunities to complete first.",
    "achievement_id": "The micro-credential definition issued on completion (GET /achievements).",
    "stackable_towards": "The larger credential this stacks towards, in words.",
    "capability_areas": "STEM capability areas of the outcomes (derived, read-only).",
    "url": "The provider's page about it.",
    "description": "What it is about, in plain words.",
    "synthetic": "True for generated demo courses: not a real course.",
    "created_at": "When it was first published.",
    "updated_at": "When it was last changed.",
}


class OpportunityBody(OpportunityCreate):
    """A learning opportunity as a provider publishes it; outcomes are ESCO skill URIs."""

    model_config = described(OPPORTUNITY_FIELDS)


class OpportunityPublic(Opportunity):
    """A published learning opportunity; outcomes and prerequisites carry their ESCO labels."""

    model_config = described(OPPORTUNITY_FIELDS, frozen=True)

    @classmethod
    def of(cls, opportunity: Opportunity) -> OpportunityPublic:
        """Render a stored opportunity."""
        return cls.model_validate(opportunity.model_dump())


class OpportunityPage(BaseModel):
    """One page of search results."""

    total: int = Field(description="How many opportunities match, over all pages.")
    limit: int = Field(description="Page size asked for.")
    offset: int = Field(description="How many matches were skipped.")
    items: list[OpportunityPublic] = Field(description="The matches, ordered by title.")


class ImportResult(BaseModel):
    """What a catalogue import did; with errors nothing was written."""

    rows: int = Field(description="Rows read from the file.")
    created: int = Field(description="Opportunities created.")
    updated: int = Field(description="Opportunities replaced (rows with an id).")
    errors: list[str] = Field(
        description="Every problem with its row (and CSV line) and what to do; "
        "non-empty means nothing was written."
    )

    @classmethod
    def of(cls, result: CatalogueImport) -> ImportResult:
        """Render an import result."""
        return cls.model_validate(result.model_dump())


@router.get(
    "/opportunities",
    response_model=OpportunityPage,
    summary="Search learning opportunities",
)
def search_opportunities(
    app: AppDep,
    text: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words that must all occur in the title, provider, description or "
            "an outcome's label.",
        ),
    ] = None,
    skill: Annotated[
        str | None, Query(max_length=300, description="An ESCO skill URI among the outcomes.")
    ] = None,
    capability_area: Annotated[
        str | None,
        Query(max_length=100, description="A capability area id (GET /capabilities)."),
    ] = None,
    country: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2}$", description="Where it takes place (ISO 3166-1 alpha-2)."),
    ] = None,
    language: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2}$", description="A language of instruction (ISO 639-1)."),
    ] = None,
    mode: Annotated[OpportunityMode | None, Query(description="online, onsite or blended.")] = None,
    max_cost_eur: Annotated[
        float | None, Query(ge=0, description="Highest cost before funding, in euros.")
    ] = None,
    eqf: Annotated[int | None, Query(ge=1, le=8, description="EQF level.")] = None,
    provider_id: Annotated[
        str | None, Query(max_length=64, description="The provider's organisation id.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Matches to skip.")] = 0,
) -> OpportunityPage:
    """Filters combine with AND; results are ordered by title, with the total for paging.
    No sign-in needed."""
    query = OpportunityQuery(
        text=text,
        skill=skill,
        capability_area=capability_area,
        country=country.upper() if country else None,
        language=language.lower() if language else None,
        mode=mode,
        max_cost_eur=max_cost_eur,
        eqf=eqf,
        provider_id=provider_id,
        limit=limit,
        offset=offset,
    )
    items, total = app.catalogue.search(query)
    return OpportunityPage(
        total=total,
        limit=limit,
        offset=offset,
        items=[OpportunityPublic.of(item) for item in items],
    )


@router.get(
    "/opportunities/{opportunity_id}",
    response_model=OpportunityPublic,
    summary="One learning opportunity",
)
def get_opportunity(opportunity_id: OpportunityId, app: AppDep) -> OpportunityPublic:
    """The opportunity with its outcomes and prerequisites; 404 when there is none."""
    return OpportunityPublic.of(app.catalogue.get(opportunity_id))


@router.post(
    "/opportunities",
    response_model=OpportunityPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Publish a learning opportunity (provider)",
)
def create_opportunity(body: OpportunityBody, app: AppDep, user: CurrentUser) -> OpportunityPublic:
    """Publish for the organisation in ``provider_id``, which the user must act for (403
    otherwise; without ``provider_id`` only an administrator publishes). 422 lists unknown ESCO
    URIs, languages or prerequisite ids."""
    return OpportunityPublic.of(app.catalogue.create(user, body))


@router.put(
    "/opportunities/{opportunity_id}",
    response_model=OpportunityPublic,
    summary="Replace a learning opportunity (provider)",
)
def update_opportunity(
    opportunity_id: OpportunityId, body: OpportunityBody, app: AppDep, user: CurrentUser
) -> OpportunityPublic:
    """Replace every field (same checks as publishing; the user must act for both the stored
    and the new provider). 404 for an unknown id."""
    return OpportunityPublic.of(app.catalogue.update(user, opportunity_id, body))


@router.delete(
    "/opportunities/{opportunity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Withdraw a learning opportunity (provider)",
)
def delete_opportunity(opportunity_id: OpportunityId, app: AppDep, user: CurrentUser) -> Response:
    """Remove it from the catalogue (the user must act for its provider). 404 for an unknown
    id."""
    app.catalogue.delete(user, opportunity_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


_IMPORT_SUFFIXES = (".csv", ".json", ".jsonl", ".ndjson")


@router.post(
    "/opportunities/import",
    response_model=ImportResult,
    summary="Import opportunities from a CSV or JSON file (provider)",
    openapi_extra={
        "requestBody": multipart_body(
            "The file in the field `file`: .csv (one opportunity per row, lists separated by "
            "';'), .json (an array) or .jsonl (one object per line); columns as in "
            "docs/catalogue.md. Rows with an `id` replace that opportunity."
        )
    },
)
async def import_opportunities(request: Request, app: AppDep, user: CurrentUser) -> ImportResult:
    """Every row is checked first (fields, ESCO URIs, languages, that the user may publish
    for each provider); with any problem nothing is written and ``errors`` lists them all, row
    by row (the answer is still 200, so a client can show them). 422 for a file that cannot be
    read or has another extension."""
    filename, content = await read_form_file(
        request, MAX_FILE_BYTES, "catalogue file", "the catalogue import limit"
    )
    suffix = FilePath(filename).suffix.lower()
    if suffix not in _IMPORT_SUFFIXES:
        raise InvalidInput(
            f"Send a .csv, .json or .jsonl file (got '{filename or 'no name'}'); "
            "see docs/catalogue.md for the columns."
        )
    result = await run_in_threadpool(_import, app, user, suffix, filename, content)
    return ImportResult.of(result)


def _import(
    app: AppDep, user: CurrentUser, suffix: str, filename: str, content: bytes
) -> CatalogueImport:
    with tempfile.TemporaryDirectory(prefix="skillpass-import-") as folder:
        # The service reads a file (as the CLI does); keep the uploaded name for its messages.
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", FilePath(filename).stem)[:80].strip("-")
        path = FilePath(folder) / f"{stem or 'upload'}{suffix}"
        path.write_bytes(content)
        return app.catalogue.import_file(path, actor=user)
