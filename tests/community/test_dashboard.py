"""The dashboard aggregation against hand counts."""

from __future__ import annotations

from datetime import UTC, datetime

from skillpass.community.dashboard import UNSPECIFIED, aggregate
from skillpass.community.models import Commitment, Progress

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _commitment(
    cid: str,
    org: str,
    *,
    sectors: list[str],
    area: str | None,
    people: int,
    progress: list[tuple[int, int, float]],
) -> Commitment:
    return Commitment(
        id=cid,
        organisation_id=org,
        organisation_name=org.upper(),
        title=cid,
        capability_area=area,
        target_people=people,
        target_investment_eur=1000.0,
        target_year=2030,
        sectors=sectors,
        regions=["SE232"] if org == "a" else [],
        created_at=NOW,
        progress=[
            Progress(year=y, people_reached=p, investment_eur=i, reported_at=NOW)
            for y, p, i in progress
        ],
    )


def test_totals_trend_and_breakdowns_match_hand_counts() -> None:
    one = _commitment(
        "c1",
        "a",
        sectors=["C27", "C29"],
        area="batteries",
        people=100,
        progress=[(2023, 10, 500.0), (2024, 20, 700.0)],
    )
    two = _commitment("c2", "b", sectors=["C27"], area=None, people=50, progress=[(2024, 5, 0)])
    board = aggregate([one, two, one], area_labels={"batteries": "Batteries"})
    assert board.totals.commitments == 2  # the duplicate counts once
    assert board.totals.organisations == 2
    assert board.totals.target_people == 150
    assert board.totals.people_reached == 35
    assert board.totals.investment_eur == 1200.0
    assert [(r.year, r.people_reached, r.reporting_commitments) for r in board.by_year] == [
        (2023, 10, 1),
        (2024, 25, 2),
    ]
    sectors = {r.key: r.people_reached for r in board.by_sector}
    assert sectors == {"C27": 35, "C29": 30}  # a two-sector commitment counts in both
    areas = [(r.key, r.label, r.people_reached) for r in board.by_capability_area]
    assert areas == [("batteries", "Batteries", 30), (UNSPECIFIED, "Not specified", 5)]
    assert [r.key for r in board.by_region] == ["SE232", UNSPECIFIED]


def test_an_empty_community_has_zero_totals() -> None:
    board = aggregate([])
    assert board.totals.commitments == 0
    assert board.by_year == []
    assert board.by_sector == []
