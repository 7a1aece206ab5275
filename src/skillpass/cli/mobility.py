"""``skillpass mobility …``: release differentially private mobility tables and read them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from skillpass.cli._common import console, open_app, print_json
from skillpass.mobility.categories import AREAS, PLACE_LABELS, parse_period
from skillpass.mobility.models import Estimate
from skillpass.mobility.synthetic import SyntheticConfig

__all__ = ["mobility_app"]

mobility_app = typer.Typer(
    help="STEM talent mobility: differentially private releases of who moves where, with which "
    "capabilities.\n\nExample: skillpass mobility release --period 2026Q3",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
PeriodsOption = Annotated[
    list[str] | None,
    typer.Option("--period", help="A released quarter (repeat for several); default: latest four."),
]


def _fmt(estimate: Estimate) -> str:
    mark = "" if estimate.reliable else " ~"
    return f"{estimate.value:,.0f} ±{(estimate.ci_high - estimate.value):,.0f}{mark}"


@mobility_app.command("release")
def release_command(
    period: Annotated[str, typer.Option(help="A quarter (2026Q3), a half (2026H2) or a year.")],
    rho: Annotated[
        float | None, typer.Option(help="zCDP budget of this release (default 0.25).", min=0.0)
    ] = None,
    levels: Annotated[
        bool,
        typer.Option(
            "--levels",
            help="Also release the capability area × EQF level table of verified and "
            "recognised credentials (10% of ρ; the other tables share the rest).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Release the period's tables with differential privacy and record them in the audit.

    Refused when the release would pass the cycle's yearly or quarterly ρ cap (repeated and
    overlapping releases count against the same caps).

    Example: skillpass mobility release --period 2026Q3 --rho 0.2 --levels
    """
    app = open_app()
    try:
        result = app.mobility.release(period, rho, levels=levels)
    finally:
        app.close()
    if as_json:
        print_json(
            {
                "period": result.period,
                "rho": result.rho,
                "tables": [
                    {k: v for k, v in t.model_dump(mode="json").items() if k != "values"}
                    for t in result.tables
                ],
                "budget": result.budget,
            }
        )
        return
    table = Table("table", "ρ", "σ per cell", "95% ±", "cells shown", "id")
    for released in result.tables:
        shown = sum(1 for c in released.cells() if not c.suppressed)
        table.add_row(
            released.query.value,
            f"{released.rho:.4g}",
            f"{released.sigma:.2f}",
            f"{released.ci95:.1f}",
            f"{shown:,} of {len(released.values):,}",
            released.release_id,
        )
    console.print(table)
    budget = result.budget
    console.print(
        f"Released {result.period}{' (synthetic data)' if result.tables[0].synthetic else ''}: "
        f"ρ={result.rho:.4g}. Cycle {budget.cycle}: spent {budget.spent_year:.4g} of "
        f"{budget.rho_cap_year:g} this year."
    )


