"""Text in any EU language → ESCO skills and occupations (see ``docs/matching.md``).

Importing this package loads nothing heavy: the index and the models are loaded on the first query.
"""

from skillpass.matching.models import (
    EvidenceSpan,
    ExtractedSkill,
    ExtractionResult,
    MatchMode,
    OccupationMatch,
    SkillMatch,
)
from skillpass.matching.service import BatchItem, MatchingService, from_app

__all__ = [
    "BatchItem",
    "EvidenceSpan",
    "ExtractedSkill",
    "ExtractionResult",
    "MatchMode",
    "MatchingService",
    "OccupationMatch",
    "SkillMatch",
    "from_app",
]
