"""MobilityService: consent and declared moves, platform events, the synthetic generator, the
differential-privacy release job and the indicators over released tables.

Individual-level data goes in (consents, moves, events) and only released tables come out: every
reading method below :meth:`MobilityService.release` works from ``dp_releases`` alone.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, time
from pathlib import Path

from sqlalchemy import Engine

from skillpass.auth.models import Role, User
from skillpass.auth.service import check_roles
from skillpass.config import Settings
from skillpass.errors import InvalidInput, NotFound
from skillpass.ids import new_public_id
from skillpass.mobility import indicators as ind
from skillpass.mobility.categories import (
    AREAS,
    PLACE_LABELS,
    PLACES,
    Period,
    parse_period,
    place_of,
)
from skillpass.mobility.events import EventRecorder, person_key
from skillpass.mobility.models import (
    BudgetStatus,
    Consent,
    CountryIndicators,
    DeclaredMove,
    EventKind,
    FlowsOverview,
    MobilityEvent,
    MoveCreate,
    OfficialFlow,
    OfficialImport,
    QueryName,
    ReleasedTable,
    ReleaseResult,
    SyntheticSummary,
)
from skillpass.mobility.official import parse_official_csv
from skillpass.mobility.release import (
    CI95_Z,
    DEFAULT_BOUNDS,
    DEFAULT_RHO,
    DEFAULT_RHO_CAP_QUARTER,
    DEFAULT_RHO_CAP_YEAR,
    MECHANISM,
    QUERY_DIMS,
    bound_contributions,
    check_budget,
    domain,
    event_cells,
    l2_sensitivity,
    query_shares,
    release_counts,
    spent_by_quarter,
)
from skillpass.mobility.repository import MobilityRepository
from skillpass.mobility.synthetic import SyntheticConfig, generate_events, synthetic_quarters

__all__ = ["MobilityService"]

_ANALYSTS = (Role.ANALYST, Role.ADMIN)
_DEFAULT_CAPS = (DEFAULT_RHO_CAP_YEAR, DEFAULT_RHO_CAP_QUARTER)
#: Quarters an overview covers by default, and retention's horizon.
WINDOW_QUARTERS = 4


class MobilityService:
    """Mobility statistics with differential privacy.

    Args:
        engine: The database engine.
        settings: The settings (the secret key keys the person pseudonyms).
    """

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.repository = MobilityRepository(engine)
        self._secret = settings.secret_key.get_secret_value().encode("utf-8")
        self.events = EventRecorder(self.repository, self._secret)

    # --- a learner's consent and declared moves ------------------------------------------------

    def consent(self, learner: User) -> Consent:
        """The learner's consent to count their declared moves."""
        return self.repository.get_consent(learner.public_id)

    def set_consent(self, learner: User, *, granted: bool) -> Consent:
        """Grant or withdraw consent. Withdrawal takes effect at the next release: moves are
        no longer counted from then on (released tables cannot be recalled; they are noisy).

        Raises:
            PermissionDenied: Not a learner.
        """
        check_roles(learner, [Role.LEARNER])
        return self.repository.set_consent(learner.public_id, granted=granted)

    def declare_move(self, learner: User, move: MoveCreate) -> DeclaredMove:
        """Record a move in the learner's passport (counted only while consent stands).

        Raises:
            PermissionDenied: Not a learner.
            InvalidInput: Same origin and destination, or a country no release can place.
        """
        check_roles(learner, [Role.LEARNER])
        if move.origin == move.destination:
            raise InvalidInput("A move needs a destination other than its origin.")
        place_of(move.origin)
        place_of(move.destination)
        return self.repository.add_move(learner.public_id, move)

    def moves(self, learner: User) -> list[DeclaredMove]:
        """The learner's own declared moves."""
        return self.repository.list_moves(learner.public_id)

    def delete_move(self, learner: User, move_id: str) -> None:
        """Delete one of the learner's declared moves.

        Raises:
            NotFound: No such move of theirs.
        """
        self.repository.delete_move(learner.public_id, move_id)

    # --- inputs: synthetic and official data --------------------------------------------------

    def generate_synthetic(
        self, config: SyntheticConfig, *, replace: bool = True, actor: User | None = None
    ) -> SyntheticSummary:
        """Generate synthetic events (labelled synthetic), replacing earlier synthetic ones.

        Raises:
            InvalidInput: Bad generator parameters.
            PermissionDenied: ``actor`` given and not an admin.
        """
        if actor is not None:
            check_roles(actor, [Role.ADMIN])
        config.check()
        if replace:
            self.repository.delete_synthetic_events()
        counts: dict[str, int] = defaultdict(int)

        def counted() -> Iterator[MobilityEvent]:
            for event in generate_events(config):
                counts[event.kind.value] += 1
                yield event

        self.repository.add_events(counted(), "synthetic")
        return SyntheticSummary(
            people=config.people,
            periods=[q.code for q in synthetic_quarters(config)],
            events=dict(counts),
        )

    def import_official(self, path: Path, *, source: str | None = None) -> OfficialImport:
        """Import an official-statistics CSV (see :mod:`skillpass.mobility.official`).

        Raises:
            InvalidInput: The file does not check; nothing is imported.
            NotFound: No such file.
        """
        if not path.is_file():
            raise NotFound(f"There is no file {path}; check the path.")
        return self.import_official_bytes(path.read_bytes(), source=source or path.stem)

    def import_official_bytes(self, data: bytes, *, source: str | None = None) -> OfficialImport:
        """Import official statistics from CSV bytes (an upload)."""
        flows = parse_official_csv(data, default_source=source)
        self.repository.upsert_official(flows)
        return OfficialImport(rows=len(flows), sources=sorted({f.source for f in flows}))

    def official(self, place: str | None = None) -> list[OfficialFlow]:
        """Imported official rows (published figures, not noised), optionally of one place."""
        return self.repository.official(place)

    # --- the release job ----------------------------------------------------------------------

    def set_budget(
        self, cycle: str, rho_cap_year: float, rho_cap_quarter: float, *, actor: User | None = None
    ) -> BudgetStatus:
        """Set a cycle's zCDP caps (administrators; lowering below what is spent is allowed and
        simply refuses further releases).

        Raises:
            InvalidInput: Not a year, or caps not positive or a quarter cap above the year's.
            PermissionDenied: ``actor`` given and not an admin.
        """
        if actor is not None:
            check_roles(actor, [Role.ADMIN])
        period = parse_period(cycle)
        if period.quarters != Period(period.year, 1, 4).quarters:
            raise InvalidInput("A budget cycle is a calendar year, e.g. 2026.")
        if not (0 < rho_cap_quarter <= rho_cap_year):
            raise InvalidInput("Caps must be positive and the quarterly cap at most the yearly.")
        self.repository.set_budget(period.cycle, rho_cap_year, rho_cap_quarter)
        return self.budget(period.cycle)

    def budget(self, cycle: str) -> BudgetStatus:
        """A cycle's caps and spending."""
        return self.repository.budget(parse_period(cycle).cycle, _DEFAULT_CAPS, spent_by_quarter)

    def release(
        self,
        period_text: str,
        rho: float | None = None,
        *,
        actor: User | None = None,
        levels: bool = False,
    ) -> ReleaseResult:
        """Release the predefined tables of a period with differential privacy.

        ``rho`` (default :data:`DEFAULT_RHO`) is shared between the tables as
        :func:`~skillpass.mobility.release.query_shares` says. With ``levels`` the optional
        area × EQF-level table is released too, from the same ρ (the run spends no more; the
        other tables get a little more noise). The budget is checked before anything is
        computed and again, atomically, when the release is recorded.

        Raises:
            InvalidInput: Bad period or ρ.
            Conflict: The release would exceed the cycle's yearly or a quarterly cap.
            PermissionDenied: ``actor`` given and neither analyst nor admin.
        """
        if actor is not None:
            check_roles(actor, _ANALYSTS)
        period = parse_period(period_text)
        rho = DEFAULT_RHO if rho is None else float(rho)
        if not (0 < rho < float("inf")):
            raise InvalidInput("ρ must be a positive number, e.g. --rho 0.1.")
        check_budget(self.budget(period.cycle), period, rho)
        synthetic = self.repository.has_synthetic_events(period.start, period.end)
        now = datetime.now(UTC)
        rows = []
        tables = []
        for query, share in query_shares(levels).items():
            bound = DEFAULT_BOUNDS[query]
            cells = domain(query)
            counts = bound_contributions(self._rows(query, period), bound, set(cells))
            sensitivity = l2_sensitivity(query, bound)
            noisy = release_counts(counts, cells, rho=rho * share, sensitivity=sensitivity)
            public_id = new_public_id()
            parameters = {
                "dims": list(QUERY_DIMS[query]),
                "sigma": noisy.sigma,
                "ci95": CI95_Z * noisy.sigma,
                "rho_requested": rho * share,
                "rho_spent": noisy.rho_spent,
                "share_of_run": share,
                "l2_sensitivity": sensitivity,
                "quarters": list(period.quarters),
                "cells": len(cells),
                "suppression": "cells with value < ci95 are shown as suppressed",
                "library": "opendp 0.16 make_gaussian (discrete, zCDP)",
            }
            rows.append(
                {
                    "public_id": public_id,
                    "cycle": period.cycle,
                    "period": period.code,
                    "query": query.value,
                    "mechanism": MECHANISM,
                    "rho": noisy.rho_spent,
                    "contribution_bound": bound,
                    "parameters": json.dumps(parameters),
                    "released": json.dumps(
                        {"cells": [[*key, value] for key, value in noisy.values.items()]},
                        separators=(",", ":"),
                    ),
                    "synthetic": synthetic,
                    "created_by": self.repository.user_id(actor.public_id if actor else None),
                    "created_at": now,
                }
            )
            tables.append(
                ReleasedTable(
                    release_id=public_id,
                    query=query,
                    period=period.code,
                    cycle=period.cycle,
                    dims=QUERY_DIMS[query],
                    mechanism=MECHANISM,
                    rho=noisy.rho_spent,
                    contribution_bound=bound,
                    sigma=noisy.sigma,
                    ci95=CI95_Z * noisy.sigma,
                    synthetic=synthetic,
                    created_at=now,
                    values=noisy.values,
                )
            )
        spent = sum(t.rho for t in tables)
        budget = self.repository.record_releases(
            period.cycle,
            _DEFAULT_CAPS,
            spent_by_quarter,
            lambda status: check_budget(status, period, spent),
            rows,
        )
        return ReleaseResult(period=period.code, rho=spent, tables=tables, budget=budget)

    def _rows(
        self, query: QueryName, period: Period
    ) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
        """``(person, cells of one event)`` of a table in the period, earliest first. The
        individual-level rows live only in this function's memory."""
        timed: list[tuple[datetime, str, tuple[tuple[str, ...], ...]]] = []
        if query is QueryName.POPULATION:
            kinds = [EventKind.ACTIVE.value]
        elif query in (QueryName.VERIFICATIONS, QueryName.LEVELS):
            kinds = [EventKind.VERIFICATION.value, EventKind.RECOGNITION.value]
        else:
            kinds = [EventKind.MOVE.value]
        for when, person, origin, destination, area, eqf in self.repository.event_rows(
            kinds, period.start, period.end
        ):
            cells = _cells(query, origin, destination, area, eqf)
            if cells:
                timed.append((when, person, cells))
        if kinds == [EventKind.MOVE.value]:
            for user_id, origin, destination, area, day in self.repository.consented_move_rows(
                period.start.date(), period.end.date()
            ):
                cells = _cells(query, origin, destination, area)
                if cells:
                    when = datetime.combine(day, time(), tzinfo=UTC)
                    timed.append((when, person_key(self._secret, user_id), cells))
        timed.sort(key=lambda row: row[0])
        return [(person, cells) for _, person, cells in timed]

    # --- reading released tables --------------------------------------------------------------

    def releases(self, period: str | None = None) -> list[ReleasedTable]:
        """Every released table (the audit), oldest first."""
        code = parse_period(period).code if period else None
        return self.repository.releases(period=code)

    def released_table(self, release_id: str) -> ReleasedTable:
        """One released table.

        Raises:
            NotFound: No such release.
        """
        return self.repository.release(release_id)

    def _quarterly(self) -> dict[QueryName, dict[str, ind.NoisyCounts]]:
        grouped: dict[tuple[QueryName, str], list[ReleasedTable]] = defaultdict(list)
        for table in self.repository.releases():
            if parse_period(table.period).is_quarter:
                grouped[(table.query, table.period)].append(table)
        out: dict[QueryName, dict[str, ind.NoisyCounts]] = defaultdict(dict)
        for (query, period), tables in grouped.items():
            out[query][period] = ind.combine(tables)
        return out

    def quarters(self) -> list[str]:
        """Quarters whose tables have been released, oldest first."""
        return sorted(self._quarterly().get(QueryName.FLOWS, {}))

    def _window(
        self, flows: dict[str, ind.NoisyCounts], periods: Sequence[str] | None
    ) -> list[str]:
        if not flows:
            raise NotFound(
                "No mobility table has been released yet. An analyst releases one with "
                "`skillpass mobility release --period 2026Q3`."
            )
        if not periods:
            return sorted(flows)[-WINDOW_QUARTERS:]
        chosen = sorted({parse_period(p).code for p in periods})
        missing = [p for p in chosen if p not in flows]
        if missing:
            raise NotFound(
                f"No released tables for {', '.join(missing)}. Released quarters: "
                f"{', '.join(sorted(flows))}.",
                details={"released": sorted(flows)},
            )
        return chosen

    def overview(
        self, periods: Sequence[str] | None = None, area: str | None = None
    ) -> FlowsOverview:
        """Flows per place, top corridors and the flow matrix over some released quarters
        (the latest four by default), and the EQF levels of cross-border credentials for the
        quarters of the window whose optional ``levels`` table was released — from released
        tables only.

        Raises:
            NotFound: Nothing released yet, or not for a quarter asked for.
            InvalidInput: Unknown capability area.
        """
        if area is not None and area not in AREAS:
            raise InvalidInput(f"Unknown capability area '{area}'; use one of {', '.join(AREAS)}.")
        quarterly = self._quarterly()
        flows_by_q = quarterly.get(QueryName.FLOWS, {})
        window = self._window(flows_by_q, periods)
        flows = ind.add([flows_by_q[p] for p in window])
        corridor_table = _window_sum(quarterly, QueryName.CORRIDORS, window)
        pair_table = (
            corridor_table if area is None else _window_sum(quarterly, QueryName.MOVES, window)
        )
        population = _latest(quarterly.get(QueryName.POPULATION, {}), window)
        into, out_of, within = ind.outside_summary(corridor_table)
        countries = [ind.flows_for(p, flows, population, area) for p in PLACES]
        levels_by_q = quarterly.get(QueryName.LEVELS, {})
        levels_periods = [p for p in window if p in levels_by_q]
        levels = (
            ind.levels(ind.add([levels_by_q[p] for p in levels_periods]), area)
            if levels_periods
            else []
        )
        return FlowsOverview(
            periods=window,
            area_id=area,
            synthetic=flows.synthetic,
            sigma_moves=pair_table.variance**0.5,
            countries=sorted(countries, key=lambda c: -c.net.value),
            corridors=ind.corridors(pair_table, limit=15, area=area),
            matrix=ind.matrix(pair_table, area),
            arrivals_from_outside=into,
            departures_to_outside=out_of,
            within_eu=within,
            levels=levels,
            levels_periods=levels_periods,
        )

    def country(self, place: str, periods: Sequence[str] | None = None) -> CountryIndicators:
        """One place: who arrives, who leaves, with which capabilities; trend; retention —
        from released tables only.

        Raises:
            NotFound: Unknown place, or nothing released.
        """
        code = place.strip().upper()
        if code not in PLACE_LABELS:
            raise NotFound(
                f"'{place}' is not a place of the mobility tables: use an EU country code "
                "(e.g. DE) or a world region (XE, XF, XM, XA, XO).",
                details={"places": list(PLACES)},
            )
        quarterly = self._quarterly()
        flows_by_q = quarterly.get(QueryName.FLOWS, {})
        pop_by_q = quarterly.get(QueryName.POPULATION, {})
        window = self._window(flows_by_q, periods)
        flows = ind.add([flows_by_q[p] for p in window])
        corridor_table = _window_sum(quarterly, QueryName.CORRIDORS, window)
        population = _latest(pop_by_q, window)
        retention = None
        if len(window) > 1 and window[0] in pop_by_q:
            after = [flows_by_q[p] for p in window[1:]]
            retention = ind.retention(code, pop_by_q[window[0]], after)
        history = sorted(flows_by_q)[-12:]
        return CountryIndicators(
            place=code,
            label=PLACE_LABELS[code],
            periods=window,
            synthetic=flows.synthetic,
            flows=ind.flows_for(code, flows, population),
            by_area=[ind.flows_for(code, flows, population, a) for a in AREAS],
            mix=ind.capability_mix(flows, code),
            origins=ind.corridors(corridor_table, limit=10, destination=code),
            destinations=ind.corridors(corridor_table, limit=10, origin=code),
            trend=ind.trend([(p, flows_by_q[p]) for p in history], code),
            retention=retention,
            retention_quarters=len(window) - 1,
            official=self.repository.official(code)[:50],
        )


def _cells(
    query: QueryName, origin: str, destination: str, area: str, eqf: int | None = None
) -> tuple[tuple[str, ...], ...]:
    try:
        return event_cells(query, place_of(origin), place_of(destination), area, eqf)
    except InvalidInput:
        return ()


def _window_sum(
    quarterly: dict[QueryName, dict[str, ind.NoisyCounts]], query: QueryName, window: Sequence[str]
) -> ind.NoisyCounts:
    tables = quarterly.get(query, {})
    return ind.add([tables[p] for p in window if p in tables])


def _latest(tables: dict[str, ind.NoisyCounts], window: Sequence[str]) -> ind.NoisyCounts | None:
    for period in reversed(window):
        if period in tables:
            return tables[period]
    return None
