"""SQL storage of organisations for the demo seed (SQLAlchemy Core over ``storage.tables``).

The community capability will own organisations in full; the demo only needs "add if missing".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from skillpass.errors import Conflict
from skillpass.storage.tables import organisations

__all__ = ["OrganisationRepository", "StoredOrganisation"]


@dataclass(frozen=True)
class StoredOrganisation:
    """An organisation row as the demo sees it (the database key stays here)."""

    public_id: str
    legal_name: str
    country: str
    region: str | None
    kind: str
    synthetic: bool


class OrganisationRepository:
    """Reads and writes the ``organisations`` table.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find(self, legal_name: str, country: str) -> StoredOrganisation | None:
        """The organisation with this legal name in this country, if any."""
        query = select(
            organisations.c.public_id,
            organisations.c.legal_name,
            organisations.c.country,
            organisations.c.region,
            organisations.c.kind,
            organisations.c.synthetic,
        ).where(organisations.c.legal_name == legal_name, organisations.c.country == country)
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            return None
        return StoredOrganisation(
            public_id=row.public_id,
            legal_name=row.legal_name,
            country=row.country,
            region=row.region,
            kind=row.kind,
            synthetic=bool(row.synthetic),
        )

    def add(
        self,
        *,
        public_id: str,
        legal_name: str,
        country: str,
        region: str | None,
        kind: str,
        synthetic: bool,
        created_at: datetime,
    ) -> StoredOrganisation:
        """Insert an organisation.

        Raises:
            Conflict: One with this legal name already exists in this country.
        """
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(organisations).values(
                        public_id=public_id,
                        legal_name=legal_name,
                        country=country,
                        region=region,
                        kind=kind,
                        synthetic=synthetic,
                        created_at=created_at,
                    )
                )
        except IntegrityError as error:
            raise Conflict(
                f"An organisation named {legal_name!r} already exists in {country}.",
                details={"legal_name": legal_name, "country": country},
            ) from error
        return StoredOrganisation(
            public_id=public_id,
            legal_name=legal_name,
            country=country,
            region=region,
            kind=kind,
            synthetic=synthetic,
        )

    def count(self, *, synthetic: bool | None = None) -> int:
        """How many organisations exist (only synthetic or only real ones when asked)."""
        query = select(func.count()).select_from(organisations)
        if synthetic is not None:
            query = query.where(organisations.c.synthetic == synthetic)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())
