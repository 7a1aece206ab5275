"""The best-practice library (organisations submit, moderators publish) and news/events.

Case studies say what was done, by whom, where, with what results and whom to contact; they
carry tags: the practice type (VET excellence, STEM promotion, lifelong learning,
micro-credentials, industry–education cooperation), sectors (NACE), countries and capability
areas. Only published practices are searchable; the submitting organisation's members and
moderators also see submitted and rejected ones.
"""

from __future__ import annotations

from datetime import UTC, datetime

from skillpass.auth.models import User
from skillpass.community.library_repository import LibraryRepository
from skillpass.community.models import (
    Post,
    PostCreate,
    PostKind,
    Practice,
    PracticeCreate,
    PracticeQuery,
    PracticeStatus,
)
from skillpass.community.service import CommunityAccess, OrganisationService
from skillpass.errors import Conflict, NotFound, PermissionDenied
from skillpass.ids import new_public_id

__all__ = ["LibraryService", "matches"]


def matches(practice: Practice, query: PracticeQuery) -> bool:
    """Whether a practice meets every filter of a query (words anywhere in its text; a tag
    among its type, sectors, countries and areas, case-insensitive)."""
    if query.text:
        haystack = " ".join(
            [
                practice.title,
                practice.summary,
                practice.what,
                practice.who,
                practice.where,
                practice.results,
                practice.organisation_name or "",
            ]
        ).lower()
        if not all(word in haystack for word in query.text.lower().split()):
            return False
    if query.tag and query.tag.strip().lower() not in {t.lower() for t in practice.tags}:
        return False
    if query.practice_type is not None and practice.practice_type is not query.practice_type:
        return False
    if query.sector and not any(
        s == query.sector.upper() or s.startswith(query.sector.upper()) for s in practice.sectors
    ):
        return False
    if query.country and query.country.upper() not in practice.countries:
        return False
    return not (query.capability_area and query.capability_area not in practice.capability_areas)


class LibraryService:
    """Practices and posts.

    Args:
        library: Storage.
        access: Permission checks.
        organisations: Profiles and capability-area labels.
    """

    def __init__(
        self,
        library: LibraryRepository,
        access: CommunityAccess,
        organisations: OrganisationService,
    ) -> None:
        self._library = library
        self._access = access
        self._organisations = organisations

    def submit(
        self, actor: User | None, organisation_id: str, practice: PracticeCreate
    ) -> Practice:
        """Submit a case study for an organisation; it waits for a moderator.

        Raises:
            PermissionDenied: The actor is not a member of the organisation.
            InvalidInput: Unknown capability area.
        """
        self._access.check_member(actor, organisation_id, "submit practices for it")
        self._organisations.check_areas(practice.capability_areas)
        public_id = new_public_id()
        self._library.add_practice(
            public_id,
            organisation_id,
            practice,
            status=PracticeStatus.SUBMITTED,
            submitted_by=actor.public_id if actor else None,
            created_at=datetime.now(UTC),
        )
        return self._library.practice(public_id)

    def add_published(
        self, organisation_id: str | None, practice: PracticeCreate, *, synthetic: bool
    ) -> Practice:
        """Store an already-moderated practice (imports and the synthetic seed: the operator)."""
        public_id = new_public_id()
        self._library.add_practice(
            public_id,
            organisation_id,
            practice,
            status=PracticeStatus.PUBLISHED,
            submitted_by=None,
            created_at=datetime.now(UTC),
            synthetic=synthetic,
        )
        return self._library.practice(public_id)

    def queue(self, actor: User | None) -> list[Practice]:
        """Submitted practices waiting for moderation.

        Raises:
            PermissionDenied: The actor is not a moderator.
        """
        self._access.check_moderator(actor, "see the moderation queue")
        return self._library.practices(status=PracticeStatus.SUBMITTED)

    def moderate(
        self, actor: User | None, practice_id: str, publish: bool, note: str | None = None
    ) -> Practice:
        """Publish or reject a submitted practice.

        Raises:
            PermissionDenied: The actor is not a moderator.
            NotFound: No such practice.
            Conflict: It was moderated already.
        """
        self._access.check_moderator(actor, "publish or reject practices")
        practice = self._library.practice(practice_id)
        if practice.status is not PracticeStatus.SUBMITTED:
            raise Conflict(f"This practice is {practice.status.value} already.")
        self._library.moderate_practice(
            practice_id,
            PracticeStatus.PUBLISHED if publish else PracticeStatus.REJECTED,
            note=(note or "").strip()[:2000] or None,
            moderated_by=actor.public_id if actor else None,
            at=datetime.now(UTC),
        )
        return self._library.practice(practice_id)

    def search(self, query: PracticeQuery) -> list[Practice]:
        """Published practices meeting the query, newest first."""
        return [
            p for p in self._library.practices(status=PracticeStatus.PUBLISHED) if matches(p, query)
        ]

    def get(self, actor: User | None, practice_id: str) -> Practice:
        """A published practice; an unpublished one only for its organisation's members and
        moderators.

        Raises:
            NotFound: No such practice, or not one the actor may see.
        """
        practice = self._library.practice(practice_id)
        if practice.status is PracticeStatus.PUBLISHED:
            return practice
        if actor is not None and (
            self._is_moderator(actor)
            or (
                practice.organisation_id is not None
                and self._access.is_member(actor, practice.organisation_id)
            )
        ):
            return practice
        if actor is None:
            return practice
        raise NotFound(f"No practice with the id {practice_id!r}.")

    @staticmethod
    def _is_moderator(actor: User) -> bool:
        try:
            CommunityAccess.check_moderator(actor, "moderate")
        except PermissionDenied:
            return False
        return True

    def is_moderator(self, actor: User | None) -> bool:
        """Whether ``actor`` may moderate (for showing the queue)."""
        return actor is not None and self._is_moderator(actor)

    def submitted_by(self, actor: User | None) -> list[Practice]:
        """Practices of the actor's organisations that are not published (theirs to follow)."""
        mine = set(self._access.organisations_of(actor))
        return [
            p
            for status in (PracticeStatus.SUBMITTED, PracticeStatus.REJECTED)
            for p in self._library.practices(status=status)
            if p.organisation_id in mine
        ]

    # --- news and events ----------------------------------------------------------------------

    def post(self, actor: User | None, post: PostCreate, *, synthetic: bool = False) -> Post:
        """Publish news or an event.

        Raises:
            PermissionDenied: The actor is not a moderator.
        """
        self._access.check_moderator(actor, "post news and events")
        public_id = new_public_id()
        self._library.add_post(
            public_id,
            post,
            created_by=actor.public_id if actor else None,
            published_at=datetime.now(UTC),
            synthetic=synthetic,
        )
        found = [p for p in self._library.posts(limit=500) if p.id == public_id]
        if not found:
            raise NotFound("The post was not stored; try again.")
        return found[0]

    def posts(self, kind: PostKind | None = None, limit: int = 20) -> list[Post]:
        """News and events, newest first."""
        return self._library.posts(kind, limit)
