"""/api/v1/levels/*: EQF levels, national frameworks referenced to EQF, comparison through EQF.

Read-only reference data. The response models are the frozen domain values of
:mod:`skillpass.qualifications.models`: they hold no personal data and no storage ids, so a
separate wire schema would only copy them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from skillpass.api.deps import AppDep
from skillpass.api.errors import ErrorEnvelope
from skillpass.qualifications.models import (
    CountryFrameworks,
    EqfLevel,
    LevelComparison,
    NationalFramework,
)

__all__ = ["router"]

router = APIRouter(
    prefix="/levels",
    tags=["levels"],
    responses={
        404: {"model": ErrorEnvelope, "description": "Unknown country or framework."},
        422: {"model": ErrorEnvelope, "description": "Invalid level or ambiguous country."},
    },
)

CountryPath = Annotated[
    str,
    Path(
        description="ISO 3166-1 alpha-2 code (SE, se), country name (Sweden) or framework id "
        "(BE-fl, BE-fr, ES-MECES, FR-1969, GB-RQF, GB-CQFW, GB-SCQF).",
        examples=["SE"],
    ),
]


@router.get(
    "/eqf",
    response_model=list[EqfLevel],
    summary="The eight EQF levels",
    description="EQF levels 1-8 with paraphrased descriptors (knowledge, skills, responsibility "
    "and autonomy), the compatible QF-EHEA cycle, typical ECTS credits and sources.",
)
def list_eqf_levels(skillpass: AppDep) -> list[EqfLevel]:
    """All EQF levels."""
    return skillpass.qualifications.eqf_levels()


@router.get(
    "/eqf/{level}",
    response_model=EqfLevel,
    summary="One EQF level",
    description="One EQF level; 422 with the error envelope when the level is outside 1-8.",
)
def get_eqf_level(
    skillpass: AppDep,
    level: Annotated[int, Path(description="EQF level, 1-8.", examples=[5])],
) -> EqfLevel:
    """One EQF level."""
    return skillpass.qualifications.eqf_level(level)


@router.get(
    "/frameworks",
    response_model=list[CountryFrameworks],
    summary="National frameworks of every EU/EEA country",
    description="Every EU and EEA country (plus Switzerland and the United Kingdom) with the "
    "status of SkillPass's data for it (complete | partial | missing, with a note saying what is "
    "missing) and its national frameworks, each level referenced to EQF with certainty and source.",
)
def list_frameworks(skillpass: AppDep) -> list[CountryFrameworks]:
    """All countries and their frameworks."""
    return skillpass.qualifications.frameworks()


@router.get(
    "/frameworks/{country}",
    response_model=NationalFramework,
    summary="One national framework",
    description="A national framework with each level, the EQF level it is referenced to, the "
    "certainty of that referencing and its source. A country with several frameworks and no "
    "default (BE, GB) answers 422 listing the framework ids to use.",
)
def get_framework(skillpass: AppDep, country: CountryPath) -> NationalFramework:
    """One framework."""
    return skillpass.qualifications.framework(country)


@router.get(
    "/compare",
    response_model=LevelComparison,
    summary="Compare a national level across countries through EQF",
    description="Finds the EQF level the national level is referenced to, then the levels of "
    "other frameworks referenced to that same EQF level. The EQF is the translation device; a "
    "comparable level is not automatic recognition. Caveats flag inferred or unconfirmed rows, "
    "frameworks with no level at that EQF level, and historic frameworks.",
)
def compare_levels(
    skillpass: AppDep,
    country: Annotated[
        str,
        Query(max_length=80, description="Origin country or framework id.", examples=["SE"]),
    ],
    level: Annotated[
        str,
        Query(max_length=40, description="Origin national level as written.", examples=["5"]),
    ],
    to: Annotated[
        list[str] | None,
        Query(
            max_length=80,
            description="Countries or framework ids to compare with (repeat the parameter); "
            "every other framework when omitted.",
            examples=[["DE", "FR"]],
        ),
    ] = None,
) -> LevelComparison:
    """Compare a national level through EQF."""
    return skillpass.qualifications.compare(country, level, to or None)
