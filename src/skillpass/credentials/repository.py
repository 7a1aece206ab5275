"""SQL storage of issuers, their signing keys and micro-credential definitions.

SQLAlchemy Core over :mod:`skillpass.storage.tables`; works on SQLite and PostgreSQL. Driver
errors never escape: a duplicate becomes :class:`~skillpass.errors.Conflict`, a missing row
:class:`~skillpass.errors.NotFound`. Encrypted private keys are read only through
:meth:`IssuerRepository.active_key` and never copied into a record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.credentials.keys import did_key_verification_method, public_key_from_multibase
from skillpass.credentials.records import AchievementRecord, Issuer, KeyStatus, SigningKeyInfo
from skillpass.errors import Conflict, NotFound
from skillpass.storage.tables import achievements, organisations, signing_keys

__all__ = ["AchievementRepository", "IssuerRepository", "NewIssuer", "StoredKey"]


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _maybe_aware(value: datetime | None) -> datetime | None:
    return None if value is None else _aware(value)


@dataclass(frozen=True)
class NewIssuer:
    """The values of a new issuer row."""

    public_id: str
    legal_name: str
    country: str
    region: str | None
    kind: str
    registration_ids: dict[str, str]
    contact_email: str | None
    url: str | None
    logo_url: str | None
    did_web: str
    created_at: datetime


@dataclass(frozen=True)
class StoredKey:
    """A signing key with its encrypted private part (stays inside the credentials services)."""

    info: SigningKeyInfo
    issuer_id: str
    encrypted_private_key: bytes

    def __repr__(self) -> str:
        return f"StoredKey({self.info.id!r}, {self.info.algorithm}, <encrypted>)"


_ORG_COLUMNS = (
    organisations.c.id,
    organisations.c.public_id,
    organisations.c.legal_name,
    organisations.c.country,
    organisations.c.region,
    organisations.c.kind,
    organisations.c.registration_ids,
    organisations.c.contact_email,
    organisations.c.url,
    organisations.c.logo_url,
    organisations.c.did_web,
    organisations.c.synthetic,
    organisations.c.created_at,
)

_KEY_COLUMNS = (
    signing_keys.c.organisation_id,
    signing_keys.c.fragment,
    signing_keys.c.algorithm,
    signing_keys.c.public_key_multibase,
    signing_keys.c.status,
    signing_keys.c.created_at,
    signing_keys.c.retired_at,
)


def _key_info(row: Any, did_web: str) -> SigningKeyInfo:
    did_key = "did:key:" + row.public_key_multibase
    return SigningKeyInfo(
        id=f"{did_web}#{row.fragment}",
        fragment=row.fragment,
        algorithm=row.algorithm,
        public_key_multibase=row.public_key_multibase,
        did_key=did_key,
        did_key_verification_method=did_key_verification_method(
            public_key_from_multibase(row.public_key_multibase)
        ),
        status=KeyStatus(row.status),
        created_at=_aware(row.created_at),
        retired_at=_maybe_aware(row.retired_at),
    )


class IssuerRepository:
    """Reads and writes issuers (the ``organisations`` table) and ``signing_keys``.

    Args:
        engine: The database engine.
        did_web_for: Computes the did:web of an organisation stored without one (e.g. the demo
            seed's organisations) from its public id.
    """

    def __init__(self, engine: Engine, did_web_for: Callable[[str], str]) -> None:
        self._engine = engine
        self._did_web_for = did_web_for

    # --- issuers ------------------------------------------------------------------------------

    def add(self, new: NewIssuer) -> None:
        """Insert an issuer.

        Raises:
            Conflict: An organisation with this legal name already exists in this country.
        """
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(organisations).values(
                        public_id=new.public_id,
                        legal_name=new.legal_name,
                        country=new.country,
                        region=new.region,
                        kind=new.kind,
                        registration_ids=json.dumps(new.registration_ids, sort_keys=True),
                        contact_email=new.contact_email,
                        url=new.url,
                        logo_url=new.logo_url,
                        did_web=new.did_web,
                        synthetic=False,
                        created_at=new.created_at,
                    )
                )
        except IntegrityError as error:
            raise Conflict(
                f"An organisation named {new.legal_name!r} already exists in {new.country}; "
                "list them with `skillpass issuer list`.",
                details={"legal_name": new.legal_name, "country": new.country},
            ) from error

    def get(self, public_id: str) -> Issuer:
        """The issuer with this public id.

        Raises:
            NotFound: No such issuer.
        """
        with self._engine.connect() as conn:
            row = conn.execute(
                select(*_ORG_COLUMNS).where(organisations.c.public_id == public_id)
            ).one_or_none()
            if row is None:
                raise NotFound(
                    f"No issuer with id {public_id!r}; list them with `skillpass issuer list`.",
                    details={"issuer": public_id},
                )
            return self._issuers(conn, [row])[0]

    def all(self) -> list[Issuer]:
        """Every issuer, by legal name."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(*_ORG_COLUMNS).order_by(organisations.c.legal_name)).all()
            return self._issuers(conn, rows)

    def find_by_did(self, did: str) -> Issuer | None:
        """The issuer whose did:web, or one of whose keys' did:key, is ``did``."""
        bare = did.partition("#")[0]
        with self._engine.connect() as conn:
            if bare.startswith("did:key:"):
                org_id = conn.execute(
                    select(signing_keys.c.organisation_id).where(
                        signing_keys.c.public_key_multibase == bare[len("did:key:") :]
                    )
                ).scalar_one_or_none()
                query = select(*_ORG_COLUMNS).where(organisations.c.id == org_id)
            else:
                query = select(*_ORG_COLUMNS).where(organisations.c.did_web == bare)
            row = conn.execute(query).one_or_none()
            if row is None and bare.startswith("did:web:"):
                # organisations stored without a did:web (demo seed) answer to the computed one
                public_id = bare.rsplit(":", 1)[-1]
                row = conn.execute(
                    select(*_ORG_COLUMNS).where(
                        organisations.c.public_id == public_id, organisations.c.did_web.is_(None)
                    )
                ).one_or_none()
                if row is not None and self._did_web_for(public_id) != bare:
                    row = None
            return self._issuers(conn, [row])[0] if row is not None else None

    def _issuers(self, conn: Connection, rows: Iterable[Any]) -> list[Issuer]:
        rows = list(rows)
        ids = [row.id for row in rows]
        keys_by_org: dict[int, list[Any]] = {org_id: [] for org_id in ids}
        if ids:
            key_rows = conn.execute(
                select(*_KEY_COLUMNS)
                .where(signing_keys.c.organisation_id.in_(ids))
                .order_by(signing_keys.c.created_at.desc(), signing_keys.c.id.desc())
            )
            for key_row in key_rows:
                keys_by_org[key_row.organisation_id].append(key_row)
        result = []
        for row in rows:
            did_web = row.did_web or self._did_web_for(row.public_id)
            keys = sorted(
                (_key_info(k, did_web) for k in keys_by_org[row.id]),
                key=lambda k: k.status != KeyStatus.ACTIVE,
            )
            active = next((k for k in keys if k.status == KeyStatus.ACTIVE), None)
            result.append(
                Issuer(
                    id=row.public_id,
                    legal_name=row.legal_name,
                    country=row.country,
                    region=row.region,
                    kind=row.kind,
                    registration_ids=json.loads(row.registration_ids or "{}"),
                    contact_email=row.contact_email,
                    url=row.url,
                    logo_url=row.logo_url,
                    did=did_web,
                    did_key=active.did_key if active else None,
                    keys=tuple(keys),
                    synthetic=bool(row.synthetic),
                    created_at=_aware(row.created_at),
                )
            )
        return result

    def _org_id(self, conn: Connection, public_id: str) -> int:
        org_id = conn.execute(
            select(organisations.c.id).where(organisations.c.public_id == public_id)
        ).scalar_one_or_none()
        if org_id is None:
            raise NotFound(
                f"No issuer with id {public_id!r}; list them with `skillpass issuer list`.",
                details={"issuer": public_id},
            )
        return int(org_id)

    # --- keys ---------------------------------------------------------------------------------

    def add_key(
        self,
        issuer_id: str,
        *,
        algorithm: str,
        public_key_multibase: str,
        encrypted_private_key: bytes,
        created_at: datetime,
    ) -> None:
        """Store a new active key for an issuer, retiring its previous active key (one
        transaction: an issuer never has two active keys, and never none after a rotation).

        Raises:
            NotFound: No such issuer.
            Conflict: Another key was added at the same moment; retry.
        """
        try:
            with self._engine.begin() as conn:
                org_id = self._org_id(conn, issuer_id)
                count = len(
                    conn.execute(
                        select(signing_keys.c.id).where(signing_keys.c.organisation_id == org_id)
                    ).all()
                )
                conn.execute(
                    update(signing_keys)
                    .where(
                        signing_keys.c.organisation_id == org_id,
                        signing_keys.c.status == KeyStatus.ACTIVE.value,
                    )
                    .values(status=KeyStatus.RETIRED.value, retired_at=created_at)
                )
                conn.execute(
                    insert(signing_keys).values(
                        organisation_id=org_id,
                        fragment=f"key-{count + 1}",
                        algorithm=algorithm,
                        public_key_multibase=public_key_multibase,
                        private_key_encrypted=encrypted_private_key,
                        status=KeyStatus.ACTIVE.value,
                        created_at=created_at,
                    )
                )
        except IntegrityError as error:
            raise Conflict(
                f"Another key was added to issuer {issuer_id!r} at the same time; try again.",
                details={"issuer": issuer_id},
            ) from error

    def active_key(self, issuer_id: str) -> StoredKey | None:
        """The issuer's active key with its encrypted private part, or None if it has none.

        Raises:
            NotFound: No such issuer.
        """
        issuer = self.get(issuer_id)
        active = issuer.active_key
        if active is None:
            return None
        with self._engine.connect() as conn:
            blob = conn.execute(
                select(signing_keys.c.private_key_encrypted).where(
                    signing_keys.c.public_key_multibase == active.public_key_multibase
                )
            ).scalar_one()
        return StoredKey(info=active, issuer_id=issuer_id, encrypted_private_key=bytes(blob))

    def find_key(self, public_key_multibase: str) -> tuple[Issuer, SigningKeyInfo] | None:
        """The issuer and key info for a public key, active or retired."""
        with self._engine.connect() as conn:
            org_id = conn.execute(
                select(signing_keys.c.organisation_id).where(
                    signing_keys.c.public_key_multibase == public_key_multibase
                )
            ).scalar_one_or_none()
            if org_id is None:
                return None
            row = conn.execute(select(*_ORG_COLUMNS).where(organisations.c.id == org_id)).one()
            issuer = self._issuers(conn, [row])[0]
        key = next(k for k in issuer.keys if k.public_key_multibase == public_key_multibase)
        return issuer, key


_ACH_COLUMNS = (
    achievements.c.public_id,
    organisations.c.public_id.label("issuer_public_id"),
    achievements.c.title,
    achievements.c.version,
    achievements.c.definition,
    achievements.c.created_at,
)


class AchievementRepository:
    """Reads and writes micro-credential definitions (``achievements``).

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _record(self, row: Any) -> AchievementRecord:
        definition = json.loads(row.definition)
        return AchievementRecord(
            id=row.public_id,
            issuer_id=row.issuer_public_id,
            title=row.title,
            version=row.version,
            definition=definition,
            capability_areas=tuple(definition.get("capability_areas") or ()),
            created_at=_aware(row.created_at),
        )

    def add(
        self,
        *,
        public_id: str,
        issuer_id: str,
        title: str,
        definition: dict[str, Any],
        created_at: datetime,
    ) -> AchievementRecord:
        """Store a definition (version 1).

        Raises:
            NotFound: No such issuer.
        """
        with self._engine.begin() as conn:
            org_id = conn.execute(
                select(organisations.c.id).where(organisations.c.public_id == issuer_id)
            ).scalar_one_or_none()
            if org_id is None:
                raise NotFound(
                    f"No issuer with id {issuer_id!r}; list them with `skillpass issuer list`.",
                    details={"issuer": issuer_id},
                )
            conn.execute(
                insert(achievements).values(
                    public_id=public_id,
                    organisation_id=org_id,
                    title=title[:500],
                    definition=json.dumps(definition, ensure_ascii=False, sort_keys=True),
                    version=1,
                    created_at=created_at,
                )
            )
        return self.get(public_id)

    def get(self, public_id: str) -> AchievementRecord:
        """The definition with this public id.

        Raises:
            NotFound: No such definition.
        """
        query = (
            select(*_ACH_COLUMNS)
            .join(organisations, organisations.c.id == achievements.c.organisation_id)
            .where(achievements.c.public_id == public_id)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise NotFound(
                f"No micro-credential definition with id {public_id!r}; list them with "
                "`skillpass achievement list`.",
                details={"achievement": public_id},
            )
        return self._record(row)

    def all(self, issuer_id: str | None = None) -> list[AchievementRecord]:
        """Every definition (of one issuer when given), newest first."""
        query = select(*_ACH_COLUMNS).join(
            organisations, organisations.c.id == achievements.c.organisation_id
        )
        if issuer_id is not None:
            query = query.where(organisations.c.public_id == issuer_id)
        query = query.order_by(achievements.c.created_at.desc(), achievements.c.id.desc())
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [self._record(row) for row in rows]
