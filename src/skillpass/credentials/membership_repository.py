"""SQL storage of organisation membership: which users may act for which organisation.

SQLAlchemy Core over :mod:`skillpass.storage.tables` (``organisation_members`` joined with
``organisations`` and ``users``); works on SQLite and PostgreSQL. Public ids go in and out;
database keys stay here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.credentials.records import MemberRole, OrganisationMember
from skillpass.errors import NotFound
from skillpass.storage.tables import organisation_members, organisations, users

__all__ = ["MembershipRepository"]

_COLUMNS = (
    organisations.c.public_id.label("issuer_public_id"),
    users.c.public_id.label("user_public_id"),
    users.c.email,
    users.c.display_name,
    organisation_members.c.role_in_org,
    organisation_members.c.created_at,
)


def _joined() -> Any:
    return organisation_members.join(
        organisations, organisations.c.id == organisation_members.c.organisation_id
    ).join(users, users.c.id == organisation_members.c.user_id)


def _member(row: Any) -> OrganisationMember:
    created = row.created_at
    return OrganisationMember(
        issuer_id=row.issuer_public_id,
        user_id=row.user_public_id,
        email=row.email,
        display_name=row.display_name,
        role_in_org=MemberRole(row.role_in_org),
        created_at=created if created.tzinfo is not None else created.replace(tzinfo=UTC),
    )


class MembershipRepository:
    """Reads and writes ``organisation_members``.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _org_pk(self, conn: Connection, issuer_id: str) -> int:
        pk = conn.execute(
            select(organisations.c.id).where(organisations.c.public_id == issuer_id)
        ).scalar_one_or_none()
        if pk is None:
            raise NotFound(
                f"No issuer with id {issuer_id!r}; list them with `skillpass issuer list`.",
                details={"issuer": issuer_id},
            )
        return int(pk)

    def _user_pk(self, conn: Connection, user_id: str) -> int:
        pk = conn.execute(
            select(users.c.id).where(users.c.public_id == user_id)
        ).scalar_one_or_none()
        if pk is None:
            raise NotFound(f"No user with id {user_id!r}.", details={"user": user_id})
        return int(pk)

    def user_id_by_email(self, email: str) -> str | None:
        """The public id of the user with this (normalised) e-mail address, if any."""
        with self._engine.connect() as conn:
            found = conn.execute(
                select(users.c.public_id).where(users.c.email == email)
            ).scalar_one_or_none()
        return None if found is None else str(found)

    def organisation_name(self, issuer_id: str) -> str:
        """The legal name of an organisation.

        Raises:
            NotFound: No such organisation.
        """
        with self._engine.connect() as conn:
            name = conn.execute(
                select(organisations.c.legal_name).where(organisations.c.public_id == issuer_id)
            ).scalar_one_or_none()
        if name is None:
            raise NotFound(
                f"No issuer with id {issuer_id!r}; list them with `skillpass issuer list`.",
                details={"issuer": issuer_id},
            )
        return str(name)

    def put(
        self, issuer_id: str, user_id: str, role: MemberRole, created_at: datetime
    ) -> OrganisationMember:
        """Make a user a member (or change their role if they are one already).

        Raises:
            NotFound: No such organisation or user.
        """
        for _attempt in range(3):
            try:
                with self._engine.begin() as conn:
                    org_pk = self._org_pk(conn, issuer_id)
                    user_pk = self._user_pk(conn, user_id)
                    changed = conn.execute(
                        update(organisation_members)
                        .where(
                            organisation_members.c.organisation_id == org_pk,
                            organisation_members.c.user_id == user_pk,
                        )
                        .values(role_in_org=role.value)
                    ).rowcount
                    if not changed:
                        conn.execute(
                            insert(organisation_members).values(
                                organisation_id=org_pk,
                                user_id=user_pk,
                                role_in_org=role.value,
                                created_at=created_at,
                            )
                        )
                break
            except IntegrityError:
                continue  # added concurrently: the next attempt updates that row
        member = self.get(issuer_id, user_id)
        assert member is not None
        return member

    def get(self, issuer_id: str, user_id: str) -> OrganisationMember | None:
        """The membership of a user in an organisation, if any."""
        query = (
            select(*_COLUMNS)
            .select_from(_joined())
            .where(organisations.c.public_id == issuer_id, users.c.public_id == user_id)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        return _member(row) if row is not None else None

    def remove(self, issuer_id: str, user_id: str) -> None:
        """End a membership.

        Raises:
            NotFound: No such organisation or user, or the user is not a member.
        """
        with self._engine.begin() as conn:
            org_pk = self._org_pk(conn, issuer_id)
            user_pk = self._user_pk(conn, user_id)
            removed = conn.execute(
                delete(organisation_members).where(
                    organisation_members.c.organisation_id == org_pk,
                    organisation_members.c.user_id == user_pk,
                )
            ).rowcount
        if not removed:
            raise NotFound(
                f"That user is not a member of the issuer {issuer_id!r}; see "
                f"`skillpass issuer members {issuer_id}`.",
                details={"issuer": issuer_id, "user": user_id},
            )

    def members(self, issuer_id: str) -> list[OrganisationMember]:
        """The members of an organisation, by e-mail.

        Raises:
            NotFound: No such organisation.
        """
        with self._engine.connect() as conn:
            self._org_pk(conn, issuer_id)
            rows = conn.execute(
                select(*_COLUMNS)
                .select_from(_joined())
                .where(organisations.c.public_id == issuer_id)
                .order_by(users.c.email)
            ).all()
        return [_member(row) for row in rows]

    def issuer_ids_for(self, user_id: str) -> list[str]:
        """The public ids of the organisations a user is a member of."""
        with self._engine.connect() as conn:
            return [
                str(public_id)
                for (public_id,) in conn.execute(
                    select(organisations.c.public_id)
                    .select_from(_joined())
                    .where(users.c.public_id == user_id)
                    .order_by(organisations.c.legal_name)
                )
            ]
