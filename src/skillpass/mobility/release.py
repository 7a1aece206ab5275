"""The differential-privacy release job: bounded contributions, discrete Gaussian noise (zCDP)
from OpenDP, and the budget accountant.

How a table is released (see ``docs/mobility.md``):

1. **Fixed domain.** Every cell of the predefined categories (:mod:`.categories`) is released,
   including the empty ones, so the shape of a table says nothing about the data.
2. **Contribution bounding.** Each person (keyed pseudonym) contributes at most ``k`` events per
   table and period (the earliest are kept) and counts at most once per cell. Adding or removing
   one person then changes the count vector by at most ``sqrt(k × cells per event)`` in L2 norm.
3. **Noise.** OpenDP's ``make_gaussian`` on an integer vector with an L2 distance is the discrete
   Gaussian mechanism under zero-concentrated DP: with scale ``σ`` and sensitivity ``Δ`` it
   spends ``ρ = Δ² / (2σ²)``. We pick ``σ = Δ / sqrt(2ρ)`` for the ρ asked for and record what
   OpenDP's privacy map says was spent.
4. **Accounting.** zCDP composes by adding ρ. A cycle (calendar year) has a cap for the year and a
   cap for every quarter; a release over a half or a year is charged to each quarter it covers.
   A release that would pass either cap is refused before anything is published — repeated and
   overlapping releases included, which is what defeats differencing (see the docs).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from skillpass.errors import Conflict, InvalidInput
from skillpass.mobility.categories import AREAS, EQF_LEVELS, PLACES, Period
from skillpass.mobility.models import BudgetStatus, QueryName

__all__ = [
    "CELLS_PER_EVENT",
    "CI95_Z",
    "DEFAULT_BOUNDS",
    "DEFAULT_RHO",
    "DEFAULT_RHO_CAP_QUARTER",
    "DEFAULT_RHO_CAP_YEAR",
    "LEVELS_SHARE",
    "MECHANISM",
    "QUERY_DIMS",
    "QUERY_SHARES",
    "NoisyTable",
    "bound_contributions",
    "check_budget",
    "domain",
    "event_cells",
    "gaussian_sigma",
    "l2_sensitivity",
    "query_shares",
    "release_counts",
    "spent_by_quarter",
]

#: Name recorded in the audit table.
MECHANISM = "discrete_gaussian_zcdp"
#: z of a two-sided 95% normal interval (the discrete Gaussian is close to normal for σ ≥ 1).
CI95_Z = 1.959963984540054
#: Default zCDP caps of a cycle.
DEFAULT_RHO_CAP_YEAR = 1.0
DEFAULT_RHO_CAP_QUARTER = 0.5
#: Default ρ of one release run (all its tables together).
DEFAULT_RHO = 0.25
#: How a release run's ρ is shared between its tables (the five released by default).
QUERY_SHARES: dict[QueryName, float] = {
    QueryName.FLOWS: 0.3,
    QueryName.MOVES: 0.25,
    QueryName.CORRIDORS: 0.2,
    QueryName.VERIFICATIONS: 0.15,
    QueryName.POPULATION: 0.1,
}
#: Share of a run's ρ the optional ``levels`` table takes; the others are scaled to the rest.
LEVELS_SHARE = 0.1
#: Default contribution bound ``k``: events per person per period and table.
DEFAULT_BOUNDS: dict[QueryName, int] = {
    QueryName.FLOWS: 2,
    QueryName.MOVES: 2,
    QueryName.CORRIDORS: 2,
    QueryName.VERIFICATIONS: 4,
    QueryName.POPULATION: 1,
    QueryName.LEVELS: 4,
}
#: Cells one event adds one to (a move is an outflow of one place and an inflow of another).
CELLS_PER_EVENT: dict[QueryName, int] = dict.fromkeys(QueryName, 1) | {QueryName.FLOWS: 2}
#: Dimension names of each table.
QUERY_DIMS: dict[QueryName, tuple[str, ...]] = {
    QueryName.FLOWS: ("place", "area", "direction"),
    QueryName.MOVES: ("origin", "destination", "area"),
    QueryName.CORRIDORS: ("origin", "destination"),
    QueryName.VERIFICATIONS: ("issuer_country", "verifier_country", "area"),
    QueryName.POPULATION: ("country", "area"),
    QueryName.LEVELS: ("area", "eqf"),
}


def query_shares(levels: bool = False) -> dict[QueryName, float]:
    """The tables of a release run and their shares of its ρ (summing to one).

    Args:
        levels: Also release the optional ``levels`` table (area × EQF level), which takes
            :data:`LEVELS_SHARE`; the other tables share the rest in their usual proportions.
    """
    if not levels:
        return dict(QUERY_SHARES)
    rest = 1.0 - LEVELS_SHARE
    return {query: share * rest for query, share in QUERY_SHARES.items()} | {
        QueryName.LEVELS: LEVELS_SHARE
    }


def domain(query: QueryName) -> list[tuple[str, ...]]:
    """Every cell of a table, in a fixed order (flows between distinct places only)."""
    if query is QueryName.POPULATION:
        return [(place, area) for place in PLACES for area in AREAS]
    if query is QueryName.FLOWS:
        return [(place, area, way) for place in PLACES for area in AREAS for way in ("in", "out")]
    if query is QueryName.CORRIDORS:
        return [(o, d) for o in PLACES for d in PLACES if o != d]
    if query is QueryName.LEVELS:
        return [(area, level) for area in AREAS for level in EQF_LEVELS]
    return [(o, d, a) for o in PLACES for d in PLACES if o != d for a in AREAS]


def event_cells(
    query: QueryName, origin: str, destination: str, area: str, eqf: int | None = None
) -> tuple[tuple[str, ...], ...]:
    """The cells one event (between two release-domain places) adds one to (for ``levels``,
    none when the event states no EQF level)."""
    if query is QueryName.POPULATION:
        return ((destination, area),)
    if origin == destination:
        return ()
    if query is QueryName.LEVELS:
        return ((area, str(eqf)),) if eqf is not None and 1 <= eqf <= 8 else ()
    if query is QueryName.FLOWS:
        return ((origin, area, "out"), (destination, area, "in"))
    if query is QueryName.CORRIDORS:
        return ((origin, destination),)
    return ((origin, destination, area),)


def l2_sensitivity(query: QueryName, bound: int) -> float:
    """How far one person can move a table's count vector (L2), after bounding."""
    return math.sqrt(bound * CELLS_PER_EVENT[query])


