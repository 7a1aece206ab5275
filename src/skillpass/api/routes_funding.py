"""HTTP routes of the funding directory (``/api/v1/funding``).

Anyone may search programmes and check eligibility: with a *situation* (who applies, where they
live, age, employment, sector, income, organisation size) every programme comes with its
eligibility in sentences ("eligible because …", "not eligible: …", and what we still need to
know). The shipped programmes are real programme *types* marked ``example``: the operator confirms
or replaces them; an administrator imports real data in the same format.
"""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from skillpass.api._schema import described
from skillpass.api.deps import AppDep, require_roles
from skillpass.api.routes_passport import multipart_body, read_form_file
from skillpass.auth.models import Role, User
from skillpass.errors import InvalidInput
from skillpass.pathways.models import (
    Applicant,
    AppliedFunding,
    EligibilityResult,
    FundingLevel,
    FundingProgramme,
    Situation,
)

__all__ = [
    "AppliedFundingPublic",
    "EligibilityCheck",
    "EligibilityPublic",
    "FundingImportResult",
    "FundingSearch",
    "FundingSearchHit",
    "ProgrammePublic",
    "SituationBody",
    "router",
]

router = APIRouter(tags=["funding"])

AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]
ProgrammeId = Annotated[str, Path(max_length=100, description="The programme's id.")]

#: Largest funding file an administrator uploads.
MAX_FUNDING_FILE_BYTES = 5 * 1024 * 1024

SITUATION_FIELDS = {
    "applicant": "Who applies: individuals, employers, providers or public_bodies.",
    "country": "Country of residence (or of the organisation), ISO 3166-1 alpha-2.",
    "region": "NUTS code of the region of residence, e.g. FR10.",
    "age": "Age in years (some programmes give more to people over 40 changing career).",
    "employment_status": "employed, self_employed, unemployed, student or inactive.",
    "sector": "NACE code of the sector worked in, e.g. C27.",
    "annual_income_eur": "Annual income in euros.",
    "company_size": "Employees, for an organisation applying.",
}
PROGRAMME_FIELDS = {
    "id": "Stable id of the programme.",
    "name": "Name as the funder calls it.",
    "funder": "Who pays.",
    "level": "eu, national, regional or local.",
    "country": "ISO country code, or EU.",
    "region": "NUTS code, for regional and local programmes.",
    "applicants": "Who can apply.",
    "description": "What it funds, in plain words.",
    "eligibility_text": "The source's eligibility conditions, paraphrased.",
    "amount_text": "Amounts as stated in the source, with the year.",
    "status_text": "Whether it is open, in the source's words.",
    "rules": "The eligibility as explicit rules (an empty rule does not restrict).",
    "benefit": "What it pays for one course (percent, cap, fixed amount, yearly cap).",
    "deadline": "Last day to apply, when there is one.",
    "url": "The funder's page.",
    "sources": "Where the facts come from.",
    "example": "True for the shipped programme types: check the source before relying on it.",
    "active": "False when the programme is closed.",
}
ELIGIBILITY_FIELDS = {
    "programme_id": "The programme.",
    "programme_name": "Its name.",
    "eligible": "Whether every rule is met (unknown answers mean not yet).",
    "reasons": "One sentence per deciding rule: 'eligible because …' or 'not eligible: …'.",
    "unknown": "Rules the situation did not answer, with what to tell us.",
    "amount_eur": "With a course: what the programme would pay for it.",
}


class SituationBody(Situation):
    """A person's or organisation's situation; leave out what you do not want to say (rules
    that need it are then reported as unknown)."""

    model_config = described(SITUATION_FIELDS)


class ProgrammePublic(FundingProgramme):
    """A funding programme with its rules and sources."""

    model_config = described(PROGRAMME_FIELDS, frozen=True)

    @classmethod
    def of(cls, programme: FundingProgramme) -> ProgrammePublic:
        """Render a programme."""
        return cls.model_validate(programme.model_dump())


class EligibilityPublic(EligibilityResult):
    """Whether a situation meets a programme's rules, and why."""

    model_config = described(ELIGIBILITY_FIELDS, frozen=True)

    @classmethod
    def of(cls, result: EligibilityResult) -> EligibilityPublic:
        """Render an eligibility result."""
        return cls.model_validate(result.model_dump())


class FundingSearch(BaseModel):
    """Filters (all optional) and the situation to check eligibility for."""

    text: str | None = Field(
        default=None, max_length=200, description="Words in the name, funder or description."
    )
    applicant: Applicant | None = Field(
        default=None, description="Only programmes this kind of applicant can apply for."
    )
    level: FundingLevel | None = Field(default=None, description="eu, national, regional, local.")
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="That country's programmes and the EU programmes open to it.",
    )
    capability_area: str | None = Field(
        default=None, max_length=100, description="Programmes that fund this capability area."
    )
    include_inactive: bool = Field(
        default=False, description="Also closed programmes and passed deadlines."
    )
    situation: SituationBody | None = Field(
        default=None,
        description="With a situation, each programme comes with its eligibility, eligible first.",
    )


class FundingSearchHit(BaseModel):
    """A programme and, when a situation was given, whether it applies."""

    programme: ProgrammePublic = Field(description="The programme with its rules and sources.")
    eligibility: EligibilityPublic | None = Field(
        description="Eligibility for the situation; null when none was given."
    )


class EligibilityCheck(BaseModel):
    """The situation, and optionally a course, to check one programme for."""

    situation: SituationBody = Field(description="Who applies and their circumstances.")
    opportunity_id: str | None = Field(
        default=None,
        max_length=64,
        description="A catalogue opportunity: also checks the course rules and prices it.",
    )


