"""Aggregate commitments and their yearly progress into a dashboard (pure functions).

The community dashboard, an organisation's page and a partnership's page all use
:func:`aggregate` over a different set of commitments, so the numbers are computed one way.

* Totals: targets as committed, progress summed over every reported year.
* Trend: one row per reported year (the member survey's yearly results).
* Breakdowns by sector (NACE), region (NUTS) and capability area. A commitment in two sectors
  counts in both rows, like a survey question with several answers; the rows can add up to more
  than the totals, which count each commitment once. A commitment with no sector, region or
  area is counted under ``unspecified``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from skillpass.community.models import AreaRow, Commitment, Dashboard, DashboardTotals, YearRow

__all__ = ["UNSPECIFIED", "aggregate"]

#: The key of commitments that name no sector, region or area.
UNSPECIFIED = "unspecified"


def _rows(
    commitments: list[Commitment],
    keys: Callable[[Commitment], Iterable[str]],
    labels: Mapping[str, str],
) -> list[AreaRow]:
    grouped: dict[str, list[Commitment]] = defaultdict(list)
    for commitment in commitments:
        found = list(keys(commitment)) or [UNSPECIFIED]
        for key in found:
            grouped[key].append(commitment)
    rows = [
        AreaRow(
            key=key,
            label=labels.get(key, key),
            commitments=len(group),
            target_people=sum(c.target_people or 0 for c in group),
            people_reached=sum(c.people_reached for c in group),
            investment_eur=round(sum(c.investment_eur for c in group), 2),
        )
        for key, group in grouped.items()
    ]
    rows.sort(key=lambda row: (row.key == UNSPECIFIED, -row.people_reached, row.key))
    return rows


def aggregate(
    commitments: Iterable[Commitment],
    *,
    area_labels: Mapping[str, str] | None = None,
) -> Dashboard:
    """Totals, the yearly trend and breakdowns of a set of commitments.

    Args:
        commitments: The commitments (with their progress); duplicates by id count once.
        area_labels: Capability-area labels by id (ids are shown when missing).

    Returns:
        The dashboard.
    """
    unique = list({c.id: c for c in commitments}.values())
    years: dict[int, list[tuple[Commitment, int, float, int]]] = defaultdict(list)
    for commitment in unique:
        for progress in commitment.progress:
            years[progress.year].append(
                (
                    commitment,
                    progress.people_reached,
                    progress.investment_eur,
                    progress.courses_delivered,
                )
            )
    by_year = [
        YearRow(
            year=year,
            people_reached=sum(r[1] for r in rows),
            investment_eur=round(sum(r[2] for r in rows), 2),
            courses_delivered=sum(r[3] for r in rows),
            reporting_commitments=len(rows),
        )
        for year, rows in sorted(years.items())
    ]
    totals = DashboardTotals(
        organisations=len({c.organisation_id for c in unique}),
        commitments=len(unique),
        target_people=sum(c.target_people or 0 for c in unique),
        target_investment_eur=round(sum(c.target_investment_eur or 0 for c in unique), 2),
        target_training_places=sum(c.target_training_places or 0 for c in unique),
        people_reached=sum(row.people_reached for row in by_year),
        investment_eur=round(sum(row.investment_eur for row in by_year), 2),
        courses_delivered=sum(row.courses_delivered for row in by_year),
    )
    labels = dict(area_labels or {})
    labels.setdefault(UNSPECIFIED, "Not specified")
    return Dashboard(
        totals=totals,
        by_year=by_year,
        by_sector=_rows(unique, lambda c: c.sectors, {UNSPECIFIED: "Not specified"}),
        by_region=_rows(unique, lambda c: c.regions, {UNSPECIFIED: "Not specified"}),
        by_capability_area=_rows(
            unique, lambda c: [c.capability_area] if c.capability_area else [], labels
        ),
        synthetic_commitments=sum(1 for c in unique if c.synthetic),
    )