def bound_contributions(
    rows: Iterable[tuple[str, tuple[tuple[str, ...], ...]]],
    bound: int,
    cells: set[tuple[str, ...]],
) -> dict[tuple[str, ...], int]:
    """Count people per cell, keeping at most ``bound`` events per person.

    An event adds one to each of its cells, except cells the person already counts in (a person
    counts at most once per cell), so one person changes at most ``bound × cells per event``
    cells by one.

    Args:
        rows: ``(person_key, cells of one event)`` in the order to keep (earliest first); events
            with a cell outside the domain are ignored.
        bound: The most events one person may contribute.
        cells: The table's domain.

    Returns:
        True (bounded) count per cell; cells nobody is in are absent.
    """
    kept: dict[str, int] = defaultdict(int)
    seen: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for person, event in rows:
        if not event or kept[person] >= bound or any(cell not in cells for cell in event):
            continue
        mine = seen[person]
        new = [cell for cell in event if cell not in mine]
        if not new:
            continue
        kept[person] += 1
        for cell in new:
            mine.add(cell)
            counts[cell] += 1
    return dict(counts)


def gaussian_sigma(rho: float, sensitivity: float) -> float:
    """The noise scale σ that spends ``rho`` when one person moves the vector by ``sensitivity``
    (L2): ``ρ = Δ² / (2σ²)``."""
    return sensitivity / math.sqrt(2.0 * rho)


@dataclass(frozen=True)
class NoisyTable:
    """A table's noisy counts and what the mechanism spent."""

    values: dict[tuple[str, ...], int]
    sigma: float
    rho_spent: float


