"""Learners' holder keys (``did:key``, Ed25519), encrypted at rest with the key-encryption key.

The platform keeps the key for the learner (a custodial wallet) and signs presentations only for
shares the learner created. A learner without a DID still works: their credentials identify them
by a salted e-mail hash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

    def did(self, user: User) -> str | None:
        """The learner's active holder DID, or None when none was made yet."""
        raise NotImplementedError

    def ensure(self, user: User) -> str:
        """The learner's active holder DID, made on first use."""
        raise NotImplementedError

    def signer(self, user_id: str) -> Signer:
        """A signer with the learner's active holder key (made on first use).

        Args:
            user_id: The learner's user public id.
        """
        raise NotImplementedError

    def rotate(self, user: User) -> str:
        """Retire the active key and make a new one; returns the new DID."""
        raise NotImplementedError
