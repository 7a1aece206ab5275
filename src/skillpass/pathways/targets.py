"""What a target needs: the essential and optional ESCO skills (and level, credits) of an
occupation, a capability area or a micro-credential definition. Shared by recognition reports
and the pathway planner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from skillpass.passport.models import SkillRef
from skillpass.pathways.models import TargetRef

if TYPE_CHECKING:
    from skillpass.credentials.achievements import AchievementService
    from skillpass.taxonomy.capabilities import CapabilityService
    from skillpass.taxonomy.service import TaxonomyService

__all__ = ["TargetRequirements", "TargetResolver"]


class TargetRequirements(BaseModel):
    """The skills a target needs."""

    model_config = ConfigDict(frozen=True)

    target: TargetRef
    label: str
    essential: list[SkillRef]
    optional: list[SkillRef]
    eqf: int | None = None
    ects: float | None = None
    note: str = ""  # how the list was drawn (e.g. for a capability area)


class TargetResolver:
    """Resolves targets to their requirements."""

    def __init__(
        self,
        taxonomy: TaxonomyService,
        capabilities: CapabilityService,
        achievements: AchievementService,
    ) -> None:
        self._taxonomy = taxonomy
        self._capabilities = capabilities
        self._achievements = achievements

    def requirements(self, target: TargetRef) -> TargetRequirements:
        """Occupation: ESCO essential/optional skills (knowledge and skill/competence).
        Capability area: its core-tier skills most used by ESCO occupations as essential (at
        most 40), the rest of the core tier optional (at most 60) — documented in ``note``.
        Definition: the skills of its learning outcomes (all essential), its EQF level and ECTS.

        Raises:
            NotFound: Unknown target (the message says where to look it up).
            TaxonomyNotLoaded: No ESCO imported.
        """
        raise NotImplementedError
