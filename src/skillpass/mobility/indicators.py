"""Indicators computed only from released (noisy) tables — never from individual events.

Released counts are signed and unclamped, so sums and differences of them are unbiased; each
cell of a table has the same noise variance ``σ²`` (the tables are released with one scale), so
a sum of ``n`` cells has variance ``n σ²`` and a 95% interval of ``± 1.96 σ sqrt(n)``. Several
releases of the same quarter and table are combined by inverse-variance weighting (also only
post-processing). Ratios (net migration per 10,000, retention) get delta-method intervals and are
marked unreliable when their denominator's interval reaches zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from skillpass.mobility.categories import (
    AREA_LABELS,
    AREAS,
    EQF_LEVELS,
    PLACE_LABELS,
    PLACES,
    is_eu,
)
from skillpass.mobility.models import (
    CapabilityMixRow,
    CorridorFlow,
    CountryFlows,
    Estimate,
    LevelRow,
    ReleasedTable,
    TrendPoint,
)
from skillpass.mobility.release import CI95_Z

__all__ = [
    "NoisyCounts",
    "capability_mix",
    "combine",
    "corridors",
    "estimate",
    "flows_for",
    "levels",
    "matrix",
    "outside_summary",
    "ratio",
    "retention",
    "trend",
]

Key = tuple[str, ...]


@dataclass(frozen=True)
class NoisyCounts:
    """Released values of one table over one or more quarters, with the per-cell variance of a
    single quarter (every quarter is summed: variance per cell is ``variance * quarters``)."""

    values: Mapping[Key, float]
    variance: float
    synthetic: bool

    def sum(self, keys: Iterable[Key]) -> tuple[float, float]:
        """Sum and variance of some cells."""
        total, n = 0.0, 0
        for key in keys:
            total += self.values.get(key, 0.0)
            n += 1
        return total, n * self.variance


def combine(tables: Sequence[ReleasedTable]) -> NoisyCounts:
    """One quarter's table from its releases (inverse-variance weighted when several)."""
    weights = [1.0 / (t.sigma**2) for t in tables]
    total = sum(weights)
    keys = tables[0].values.keys()
    values = {
        key: sum(w * t.values.get(key, 0) for w, t in zip(weights, tables, strict=True)) / total
        for key in keys
    }
    return NoisyCounts(values, 1.0 / total, any(t.synthetic for t in tables))


def add(tables: Sequence[NoisyCounts]) -> NoisyCounts:
    """The sum of several quarters' tables (per-cell variances add)."""
    values: dict[Key, float] = {}
    for table in tables:
        for key, value in table.values.items():
            values[key] = values.get(key, 0.0) + value
    return NoisyCounts(values, sum(t.variance for t in tables), any(t.synthetic for t in tables))


def estimate(value: float, variance: float) -> Estimate:
    """An estimate with its 95% interval; reliable when the interval excludes zero."""
    half = CI95_Z * math.sqrt(max(variance, 0.0))
    low, high = value - half, value + half
    return Estimate(value=value, ci_low=low, ci_high=high, reliable=not low <= 0.0 <= high)


def ratio(
    numerator: tuple[float, float], denominator: tuple[float, float], scale: float = 1.0
) -> Estimate | None:
    """``scale * a / b`` with a delta-method interval; None when ``b`` is not positive."""
    a, var_a = numerator
    b, var_b = denominator
    if b <= 0:
        return None
    value = scale * a / b
    variance = scale**2 * (var_a / b**2 + (a**2) * var_b / b**4)
    result = estimate(value, variance)
    denominator_reaches_zero = b - CI95_Z * math.sqrt(var_b) <= 0
    if denominator_reaches_zero:
        return result.model_copy(update={"reliable": False})
    return result


def _in_keys(place: str, areas: Sequence[str]) -> list[Key]:
    return [(place, a, "in") for a in areas]


def _out_keys(place: str, areas: Sequence[str]) -> list[Key]:
    return [(place, a, "out") for a in areas]


def flows_for(
    place: str,
    flows: NoisyCounts,
    population: NoisyCounts | None = None,
    area: str | None = None,
) -> CountryFlows:
    """Inflow, outflow, net flow (and net per 10,000 of the active STEM population) of a place.

    Args:
        place: A place of the release domain.
        flows: The ``flows`` table (place × area × direction) over the chosen quarters.
        population: The population table (one quarter: the latest of the window).
        area: One capability area, or all of them.
    """
    areas = [area] if area else list(AREAS)
    inflow = flows.sum(_in_keys(place, areas))
    outflow = flows.sum(_out_keys(place, areas))
    net = (inflow[0] - outflow[0], inflow[1] + outflow[1])
    pop_estimate = per_10k = None
    if population is not None:
        pop = population.sum((place, a) for a in areas)
        pop_estimate = estimate(*pop)
        per_10k = ratio(net, pop, scale=10_000.0)
    return CountryFlows(
        place=place,
        label=PLACE_LABELS[place],
        area_id=area,
        inflow=estimate(*inflow),
        outflow=estimate(*outflow),
        net=estimate(*net),
        population=pop_estimate,
        net_per_10k=per_10k,
    )


