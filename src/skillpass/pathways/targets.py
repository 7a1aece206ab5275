"""What a target needs: the essential and optional ESCO skills (and level, credits) of an
occupation, a capability area or a micro-credential definition. Shared by recognition reports
and the pathway planner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from skillpass.errors import NotFound, TaxonomyNotLoaded
from skillpass.passport.models import SkillRef
from skillpass.pathways import target_repository
from skillpass.pathways.models import TargetKind, TargetRef
from skillpass.taxonomy.models import ConceptType

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.credentials.achievements import AchievementService
    from skillpass.taxonomy.capabilities import CapabilityService
    from skillpass.taxonomy.service import TaxonomyService

#: A capability area's target: its core skills most needed by occupations (essential), the rest
#: of the core tier optional.
AREA_ESSENTIAL = 40
AREA_OPTIONAL = 60

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
        # the taxonomy's database, for the two read-only queries in target_repository
        self._engine: Engine = taxonomy.engine

    @property
    def engine(self) -> Engine:
        """The database the taxonomy lives in (for read-only profile queries)."""
        return self._engine

    def area_ids(self) -> list[str]:
        """The capability areas' ids, STEM disciplines first."""
        return [definition.id for definition in self._capabilities.definitions]

    def requirements(self, target: TargetRef) -> TargetRequirements:
        """Occupation: ESCO essential/optional skills (knowledge and skill/competence).
        Capability area: its core-tier skills most used by ESCO occupations as essential (at
        most 40), the rest of the core tier optional (at most 60) — documented in ``note``.
        Definition: the skills of its learning outcomes (all essential), its EQF level and ECTS.

        Raises:
            NotFound: Unknown target (the message says where to look it up).
            TaxonomyNotLoaded: No ESCO imported.
        """
        if target.kind is TargetKind.ACHIEVEMENT:
            return self._achievement(target)
        if target_repository.import_marker(self._engine) is None:
            raise TaxonomyNotLoaded(
                "No ESCO taxonomy is imported, so occupations and capability areas have no "
                "skills yet. Run `skillpass taxonomy import PATH` first."
            )
        if target.kind is TargetKind.OCCUPATION:
            return self._occupation(target)
        return self._area(target)

    def _occupation(self, target: TargetRef) -> TargetRequirements:
        try:
            concept = self._taxonomy.get_concept(target.id, expected_type=ConceptType.OCCUPATION)
        except NotFound as error:
            raise NotFound(
                f"No ESCO occupation '{target.id}'. Look it up with `skillpass taxonomy search "
                "--type occupation TEXT` or on /occupations, and use its URI.",
                details={"target": target.id},
            ) from error
        essential = [
            SkillRef(uri=s.uri, label=s.label)
            for s in concept.skills
            if s.relation_type == "essential"
        ]
        optional = [
            SkillRef(uri=s.uri, label=s.label)
            for s in concept.skills
            if s.relation_type != "essential"
        ]
        return TargetRequirements(
            target=TargetRef(kind=TargetKind.OCCUPATION, id=concept.uri),
            label=concept.label,
            essential=essential,
            optional=optional,
            note=f"ESCO {concept.version}: the occupation's essential and optional skills.",
        )

    def _area(self, target: TargetRef) -> TargetRequirements:
        detail = self._capabilities.get_area(target.id, concept_type="skill")  # NotFound lists ids
        core = [m for m in detail.members if m.tier == "core"]
        counts = target_repository.essential_use_counts(self._engine, [m.uri for m in core])
        ranked = sorted(core, key=lambda m: (-counts[m.uri], m.label.lower()))
        essential = [SkillRef(uri=m.uri, label=m.label) for m in ranked[:AREA_ESSENTIAL]]
        rest = ranked[AREA_ESSENTIAL : AREA_ESSENTIAL + AREA_OPTIONAL]
        return TargetRequirements(
            target=TargetRef(kind=TargetKind.CAPABILITY_AREA, id=detail.area.id),
            label=detail.area.label,
            essential=essential,
            optional=[SkillRef(uri=m.uri, label=m.label) for m in rest],
            note=(
                f"The {len(essential)} core skills of the area that most ESCO occupations need "
                f"as essential are taken as essential, the next {len(rest)} of its "
                f"{len(core)} core skills as optional."
            ),
        )

    def _achievement(self, target: TargetRef) -> TargetRequirements:
        try:
            achievement = self._achievements.achievement(target.id)
        except NotFound as error:
            raise NotFound(
                f"No micro-credential definition '{target.id}'. List them with `skillpass "
                "achievement list` or on /definitions, and use its id.",
                details={"target": target.id},
            ) from error
        ects = achievement.workload.ects
        return TargetRequirements(
            target=TargetRef(kind=TargetKind.ACHIEVEMENT, id=target.id),
            label=achievement.title,
            essential=[SkillRef(uri=s.uri, label=s.label) for s in achievement.esco_skills],
            optional=[],
            eqf=achievement.level.eqf,
            ects=float(ects) if ects is not None else None,
            note="The skills of the definition's learning outcomes, all essential.",
        )
