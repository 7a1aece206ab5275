"""/api/v1/match/*: free text → ESCO skills and occupations, and skill extraction.

The routes never wait minutes for the engine's sentence embeddings (built once per ESCO import,
at server start by default): while they are being built, the lexical index alone ranks, and every
answer says which index ranked it (``ranked_by``, ``semantic_pending``). See ``docs/matching.md``,
"Cold start". The batch CLI commands wait for the whole engine instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep
from skillpass.matching.models import ExtractionResult, MatchMode, OccupationMatch, SkillMatch
from skillpass.matching.service import MatchingService, RankedBy

__all__ = ["ExtractionPublic", "OccupationMatchPublic", "SkillMatchPublic", "router"]

router = APIRouter(tags=["matching"])


def _matching(app: AppDep) -> MatchingService:
    """The matching service of this SkillPass (its index loads once per process)."""
    return app.matching


MatchingDep = Annotated[MatchingService, Depends(_matching)]

_RANKED_BY = (
    "Which index ranked this: semantic (sentence embeddings fused with the lexical index) or "
    "lexical (the character n-gram index alone: without the ml extra, or while the embeddings "
    "are being built). Lexical scores follow their own calibration curve (docs/matching.md)."
)
_PENDING = (
    "True while the sentence embeddings are still being built (minutes, once per ESCO import, "
    "usually just after the server started): the lexical index ranked this, and asking again "
    "later gives the semantic ranking. False once they are built, and without the ml extra."
)
_COLD_START = (
    " While the sentence embeddings are being built the answer comes at once from the lexical "
    'index, with ranked_by "lexical" and semantic_pending true.'
)


class SkillMatchPublic(SkillMatch):
    """One ESCO skill matched to a text, and which index ranked it."""

    ranked_by: RankedBy = Field(description=_RANKED_BY)
    semantic_pending: bool = Field(description=_PENDING)


class OccupationMatchPublic(OccupationMatch):
    """One ESCO occupation matched to a job title, and which index ranked it."""

    ranked_by: RankedBy = Field(description=_RANKED_BY)
    semantic_pending: bool = Field(description=_PENDING)


class ExtractionPublic(ExtractionResult):
    """The skills found in a text, and which index ranked its spans."""

    ranked_by: RankedBy = Field(description=_RANKED_BY)
    semantic_pending: bool = Field(description=_PENDING)


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
    response_model=list[SkillMatchPublic],
    summary="Match text to ESCO skills",
    description="Ranks ESCO skills for a phrase or sentence in any EU language, best first. "
    "Each match has uri, label, score (calibrated, 0-1), matched_label, skill_type, ranked_by "
    "and semantic_pending." + _COLD_START + " 422 for empty text or text without words; 409 "
    "when no ESCO is imported.",
)
def match_skills(body: MatchRequest, matching: MatchingDep) -> list[SkillMatchPublic]:
    """Match text to skills."""
    found = matching.match_skills_now(body.text, lang=body.lang, top=body.top, mode=body.mode)
    ranking = {"ranked_by": found.ranked_by, "semantic_pending": found.semantic_pending}
    return [SkillMatchPublic(**m.model_dump(), **ranking) for m in found.matches]


@router.post(
    "/match/occupations",
    response_model=list[OccupationMatchPublic],
    summary="Match a job title to ESCO occupations",
    description="Ranks ESCO occupations for a job title in any EU language (labels in the "
    "title's language are used when imported; a multilingual model covers the rest). Each "
    "match has uri, label, score, matched_label, isco_group, ranked_by and semantic_pending."
    + _COLD_START,
)
def match_occupations(body: MatchRequest, matching: MatchingDep) -> list[OccupationMatchPublic]:
    """Match a job title to occupations."""
    found = matching.match_occupations_now(body.text, lang=body.lang, top=body.top, mode=body.mode)
    ranking = {"ranked_by": found.ranked_by, "semantic_pending": found.semantic_pending}
    return [OccupationMatchPublic(**m.model_dump(), **ranking) for m in found.matches]


@router.post(
    "/match/extract",
    response_model=ExtractionPublic,
    summary="Extract the ESCO skills present in a longer text",
    description="Splits the text into sentences and spans, matches each, and returns the skills "
    "whose calibrated score reaches the threshold, with evidence spans (character offsets), "
    "and ranked_by and semantic_pending." + _COLD_START + " The default threshold is then the "
    "lexical path's (the threshold field states the one used).",
)
def extract(body: ExtractRequest, matching: MatchingDep) -> ExtractionPublic:
    """Extract skills from a text."""
    found = matching.extract_now(body.text, lang=body.lang, threshold=body.threshold)
    return ExtractionPublic(
        **found.result.model_dump(),
        ranked_by=found.ranked_by,
        semantic_pending=found.semantic_pending,
    )