class AppliedFundingPublic(AppliedFunding):
    """Funding applied to one course, with its reason."""

    model_config = described(
        {
            "programme_id": "The programme.",
            "programme_name": "Its name.",
            "amount_eur": "What it pays for this course, in euros.",
            "reason": "Why the person is eligible, and how it combines with other funding.",
        },
        frozen=True,
    )


class FundingImportResult(BaseModel):
    """What an import wrote."""

    imported: int = Field(description="Programmes created or replaced.")


def _hits(pairs: list[tuple[FundingProgramme, EligibilityResult | None]]) -> list[FundingSearchHit]:
    return [
        FundingSearchHit(
            programme=ProgrammePublic.of(programme),
            eligibility=EligibilityPublic.of(result) if result is not None else None,
        )
        for programme, result in pairs
    ]


@router.get(
    "/funding/programmes",
    response_model=list[FundingSearchHit],
    summary="List funding programmes",
)
def list_programmes(
    app: AppDep,
    text: Annotated[
        str | None, Query(max_length=200, description="Words in the name or description.")
    ] = None,
    applicant: Annotated[Applicant | None, Query(description="Who applies.")] = None,
    level: Annotated[FundingLevel | None, Query(description="eu, national, regional, local.")] = (
        None
    ),
    country: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2}$", description="A country's and the EU's programmes."),
    ] = None,
    capability_area: Annotated[
        str | None, Query(max_length=100, description="Programmes funding this area.")
    ] = None,
    include_inactive: Annotated[
        bool, Query(description="Also closed programmes and passed deadlines.")
    ] = False,
) -> list[FundingSearchHit]:
    """Open programmes matching the filters (no eligibility: POST /funding/search with a
    situation for that). No sign-in needed."""
    return _hits(
        app.funding.search(
            text=text,
            applicant=applicant,
            level=level,
            country=country,
            capability_area=capability_area,
            include_inactive=include_inactive,
        )
    )


@router.post(
    "/funding/search",
    response_model=list[FundingSearchHit],
    summary="Search funding programmes for a situation",
)
def search_programmes(body: FundingSearch, app: AppDep) -> list[FundingSearchHit]:
    """Programmes matching the filters, each with its eligibility for the situation in
    sentences: eligible first, then those only waiting for an answer, then the rest. Nothing is
    stored. No sign-in needed."""
    return _hits(
        app.funding.search(
            text=body.text,
            applicant=body.applicant,
            level=body.level,
            country=body.country,
            capability_area=body.capability_area,
            situation=body.situation,
            include_inactive=body.include_inactive,
        )
    )


@router.get(
    "/funding/programmes/{programme_id}",
    response_model=ProgrammePublic,
    summary="One funding programme",
)
def get_programme(programme_id: ProgrammeId, app: AppDep) -> ProgrammePublic:
    """The programme with its rules, benefit and sources; 404 when there is none."""
    return ProgrammePublic.of(app.funding.get(programme_id))


@router.post(
    "/funding/programmes/{programme_id}/check",
    response_model=EligibilityPublic,
    summary="Check eligibility for a programme (and a course)",
)
def check_eligibility(
    programme_id: ProgrammeId, body: EligibilityCheck, app: AppDep
) -> EligibilityPublic:
    """Every rule with its sentence; with ``opportunity_id`` the course rules too and the
    amount the programme would pay for that course. 404 for an unknown programme or
    opportunity."""
    opportunity = app.catalogue.get(body.opportunity_id) if body.opportunity_id else None
    return EligibilityPublic.of(app.funding.check(programme_id, body.situation, opportunity))


@router.post(
    "/funding/opportunities/{opportunity_id}",
    response_model=list[AppliedFundingPublic],
    summary="The funding a situation gets for a course",
)
def funding_for_opportunity(
    opportunity_id: Annotated[str, Path(max_length=64, description="The opportunity's id.")],
    body: SituationBody,
    app: AppDep,
) -> list[AppliedFundingPublic]:
    """Every eligible programme's amount for this course, combined as the planner does
    (programmes that do not stack are applied alone; never more than the cost), each with its
    reason. Empty when nothing applies. 404 for an unknown opportunity."""
    applied = app.funding.funding_for(body, app.catalogue.get(opportunity_id))
    return [AppliedFundingPublic.model_validate(a.model_dump()) for a in applied]


@router.post(
    "/funding/import",
    response_model=FundingImportResult,
    summary="Import funding programmes (admin)",
    openapi_extra={
        "requestBody": multipart_body(
            'A .yaml/.yml or .json file `{"programmes": [...]}` in the format of the shipped '
            "seed (docs/funding.md); programmes with an existing id replace it."
        )
    },
)
async def import_programmes(
    request: Request, app: AppDep, _admin: AdminUser
) -> FundingImportResult:
    """Validates every programme first; 422 lists every problem and nothing is written."""
    filename, content = await read_form_file(
        request, MAX_FUNDING_FILE_BYTES, "funding file", "5 MB for funding imports"
    )
    suffix = FilePath(filename).suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise InvalidInput(
            f"Send a .yaml or .json file (got '{filename or 'no name'}'); see docs/funding.md."
        )
    imported = await run_in_threadpool(_import, app, suffix, content)
    return FundingImportResult(imported=imported)


def _import(app: AppDep, suffix: str, content: bytes) -> int:
    with tempfile.TemporaryDirectory(prefix="skillpass-funding-") as folder:
        path = FilePath(folder) / f"programmes{suffix}"
        path.write_bytes(content)
        return app.funding.import_file(path)
