"""SQL storage of learners' holder keys (``holder_keys``).

SQLAlchemy Core over :mod:`skillpass.storage.tables`, on SQLite and PostgreSQL. Users go in by
public id; database keys stay here. Making and rotating a key lock the user's row first (``FOR
UPDATE`` on PostgreSQL; SQLite serialises writers), so two requests at once never leave a learner
with two active keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select, update

from skillpass.errors import NotFound
from skillpass.storage.tables import holder_keys, users

__all__ = ["HolderKeyRepository", "StoredHolderKey"]

ACTIVE = "active"
RETIRED = "retired"

#: Makes a new key: returns its DID and the encrypted private key.
KeyMaker = Callable[[], tuple[str, bytes]]


@dataclass(frozen=True)
class StoredHolderKey:
    """One stored holder key (the private key still encrypted)."""

    did: str
    private_key_encrypted: bytes
    status: str
    created_at: datetime


class HolderKeyRepository:
    """Reads and writes ``holder_keys``.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @staticmethod
    def _user_pk(conn: Connection, user_id: str, *, lock: bool = False) -> int:
        query = select(users.c.id).where(users.c.public_id == user_id)
        if lock:
            query = query.with_for_update()
        pk = conn.execute(query).scalar_one_or_none()
        if pk is None:
            raise NotFound(f"No user with id {user_id!r}.", details={"user": user_id})
        return int(pk)

    @staticmethod
    def _active(conn: Connection, user_pk: int) -> StoredHolderKey | None:
        row = conn.execute(
            select(holder_keys)
            .where(holder_keys.c.user_id == user_pk, holder_keys.c.status == ACTIVE)
            .order_by(holder_keys.c.created_at.desc(), holder_keys.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        created = row.created_at
        return StoredHolderKey(
            did=row.did,
            private_key_encrypted=bytes(row.private_key_encrypted),
            status=row.status,
            created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
        )

    def active(self, user_id: str) -> StoredHolderKey | None:
        """The user's active key, or None.

        Raises:
            NotFound: No such user.
        """
        with self._engine.connect() as conn:
            return self._active(conn, self._user_pk(conn, user_id))

    def ensure(self, user_id: str, make: KeyMaker) -> StoredHolderKey:
        """The user's active key, made with ``make`` when there is none.

        Raises:
            NotFound: No such user.
        """
        with self._engine.begin() as conn:
            user_pk = self._user_pk(conn, user_id, lock=True)
            found = self._active(conn, user_pk)
            if found is not None:
                return found
            return self._insert(conn, user_pk, make)

    def rotate(self, user_id: str, make: KeyMaker) -> StoredHolderKey:
        """Retire the user's active key (if any) and store a new one made with ``make``.

        Raises:
            NotFound: No such user.
        """
        with self._engine.begin() as conn:
            user_pk = self._user_pk(conn, user_id, lock=True)
            conn.execute(
                update(holder_keys)
                .where(holder_keys.c.user_id == user_pk, holder_keys.c.status == ACTIVE)
                .values(status=RETIRED)
            )
            return self._insert(conn, user_pk, make)

    def dids(self, user_id: str) -> list[tuple[str, str]]:
        """Every DID the user has held, newest first, with its status.

        Raises:
            NotFound: No such user.
        """
        with self._engine.connect() as conn:
            user_pk = self._user_pk(conn, user_id)
            rows = conn.execute(
                select(holder_keys.c.did, holder_keys.c.status)
                .where(holder_keys.c.user_id == user_pk)
                .order_by(holder_keys.c.created_at.desc(), holder_keys.c.id.desc())
            ).all()
        return [(row.did, row.status) for row in rows]

    @staticmethod
    def _insert(conn: Connection, user_pk: int, make: KeyMaker) -> StoredHolderKey:
        did, encrypted = make()
        now = datetime.now(UTC)
        conn.execute(
            insert(holder_keys).values(
                user_id=user_pk,
                did=did,
                private_key_encrypted=encrypted,
                status=ACTIVE,
                created_at=now,
            )
        )
        return StoredHolderKey(did, encrypted, ACTIVE, now)
