"""The release job: bounding, the noise and its documented error, the budget accountant, and
the differencing attack on cumulative tables."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from skillpass.app import SkillPass
from skillpass.errors import Conflict
from skillpass.mobility.categories import parse_period, place_of
from skillpass.mobility.models import EventKind, MobilityEvent, QueryName
from skillpass.mobility.release import (
    CI95_Z,
    LEVELS_SHARE,
    QUERY_SHARES,
    bound_contributions,
    check_budget,
    domain,
    event_cells,
    l2_sensitivity,
    query_shares,
    release_counts,
)
from skillpass.mobility.synthetic import generate_events
from skillpass.storage.tables import dp_releases
from tests.mobility.conftest import CONCENTRATED, generate


def test_bounding_keeps_the_first_k_events_and_one_count_per_cell() -> None:
    cells = set(domain(QueryName.MOVES))
    rows = [
        ("p", (("DE", "FR", "ict"),)),
        ("p", (("DE", "FR", "ict"),)),  # same cell again: not counted twice
        ("p", (("FR", "ES", "ict"),)),
        ("p", (("ES", "PL", "ict"),)),  # third event: over the bound of 2
        ("q", (("DE", "FR", "ict"),)),
        ("q", (("DE", "ZZ", "ict"),)),  # outside the domain: ignored
    ]
    counts = bound_contributions(rows, 2, cells)
    assert counts == {("DE", "FR", "ict"): 2, ("FR", "ES", "ict"): 1}


def test_opendp_spends_no_more_than_asked() -> None:
    cells = domain(QueryName.POPULATION)
    sensitivity = l2_sensitivity(QueryName.FLOWS, 2)
    assert sensitivity == 2.0
    noisy = release_counts({}, cells, rho=0.05, sensitivity=sensitivity)
    assert noisy.rho_spent <= 0.05 * (1 + 1e-9)
    assert noisy.sigma == pytest.approx(2.0 / math.sqrt(0.1))
    assert set(noisy.values) == set(cells)
    assert all(isinstance(v, int) for v in noisy.values.values())


def _truth(query: QueryName, quarter: str) -> Counter[tuple[str, ...]]:
    """Bounded true counts of the concentrated synthetic data (the test's own oracle)."""
    period = parse_period(quarter)
    kinds = {
        QueryName.POPULATION: {EventKind.ACTIVE},
        QueryName.VERIFICATIONS: {EventKind.VERIFICATION, EventKind.RECOGNITION},
        QueryName.LEVELS: {EventKind.VERIFICATION, EventKind.RECOGNITION},
    }.get(query, {EventKind.MOVE})
    events = sorted(
        (
            e
            for e in generate_events(CONCENTRATED)
            if e.kind in kinds and period.start <= e.occurred_at < period.end
        ),
        key=lambda e: e.occurred_at,
    )
    rows = [
        (
            e.person_key,
            event_cells(query, place_of(e.origin), place_of(e.destination), e.area_id, e.eqf),
        )
        for e in events
    ]
    from skillpass.mobility.release import DEFAULT_BOUNDS

    return Counter(bound_contributions(rows, DEFAULT_BOUNDS[query], set(domain(query))))


def test_released_cells_are_within_the_documented_error_of_the_truth(
    skillpass: SkillPass,
) -> None:
    generate(skillpass)
    result = skillpass.mobility.release("2026Q2", 0.25)
    large = 0
    for table in result.tables:
        truth = _truth(table.query, "2026Q2")
        errors = [table.values[key] - truth.get(key, 0) for key in table.values]
        inside = sum(abs(e) <= table.ci95 for e in errors) / len(errors)
        # The documented 95% interval holds over every cell of every table …
        assert 0.92 <= inside <= 0.98, (table.query, inside)
        assert abs(sum(errors) / len(errors)) < 4 * table.sigma / math.sqrt(len(errors))
        # … and large cells are released as large, within ±4.5σ (never beyond by chance here).
        for key, count in truth.items():
            if count >= 50:
                large += 1
                assert abs(table.values[key] - count) <= 4.5 * table.sigma
                assert table.values[key] > table.ci95  # not suppressed
    assert large >= 30
    assert all(t.synthetic for t in result.tables)


def test_every_release_is_audited_with_its_parameters(skillpass: SkillPass) -> None:
    result = skillpass.mobility.release("2026Q3", 0.2)
    with skillpass.engine.connect() as conn:
        rows = conn.execute(dp_releases.select()).mappings().all()
    assert {r["query"] for r in rows} == {q.value for q in QUERY_SHARES}  # not the optional one
    assert sum(r["rho"] for r in rows) == pytest.approx(0.2)
    assert all(r["mechanism"] == "discrete_gaussian_zcdp" for r in rows)
    assert all('"sigma"' in r["parameters"] for r in rows)
    assert result.budget.spent_by_quarter == {"2026Q3": pytest.approx(0.2)}


def test_the_accountant_refuses_a_release_over_the_quarter_cap(skillpass: SkillPass) -> None:
    skillpass.mobility.set_budget("2026", 1.0, 0.5)
    skillpass.mobility.release("2026Q3", 0.3)
    with pytest.raises(Conflict, match="quarterly cap"):
        skillpass.mobility.release("2026Q3", 0.3)  # a repeated query
    skillpass.mobility.release("2026Q3", 0.2)  # exactly up to the cap is allowed
    with pytest.raises(Conflict, match="2026Q3"):
        skillpass.mobility.release("2026H2", 0.01)  # an overlapping query
    assert len(skillpass.mobility.releases()) == 2 * len(QUERY_SHARES)


def test_the_accountant_refuses_a_release_over_the_year_cap(skillpass: SkillPass) -> None:
    skillpass.mobility.set_budget("2026", 0.6, 0.5)
    skillpass.mobility.release("2026Q1", 0.3)
    skillpass.mobility.release("2026Q2", 0.3)
    with pytest.raises(Conflict, match="yearly cap"):
        skillpass.mobility.release("2026Q3", 0.1)
    status = skillpass.mobility.budget("2026")
    assert status.spent_year == pytest.approx(0.6)
    assert skillpass.mobility.budget("2027").spent_year == 0.0


def test_check_budget_is_refused_before_any_noise_is_drawn(skillpass: SkillPass) -> None:
    status = skillpass.mobility.budget("2026")
    with pytest.raises(Conflict):
        check_budget(status, parse_period("2026"), status.rho_cap_quarter + 0.01)


def _one_move(person: str, month: int, day: int = 10) -> MobilityEvent:
    return MobilityEvent(
        kind=EventKind.MOVE,
        person_key=person,
        origin="PT",
        destination="LU",
        area_id="quantum",
        occurred_at=datetime(2026, month, day, tzinfo=UTC),
    )


def test_small_cell_suppression_alone_is_defeated_by_differencing() -> None:
    """The docs' worked example: two cumulative tables, each with every published cell ≥ 5."""
    events = [_one_move(f"p{i}", 7) for i in range(6)] + [_one_move("target", 11)]

    def cumulative(until_month: int, threshold: int = 5) -> int | None:
        count = sum(1 for e in events if e.occurred_at.month <= until_month)
        return count if count >= threshold else None  # small-cell suppression

    july_to_september, july_to_december = cumulative(9), cumulative(12)
    assert (july_to_september, july_to_december) == (6, 7)  # both published
    assert july_to_december - july_to_september == 1  # the target's move is exposed


def test_differencing_overlapping_dp_releases_is_refused_or_noise_dominated(
    skillpass: SkillPass,
) -> None:
    """The same attack on DP releases: the overlapping release fits the budget only once, and the
    difference of the two tables is noise-dominated at the target's cell."""
    events = [_one_move(f"p{i}", 8) for i in range(6)] + [_one_move("target", 11)]
    skillpass.mobility.repository.add_events(events, "test")
    cell = ("PT", "LU", "quantum")
    q3 = skillpass.mobility.release("2026Q3", 0.25)
    h2 = skillpass.mobility.release("2026H2", 0.25)  # overlaps Q3: Q3 is now at its cap
    with pytest.raises(Conflict):
        skillpass.mobility.release("2026H2", 0.25)  # a third look at Q3 is refused
    with pytest.raises(Conflict):
        skillpass.mobility.release("2026", 0.01)
    moves_q3 = next(t for t in q3.tables if t.query is QueryName.MOVES)
    moves_h2 = next(t for t in h2.tables if t.query is QueryName.MOVES)
    difference_sd = math.hypot(moves_q3.sigma, moves_h2.sigma)
    # The target contributes 1 to the difference; the difference's 95% half-width is ~11.
    assert CI95_Z * difference_sd > 10
    assert isinstance(moves_h2.values[cell] - moves_q3.values[cell], int)

    # The attacker's best test ("difference ≥ 0.5 means the target moved"), run on many draws
    # of the same mechanism with and without the target, is barely better than a coin.
    rng = random.Random(1)
    right = 0
    trials = 400
    for _ in range(trials):
        present = rng.random() < 0.5
        a = release_counts({cell: 6}, [cell], rho=moves_q3.rho, sensitivity=math.sqrt(2))
        b = release_counts(
            {cell: 6 + int(present)}, [cell], rho=moves_h2.rho, sensitivity=math.sqrt(2)
        )
        guess = (b.values[cell] - a.values[cell]) >= 0.5
        right += guess == present
    # Theory: Φ(1 / (2 · sd)) ≈ 0.55 for sd ≈ 5.7; allow sampling error.
    assert right / trials < 0.62


def test_the_levels_table_is_optional_and_spends_no_more_rho(skillpass: SkillPass) -> None:
    assert sum(query_shares(levels=True).values()) == pytest.approx(1.0)
    plain = skillpass.mobility.release("2026Q3", 0.2)
    with_levels = skillpass.mobility.release("2026Q4", 0.2, levels=True)
    assert QueryName.LEVELS not in {t.query for t in plain.tables}
    assert with_levels.rho == pytest.approx(0.2)
    assert with_levels.budget.spent_by_quarter["2026Q4"] == pytest.approx(0.2)
    tables = {t.query: t for t in with_levels.tables}
    levels = tables[QueryName.LEVELS]
    assert levels.dims == ("area", "eqf")
    assert len(levels.values) == 15 * 8  # every area × EQF 1–8, empty or not
    assert levels.rho == pytest.approx(0.2 * LEVELS_SHARE)
    assert levels.sigma == pytest.approx(2 / math.sqrt(2 * 0.2 * LEVELS_SHARE), rel=1e-6)
    # the other tables keep their proportions of the rest, so their σ grows by 1/√0.9
    before = {t.query: t.sigma for t in plain.tables}
    for query, sigma in before.items():
        assert tables[query].sigma == pytest.approx(sigma / math.sqrt(1 - LEVELS_SHARE))


def test_events_without_an_eqf_level_are_not_in_the_levels_table() -> None:
    assert event_cells(QueryName.LEVELS, "LT", "DE", "ict", 6) == (("ict", "6"),)
    assert event_cells(QueryName.LEVELS, "LT", "DE", "ict", None) == ()
    assert event_cells(QueryName.LEVELS, "LT", "DE", "ict", 9) == ()
    assert event_cells(QueryName.LEVELS, "DE", "DE", "ict", 6) == ()


def test_released_levels_are_within_the_documented_error_of_the_truth(
    skillpass: SkillPass,
) -> None:
    generate(skillpass)
    result = skillpass.mobility.release("2026Q2", 0.25, levels=True)
    table = next(t for t in result.tables if t.query is QueryName.LEVELS)
    truth = _truth(QueryName.LEVELS, "2026Q2")
    assert sum(truth.values()) > 0
    errors = [table.values[key] - truth.get(key, 0) for key in table.values]
    inside = sum(abs(e) <= table.ci95 for e in errors) / len(errors)
    assert inside >= 0.85, inside  # 120 cells: 95% expected, binomial spread ±2%
    for key, count in truth.items():
        assert abs(table.values[key] - count) <= 4.5 * table.sigma
