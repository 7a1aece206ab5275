"""Domain models of the matching engine: ranked matches, evidence spans, extraction results.

Scores are in ``[0, 1]``. For skills they are *calibrated*: a score of 0.6 means that, on held-out
labelled job-advert sentences, about 60 % of matches scoring 0.6 were correct (see
``docs/matching.md``). Occupation scores are the fused similarity squashed into ``[0, 1]``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "EvidenceSpan",
    "ExtractedSkill",
    "ExtractionResult",
    "MatchMode",
    "OccupationMatch",
    "SkillMatch",
]


class MatchMode(StrEnum):
    """How hard the engine works.

    ``default`` fuses character n-grams with sentence embeddings (when the ``ml`` extra is
    installed) and ESCO priors; ``fast`` is for bulk work: one vector per concept and one matrix
    product (static MiniLM embeddings for English, the multilingual encoder otherwise, labels-only
    character n-grams without the ``ml`` extra).
    """

    DEFAULT = "default"
    FAST = "fast"


class _Match(BaseModel):
    model_config = ConfigDict(frozen=True)

    uri: str = Field(description="ESCO concept URI.")
    label: str = Field(description="Preferred label (in the query's language when imported).")
    score: float = Field(ge=0.0, le=1.0, description="Confidence in [0, 1], higher is better.")
    matched_label: str = Field(
        default="", description="The ESCO label or description that matched best."
    )


class SkillMatch(_Match):
    """One ESCO skill matched to a text."""

    skill_type: str | None = Field(default=None, description="knowledge or skill/competence.")


class OccupationMatch(_Match):
    """One ESCO occupation matched to a job title."""

    isco_group: str | None = Field(default=None, description="ISCO-08 unit group code.")


class EvidenceSpan(BaseModel):
    """Where in the input a skill was found (character offsets, end exclusive)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    score: float = Field(ge=0.0, le=1.0)


class ExtractedSkill(BaseModel):
    """A skill present in a longer text, with the spans that support it."""

    model_config = ConfigDict(frozen=True)

    uri: str
    label: str
    score: float = Field(ge=0.0, le=1.0, description="Best calibrated score over its spans.")
    skill_type: str | None = None
    evidence: list[EvidenceSpan]


class ExtractionResult(BaseModel):
    """The skills found in a text (extraction mode)."""

    model_config = ConfigDict(frozen=True)

    lang: str = Field(description="Language used (given or detected), ISO 639-1.")
    threshold: float = Field(description="Calibrated score a skill needed to be reported.")
    spans: int = Field(description="How many sentences/spans were matched.")
    truncated: bool = Field(description="True when the text was longer than the limit and cut.")
    skills: list[ExtractedSkill]
