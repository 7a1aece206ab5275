"""SQL storage of the funding directory (:data:`skillpass.storage.tables.funding_programmes`).

Each programme is stored as its ``FundingProgramme`` JSON under its id (the ``slug`` column), with
copies of the columns the directory filters on. Works on SQLite and PostgreSQL; driver errors never
escape.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from skillpass.errors import NotFound
from skillpass.pathways.models import FundingProgramme
from skillpass.storage.tables import funding_programmes

__all__ = ["FundingRepository"]


class FundingRepository:
    """Reads and writes funding programmes.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def count(self) -> int:
        """How many programmes are stored."""
        with self._engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(funding_programmes)).scalar_one()
            )

    def all(self) -> list[FundingProgramme]:
        """Every stored programme, by name."""
        query = select(funding_programmes.c.document).order_by(
            funding_programmes.c.name, funding_programmes.c.slug
        )
        with self._engine.connect() as conn:
            return [FundingProgramme.model_validate_json(doc) for (doc,) in conn.execute(query)]

    def get(self, programme_id: str) -> FundingProgramme:
        """One programme.

        Raises:
            NotFound: No programme has this id.
        """
        query = select(funding_programmes.c.document).where(
            funding_programmes.c.slug == programme_id
        )
        with self._engine.connect() as conn:
            document = conn.execute(query).scalar()
        if document is None:
            raise NotFound(
                f"No funding programme '{programme_id}'. "
                "List them with `skillpass funding search`.",
                details={"id": programme_id},
            )
        return FundingProgramme.model_validate_json(document)

    def upsert_many(self, programmes: Iterable[FundingProgramme], origin: str) -> int:
        """Create or replace programmes by id, all in one transaction.

        Returns:
            How many were written.
        """
        written = 0
        with self._engine.begin() as conn:
            for programme in programmes:
                self._upsert(conn, programme, origin)
                written += 1
        return written

    def delete_all(self) -> None:
        """Remove every programme (tests and re-seeding)."""
        with self._engine.begin() as conn:
            conn.execute(delete(funding_programmes))

    @staticmethod
    def _upsert(conn: Connection, programme: FundingProgramme, origin: str) -> None:
        values = {
            "name": programme.name[:300],
            "level": programme.level.value,
            "country": programme.country,
            "document": programme.model_dump_json(),
            "origin": origin,
            "example": programme.example,
            "active": programme.active,
            "updated_at": datetime.now(UTC),
        }
        found = conn.execute(
            select(funding_programmes.c.id).where(funding_programmes.c.slug == programme.id)
        ).scalar()
        if found is None:
            conn.execute(insert(funding_programmes).values(slug=programme.id, **values))
        else:
            conn.execute(
                update(funding_programmes).where(funding_programmes.c.id == found).values(**values)
            )
