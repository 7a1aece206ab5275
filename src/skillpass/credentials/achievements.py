"""Micro-credential definitions: create (from a file, the API or a form), list, show.

A definition is validated by :func:`skillpass.credentials.models.parse_achievement` (every Annex I
problem named in plain words), gets an opaque public id and the capability areas its ESCO skills
fall in (:meth:`skillpass.taxonomy.capabilities.CapabilityService.areas_for`), and is stored as
JSON with its issuer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from skillpass.auth.models import User
from skillpass.credentials.achievement_file import load_achievement_file, parse_achievement_yaml
from skillpass.credentials.membership import check_can_act
from skillpass.credentials.membership_repository import MembershipRepository
from skillpass.credentials.models import Achievement, parse_achievement
from skillpass.credentials.records import AchievementRecord
from skillpass.credentials.repository import AchievementRepository, IssuerRepository
from skillpass.ids import new_public_id
from skillpass.taxonomy.capabilities import CapabilityService

__all__ = ["AchievementService"]


class AchievementService:
    """Stores and reads micro-credential definitions.

    Args:
        engine: The database engine.
        issuers: Issuer storage (to check the issuer exists).
        capabilities: Maps ESCO skills to capability areas.
    """

    def __init__(
        self, engine: Engine, issuers: IssuerRepository, capabilities: CapabilityService
    ) -> None:
        self._repo = AchievementRepository(engine)
        self._members = MembershipRepository(engine)
        self._issuers = issuers
        self._capabilities = capabilities

    def capability_areas(self, achievement: Achievement) -> list[str]:
        """The capability area ids of a definition's ESCO skills (framework order, no repeats).

        Empty when no taxonomy or capability framework has been loaded yet.
        """
        areas: dict[str, None] = {}
        for skill in achievement.esco_skills:
            for ref in self._capabilities.areas_for(skill.uri):
                areas.setdefault(ref.id, None)
        return list(areas)

    def create(
        self,
        issuer_id: str,
        definition: Achievement | Mapping[str, Any],
        *,
        actor: User | None = None,
    ) -> AchievementRecord:
        """Validate and store a definition for an issuer.

        Args:
            issuer_id: Public id of the issuer that awards it.
            definition: A validated :class:`Achievement`, or plain data (JSON/YAML/form) in its
                shape.
            actor: Who defines it (None: the operator); must be an admin or a member of the
                issuer (:func:`~skillpass.credentials.membership.check_can_act`).

        Returns:
            The stored definition with its public id and capability areas.

        Raises:
            InvalidInput: The definition has problems; ``details["problems"]`` names each element.
            NotFound: No such issuer.
            PermissionDenied: The actor may not act for this issuer.
        """
        check_can_act(actor, issuer_id, self._members)
        achievement = (
            definition
            if isinstance(definition, Achievement)
            else parse_achievement(dict(definition))
        )
        self._issuers.get(issuer_id)
        public_id = new_public_id()
        stored = achievement.model_copy(
            update={"id": public_id, "capability_areas": self.capability_areas(achievement)}
        )
        return self._repo.add(
            public_id=public_id,
            issuer_id=issuer_id,
            title=stored.title,
            definition=stored.model_dump(mode="json", exclude_none=True),
            created_at=datetime.now(UTC),
        )

    def create_from_file(
        self, issuer_id: str, path: Path, *, actor: User | None = None
    ) -> AchievementRecord:
        """Read a YAML (or JSON) definition file and store it (see :meth:`create`).

        Raises:
            InvalidInput: The file cannot be read or the definition has problems.
            NotFound: No such issuer.
        """
        return self.create(issuer_id, load_achievement_file(path), actor=actor)

    def create_from_yaml(
        self,
        issuer_id: str,
        text: str,
        source: str = "the definition",
        *,
        actor: User | None = None,
    ) -> AchievementRecord:
        """Parse a YAML definition (e.g. an uploaded file) and store it (see :meth:`create`)."""
        return self.create(issuer_id, parse_achievement_yaml(text, source=source), actor=actor)

    def get(self, achievement_id: str) -> AchievementRecord:
        """The stored definition.

        Raises:
            NotFound: No such definition.
        """
        return self._repo.get(achievement_id)

    def achievement(self, achievement_id: str) -> Achievement:
        """The stored definition as the Annex I model.

        Raises:
            NotFound: No such definition.
        """
        return Achievement.model_validate(self._repo.get(achievement_id).definition)

    def list_achievements(self, issuer_id: str | None = None) -> list[AchievementRecord]:
        """Every stored definition (of one issuer when given), newest first."""
        return self._repo.all(issuer_id)
