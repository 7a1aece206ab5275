"""Learners' holder keys (``did:key``, Ed25519), encrypted at rest with the key-encryption key.

The platform keeps the key for the learner (a custodial wallet) and signs presentations only for
shares the learner created. A learner without a DID still works: their credentials identify them
by a salted e-mail hash.

Rotation retires the active key and makes a new one. Presentations signed with a retired key still
verify (a ``did:key`` carries its public key), so rotating never breaks what was already shared;
new presentations are signed with the new DID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skillpass.credentials.keys import (
    decrypt_private_key,
    did_key_from_public_key,
    encrypt_private_key,
    generate_private_key,
)
from skillpass.credentials.signer import LocalSigner
from skillpass.passport.holder_repository import HolderKeyRepository

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.signer import Signer

__all__ = ["HolderKeyService"]


class HolderKeyService:
    """Create, read and rotate learners' holder keys."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
        self._repo = HolderKeyRepository(engine)

    def _kek(self) -> str:
        return self._settings.key_encryption_key.get_secret_value()

    def _make(self) -> tuple[str, bytes]:
        key = generate_private_key("Ed25519")
        return did_key_from_public_key(key), encrypt_private_key(key, self._kek())

    def did(self, user: User) -> str | None:
        """The learner's active holder DID, or None when none was made yet."""
        stored = self._repo.active(user.public_id)
        return stored.did if stored is not None else None

    def did_of(self, user_id: str) -> str | None:
        """The active holder DID of a learner given by public id, or None (for share pages).

        Raises:
            NotFound: No such user.
        """
        stored = self._repo.active(user_id)
        return stored.did if stored is not None else None

    def ensure(self, user: User) -> str:
        """The learner's active holder DID, made on first use."""
        return self._repo.ensure(user.public_id, self._make).did

    def signer(self, user_id: str) -> Signer:
        """A signer with the learner's active holder key (made on first use).

        Args:
            user_id: The learner's user public id.

        Returns:
            A signer whose verification method is ``did:key:z…#z…`` of the key.

        Raises:
            NotFound: No such user.
            ConfigurationError: The key-encryption key cannot decrypt the stored key.
        """
        stored = self._repo.ensure(user_id, self._make)
        return LocalSigner(decrypt_private_key(stored.private_key_encrypted, self._kek()))

    def rotate(self, user: User) -> str:
        """Retire the active key and make a new one; returns the new DID."""
        return self._repo.rotate(user.public_id, self._make).did

    def history(self, user: User) -> list[tuple[str, str]]:
        """Every holder DID the learner has had, newest first, with ``active``/``retired``."""
        return self._repo.dids(user.public_id)
