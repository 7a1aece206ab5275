"""SQL storage of mobility data: consents, declared moves, events, budgets, releases, official
flows (tables of migration 0008). Works on SQLite and PostgreSQL; driver errors never escape.

Individual-level rows are read only by the release job (:meth:`MobilityRepository.event_rows`,
:meth:`MobilityRepository.consented_move_rows`); everything else served is released tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.errors import NotFound
from skillpass.ids import new_public_id
from skillpass.mobility.models import (
    BudgetStatus,
    Consent,
    DeclaredMove,
    MobilityEvent,
    MoveCreate,
    OfficialFlow,
    QueryName,
    ReleasedTable,
)
from skillpass.storage.tables import (
    dp_budgets,
    dp_releases,
    mobility_consents,
    mobility_events,
    mobility_moves,
    official_flows,
    users,
)

__all__ = ["MobilityRepository", "ReleaseRow"]

ReleaseRow = dict[str, Any]

_BATCH = 5000


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class MobilityRepository:
    """Reads and writes mobility data.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- consent and declared moves ----------------------------------------------------------

    def _user_id(self, user_public_id: str) -> int:
        with self._engine.connect() as conn:
            found = conn.execute(
                select(users.c.id).where(users.c.public_id == user_public_id)
            ).scalar()
        if found is None:
            raise NotFound("No such user.", details={"user": user_public_id})
        return int(found)

    def get_consent(self, user_public_id: str) -> Consent:
        """The user's consent (never granted: both dates empty)."""
        user_id = self._user_id(user_public_id)
        with self._engine.connect() as conn:
            row = conn.execute(
                select(mobility_consents.c.granted_at, mobility_consents.c.withdrawn_at).where(
                    mobility_consents.c.user_id == user_id
                )
            ).first()
        if row is None:
            return Consent(granted_at=None, withdrawn_at=None)
        return Consent(
            granted_at=_utc(row.granted_at),
            withdrawn_at=_utc(row.withdrawn_at) if row.withdrawn_at else None,
        )

    def set_consent(self, user_public_id: str, *, granted: bool) -> Consent:
        """Grant (again) or withdraw consent, now."""
        user_id = self._user_id(user_public_id)
        now = datetime.now(UTC).replace(microsecond=0)
        with self._engine.begin() as conn:
            exists = conn.execute(
                select(mobility_consents.c.id).where(mobility_consents.c.user_id == user_id)
            ).scalar()
            if granted:
                values: dict[str, Any] = {"granted_at": now, "withdrawn_at": None}
            else:
                values = {"withdrawn_at": now}
            if exists is None:
                if not granted:
                    return Consent(granted_at=None, withdrawn_at=None)
                conn.execute(insert(mobility_consents).values(user_id=user_id, **values))
            else:
                conn.execute(
                    update(mobility_consents)
                    .where(mobility_consents.c.user_id == user_id)
                    .values(**values)
                )
        return self.get_consent(user_public_id)

    def add_move(self, user_public_id: str, move: MoveCreate) -> DeclaredMove:
        """Store a declared move."""
        user_id = self._user_id(user_public_id)
        stored = DeclaredMove(
            **move.model_dump(),
            public_id=new_public_id(),
            created_at=datetime.now(UTC).replace(microsecond=0),
        )
        with self._engine.begin() as conn:
            conn.execute(
                insert(mobility_moves).values(
                    user_id=user_id,
                    **stored.model_dump(exclude={"public_id"}),
                    public_id=stored.public_id,
                )
            )
        return stored

    def list_moves(self, user_public_id: str) -> list[DeclaredMove]:
        """The user's declared moves, newest first."""
        user_id = self._user_id(user_public_id)
        cols = [c for c in mobility_moves.c if c.name not in ("id", "user_id")]
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(*cols)
                .where(mobility_moves.c.user_id == user_id)
                .order_by(mobility_moves.c.moved_on.desc(), mobility_moves.c.id.desc())
            ).mappings()
            return [
                DeclaredMove.model_validate({**row, "created_at": _utc(row["created_at"])})
                for row in rows
            ]

    def delete_move(self, user_public_id: str, move_id: str) -> None:
        """Delete one of the user's declared moves.

        Raises:
            NotFound: The user has no such move.
        """
        user_id = self._user_id(user_public_id)
        with self._engine.begin() as conn:
            deleted = conn.execute(
                delete(mobility_moves).where(
                    and_(mobility_moves.c.user_id == user_id, mobility_moves.c.public_id == move_id)
                )
            ).rowcount
        if not deleted:
            raise NotFound(
                f"You have no declared move '{move_id}'. List yours with GET "
                "/api/v1/mobility/me/moves.",
                details={"move": move_id},
            )

    def consented_move_rows(self, start: date, end: date) -> list[tuple[str, str, str, str, date]]:
        """Declared moves in ``[start, end)`` of users whose consent stands *now*.

        Returns:
            ``(user public id, origin, destination, area, moved_on)``, earliest first.
        """
        query = (
            select(
                users.c.public_id,
                mobility_moves.c.origin,
                mobility_moves.c.destination,
                mobility_moves.c.area_id,
                mobility_moves.c.moved_on,
            )
            .join(users, users.c.id == mobility_moves.c.user_id)
            .join(mobility_consents, mobility_consents.c.user_id == mobility_moves.c.user_id)
            .where(
                mobility_consents.c.withdrawn_at.is_(None),
                mobility_moves.c.area_id.is_not(None),
                mobility_moves.c.moved_on >= start,
                mobility_moves.c.moved_on < end,
            )
            .order_by(mobility_moves.c.moved_on, mobility_moves.c.id)
        )
        with self._engine.connect() as conn:
            return [(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(query)]

    # --- events -----------------------------------------------------------------------------

    def add_events(self, events: Iterable[MobilityEvent], source: str) -> int:
        """Store events in batches, in one transaction.

        Returns:
            How many were written.
        """
        written = 0
        batch: list[dict[str, Any]] = []
        with self._engine.begin() as conn:
            for event in events:
                batch.append(_event_row(event, source))
                if len(batch) >= _BATCH:
                    conn.execute(insert(mobility_events), batch)
                    written += len(batch)
                    batch = []
            if batch:
                conn.execute(insert(mobility_events), batch)
                written += len(batch)
        return written

    def add_event_once(self, event: MobilityEvent, source: str, dedup_key: str) -> bool:
        """Store one event unless an event with the same ``dedup_key`` is already stored.

        Args:
            event: The event.
            source: ``platform`` (or another producer's name).
            dedup_key: A keyed hash of what makes the event unique (at most 64 characters).

        Returns:
            Whether it was stored (False: recorded before).
        """
        values = {**_event_row(event, source), "dedup_key": dedup_key}
        seen = select(mobility_events.c.id).where(mobility_events.c.dedup_key == dedup_key)
        try:
            with self._engine.begin() as conn:
                if conn.execute(seen).first() is not None:
                    return False
                conn.execute(insert(mobility_events).values(**values))
        except IntegrityError:  # a concurrent writer recorded the same event first
            return False
        return True

    def delete_synthetic_events(self) -> int:
        """Remove every synthetic event (before generating a new demo set)."""
        with self._engine.begin() as conn:
            return int(
                conn.execute(delete(mobility_events).where(mobility_events.c.synthetic)).rowcount
            )

    def event_counts(self) -> dict[str, int]:
        """How many events of each kind are stored."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(mobility_events.c.kind, func.count()).group_by(mobility_events.c.kind)
            )
            return {kind: int(n) for kind, n in rows}

    def has_synthetic_events(self, start: datetime, end: datetime) -> bool:
        """Whether any synthetic event falls in ``[start, end)``."""
        with self._engine.connect() as conn:
            found = conn.execute(
                select(mobility_events.c.id)
                .where(
                    mobility_events.c.synthetic,
                    mobility_events.c.occurred_at >= start,
                    mobility_events.c.occurred_at < end,
                )
                .limit(1)
            ).scalar()
        return found is not None

    def event_rows(
        self, kinds: Sequence[str], start: datetime, end: datetime
    ) -> list[tuple[datetime, str, str, str, str, int | None]]:
        """Events of ``kinds`` in ``[start, end)``: ``(when, person_key, origin, destination,
        area, eqf)``, earliest first (the order contribution bounding keeps)."""
        query = (
            select(
                mobility_events.c.occurred_at,
                mobility_events.c.person_key,
                mobility_events.c.origin,
                mobility_events.c.destination,
                mobility_events.c.area_id,
                mobility_events.c.eqf,
            )
            .where(
                mobility_events.c.kind.in_(list(kinds)),
                mobility_events.c.occurred_at >= start,
                mobility_events.c.occurred_at < end,
            )
            .order_by(mobility_events.c.occurred_at, mobility_events.c.id)
        )
        with self._engine.connect() as conn:
            return [(_utc(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in conn.execute(query)]

    # --- budget and releases ------------------------------------------------------------------

    def set_budget(self, cycle: str, rho_cap_year: float, rho_cap_quarter: float) -> None:
        """Create or change a cycle's caps."""
        with self._engine.begin() as conn:
            exists = conn.execute(
                select(dp_budgets.c.cycle).where(dp_budgets.c.cycle == cycle)
            ).scalar()
            values = {"rho_cap_year": rho_cap_year, "rho_cap_quarter": rho_cap_quarter}
            if exists is None:
                conn.execute(
                    insert(dp_budgets).values(cycle=cycle, created_at=datetime.now(UTC), **values)
                )
            else:
                conn.execute(update(dp_budgets).where(dp_budgets.c.cycle == cycle).values(**values))

    def budget(
        self,
        cycle: str,
        defaults: tuple[float, float],
        spent: Callable[[list[tuple[str, float]]], dict[str, float]],
    ) -> BudgetStatus:
        """A cycle's caps (``defaults`` when none are set) and what its releases spent."""
        with self._engine.connect() as conn:
            return self._budget(conn, cycle, defaults, spent)

    @staticmethod
    def _budget(
        conn: Any,
        cycle: str,
        defaults: tuple[float, float],
        spent: Callable[[list[tuple[str, float]]], dict[str, float]],
    ) -> BudgetStatus:
        caps = conn.execute(
            select(dp_budgets.c.rho_cap_year, dp_budgets.c.rho_cap_quarter)
            .where(dp_budgets.c.cycle == cycle)
            .with_for_update()
        ).first()
        year_cap, quarter_cap = (caps[0], caps[1]) if caps is not None else defaults
        releases = [
            (period, float(rho))
            for period, rho in conn.execute(
                select(dp_releases.c.period, dp_releases.c.rho).where(dp_releases.c.cycle == cycle)
            )
        ]
        return BudgetStatus(
            cycle=cycle,
            rho_cap_year=float(year_cap),
            rho_cap_quarter=float(quarter_cap),
            spent_year=sum(rho for _, rho in releases),
            spent_by_quarter=spent(releases),
        )

    def record_releases(
        self,
        cycle: str,
        defaults: tuple[float, float],
        spent: Callable[[list[tuple[str, float]]], dict[str, float]],
        check: Callable[[BudgetStatus], None],
        rows: Sequence[ReleaseRow],
    ) -> BudgetStatus:
        """Check the budget and record releases in one transaction (the budget row is locked on
        PostgreSQL, so two concurrent releases cannot both squeeze under the cap).

        Raises:
            Conflict: From ``check``: the budget would be exceeded; nothing is recorded.
        """
        with self._engine.begin() as conn:
            if (
                conn.execute(select(dp_budgets.c.cycle).where(dp_budgets.c.cycle == cycle)).scalar()
                is None
            ):
                conn.execute(
                    insert(dp_budgets).values(
                        cycle=cycle,
                        rho_cap_year=defaults[0],
                        rho_cap_quarter=defaults[1],
                        created_at=datetime.now(UTC),
                    )
                )
            check(self._budget(conn, cycle, defaults, spent))
            for row in rows:
                conn.execute(insert(dp_releases).values(**row))
            return self._budget(conn, cycle, defaults, spent)

    def user_id(self, user_public_id: str | None) -> int | None:
        """Database key of a user (for the audit's ``created_by``), or None."""
        return None if user_public_id is None else self._user_id(user_public_id)

    def releases(
        self, *, period: str | None = None, query: QueryName | None = None
    ) -> list[ReleasedTable]:
        """Released tables, oldest first (optionally of one period or table)."""
        stmt = select(dp_releases).order_by(dp_releases.c.created_at, dp_releases.c.id)
        if period is not None:
            stmt = stmt.where(dp_releases.c.period == period)
        if query is not None:
            stmt = stmt.where(dp_releases.c.query == query.value)
        with self._engine.connect() as conn:
            return [self._table(row) for row in conn.execute(stmt).mappings()]

    def release(self, release_id: str) -> ReleasedTable:
        """One released table.

        Raises:
            NotFound: No release has this id.
        """
        with self._engine.connect() as conn:
            row = (
                conn.execute(select(dp_releases).where(dp_releases.c.public_id == release_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(
                f"No release '{release_id}'. List them with `skillpass mobility releases`.",
                details={"release": release_id},
            )
        return self._table(row)

    @staticmethod
    def _table(row: Any) -> ReleasedTable:
        parameters = json.loads(row["parameters"])
        released = json.loads(row["released"])
        return ReleasedTable(
            release_id=row["public_id"],
            query=QueryName(row["query"]),
            period=row["period"],
            cycle=row["cycle"],
            dims=tuple(parameters["dims"]),
            mechanism=row["mechanism"],
            rho=float(row["rho"]),
            contribution_bound=int(row["contribution_bound"]),
            sigma=float(parameters["sigma"]),
            ci95=float(parameters["ci95"]),
            synthetic=bool(row["synthetic"]),
            created_at=_utc(row["created_at"]),
            values={tuple(cell[:-1]): int(cell[-1]) for cell in released["cells"]},
        )

    # --- official statistics ------------------------------------------------------------------

    def upsert_official(self, flows: Sequence[OfficialFlow]) -> int:
        """Create or replace official rows by (source, origin, destination, field, year)."""
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            for flow in flows:
                key = and_(
                    official_flows.c.source == flow.source,
                    official_flows.c.origin == flow.origin,
                    official_flows.c.destination == flow.destination,
                    official_flows.c.field == flow.field,
                    official_flows.c.year == flow.year,
                )
                found = conn.execute(select(official_flows.c.id).where(key)).scalar()
                if found is None:
                    conn.execute(
                        insert(official_flows).values(**flow.model_dump(), imported_at=now)
                    )
                else:
                    conn.execute(
                        update(official_flows)
                        .where(official_flows.c.id == found)
                        .values(count=flow.count, imported_at=now)
                    )
        return len(flows)

    def official(self, place: str | None = None) -> list[OfficialFlow]:
        """Official rows, optionally those with ``place`` as origin or destination."""
        stmt = select(
            official_flows.c.source,
            official_flows.c.origin,
            official_flows.c.destination,
            official_flows.c.field,
            official_flows.c.year,
            official_flows.c.count,
        ).order_by(official_flows.c.year.desc(), official_flows.c.source, official_flows.c.id)
        if place is not None:
            stmt = stmt.where(
                (official_flows.c.origin == place) | (official_flows.c.destination == place)
            )
        with self._engine.connect() as conn:
            return [OfficialFlow.model_validate(dict(r)) for r in conn.execute(stmt).mappings()]


def _event_row(event: MobilityEvent, source: str) -> dict[str, Any]:
    """The ``mobility_events`` columns of one event."""
    return {
        "kind": event.kind.value,
        "person_key": event.person_key,
        "origin": event.origin,
        "destination": event.destination,
        "area_id": event.area_id,
        "eqf": event.eqf,
        "occurred_at": event.occurred_at,
        "source": source,
        "synthetic": event.synthetic,
    }
