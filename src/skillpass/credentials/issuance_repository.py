"""SQL storage of issued credentials and their Bitstring Status Lists.

Concurrency: a credential row carries its ``(status_list_id, status_index)`` under a UNIQUE
constraint, and is written by a single ``INSERT`` in its own transaction. Two writers that picked
the same random index cannot both commit: the loser gets :class:`IndexTaken` and retries with a
new index (PostgreSQL blocks the second insert until the first commits, then reports the clash;
SQLite serialises writers). Idempotency works the same way: UNIQUE(achievement, learner key,
format, external id) turns a repeat into :class:`AlreadyIssued`, which carries the stored
credential. The insert is the first statement of its transaction, so SQLite in WAL mode waits for
the write lock instead of failing on a stale read snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.credentials.records import IssuedCredential, StatusListInfo
from skillpass.errors import Conflict, NotFound
from skillpass.ids import new_public_id
from skillpass.storage.tables import achievements, issued_credentials, organisations, status_lists

__all__ = [
    "AlreadyIssued",
    "CredentialRepository",
    "IndexTaken",
    "IssueTarget",
    "NewCredential",
    "StatusSlot",
]


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _maybe_aware(value: datetime | None) -> datetime | None:
    return None if value is None else _aware(value)


@dataclass(frozen=True)
class IssueTarget:
    """Storage keys of a definition and its issuer, looked up once before issuing."""

    achievement_pk: int
    achievement_id: str
    organisation_pk: int
    issuer_id: str


@dataclass(frozen=True)
class StatusSlot:
    """A status list and a candidate index in it."""

    list_pk: int
    list_id: str
    size: int
    index: int


@dataclass(frozen=True)
class NewCredential:
    """The values of a credential row."""

    public_id: str
    learner_key: str
    learner_email_hash: str | None
    learner_email_salt: str | None
    learner_email: str | None  # personal data
    learner_name: str | None  # personal data
    learner_did: str | None  # personal data
    format: str
    document: str
    external_id: str | None
    issued_at: datetime


class IndexTaken(Exception):
    """The status index was taken by a concurrent writer; pick another."""


class AlreadyIssued(Exception):
    """This (achievement, learner, format, external id) was issued before."""

    def __init__(self, existing: IssuedCredential) -> None:
        super().__init__(existing.id)
        self.existing = existing


_COLUMNS = (
    issued_credentials.c.public_id,
    achievements.c.public_id.label("achievement_public_id"),
    organisations.c.public_id.label("issuer_public_id"),
    issued_credentials.c.format,
    issued_credentials.c.document,
    issued_credentials.c.learner_name,
    issued_credentials.c.learner_did,
    issued_credentials.c.learner_email_hash,
    status_lists.c.public_id.label("status_list_public_id"),
    issued_credentials.c.status_index,
    issued_credentials.c.external_id,
    issued_credentials.c.issued_at,
    issued_credentials.c.revoked_at,
    issued_credentials.c.revocation_reason,
)


def _joined() -> Any:
    return (
        issued_credentials.join(
            achievements, achievements.c.id == issued_credentials.c.achievement_id
        )
        .join(organisations, organisations.c.id == achievements.c.organisation_id)
        .join(status_lists, status_lists.c.id == issued_credentials.c.status_list_id)
    )


def _record(row: Any, *, created: bool = True) -> IssuedCredential:
    return IssuedCredential(
        id=row.public_id,
        achievement_id=row.achievement_public_id,
        issuer_id=row.issuer_public_id,
        format=row.format,
        document=row.document,
        learner_name=row.learner_name,
        learner_did=row.learner_did,
        learner_email_hash=row.learner_email_hash,
        status_list_id=row.status_list_public_id,
        status_index=row.status_index,
        external_id=row.external_id,
        issued_at=_aware(row.issued_at),
        revoked_at=_maybe_aware(row.revoked_at),
        revocation_reason=row.revocation_reason,
        created=created,
    )


class CredentialRepository:
    """Reads and writes ``issued_credentials`` and ``status_lists``.

    Args:
        engine: The database engine.
        list_url: The public URL of a status list from its public id.
    """

    def __init__(self, engine: Engine, list_url: Any) -> None:
        self._engine = engine
        self._list_url = list_url

    # --- targets and status lists -------------------------------------------------------------

    def target(self, achievement_id: str) -> IssueTarget:
        """Storage keys for issuing ``achievement_id``.

        Raises:
            NotFound: No such definition.
        """
        query = (
            select(achievements.c.id, organisations.c.id.label("org"), organisations.c.public_id)
            .join(organisations, organisations.c.id == achievements.c.organisation_id)
            .where(achievements.c.public_id == achievement_id)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise NotFound(
                f"No micro-credential definition with id {achievement_id!r}; list them with "
                "`skillpass achievement list`.",
                details={"achievement": achievement_id},
            )
        return IssueTarget(
            achievement_pk=row.id,
            achievement_id=achievement_id,
            organisation_pk=row.org,
            issuer_id=row.public_id,
        )

    def open_list(
        self, target: IssueTarget, purpose: str, size: int, max_fill: float, created_at: datetime
    ) -> tuple[int, str, int]:
        """The issuer's current list for ``purpose`` with room left, created when needed.

        Returns:
            ``(list_pk, list_public_id, size)``.
        """
        for _attempt in range(20):
            with self._engine.connect() as conn:
                latest = conn.execute(
                    select(
                        status_lists.c.id,
                        status_lists.c.public_id,
                        status_lists.c.sequence,
                        status_lists.c.size,
                    )
                    .where(
                        status_lists.c.organisation_id == target.organisation_pk,
                        status_lists.c.purpose == purpose,
                    )
                    .order_by(status_lists.c.sequence.desc())
                    .limit(1)
                ).one_or_none()
                if latest is not None:
                    used = conn.execute(
                        select(func.count())
                        .select_from(issued_credentials)
                        .where(issued_credentials.c.status_list_id == latest.id)
                    ).scalar_one()
                    if used < latest.size * max_fill:
                        return int(latest.id), str(latest.public_id), int(latest.size)
            sequence = 1 if latest is None else int(latest.sequence) + 1
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        insert(status_lists).values(
                            public_id=new_public_id(),
                            organisation_id=target.organisation_pk,
                            purpose=purpose,
                            sequence=sequence,
                            size=size,
                            created_at=created_at,
                        )
                    )
            except IntegrityError:
                continue  # a concurrent writer opened this list first; use theirs
        raise Conflict("Could not open a status list after 20 attempts; try again.")

    def index_taken(self, list_pk: int, index: int) -> bool:
        """Whether a credential already holds this bit."""
        with self._engine.connect() as conn:
            return (
                conn.execute(
                    select(issued_credentials.c.id).where(
                        issued_credentials.c.status_list_id == list_pk,
                        issued_credentials.c.status_index == index,
                    )
                ).first()
                is not None
            )

    def find_existing(
        self, achievement_pk: int, learner_key: str, format: str, external_id: str | None
    ) -> IssuedCredential | None:
        """The credential already issued for (definition, learner, format, external id), if any.

        Without an external id nothing counts as a repeat.
        """
        if external_id is None:
            return None
        query = (
            select(*_COLUMNS)
            .select_from(_joined())
            .where(
                issued_credentials.c.achievement_id == achievement_pk,
                issued_credentials.c.learner_key == learner_key,
                issued_credentials.c.format == format,
                issued_credentials.c.external_id == external_id,
            )
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        return _record(row, created=False) if row is not None else None

    def insert(self, target: IssueTarget, slot: StatusSlot, new: NewCredential) -> IssuedCredential:
        """Write a credential with its status index in one transaction.

        Raises:
            IndexTaken: Another credential got this index first.
            AlreadyIssued: The (definition, learner, format, external id) exists.
        """
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(issued_credentials).values(
                        public_id=new.public_id,
                        achievement_id=target.achievement_pk,
                        learner_key=new.learner_key,
                        learner_email_hash=new.learner_email_hash,
                        learner_email_salt=new.learner_email_salt,
                        learner_email=new.learner_email,
                        learner_name=new.learner_name,
                        learner_did=new.learner_did,
                        format=new.format,
                        document=new.document,
                        status_list_id=slot.list_pk,
                        status_index=slot.index,
                        external_id=new.external_id,
                        issued_at=new.issued_at,
                    )
                )
        except IntegrityError as error:
            existing = self.find_existing(
                target.achievement_pk, new.learner_key, new.format, new.external_id
            )
            if existing is not None:
                raise AlreadyIssued(existing) from error
            raise IndexTaken() from error
        return IssuedCredential(
            id=new.public_id,
            achievement_id=target.achievement_id,
            issuer_id=target.issuer_id,
            format=new.format,
            document=new.document,
            learner_name=new.learner_name,
            learner_did=new.learner_did,
            learner_email_hash=new.learner_email_hash,
            status_list_id=slot.list_id,
            status_index=slot.index,
            external_id=new.external_id,
            issued_at=new.issued_at,
        )

    # --- reading and revoking -----------------------------------------------------------------

    def get(self, credential_id: str) -> IssuedCredential:
        """The credential with this id (``urn:uuid:…``; the bare UUID is accepted too).

        Raises:
            NotFound: No such credential.
        """
        wanted = credential_id.strip()
        if not wanted.startswith("urn:uuid:"):
            wanted = "urn:uuid:" + wanted
        query = (
            select(*_COLUMNS).select_from(_joined()).where(issued_credentials.c.public_id == wanted)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise NotFound(
                f"No credential issued here has the id {credential_id!r}.",
                details={"credential": credential_id},
            )
        return _record(row)

    def learner_key(self, credential_id: str) -> str | None:
        """The keyed learner key of a credential issued here (None when it is not ours)."""
        query = select(issued_credentials.c.learner_key).where(
            issued_credentials.c.public_id == credential_id.strip()
        )
        with self._engine.connect() as conn:
            found = conn.execute(query).scalar()
        return None if found is None else str(found)

    def all(
        self,
        *,
        achievement_id: str | None = None,
        issuer_id: str | None = None,
        issuer_ids: Sequence[str] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[IssuedCredential]:
        """Issued credentials, newest first, filtered by definition, issuer or a set of issuers
        (``issuer_ids``; empty means none)."""
        query = select(*_COLUMNS).select_from(_joined())
        if issuer_ids is not None:
            query = query.where(organisations.c.public_id.in_(list(issuer_ids)))
        if achievement_id is not None:
            query = query.where(achievements.c.public_id == achievement_id)
        if issuer_id is not None:
            query = query.where(organisations.c.public_id == issuer_id)
        query = query.order_by(
            issued_credentials.c.issued_at.desc(), issued_credentials.c.id.desc()
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query.limit(limit).offset(offset)).all()
        return [_record(row) for row in rows]

    def revoke(self, credential_id: str, reason: str, at: datetime) -> IssuedCredential:
        """Mark a credential revoked (its status bit is set from now on).

        Raises:
            NotFound: No such credential.
            Conflict: It was revoked already.
        """
        current = self.get(credential_id)
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(issued_credentials)
                .where(
                    and_(
                        issued_credentials.c.public_id == current.id,
                        issued_credentials.c.revoked_at.is_(None),
                    )
                )
                .values(revoked_at=at, revocation_reason=reason)
            ).rowcount
        if not changed:
            raise Conflict(
                f"The credential {current.id} was revoked already.",
                details={"credential": current.id},
            )
        return self.get(current.id)

    def status_list(self, list_id: str) -> tuple[StatusListInfo, list[int]]:
        """A status list and the indices whose bit is set (revoked credentials).

        Raises:
            NotFound: No such list.
        """
        with self._engine.connect() as conn:
            row = conn.execute(
                select(
                    status_lists.c.id,
                    status_lists.c.public_id,
                    status_lists.c.purpose,
                    status_lists.c.size,
                    status_lists.c.created_at,
                    organisations.c.public_id.label("issuer_public_id"),
                )
                .join(organisations, organisations.c.id == status_lists.c.organisation_id)
                .where(status_lists.c.public_id == list_id)
            ).one_or_none()
            if row is None:
                raise NotFound(f"No status list {list_id!r}.", details={"status_list": list_id})
            # only revocation lists exist so far; a suspension list would read its own column
            indices = [
                int(index)
                for (index,) in conn.execute(
                    select(issued_credentials.c.status_index).where(
                        issued_credentials.c.status_list_id == row.id,
                        issued_credentials.c.revoked_at.is_not(None),
                    )
                )
            ]
        info = StatusListInfo(
            id=row.public_id,
            issuer_id=row.issuer_public_id,
            purpose=row.purpose,
            size=row.size,
            url=self._list_url(row.public_id),
            created_at=_aware(row.created_at),
        )
        return info, indices

    def is_revoked(self, list_id: str, index: int) -> bool | None:
        """Whether bit ``index`` of list ``list_id`` is set; None when the list is not ours."""
        found = self.revocation(list_id, index)
        return None if found is None else found[0] is not None

    def revocation(self, list_id: str, index: int) -> tuple[datetime | None, str | None] | None:
        """When and why the credential at bit ``index`` of list ``list_id`` was revoked.

        Returns:
            None when the list is not ours; ``(None, None)`` when the bit is not set; else
            ``(revoked_at, reason)``.
        """
        with self._engine.connect() as conn:
            list_pk = conn.execute(
                select(status_lists.c.id).where(status_lists.c.public_id == list_id)
            ).scalar_one_or_none()
            if list_pk is None:
                return None
            row = conn.execute(
                select(
                    issued_credentials.c.revoked_at, issued_credentials.c.revocation_reason
                ).where(
                    issued_credentials.c.status_list_id == list_pk,
                    issued_credentials.c.status_index == index,
                )
            ).first()
        if row is None or row.revoked_at is None:
            return None, None
        return _aware(row.revoked_at), row.revocation_reason

    def all_status_indices(self) -> list[tuple[str, int]]:
        """Every ``(list public id, index)`` in use (for duplicate checks in tests/benchmarks)."""
        with self._engine.connect() as conn:
            return [
                (str(list_id), int(index))
                for list_id, index in conn.execute(
                    select(status_lists.c.public_id, issued_credentials.c.status_index).join(
                        status_lists, status_lists.c.id == issued_credentials.c.status_list_id
                    )
                )
            ]
