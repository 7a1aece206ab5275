"""SQL storage of share links (``shares``) and their access log (``share_accesses``).

SQLAlchemy Core over :mod:`skillpass.storage.tables`, on SQLite and PostgreSQL. Public ids go in
and out; database keys stay here. Only the SHA-256 of a link's token is stored, so the table
cannot be turned back into working links. The access log keeps kind, a coarse client name, the
verifier's domain and the time — never an IP address — and at most
:data:`MAX_LOGGED_ACCESSES` entries per share (the oldest go first), so a link opened in a loop
cannot fill the database.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from skillpass.errors import NotFound
from skillpass.passport.models import Share, ShareAccess
from skillpass.storage.tables import share_accesses, shares, users

__all__ = ["MAX_LOGGED_ACCESSES", "NewShare", "ShareRecord", "ShareRepository"]

#: Most accesses kept per share.
MAX_LOGGED_ACCESSES = 1000


@dataclass(frozen=True)
class NewShare:
    """A share as the service validated it."""

    public_id: str
    token_hash: str
    owner_id: str
    label: str
    item_ids: Sequence[str]
    expires_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class ShareRecord:
    """A share found by its token, with whose it is."""

    share: Share
    owner_id: str  # user public id
    owner_name: str  # personal data


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _share(row: Any, accesses: list[ShareAccess] | None = None) -> Share:
    created = _aware(row.created_at)
    expires = _aware(row.expires_at)
    assert created is not None
    assert expires is not None
    return Share(
        id=row.public_id,
        label=row.label,
        item_ids=list(json.loads(row.item_ids or "[]")),
        expires_at=expires,
        revoked_at=_aware(row.revoked_at),
        created_at=created,
        accesses=accesses or [],
    )


def _owner_pk(conn: Connection, owner_id: str) -> int:
    pk = conn.execute(select(users.c.id).where(users.c.public_id == owner_id)).scalar_one_or_none()
    if pk is None:
        raise NotFound(f"No user with id {owner_id!r}.", details={"user": owner_id})
    return int(pk)


def _accesses(conn: Connection, share_pks: list[int]) -> dict[int, list[ShareAccess]]:
    found: dict[int, list[ShareAccess]] = defaultdict(list)
    if not share_pks:
        return found
    rows = conn.execute(
        select(share_accesses)
        .where(share_accesses.c.share_id.in_(share_pks))
        .order_by(share_accesses.c.accessed_at.desc(), share_accesses.c.id.desc())
    )
    for row in rows:
        at = _aware(row.accessed_at)
        assert at is not None
        found[int(row.share_id)].append(
            ShareAccess(kind=row.kind, client=row.client, domain=row.domain, at=at)
        )
    return found


class ShareRepository:
    """Reads and writes ``shares`` and ``share_accesses``.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, new: NewShare) -> Share:
        """Store a new share.

        Raises:
            NotFound: No such owner.
        """
        with self._engine.begin() as conn:
            conn.execute(
                insert(shares).values(
                    public_id=new.public_id,
                    token_hash=new.token_hash,
                    owner_id=_owner_pk(conn, new.owner_id),
                    label=new.label,
                    item_ids=json.dumps(list(new.item_ids)),
                    expires_at=new.expires_at,
                    revoked_at=None,
                    created_at=new.created_at,
                )
            )
            row = conn.execute(select(shares).where(shares.c.public_id == new.public_id)).one()
        return _share(row)

    def for_owner(self, owner_id: str) -> list[Share]:
        """The owner's shares with their access logs, newest first."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(shares)
                .join(users, users.c.id == shares.c.owner_id)
                .where(users.c.public_id == owner_id)
                .order_by(shares.c.created_at.desc(), shares.c.id.desc())
            ).all()
            accesses = _accesses(conn, [int(row.id) for row in rows])
        return [_share(row, accesses.get(int(row.id))) for row in rows]

    def get_for_owner(self, owner_id: str, share_id: str) -> Share:
        """One of the owner's shares with its access log.

        Raises:
            NotFound: No such share of this owner (also another owner's share).
        """
        with self._engine.connect() as conn:
            row = self._owned(conn, owner_id, share_id)
            accesses = _accesses(conn, [int(row.id)])
        return _share(row, accesses.get(int(row.id)))

    @staticmethod
    def _owned(conn: Connection, owner_id: str, share_id: str) -> Any:
        row = conn.execute(
            select(shares)
            .join(users, users.c.id == shares.c.owner_id)
            .where(users.c.public_id == owner_id, shares.c.public_id == share_id)
        ).first()
        if row is None:
            raise NotFound(f"No share {share_id!r} among your shares.", details={"share": share_id})
        return row

    def revoke(self, owner_id: str, share_id: str, at: datetime) -> Share:
        """Mark the owner's share revoked at ``at`` (a share revoked before keeps its time).

        Raises:
            NotFound: No such share of this owner.
        """
        with self._engine.begin() as conn:
            row = self._owned(conn, owner_id, share_id)
            conn.execute(
                update(shares)
                .where(shares.c.id == row.id, shares.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
        return self.get_for_owner(owner_id, share_id)

    def by_token_hash(self, token_hash: str) -> ShareRecord | None:
        """The share whose token hashes to ``token_hash`` (without its access log), or None."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(
                    shares,
                    users.c.public_id.label("owner_public_id"),
                    users.c.display_name.label("owner_name"),
                )
                .join(users, users.c.id == shares.c.owner_id)
                .where(shares.c.token_hash == token_hash)
            ).first()
        if row is None:
            return None
        return ShareRecord(_share(row), row.owner_public_id, row.owner_name)

    def log_access(
        self, share_id: str, kind: str, client: str | None, domain: str | None, at: datetime
    ) -> None:
        """Record one opening of a share (and drop the oldest beyond the cap)."""
        with self._engine.begin() as conn:
            pk = conn.execute(
                select(shares.c.id).where(shares.c.public_id == share_id)
            ).scalar_one_or_none()
            if pk is None:
                return  # deleted meanwhile (account erased): nothing to log against
            conn.execute(
                insert(share_accesses).values(
                    share_id=pk,
                    kind=kind[:16],
                    client=client[:200] if client else None,
                    domain=domain[:300] if domain else None,
                    accessed_at=at,
                )
            )
            count = conn.execute(
                select(func.count())
                .select_from(share_accesses)
                .where(share_accesses.c.share_id == pk)
            ).scalar_one()
            if count > MAX_LOGGED_ACCESSES:
                oldest = (
                    select(share_accesses.c.id)
                    .where(share_accesses.c.share_id == pk)
                    .order_by(share_accesses.c.id)
                    .limit(int(count) - MAX_LOGGED_ACCESSES)
                    .scalar_subquery()
                )
                conn.execute(delete(share_accesses).where(share_accesses.c.id.in_(oldest)))
