"""SQL storage of the operator's trust registries: pinned/imported keys and trusted issuers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.credentials.records import TrustedIssuer, TrustedKey
from skillpass.errors import NotFound
from skillpass.storage.tables import trusted_issuers, trusted_keys

__all__ = ["TrustRepository"]


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _key(row: Any) -> TrustedKey:
    return TrustedKey(
        verification_method=row.verification_method,
        controller=row.controller,
        public_key_multibase=row.public_key_multibase,
        public_key_jwk=json.loads(row.public_key_jwk) if row.public_key_jwk else None,
        source=row.source,
        created_at=_aware(row.created_at),
    )


def _issuer(row: Any) -> TrustedIssuer:
    return TrustedIssuer(
        did=row.did, name=row.name, country=row.country, created_at=_aware(row.created_at)
    )


class TrustRepository:
    """Reads and writes ``trusted_keys`` and ``trusted_issuers``.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- keys ---------------------------------------------------------------------------------

    def put_key(self, key: TrustedKey) -> TrustedKey:
        """Add a key, or replace the one stored under the same verification method."""
        values = {
            "controller": key.controller,
            "public_key_multibase": key.public_key_multibase,
            "public_key_jwk": json.dumps(key.public_key_jwk, sort_keys=True)
            if key.public_key_jwk
            else None,
            "source": key.source[:200],
            "created_at": key.created_at,
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(trusted_keys).values(
                        verification_method=key.verification_method, **values
                    )
                )
        except IntegrityError:
            with self._engine.begin() as conn:
                conn.execute(
                    update(trusted_keys)
                    .where(trusted_keys.c.verification_method == key.verification_method)
                    .values(**values)
                )
        return key

    def get_key(self, verification_method: str) -> TrustedKey | None:
        """The key pinned under this verification method, if any."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(trusted_keys).where(
                    trusted_keys.c.verification_method == verification_method
                )
            ).one_or_none()
        return _key(row) if row is not None else None

    def keys(self) -> list[TrustedKey]:
        """Every key in the registry, by verification method."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(trusted_keys).order_by(trusted_keys.c.verification_method)
            ).all()
        return [_key(row) for row in rows]

    def remove_key(self, verification_method: str) -> None:
        """Remove a key.

        Raises:
            NotFound: It is not in the registry.
        """
        with self._engine.begin() as conn:
            count = conn.execute(
                delete(trusted_keys).where(
                    trusted_keys.c.verification_method == verification_method
                )
            ).rowcount
        if not count:
            raise NotFound(
                f"{verification_method!r} is not in the key registry; see `skillpass trust keys`.",
                details={"verification_method": verification_method},
            )

    # --- issuers ------------------------------------------------------------------------------

    def put_issuer(self, did: str, name: str, country: str, created_at: datetime) -> TrustedIssuer:
        """Add an accredited issuer, or update its name and country."""
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(trusted_issuers).values(
                        did=did, name=name, country=country, created_at=created_at
                    )
                )
        except IntegrityError:
            with self._engine.begin() as conn:
                conn.execute(
                    update(trusted_issuers)
                    .where(trusted_issuers.c.did == did)
                    .values(name=name, country=country)
                )
        found = self.get_issuer(did)
        assert found is not None
        return found

    def get_issuer(self, did: str) -> TrustedIssuer | None:
        """The registry entry for this DID, if any."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(trusted_issuers).where(trusted_issuers.c.did == did)
            ).one_or_none()
        return _issuer(row) if row is not None else None

    def issuers(self, country: str | None = None) -> list[TrustedIssuer]:
        """Accredited issuers (of one country when given), by country and name."""
        query = select(trusted_issuers)
        if country is not None:
            query = query.where(trusted_issuers.c.country == country)
        query = query.order_by(trusted_issuers.c.country, trusted_issuers.c.name)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_issuer(row) for row in rows]

    def remove_issuer(self, did: str) -> None:
        """Remove an issuer from the registry.

        Raises:
            NotFound: It is not in the registry.
        """
        with self._engine.begin() as conn:
            count = conn.execute(
                delete(trusted_issuers).where(trusted_issuers.c.did == did)
            ).rowcount
        if not count:
            raise NotFound(
                f"{did!r} is not in the trusted-issuer registry; see `skillpass trust list`.",
                details={"did": did},
            )
