"""SQL storage of users and API tokens (SQLAlchemy Core over ``storage.tables``).

The repository speaks domain models and our own errors: a unique-key clash becomes
:class:`~skillpass.errors.Conflict`, never a driver exception. Database keys stay in here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.auth.models import ApiToken, Role, User
from skillpass.errors import Conflict, NotFound
from skillpass.storage.tables import api_tokens, users

__all__ = ["AuthRepository", "StoredCredentials", "TokenOwner"]


@dataclass(frozen=True)
class StoredCredentials:
    """A user together with their password hash (never leaves the auth package)."""

    user: User
    password_hash: str


@dataclass(frozen=True)
class TokenOwner:
    """The stored token a secret resolved to, and the user who owns it."""

    token: ApiToken
    user: User


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def encode_roles(roles: Iterable[Role]) -> str:
    """Roles as stored: sorted, comma-separated."""
    return ",".join(sorted(role.value for role in roles))


def _decode_roles(value: str) -> frozenset[Role]:
    return frozenset(Role(name) for name in value.split(",") if name)


def _user(row: Any) -> User:
    created_at = _aware(row.created_at)
    assert created_at is not None
    return User(
        public_id=row.public_id,
        email=row.email,
        display_name=row.display_name,
        roles=_decode_roles(row.roles),
        is_active=bool(row.is_active),
        synthetic=bool(row.synthetic),
        created_at=created_at,
    )


def _token(row: Any, user_public_id: str) -> ApiToken:
    created_at = _aware(row.created_at)
    assert created_at is not None
    return ApiToken(
        public_id=row.public_id,
        name=row.name,
        user_public_id=user_public_id,
        created_at=created_at,
        last_used_at=_aware(row.last_used_at),
        revoked=bool(row.revoked),
    )


_USER_COLUMNS = (
    users.c.id,
    users.c.public_id,
    users.c.email,
    users.c.display_name,
    users.c.password_hash,
    users.c.roles,
    users.c.is_active,
    users.c.synthetic,
    users.c.created_at,
)


class AuthRepository:
    """Reads and writes the ``users`` and ``api_tokens`` tables.

    Args:
        engine: The database engine (SQLite or PostgreSQL).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- users ------------------------------------------------------------------------------

    def add_user(
        self,
        *,
        public_id: str,
        email: str,
        display_name: str,
        password_hash: str,
        roles: frozenset[Role],
        synthetic: bool,
        created_at: datetime,
    ) -> User:
        """Insert a user.

        Raises:
            Conflict: A user with this email already exists.
        """
        values = {
            "public_id": public_id,
            "email": email,
            "display_name": display_name,
            "password_hash": password_hash,
            "roles": encode_roles(roles),
            "is_active": True,
            "synthetic": synthetic,
            "created_at": created_at,
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(users).values(**values))
        except IntegrityError as error:
            raise Conflict(
                f"A user with the email {email!r} already exists. "
                "Use another email, or list users with `skillpass admin list-users`.",
                details={"email": email},
            ) from error
        return self.get_user(public_id)

    def get_user(self, public_id: str) -> User:
        """The user with this public id.

        Raises:
            NotFound: No such user.
        """
        with self._engine.connect() as conn:
            row = conn.execute(
                select(*_USER_COLUMNS).where(users.c.public_id == public_id)
            ).one_or_none()
        if row is None:
            raise NotFound(f"No user with id {public_id!r}.", details={"user": public_id})
        return _user(row)

    def find_credentials(self, email: str) -> StoredCredentials | None:
        """The user with this (normalised) email and their password hash, if any."""
        with self._engine.connect() as conn:
            row = conn.execute(select(*_USER_COLUMNS).where(users.c.email == email)).one_or_none()
        if row is None:
            return None
        return StoredCredentials(user=_user(row), password_hash=row.password_hash)

    def list_users(self, *, synthetic: bool | None = None) -> list[User]:
        """Every user, oldest first; only synthetic (or only real) ones when asked."""
        query = select(*_USER_COLUMNS).order_by(users.c.id)
        if synthetic is not None:
            query = query.where(users.c.synthetic == synthetic)
        with self._engine.connect() as conn:
            return [_user(row) for row in conn.execute(query)]

    def update_user(self, public_id: str, **values: Any) -> User:
        """Change stored columns of a user (``roles`` given as a set of :class:`Role`).

        Raises:
            NotFound: No such user.
        """
        if "roles" in values:
            values["roles"] = encode_roles(values["roles"])
        with self._engine.begin() as conn:
            result = conn.execute(
                update(users).where(users.c.public_id == public_id).values(**values)
            )
        if result.rowcount == 0:
            raise NotFound(f"No user with id {public_id!r}.", details={"user": public_id})
        return self.get_user(public_id)

    # --- tokens -----------------------------------------------------------------------------

    def _user_id(self, conn: Connection, public_id: str) -> int:
        user_id = conn.execute(
            select(users.c.id).where(users.c.public_id == public_id)
        ).scalar_one_or_none()
        if user_id is None:
            raise NotFound(f"No user with id {public_id!r}.", details={"user": public_id})
        return int(user_id)

    def add_token(
        self,
        *,
        public_id: str,
        user_public_id: str,
        name: str,
        token_hash: str,
        created_at: datetime,
    ) -> ApiToken:
        """Store a new token (only the hash of its secret).

        Raises:
            NotFound: The user does not exist.
            Conflict: The hash or public id clashes (practically impossible with random secrets).
        """
        try:
            with self._engine.begin() as conn:
                user_id = self._user_id(conn, user_public_id)
                conn.execute(
                    insert(api_tokens).values(
                        public_id=public_id,
                        user_id=user_id,
                        name=name,
                        token_hash=token_hash,
                        created_at=created_at,
                        last_used_at=None,
                        revoked=False,
                    )
                )
        except IntegrityError as error:
            raise Conflict("The token could not be stored; please try again.") from error
        return ApiToken(
            public_id=public_id, name=name, user_public_id=user_public_id, created_at=created_at
        )

    def find_token(self, token_hash: str) -> TokenOwner | None:
        """The token with this secret hash and its owner, if any."""
        query = (
            select(api_tokens, *[c.label(f"user_{c.name}") for c in _USER_COLUMNS])
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.token_hash == token_hash)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            return None
        mapping = row._mapping
        user = User(
            public_id=mapping["user_public_id"],
            email=mapping["user_email"],
            display_name=mapping["user_display_name"],
            roles=_decode_roles(mapping["user_roles"]),
            is_active=bool(mapping["user_is_active"]),
            synthetic=bool(mapping["user_synthetic"]),
            created_at=_aware(mapping["user_created_at"]) or datetime.now(UTC),
        )
        return TokenOwner(token=_token(row, user.public_id), user=user)

    def get_token(self, public_id: str) -> ApiToken:
        """The token with this public id.

        Raises:
            NotFound: No such token.
        """
        query = (
            select(api_tokens, users.c.public_id.label("owner_public_id"))
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.public_id == public_id)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise NotFound(f"No API token with id {public_id!r}.", details={"token": public_id})
        return _token(row, row.owner_public_id)

    def list_tokens(self, user_public_id: str) -> list[ApiToken]:
        """The tokens of one user, oldest first (revoked ones included)."""
        query = (
            select(api_tokens)
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(users.c.public_id == user_public_id)
            .order_by(api_tokens.c.id)
        )
        with self._engine.connect() as conn:
            return [_token(row, user_public_id) for row in conn.execute(query)]

    def touch_token(self, public_id: str, when: datetime) -> None:
        """Record that the token was just used."""
        with self._engine.begin() as conn:
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.public_id == public_id)
                .values(last_used_at=when)
            )

    def revoke_token(self, public_id: str) -> ApiToken:
        """Mark a token revoked (idempotent).

        Raises:
            NotFound: No such token.
        """
        with self._engine.begin() as conn:
            conn.execute(
                update(api_tokens).where(api_tokens.c.public_id == public_id).values(revoked=True)
            )
        return self.get_token(public_id)

    def count_users(self) -> int:
        """How many users exist."""
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())