def release_counts(
    counts: Mapping[tuple[str, ...], int],
    cells: Sequence[tuple[str, ...]],
    *,
    rho: float,
    sensitivity: float,
) -> NoisyTable:
    """Add discrete Gaussian noise (OpenDP) to every cell of the domain.

    Args:
        counts: Bounded true counts (absent cells are zero).
        cells: The whole domain, in order.
        rho: zCDP budget for this table.
        sensitivity: L2 sensitivity after bounding (:func:`l2_sensitivity`).

    Returns:
        Signed noisy counts for every cell, σ, and ρ as OpenDP's privacy map reports it.

    Raises:
        InvalidInput: ρ or the sensitivity not positive.
    """
    if not rho > 0 or not math.isfinite(rho):
        raise InvalidInput("ρ must be a positive number, e.g. 0.1.", details={"rho": rho})
    if not sensitivity > 0:
        raise InvalidInput(
            "The sensitivity must be positive.", details={"sensitivity": sensitivity}
        )
    # Imported when a release runs; not ``opendp.prelude``, which also imports scikit-learn.
    from opendp.domains import atom_domain, vector_domain
    from opendp.measurements import make_gaussian
    from opendp.metrics import l2_distance
    from opendp.mod import enable_features

    enable_features("contrib")
    # A hair above the exact scale so that floating-point rounding can never overspend.
    sigma = gaussian_sigma(rho, sensitivity) * (1 + 1e-9)
    measurement = make_gaussian(
        vector_domain(atom_domain(T=int)), l2_distance(T=float), scale=sigma
    )
    spent = float(measurement.map(sensitivity))  # type: ignore[no-untyped-call]
    if spent > rho * (1 + 1e-9):  # pragma: no cover - guards against a library change
        raise RuntimeError(f"OpenDP reports ρ={spent}, above the {rho} asked for")
    noisy = measurement([int(counts.get(cell, 0)) for cell in cells])
    return NoisyTable(values=dict(zip(cells, noisy, strict=True)), sigma=sigma, rho_spent=spent)


def spent_by_quarter(releases: Iterable[tuple[str, float]]) -> dict[str, float]:
    """ρ charged to each quarter by past releases ``(period code, ρ)``."""
    from skillpass.mobility.categories import parse_period

    spent: dict[str, float] = defaultdict(float)
    for period, rho in releases:
        for quarter in parse_period(period).quarters:
            spent[quarter] += rho
    return dict(spent)


def check_budget(budget: BudgetStatus, period: Period, rho: float) -> None:
    """Refuse a release of ``rho`` over ``period`` that would pass the year or a quarter cap.

    Raises:
        Conflict: Either cap would be exceeded; the message says what is left and what to do.
    """
    slack = 1e-12
    if budget.spent_year + rho > budget.rho_cap_year + slack:
        raise Conflict(
            f"Refused: releasing {period.code} with ρ={rho:g} would spend "
            f"{budget.spent_year + rho:g} of the {budget.cycle} cycle, above its yearly cap "
            f"ρ={budget.rho_cap_year:g} (left: {budget.remaining_year:g}). Reuse the tables "
            "already released, release with a smaller --rho, or wait for the next cycle.",
            details={"cycle": budget.cycle, "cap": "year", "left": budget.remaining_year},
        )
    for quarter in period.quarters:
        spent = budget.spent_by_quarter.get(quarter, 0.0)
        if spent + rho > budget.rho_cap_quarter + slack:
            left = budget.remaining_quarter(quarter)
            raise Conflict(
                f"Refused: releasing {period.code} with ρ={rho:g} would charge {quarter} "
                f"ρ={spent + rho:g}, above the quarterly cap ρ={budget.rho_cap_quarter:g} "
                f"(left: {left:g}). Earlier releases covering {quarter} (the same period, or a "
                "half or year containing it) already spent the rest. Reuse them, or release "
                "with a smaller --rho.",
                details={"cycle": budget.cycle, "cap": "quarter", "quarter": quarter, "left": left},
            )
