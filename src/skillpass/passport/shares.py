"""Share links and verifiable presentations: what leaves the passport is the learner's choice.

A share names passport items, has an expiry and can be revoked. Its link carries an unguessable
token (only its hash is stored). Opening it shows the items re-verified now; a verifier can also
ask for a holder-signed verifiable presentation with their own ``challenge`` and ``domain``.
Every opening is logged (kind, coarse client, domain, time — no IP address) and shown to the
learner. Revoked or expired links stop working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from skillpass.credentials.presentations import (
    MAX_CHALLENGE_LENGTH,
    build_presentation,
    sign_presentation,
)
from skillpass.errors import InvalidInput, NotFound
from skillpass.ids import new_public_id
from skillpass.passport.models import ItemKind, PassportItem, Share, SharedView
from skillpass.passport.share_repository import NewShare, ShareRecord, ShareRepository

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from skillpass.auth.models import User
    from skillpass.config import Settings
    from skillpass.credentials.trust import TrustService
    from skillpass.passport.holder import HolderKeyService
    from skillpass.passport.service import PassportService

__all__ = ["MAX_SHARE_DAYS", "PRESENTED_KINDS", "ShareService", "hash_token", "presented_documents"]

#: Longest a share may live.
MAX_SHARE_DAYS = 365
#: Most items one share may hold.
MAX_SHARE_ITEMS = 200
#: Item kinds whose credentials go into a presentation (self-declared items cannot be verified).
PRESENTED_KINDS = frozenset({ItemKind.CREDENTIAL, ItemKind.ATTESTATION})
_MAX_TOKEN_LENGTH = 256


def hash_token(token: str) -> str:
    """The SHA-256 (hex) of a share token: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
        self._repo = ShareRepository(engine)

    # --- the learner's side ---------------------------------------------------------------

    def create(
        self,
        owner: User,
        item_ids: list[str],
        label: str,
        expires_at: datetime | None = None,
        expires_in_days: int | None = 30,
    ) -> Share:
        """Share chosen items. The returned share carries ``url`` and ``token`` (shown once).

        Args:
            owner: The learner sharing.
            item_ids: Passport item ids, in the order to show.
            label: What the share is for (shown to the learner and the verifier).
            expires_at: When the link stops working (wins over ``expires_in_days``).
            expires_in_days: Days from now (default 30) when ``expires_at`` is not given.

        Raises:
            InvalidInput: No items, expiry in the past or beyond :data:`MAX_SHARE_DAYS`.
            NotFound: An item is not in the owner's passport.
        """
        now = datetime.now(UTC)
        title = label.strip()
        if not title or len(title) > 200:
            raise InvalidInput("Give the share a label of 1 to 200 characters (who it is for).")
        wanted = list(dict.fromkeys(item_ids))
        if not wanted:
            raise InvalidInput("Choose at least one passport item to share.")
        if len(wanted) > MAX_SHARE_ITEMS:
            raise InvalidInput(f"A share holds at most {MAX_SHARE_ITEMS} items; choose fewer.")
        expiry = self._expiry(now, expires_at, expires_in_days)
        found = {i.id for i in self._passport.shared_items(owner.public_id, wanted, recheck=False)}
        missing = [item_id for item_id in wanted if item_id not in found]
        if missing:
            raise NotFound(
                f"No item {missing[0]!r} in your passport; choose items from your passport.",
                details={"item": missing[0]},
            )
        self._holders.ensure(owner)  # the key presentations of this share will be signed with
        token = secrets.token_urlsafe(32)
        share = self._repo.add(
            NewShare(
                public_id=new_public_id(),
                token_hash=hash_token(token),
                owner_id=owner.public_id,
                label=title,
                item_ids=wanted,
                expires_at=expiry,
                created_at=now,
            )
        )
        url = f"{self._settings.public_base_url.rstrip('/')}/s/{token}"
        return share.model_copy(update={"url": url, "token": token})

    @staticmethod
    def _expiry(now: datetime, expires_at: datetime | None, days: int | None) -> datetime:
        latest = now + timedelta(days=MAX_SHARE_DAYS)
        if expires_at is not None:
            moment = _aware(expires_at)
            if moment <= now:
                raise InvalidInput(
                    f"The expiry {_when(moment)} is in the past; choose a date after today."
                )
            if moment > latest + timedelta(minutes=5):
                raise InvalidInput(
                    f"A share lives at most {MAX_SHARE_DAYS} days; choose an expiry before "
                    f"{_when(latest)}."
                )
            return min(moment, latest)
        days = 30 if days is None else days
        if not 1 <= days <= MAX_SHARE_DAYS:
            raise InvalidInput(f"A share lives 1 to {MAX_SHARE_DAYS} days, not {days}.")
        return now + timedelta(days=days)

    def list_shares(self, owner: User) -> list[Share]:
        """The owner's shares with their access logs, newest first (each log newest first)."""
        return self._repo.for_owner(owner.public_id)

    def get(self, owner: User, share_id: str) -> Share:
        """One of the owner's shares with its access log.

        Raises:
            NotFound: Not the owner's share.
        """
        return self._repo.get_for_owner(owner.public_id, share_id)

    def revoke(self, owner: User, share_id: str) -> Share:
        """Stop a share now (revoking twice keeps the first time).

        Raises:
            NotFound: Not the owner's share.
        """
        return self._repo.revoke(owner.public_id, share_id, datetime.now(UTC))

    # --- the verifier's side --------------------------------------------------------------

    def _active(self, token: str) -> ShareRecord:
        record = (
            self._repo.by_token_hash(hash_token(token))
            if token and len(token) <= _MAX_TOKEN_LENGTH
            else None
        )
        if record is None:
            raise NotFound(
                "This share link is not known: check that the whole link was copied, or ask the "
                "learner for a new one."
            )
        share = record.share
        if share.revoked_at is not None:
            raise NotFound(
                f"This share link was revoked by the learner on {_when(share.revoked_at)}; "
                "ask them for a new link if you still need it."
            )
        if not share.active(datetime.now(UTC)):
            raise NotFound(
                f"This share link expired on {_when(share.expires_at)}; ask the learner for a "
                "new link."
            )
        return record

    def open(self, token: str, client: str | None = None) -> SharedView:
        """What the verifier sees; logs the access.

        Raises:
            NotFound: Unknown token, or the share was revoked or has expired (the message says
                which, and that the learner can make a new link).
        """
        record = self._active(token)
        share = record.share
        self._repo.log_access(share.id, "page", client, None, datetime.now(UTC))
        items = self._passport.shared_items(record.owner_id, share.item_ids, recheck=True)
        return SharedView(
            share_id=share.id,
            label=share.label,
            holder_name=record.owner_name,
            holder_did=self._holders.did_of(record.owner_id),
            expires_at=share.expires_at,
            items=items,
        )

    def presentation(
        self, token: str, challenge: str, domain: str, client: str | None = None
    ) -> dict[str, Any]:
        """A verifiable presentation of the shared credentials, signed with the holder's key
        (Data Integrity ``eddsa-rdfc-2022``, proof purpose ``authentication``) with the
        verifier's ``challenge`` and ``domain``; logs the access.

        Only credentials and attestations go in, exactly as issued; self-declared items are
        left out (nothing in them can be verified) but still appear on the share page.

        Raises:
            NotFound: As for :meth:`open`.
            InvalidInput: Empty or over-long challenge/domain.
        """
        for value, what in ((challenge, "challenge"), (domain, "domain")):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(
                    f"Give a {what}: the presentation is bound to the verifier's challenge "
                    "(a fresh random value) and domain (who you are)."
                )
            if len(value) > MAX_CHALLENGE_LENGTH:
                raise InvalidInput(f"The {what} is longer than {MAX_CHALLENGE_LENGTH} characters.")
        record = self._active(token)
        share = record.share
        items = self._passport.shared_items(record.owner_id, share.item_ids, recheck=True)
        signer = self._holders.signer(record.owner_id)
        holder = signer.verification_method.partition("#")[0]
        store = self._trust.context().store
        vp = build_presentation(presented_documents(items), holder, store=store)
        signed = sign_presentation(vp, signer, challenge=challenge, domain=domain, store=store)
        self._repo.log_access(share.id, "presentation", client, domain, datetime.now(UTC))
        return signed


def presented_documents(items: list[PassportItem]) -> list[str | dict[str, Any]]:
    """The credentials of the items that go into a presentation, exactly as issued."""
    return [
        item.document
        for item in items
        if item.kind in PRESENTED_KINDS and item.document is not None
    ]
