"""Share links and verifiable presentations: what leaves the passport is the learner's choice.

A share names passport items, has an expiry and can be revoked. Its link carries an unguessable
token (only its hash is stored). Opening it shows the items re-verified now; a verifier can also
ask for a holder-signed verifiable presentation with their own ``challenge`` and ``domain``.
Every opening is logged (kind, coarse client, domain, time — no IP address) and shown to the
learner. Revoked or expired links stop working at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.passport.models import Share, SharedView

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.trust import TrustService
    from skillpass.passport.holder import HolderKeyService
    from skillpass.passport.service import PassportService

__all__ = ["ShareService"]

#: Longest a share may live.
MAX_SHARE_DAYS = 365


class ShareService:
    """Create, list, revoke and open shares; sign presentations for them."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        passport: PassportService,
        holders: HolderKeyService,
        trust: TrustService,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._passport = passport
        self._holders = holders
        self._trust = trust

    def create(
        self,
        owner: User,
        item_ids: list[str],
        label: str,
        expires_at: datetime | None = None,
        expires_in_days: int | None = 30,
    ) -> Share:
        """Share chosen items. The returned share carries ``url`` and ``token`` (shown once).

        Raises:
            InvalidInput: No items, expiry in the past or beyond :data:`MAX_SHARE_DAYS`.
            NotFound: An item is not in the owner's passport.
        """
        raise NotImplementedError

    def list_shares(self, owner: User) -> list[Share]:
        """The owner's shares with their access logs, newest first."""
        raise NotImplementedError

    def revoke(self, owner: User, share_id: str) -> Share:
        """Stop a share now.

        Raises:
            NotFound: Not the owner's share.
        """
        raise NotImplementedError

    def open(self, token: str, client: str | None = None) -> SharedView:
        """What the verifier sees; logs the access.

        Raises:
            NotFound: Unknown token, or the share was revoked or has expired (the message says
                which, and that the learner can make a new link).
        """
        raise NotImplementedError

    def presentation(
        self, token: str, challenge: str, domain: str, client: str | None = None
    ) -> dict[str, Any]:
        """A verifiable presentation of the shared credentials, signed with the holder's key
        (Data Integrity ``eddsa-rdfc-2022``, proof purpose ``authentication``) with the
        verifier's ``challenge`` and ``domain``; logs the access.

        Raises:
            NotFound: As for :meth:`open`.
            InvalidInput: Empty or over-long challenge/domain.
        """
        raise NotImplementedError
