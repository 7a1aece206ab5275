"""Users, roles, password hashing and API tokens.

Passwords are hashed with Argon2id (``argon2-cffi``). API tokens are ``sp_`` followed by 32 random
bytes (URL-safe base64); the secret is shown once and only its SHA-256 is stored, so a database
leak does not leak usable tokens. Role checks are explicit: a user passes a check when they hold
one of the roles it names (``admin`` is not a wildcard). See ``docs/adr/0003``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine

from skillpass.auth.models import ApiToken, IssuedToken, Role, User
from skillpass.auth.repository import AuthRepository
from skillpass.config import Environment, Settings
from skillpass.errors import AuthenticationRequired, InvalidInput, NotFound, PermissionDenied
from skillpass.ids import new_public_id

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "TOKEN_PREFIX",
    "AuthService",
    "check_roles",
    "hash_token",
    "normalise_email",
    "parse_roles",
]

#: Shortest password accepted.
MIN_PASSWORD_LENGTH = 10
#: Longest password accepted (bounds the hashing work an attacker can ask for).
MAX_PASSWORD_LENGTH = 1024
#: Every API token starts with this, so secret scanners and people can recognise one.
TOKEN_PREFIX = "sp_"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_BAD_LOGIN = "The email or password is not right. Check both and try again."
_BAD_TOKEN = (
    "The API token is not valid (unknown, revoked, or its user is deactivated). "
    "Send `Authorization: Bearer <token>` with a token from `skillpass admin create-token`."
)


def _now() -> datetime:
    return datetime.now(UTC)


def _public_id() -> str:
    return new_public_id()


def normalise_email(email: str) -> str:
    """Trim and lower-case an email address and check that it looks like one.

    Args:
        email: The address as typed.

    Returns:
        The normalised address.

    Raises:
        InvalidInput: It is not an email address.
    """
    value = email.strip().lower()
    if len(value) > 320 or not _EMAIL.match(value):
        raise InvalidInput(
            f"{email!r} is not a valid email address (expected something like name@example.org).",
            details={"field": "email"},
        )
    return value


def parse_roles(names: Iterable[str | Role]) -> frozenset[Role]:
    """Turn role names into roles.

    Args:
        names: Role names such as ``"learner"`` (case-insensitive) or :class:`Role` values.

    Returns:
        The set of roles (may be empty).

    Raises:
        InvalidInput: A name is not a role; the message lists the valid ones.
    """
    roles: set[Role] = set()
    valid = ", ".join(role.value for role in Role)
    for name in names:
        key = name.value if isinstance(name, Role) else str(name).strip().lower()
        try:
            roles.add(Role(key))
        except ValueError:
            raise InvalidInput(
                f"Unknown role {name!r}. Valid roles are: {valid}.",
                details={"field": "roles", "valid": [role.value for role in Role]},
            ) from None
    return frozenset(roles)


def check_roles(user: User, roles: Iterable[Role]) -> User:
    """Check that ``user`` holds at least one of ``roles``.

    Args:
        user: The signed-in user.
        roles: The roles that allow the action.

    Returns:
        The same user, for chaining.

    Raises:
        PermissionDenied: The user holds none of them; the message names the roles needed.
    """
    needed = sorted(role.value for role in roles)
    if needed and not user.roles.intersection(Role(name) for name in needed):
        have = ", ".join(sorted(role.value for role in user.roles)) or "none"
        raise PermissionDenied(
            f"This needs the role {' or '.join(needed)}; you have: {have}. "
            "Ask an administrator to grant it (`skillpass admin set-roles`).",
            details={"needed": needed},
        )
    return user


def hash_token(token: str) -> str:
    """The SHA-256 (hex) of a token secret: what ``api_tokens.token_hash`` stores."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters "
            "(a few unrelated words make a strong, memorable password).",
            details={"field": "password"},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password is too long: use at most {MAX_PASSWORD_LENGTH} characters.",
            details={"field": "password"},
        )


