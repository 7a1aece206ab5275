"""SQL storage of contact requests, the best-practice library and news/events.

SQLAlchemy Core over ``contact_requests``, ``practices`` and ``community_posts``. Contact details
are never read here: :class:`~skillpass.community.repository.CommunityRepository` gives them to
the service, which adds them to a request only once it is accepted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import aliased

from skillpass.community.models import (
    ContactRequest,
    ContactStatus,
    Post,
    PostCreate,
    PostKind,
    Practice,
    PracticeCreate,
    PracticeStatus,
    PracticeType,
)
from skillpass.community.repository import CommunityRepository, aware, join_codes, split_codes
from skillpass.errors import NotFound
from skillpass.storage.tables import community_posts, contact_requests, organisations, practices

__all__ = ["LibraryRepository"]


def _practice(row: Any) -> Practice:
    return Practice(
        id=row.public_id,
        organisation_id=row.org_public_id,
        organisation_name=row.legal_name,
        title=row.title,
        summary=row.summary,
        what=row.what,
        who=row.who,
        where=row.where,
        results=row.results,
        contact=row.contact,
        practice_type=PracticeType(row.practice_type),
        sectors=split_codes(row.sectors),
        countries=split_codes(row.countries),
        capability_areas=split_codes(row.capability_areas),
        status=PracticeStatus(row.status),
        moderation_note=row.moderation_note,
        synthetic=bool(row.synthetic),
        created_at=aware(row.created_at),
        published_at=aware(row.published_at) if row.published_at else None,
    )


class LibraryRepository:
    """Reads and writes contact requests, practices and posts.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- contact requests ---------------------------------------------------------------------

    def add_contact_request(
        self,
        public_id: str,
        from_id: str,
        to_id: str,
        message: str,
        *,
        requested_by: str | None,
        created_at: datetime,
    ) -> None:
        """Store a pending contact request."""
        with self._engine.begin() as conn:
            conn.execute(
                insert(contact_requests).values(
                    public_id=public_id,
                    from_organisation_id=CommunityRepository.org_pk(conn, from_id),
                    to_organisation_id=CommunityRepository.org_pk(conn, to_id),
                    message=message,
                    status=ContactStatus.PENDING.value,
                    requested_by=CommunityRepository.user_pk(conn, requested_by),
                    created_at=created_at,
                )
            )

    def contact_requests(
        self,
        *,
        organisation_ids: list[str] | None = None,
        request_id: str | None = None,
    ) -> list[ContactRequest]:
        """Requests sent or received by any of ``organisation_ids`` (or one by id), newest
        first, without contact details."""
        sender = aliased(organisations)
        receiver = aliased(organisations)
        r = contact_requests
        query = (
            select(
                r.c.public_id,
                r.c.message,
                r.c.status,
                r.c.created_at,
                r.c.decided_at,
                sender.c.public_id.label("from_id"),
                sender.c.legal_name.label("from_name"),
                receiver.c.public_id.label("to_id"),
                receiver.c.legal_name.label("to_name"),
            )
            .select_from(
                r.join(sender, sender.c.id == r.c.from_organisation_id).join(
                    receiver, receiver.c.id == r.c.to_organisation_id
                )
            )
            .order_by(r.c.created_at.desc(), r.c.id.desc())
        )
        if organisation_ids is not None:
            query = query.where(
                sender.c.public_id.in_(organisation_ids)
                | receiver.c.public_id.in_(organisation_ids)
            )
        if request_id is not None:
            query = query.where(r.c.public_id == request_id)
        with self._engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            ContactRequest(
                id=row.public_id,
                from_organisation_id=row.from_id,
                from_name=row.from_name,
                to_organisation_id=row.to_id,
                to_name=row.to_name,
                message=row.message,
                status=ContactStatus(row.status),
                created_at=aware(row.created_at),
                decided_at=aware(row.decided_at) if row.decided_at else None,
            )
            for row in rows
        ]

    def contact_request(self, request_id: str) -> ContactRequest:
        """One request. Raises NotFound."""
        found = self.contact_requests(request_id=request_id)
        if not found:
            raise NotFound(f"No contact request with the id {request_id!r}.")
        return found[0]

    def decide_contact_request(
        self, request_id: str, status: ContactStatus, *, decided_by: str | None, at: datetime
    ) -> None:
        """Record the receiving side's decision."""
        with self._engine.begin() as conn:
            conn.execute(
                update(contact_requests)
                .where(contact_requests.c.public_id == request_id)
                .values(
                    status=status.value,
                    decided_by=CommunityRepository.user_pk(conn, decided_by),
                    decided_at=at,
                )
            )

    # --- practices ----------------------------------------------------------------------------

    def add_practice(
        self,
        public_id: str,
        organisation_id: str | None,
        practice: PracticeCreate,
        *,
        status: PracticeStatus,
        submitted_by: str | None,
        created_at: datetime,
        synthetic: bool = False,
    ) -> None:
        """Store a practice (``submitted``, or ``published`` for the synthetic seed)."""
        with self._engine.begin() as conn:
            conn.execute(
                insert(practices).values(
                    public_id=public_id,
                    organisation_id=CommunityRepository.org_pk(conn, organisation_id)
                    if organisation_id
                    else None,
                    title=practice.title,
                    summary=practice.summary,
                    what=practice.what,
                    who=practice.who,
                    where=practice.where,
                    results=practice.results,
                    contact=practice.contact,
                    practice_type=practice.practice_type.value,
                    sectors=join_codes(practice.sectors),
                    countries=join_codes(practice.countries),
                    capability_areas=join_codes(practice.capability_areas),
                    status=status.value,
                    submitted_by=CommunityRepository.user_pk(conn, submitted_by),
                    synthetic=synthetic,
                    created_at=created_at,
                    published_at=created_at if status is PracticeStatus.PUBLISHED else None,
                )
            )

    def practices(
        self, *, status: PracticeStatus | None = None, practice_id: str | None = None
    ) -> list[Practice]:
        """Practices (of one status, or one by id), newest first."""
        query = (
            select(
                practices,
                organisations.c.public_id.label("org_public_id"),
                organisations.c.legal_name,
            )
            .select_from(
                practices.outerjoin(
                    organisations, organisations.c.id == practices.c.organisation_id
                )
            )
            .order_by(practices.c.created_at.desc(), practices.c.id.desc())
        )
        if status is not None:
            query = query.where(practices.c.status == status.value)
        if practice_id is not None:
            query = query.where(practices.c.public_id == practice_id)
        with self._engine.connect() as conn:
            return [_practice(row) for row in conn.execute(query)]

    def practice(self, practice_id: str) -> Practice:
        """One practice, whatever its status. Raises NotFound."""
        found = self.practices(practice_id=practice_id)
        if not found:
            raise NotFound(
                f"No practice with the id {practice_id!r}. Search the library at "
                "GET /api/v1/practices.",
                details={"practice": practice_id},
            )
        return found[0]

    def moderate_practice(
        self,
        practice_id: str,
        status: PracticeStatus,
        *,
        note: str | None,
        moderated_by: str | None,
        at: datetime,
    ) -> None:
        """Publish or reject a practice."""
        with self._engine.begin() as conn:
            conn.execute(
                update(practices)
                .where(practices.c.public_id == practice_id)
                .values(
                    status=status.value,
                    moderation_note=note,
                    moderated_by=CommunityRepository.user_pk(conn, moderated_by),
                    published_at=at if status is PracticeStatus.PUBLISHED else None,
                )
            )

    # --- posts --------------------------------------------------------------------------------

    def add_post(
        self,
        public_id: str,
        post: PostCreate,
        *,
        created_by: str | None,
        published_at: datetime,
        synthetic: bool = False,
    ) -> None:
        """Store a news item or an event."""
        with self._engine.begin() as conn:
            conn.execute(
                insert(community_posts).values(
                    public_id=public_id,
                    kind=post.kind.value,
                    title=post.title,
                    body=post.body,
                    starts_at=post.starts_at,
                    location=post.location,
                    registration_url=post.registration_url,
                    synthetic=synthetic,
                    created_by=CommunityRepository.user_pk(conn, created_by),
                    published_at=published_at,
                )
            )

    def posts(self, kind: PostKind | None = None, limit: int = 50) -> list[Post]:
        """News and events, newest first."""
        query = (
            select(community_posts)
            .order_by(community_posts.c.published_at.desc(), community_posts.c.id.desc())
            .limit(limit)
        )
        if kind is not None:
            query = query.where(community_posts.c.kind == kind.value)
        with self._engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            Post(
                id=row.public_id,
                kind=PostKind(row.kind),
                title=row.title,
                body=row.body,
                starts_at=aware(row.starts_at) if row.starts_at else None,
                location=row.location,
                registration_url=row.registration_url,
                synthetic=bool(row.synthetic),
                published_at=aware(row.published_at),
            )
            for row in rows
        ]