@mobility_app.command("flows")
def flows_command(
    periods: PeriodsOption = None,
    area: Annotated[
        str | None, typer.Option(help=f"One capability area: {', '.join(AREAS)}.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Inflows, outflows and net flows per place and the top corridors, from released tables.

    Counts are noisy (signed, never clamped); ± is the 95% interval; ~ marks estimates whose
    interval includes zero.

    Example: skillpass mobility flows --period 2026Q2 --period 2026Q3 --area ai_data
    """
    app = open_app()
    try:
        overview = app.mobility.overview(periods, area)
    finally:
        app.close()
    if as_json:
        print_json(overview)
        return
    label = " (synthetic data)" if overview.synthetic else ""
    table = Table(
        "place", "inflow", "outflow", "net", "net per 10,000",
        title=f"STEM mobility {', '.join(overview.periods)}{label}",
    )  # fmt: skip
    for row in overview.countries:
        per = _fmt(row.net_per_10k) if row.net_per_10k else "–"
        table.add_row(escape(row.label), _fmt(row.inflow), _fmt(row.outflow), _fmt(row.net), per)
    console.print(table)
    corridors = Table("from", "to", "people", title="Top corridors")
    for corridor in overview.corridors[:10]:
        corridors.add_row(
            PLACE_LABELS[corridor.origin], PLACE_LABELS[corridor.destination], _fmt(corridor.flow)
        )
    console.print(corridors)
    console.print(
        f"Into the EU from outside: {_fmt(overview.arrivals_from_outside)}; out of the EU: "
        f"{_fmt(overview.departures_to_outside)}; between member states: "
        f"{_fmt(overview.within_eu)}."
    )


@mobility_app.command("country")
def country_command(
    place: Annotated[str, typer.Argument(help="An EU country (DE) or a world region (XA).")],
    periods: PeriodsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who arrives in a place, who leaves, with which capabilities — from released tables.

    Example: skillpass mobility country NL
    """
    app = open_app()
    try:
        info = app.mobility.country(place, periods)
    finally:
        app.close()
    if as_json:
        print_json(info)
        return
    console.print(
        f"[bold]{escape(info.label)}[/bold] {', '.join(info.periods)}"
        f"{' (synthetic data)' if info.synthetic else ''}: in {_fmt(info.flows.inflow)}, out "
        f"{_fmt(info.flows.outflow)}, net {_fmt(info.flows.net)}."
    )
    table = Table("capability area", "arrivals", "departures")
    for row in info.mix:
        table.add_row(escape(row.label), _fmt(row.arrivals), _fmt(row.departures))
    console.print(table)


@mobility_app.command("generate")
def generate_command(
    people: Annotated[int, typer.Option(help="Synthetic people.", min=1)] = 20_000,
    start: Annotated[str, typer.Option(help="First quarter.")] = "2025Q1",
    quarters: Annotated[int, typer.Option(help="Quarters to generate.", min=1, max=40)] = 8,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 2026,
) -> None:
    """Replace the synthetic mobility events with a new generated set (labelled synthetic).

    Example: skillpass mobility generate --people 50000 --start 2025Q1 --quarters 8
    """
    config = SyntheticConfig(people=people, start=parse_period(start), quarters=quarters, seed=seed)
    app = open_app()
    try:
        summary = app.mobility.generate_synthetic(config)
    finally:
        app.close()
    counts = ", ".join(f"{n:,} {kind}" for kind, n in sorted(summary.events.items()))
    console.print(
        f"Generated synthetic events for {summary.people:,} people over "
        f"{summary.periods[0]}–{summary.periods[-1]}: {counts}. Release them with "
        f"`skillpass mobility release --period {summary.periods[-1]}`."
    )


@mobility_app.command("import-official")
def import_official_command(
    path: Annotated[Path, typer.Argument(help="CSV: origin,destination,field,year,count,source.")],
    source: Annotated[
        str | None, typer.Option(help="Source for rows without one (default: file name).")
    ] = None,
) -> None:
    """Import official aggregate statistics (e.g. Eurostat) to show beside released flows.

    Example: skillpass mobility import-official eurostat_stem_2024.csv --source Eurostat
    """
    app = open_app()
    try:
        result = app.mobility.import_official(path, source=source)
    finally:
        app.close()
    console.print(
        f"Imported {result.rows:,} official row(s) from {escape(', '.join(result.sources))}."
    )


@mobility_app.command("budget")
def budget_command(
    year: Annotated[str, typer.Argument(help="The cycle (a calendar year).")],
    year_cap: Annotated[float | None, typer.Option("--year-cap", help="New yearly ρ cap.")] = None,
    quarter_cap: Annotated[
        float | None, typer.Option("--quarter-cap", help="New quarterly ρ cap.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show a cycle's privacy budget, or set its caps (both caps together).

    Example: skillpass mobility budget 2026 --year-cap 1.0 --quarter-cap 0.5
    """
    app = open_app()
    try:
        if year_cap is not None or quarter_cap is not None:
            if year_cap is None or quarter_cap is None:
                raise typer.BadParameter("Give both --year-cap and --quarter-cap.")
            status = app.mobility.set_budget(year, year_cap, quarter_cap)
        else:
            status = app.mobility.budget(year)
    finally:
        app.close()
    if as_json:
        print_json(status)
        return
    console.print(
        f"Cycle {status.cycle}: spent ρ={status.spent_year:.4g} of {status.rho_cap_year:g} "
        f"(quarterly cap {status.rho_cap_quarter:g})."
    )
    for quarter in (f"{status.cycle}Q{q}" for q in range(1, 5)):
        console.print(
            f"  {quarter}: spent {status.spent_by_quarter.get(quarter, 0.0):.4g}, "
            f"left {status.remaining_quarter(quarter):.4g}"
        )


@mobility_app.command("releases")
def releases_command(
    period: Annotated[str | None, typer.Option(help="Only this period.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List every release (the audit): table, period, ρ, noise scale.

    Example: skillpass mobility releases --period 2026Q3
    """
    app = open_app()
    try:
        releases = app.mobility.releases(period)
    finally:
        app.close()
    rows = [{k: v for k, v in t.model_dump(mode="json").items() if k != "values"} for t in releases]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "period", "table", "ρ", "σ", "k", "synthetic", "released at")
    for t in releases:
        table.add_row(
            t.release_id, t.period, t.query.value, f"{t.rho:.4g}", f"{t.sigma:.2f}",
            str(t.contribution_bound), "yes" if t.synthetic else "no",
            t.created_at.strftime("%Y-%m-%d %H:%M"),
        )  # fmt: skip
    console.print(table)