def matrix(table: NoisyCounts, area: str | None = None) -> list[CorridorFlow]:
    """Every origin → destination corridor: from the ``corridors`` table (all areas) or, for one
    area, from the ``moves`` table."""

    def key(o: str, d: str) -> Key:
        return (o, d) if area is None else (o, d, area)

    return [
        CorridorFlow(origin=o, destination=d, flow=estimate(*table.sum([key(o, d)])))
        for o in PLACES
        for d in PLACES
        if o != d
    ]


def corridors(
    table: NoisyCounts,
    *,
    limit: int = 10,
    origin: str | None = None,
    destination: str | None = None,
    area: str | None = None,
) -> list[CorridorFlow]:
    """The largest corridors (optionally from or to one place), largest first.

    Args:
        table: The ``corridors`` table, or the ``moves`` table when ``area`` is given.
        limit: How many.
        origin: Only corridors from this place.
        destination: Only corridors to this place.
        area: One capability area.
    """
    rows = [
        row
        for row in matrix(table, area)
        if (origin is None or row.origin == origin)
        and (destination is None or row.destination == destination)
    ]
    rows.sort(key=lambda r: (-r.flow.value, r.origin, r.destination))
    return rows[:limit]


def capability_mix(flows: NoisyCounts, place: str) -> list[CapabilityMixRow]:
    """Arrivals and departures of each capability area, with each area's share.

    Shares are of the signed totals (noise can make a small area's share slightly negative).
    """
    arrivals = {a: flows.sum(_in_keys(place, [a])) for a in AREAS}
    departures = {a: flows.sum(_out_keys(place, [a])) for a in AREAS}
    total_in = sum(v for v, _ in arrivals.values())
    total_out = sum(v for v, _ in departures.values())
    return [
        CapabilityMixRow(
            area_id=a,
            label=AREA_LABELS[a],
            arrivals=estimate(*arrivals[a]),
            departures=estimate(*departures[a]),
            arrival_share=arrivals[a][0] / total_in if total_in > 0 else 0.0,
            departure_share=departures[a][0] / total_out if total_out > 0 else 0.0,
        )
        for a in AREAS
    ]


def trend(per_quarter: Sequence[tuple[str, NoisyCounts]], place: str) -> list[TrendPoint]:
    """A place's inflow, outflow and net flow quarter by quarter (``flows`` tables)."""
    points = []
    for period, flows in per_quarter:
        row = flows_for(place, flows)
        points.append(
            TrendPoint(period=period, inflow=row.inflow, outflow=row.outflow, net=row.net)
        )
    return points


def retention(
    place: str, population_before: NoisyCounts, flows_after: Sequence[NoisyCounts]
) -> Estimate | None:
    """Share of a place's active STEM population still there after ``len(flows_after)`` quarters.

    Computed as ``1 - departures / population``: departures summed over the following quarters,
    divided by the population of the quarter before them. It is a proxy from released tables
    (people who left and came back count as gone; people who left twice count twice).
    """
    pop = population_before.sum((place, a) for a in AREAS)
    out_value, out_var = 0.0, 0.0
    for flows in flows_after:
        value, variance = flows.sum(_out_keys(place, list(AREAS)))
        out_value += value
        out_var += variance
    share = ratio((out_value, out_var), pop)
    if share is None:
        return None
    return Estimate(
        value=1.0 - share.value,
        ci_low=1.0 - share.ci_high,
        ci_high=1.0 - share.ci_low,
        reliable=pop[0] - CI95_Z * math.sqrt(pop[1]) > 0,
    )


def levels(table: NoisyCounts, area: str | None = None) -> list[LevelRow]:
    """The ``levels`` table (area × EQF level) as rows per capability area, each cell and the
    area's total with its 95% interval.

    Args:
        table: The released ``levels`` table (one or more quarters).
        area: Only this capability area; None: every area of the framework.
    """
    rows = []
    for area_id in [area] if area is not None else AREAS:
        cells = [(area_id, level) for level in EQF_LEVELS]
        rows.append(
            LevelRow(
                area_id=area_id,
                label=AREA_LABELS[area_id],
                levels=[estimate(*table.sum([cell])) for cell in cells],
                total=estimate(*table.sum(cells)),
            )
        )
    return rows


def outside_summary(table: NoisyCounts) -> tuple[Estimate, Estimate, Estimate]:
    """From the ``corridors`` table: arrivals into the EU from outside, departures from the EU
    to outside, and moves between member states."""
    into = [(o, d) for o in PLACES if not is_eu(o) for d in PLACES if is_eu(d)]
    out_of = [(o, d) for o in PLACES if is_eu(o) for d in PLACES if not is_eu(d)]
    within = [(o, d) for o in PLACES if is_eu(o) for d in PLACES if is_eu(d) and d != o]
    return estimate(*table.sum(into)), estimate(*table.sum(out_of)), estimate(*table.sum(within))