def _check_name(display_name: str) -> str:
    name = display_name.strip()
    if not name or len(name) > 200:
        raise InvalidInput(
            "Give a display name between 1 and 200 characters.", details={"field": "display_name"}
        )
    return name


class AuthService:
    """Creates users, checks passwords, issues and checks API tokens, enforces roles.

    Args:
        engine: The database engine.
        settings: The settings; in the ``test`` environment passwords are hashed with cheap
            Argon2 parameters so the test suite stays fast (hashes carry their parameters,
            and stronger ones replace them on the next login elsewhere).
    """

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
        self._repo = AuthRepository(engine)
        if settings.environment is Environment.TEST:
            self._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        else:
            self._hasher = PasswordHasher()
        self._dummy_hash: str | None = None

    @property
    def settings(self) -> Settings:
        """The settings this service was built with."""
        return self._settings

    # --- users ------------------------------------------------------------------------------

    def create_user(
        self,
        email: str,
        display_name: str,
        password: str,
        roles: Iterable[str | Role] = (Role.LEARNER,),
        *,
        synthetic: bool = False,
    ) -> User:
        """Create a user with a hashed password.

        Args:
            email: Email address (normalised to lower case; must be unique).
            display_name: Name shown in the UI.
            password: At least :data:`MIN_PASSWORD_LENGTH` characters.
            roles: Role names or roles; at least one.
            synthetic: Mark the user as demo data.

        Returns:
            The new user.

        Raises:
            InvalidInput: Bad email, name, password or role.
            Conflict: The email is taken.
        """
        normalised = normalise_email(email)
        name = _check_name(display_name)
        parsed = parse_roles(roles)
        if not parsed:
            raise InvalidInput(
                "Give the user at least one role: " + ", ".join(r.value for r in Role) + ".",
                details={"field": "roles"},
            )
        _check_password(password)
        return self._repo.add_user(
            public_id=_public_id(),
            email=normalised,
            display_name=name,
            password_hash=self._hasher.hash(password),
            roles=parsed,
            synthetic=synthetic,
            created_at=_now(),
        )

    def get_user(self, public_id: str) -> User:
        """The user with this public id (e.g. from a web session).

        Callers holding a session should also check ``user.is_active``.

        Raises:
            NotFound: No such user.
        """
        return self._repo.get_user(public_id)

    def get_user_by_email(self, email: str) -> User:
        """The user with this email address.

        Raises:
            InvalidInput: Not an email address.
            NotFound: No such user.
        """
        normalised = normalise_email(email)
        stored = self._repo.find_credentials(normalised)
        if stored is None:
            raise NotFound(
                f"No user with the email {normalised!r}. "
                "Create one with `skillpass admin create-user`.",
                details={"email": normalised},
            )
        return stored.user

    def list_users(self, *, synthetic: bool | None = None) -> list[User]:
        """Every user, oldest first.

        Args:
            synthetic: Only demo users (True), only real ones (False), or all (None).
        """
        return self._repo.list_users(synthetic=synthetic)

    def _public_id_of(self, user: str) -> str:
        """Accept a public id or an email address (public ids never contain ``@``)."""
        return self.get_user_by_email(user).public_id if "@" in user else user

    def set_roles(self, user: str, roles: Iterable[str | Role]) -> User:
        """Replace a user's roles.

        Args:
            user: The user's public id or email.
            roles: The new roles; at least one.

        Returns:
            The updated user.

        Raises:
            InvalidInput: Unknown role, or no role at all.
            NotFound: No such user.
        """
        parsed = parse_roles(roles)
        if not parsed:
            raise InvalidInput("A user needs at least one role.", details={"field": "roles"})
        return self._repo.update_user(self._public_id_of(user), roles=parsed)

    def set_active(self, user: str, active: bool) -> User:
        """Activate or deactivate a user; a deactivated user can neither log in nor use tokens.

        Args:
            user: The user's public id or email.
            active: The new state.

        Returns:
            The updated user.

        Raises:
            NotFound: No such user.
        """
        return self._repo.update_user(self._public_id_of(user), is_active=active)

    def set_password(self, user: str, password: str) -> User:
        """Replace a user's password.

        Args:
            user: The user's public id or email.
            password: The new password.

        Returns:
            The updated user.

        Raises:
            InvalidInput: The password is too short or too long.
            NotFound: No such user.
        """
        _check_password(password)
        return self._repo.update_user(
            self._public_id_of(user), password_hash=self._hasher.hash(password)
        )

    def authenticate(self, email: str, password: str) -> User:
        """Check an email and password (the web login).

        Unknown emails cost the same hashing work as known ones, and every failure has the same
        message, so the answer does not reveal who has an account.

        Returns:
            The active user.

        Raises:
            AuthenticationRequired: Unknown email, wrong password or deactivated user.
        """
        dummy = self._dummy()  # made before any lookup, so the first call is not an oracle
        try:
            normalised = normalise_email(email)
        except InvalidInput:
            normalised = ""
        stored = self._repo.find_credentials(normalised) if normalised else None
        if stored is None:
            self._verify(dummy, password)
            raise AuthenticationRequired(_BAD_LOGIN)
        if not self._verify(stored.password_hash, password) or not stored.user.is_active:
            raise AuthenticationRequired(_BAD_LOGIN)
        if self._hasher.check_needs_rehash(stored.password_hash):
            self._repo.update_user(stored.user.public_id, password_hash=self._hasher.hash(password))
        return stored.user

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password[:MAX_PASSWORD_LENGTH])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    # --- tokens -----------------------------------------------------------------------------

    def create_token(self, user: str, name: str) -> IssuedToken:
        """Issue an API token for a user. The secret is in the result and nowhere else.

        Args:
            user: Whose token it is: their public id or email.
            name: What it is for (e.g. "laptop", "ci"), 1–100 characters.

        Returns:
            The token, with its secret.

        Raises:
            InvalidInput: Bad name or email.
            NotFound: No such user.
        """
        label = name.strip()
        if not label or len(label) > 100:
            raise InvalidInput(
                "Give the token a name between 1 and 100 characters (what it is for).",
                details={"field": "name"},
            )
        user_public_id = self._public_id_of(user)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        stored = self._repo.add_token(
            public_id=_public_id(),
            user_public_id=user_public_id,
            name=label,
            token_hash=hash_token(secret),
            created_at=_now(),
        )
        return IssuedToken(
            public_id=stored.public_id, name=label, token=secret, user_public_id=user_public_id
        )

    def list_tokens(self, user_public_id: str) -> list[ApiToken]:
        """A user's tokens (without secrets), oldest first, revoked ones included."""
        return self._repo.list_tokens(user_public_id)

    def user_for_token(self, token: str) -> User:
        """The user an API token belongs to; records the use.

        Raises:
            AuthenticationRequired: Unknown or revoked token, or deactivated user.
        """
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            raise AuthenticationRequired(_BAD_TOKEN)
        found = self._repo.find_token(hash_token(token))
        if found is None or found.token.revoked or not found.user.is_active:
            raise AuthenticationRequired(_BAD_TOKEN)
        self._repo.touch_token(found.token.public_id, _now())
        return found.user

    def revoke_token(self, token_public_id: str, actor: User) -> ApiToken:
        """Revoke a token: your own, or anyone's if you are an admin.

        Args:
            token_public_id: The token's public id.
            actor: Who asks.

        Returns:
            The revoked token.

        Raises:
            NotFound: No such token (also when it is someone else's and you are not admin,
                so token ids of other users are not revealed).
        """
        token = self._repo.get_token(token_public_id)
        if token.user_public_id != actor.public_id and Role.ADMIN not in actor.roles:
            raise NotFound(
                f"No API token with id {token_public_id!r} among yours.",
                details={"token": token_public_id},
            )
        return self._repo.revoke_token(token_public_id)
