"""Indicators from released tables only: hand-made noisy tables and a synthetic release."""

from __future__ import annotations

import math

import pytest

from skillpass.app import SkillPass
from skillpass.errors import NotFound
from skillpass.mobility import indicators as ind
from skillpass.mobility.categories import AREAS
from skillpass.storage.tables import mobility_events
from tests.mobility.conftest import generate


def test_flows_sum_signed_cells_and_their_variances() -> None:
    flows = ind.NoisyCounts(
        {("DE", "ict", "in"): 10.0, ("DE", "ai_data", "in"): -2.0, ("DE", "ict", "out"): 3.0},
        variance=4.0,
        synthetic=False,
    )
    population = ind.NoisyCounts({("DE", "ict"): 1000.0}, variance=1.0, synthetic=False)
    row = ind.flows_for("DE", flows, population)
    assert row.inflow.value == 8.0  # the negative cell is kept: no clamping
    n = len(AREAS)
    assert row.inflow.ci_high - row.inflow.value == pytest.approx(1.959964 * math.sqrt(4 * n))
    assert row.net.value == 5.0
    assert row.net_per_10k is not None
    assert row.net_per_10k.value == pytest.approx(5.0 / (1000.0) * 10_000, rel=1e-6)


def test_ratio_is_unreliable_when_the_denominator_reaches_zero() -> None:
    result = ind.ratio((5.0, 1.0), (3.0, 100.0))
    assert result is not None
    assert not result.reliable
    assert ind.ratio((5.0, 1.0), (-1.0, 1.0)) is None


def test_releases_are_combined_by_inverse_variance() -> None:
    from datetime import UTC, datetime

    from skillpass.mobility.models import QueryName, ReleasedTable

    def table(value: int, sigma: float) -> ReleasedTable:
        return ReleasedTable(
            release_id="x", query=QueryName.CORRIDORS, period="2026Q1", cycle="2026",
            dims=("origin", "destination"), mechanism="m", rho=1.0, contribution_bound=1,
            sigma=sigma, ci95=1.96 * sigma, synthetic=False, created_at=datetime.now(UTC),
            values={("DE", "FR"): value},
        )  # fmt: skip

    combined = ind.combine([table(10, 1.0), table(20, 2.0)])
    assert combined.values[("DE", "FR")] == pytest.approx((10 + 20 / 4) / 1.25)
    assert combined.variance == pytest.approx(1 / 1.25)


def test_indicators_read_only_released_tables(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound, match="release"):
        skillpass.mobility.overview()
    generate(skillpass)
    for quarter in ("2026Q1", "2026Q2"):
        skillpass.mobility.release(quarter, 0.25)
    # The individual events can go: every indicator comes from dp_releases.
    with skillpass.engine.begin() as conn:
        conn.execute(mobility_events.delete())
    overview = skillpass.mobility.overview()
    assert overview.periods == ["2026Q1", "2026Q2"]
    assert overview.synthetic
    assert overview.arrivals_from_outside.reliable
    assert overview.arrivals_from_outside.value > 0
    germany = skillpass.mobility.country("de")
    assert germany.flows.inflow.value > 0
    assert germany.flows.population is not None
    assert germany.flows.population.value > 1000
    assert [p.period for p in germany.trend] == ["2026Q1", "2026Q2"]
    assert germany.retention is not None  # departures in 2026Q2 of the 2026Q1 population
    assert 0.5 < germany.retention.value <= 1.05
    assert {row.area_id for row in germany.mix} == set(AREAS)
    assert germany.origins[0].destination == "DE"
    ict = skillpass.mobility.overview(area="ict")
    assert ict.area_id == "ict"
    with pytest.raises(NotFound):
        skillpass.mobility.country("ZZ")
    with pytest.raises(NotFound, match="2025Q4"):
        skillpass.mobility.overview(periods=["2025Q4"])


def test_levels_rows_give_each_eqf_cell_and_the_area_total_with_intervals() -> None:
    table = ind.NoisyCounts(
        {("ict", "6"): 40.0, ("ict", "7"): 3.0, ("ict", "5"): -2.0}, variance=4.0, synthetic=False
    )
    [row] = ind.levels(table, "ict")
    assert [e.value for e in row.levels] == [0, 0, 0, 0, -2, 40, 3, 0]
    six, seven = row.levels[5], row.levels[6]
    assert six.reliable
    assert six.ci_high - six.ci_low == pytest.approx(2 * 1.959964 * 2)
    assert not seven.reliable  # 3 ± 3.9: noise dominates
    assert row.total.value == 41
    assert row.total.ci_high - row.total.ci_low == pytest.approx(2 * 1.959964 * math.sqrt(8 * 4))
    assert [r.area_id for r in ind.levels(table)] == list(AREAS)
