"""/api/v1/match/*: free text → ESCO skills and occupations, and skill extraction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep
from skillpass.matching.models import ExtractionResult, MatchMode, OccupationMatch, SkillMatch
from skillpass.matching.service import MatchingService

__all__ = ["router"]

router = APIRouter(tags=["matching"])


def _matching(app: AppDep) -> MatchingService:
    """The matching service of this SkillPass (its index loads once per process)."""
    return app.matching


MatchingDep = Annotated[MatchingService, Depends(_matching)]


class MatchRequest(BaseModel):
    """A text to match."""

    text: str = Field(
        max_length=10_000,
        description="A phrase, sentence or job title (the first 1,000 characters are used).",
        examples=["Experience with Python and SQL for data analysis"],
    )
    lang: str | None = Field(
        default=None,
        max_length=8,
        description="ISO 639-1 language of the text (e.g. de); detected when omitted.",
    )
    top: int = Field(default=10, ge=1, le=100, description="How many matches, best first.")
    mode: MatchMode = Field(
        default=MatchMode.DEFAULT, description="default (accurate) or fast (bulk)."
    )


class ExtractRequest(BaseModel):
    """A longer text to extract skills from."""

    text: str = Field(
        max_length=100_000,
        description="A job advert, CV section or course description (up to 100,000 chars).",
    )
    lang: str | None = Field(default=None, max_length=8, description="ISO 639-1; detected.")
    threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Calibrated score a skill needs to be reported; by default the one of the "
        "scoring path the text's language takes (see docs/matching.md). The response's "
        "threshold field states the one used.",
    )


@router.post(
    "/match/skills",
    response_model=list[SkillMatch],
    summary="Match text to ESCO skills",
    description="Ranks ESCO skills for a phrase or sentence in any EU language, best first. "
    "Each match has uri, label, score (calibrated, 0-1), matched_label and skill_type. "
    "422 for empty text or text without words; 409 when no ESCO is imported.",
)
def match_skills(body: MatchRequest, matching: MatchingDep) -> list[SkillMatch]:
    """Match text to skills."""
    return matching.match_skills(body.text, lang=body.lang, top=body.top, mode=body.mode)


@router.post(
    "/match/occupations",
    response_model=list[OccupationMatch],
    summary="Match a job title to ESCO occupations",
    description="Ranks ESCO occupations for a job title in any EU language (labels in the "
    "title's language are used when imported; a multilingual model covers the rest).",
)
def match_occupations(body: MatchRequest, matching: MatchingDep) -> list[OccupationMatch]:
    """Match a job title to occupations."""
    return matching.match_occupations(body.text, lang=body.lang, top=body.top, mode=body.mode)


@router.post(
    "/match/extract",
    response_model=ExtractionResult,
    summary="Extract the ESCO skills present in a longer text",
    description="Splits the text into sentences and spans, matches each, and returns the skills "
    "whose calibrated score reaches the threshold, with evidence spans (character offsets).",
)
def extract(body: ExtractRequest, matching: MatchingDep) -> ExtractionResult:
    """Extract skills from a text."""
    return matching.extract(body.text, lang=body.lang, threshold=body.threshold)
