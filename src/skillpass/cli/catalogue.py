"""``skillpass catalogue …``: import, generate and search learning opportunities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from skillpass.cli._common import RichProgress, console, err_console, open_app, print_json
from skillpass.pathways.models import Opportunity, OpportunityMode, OpportunityQuery

__all__ = ["catalogue_app"]

catalogue_app = typer.Typer(
    help="The learning-opportunity catalogue: import, generate synthetic courses, search.\n\n"
    "Example: skillpass catalogue search --area batteries --country DE",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@catalogue_app.command("import")
def import_command(
    path: Annotated[
        Path, typer.Argument(help="A CSV, JSON (array) or JSON Lines file of opportunities.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Import opportunities from a file; rows with an id update that opportunity.

    Every row is checked first (fields, ESCO skill URIs, prerequisite ids); if any row has a
    problem, each is listed with its row number and nothing is written. Columns and an example
    file: docs/catalogue.md.

    Example: skillpass catalogue import courses.csv
    """
    app = open_app()
    try:
        with RichProgress() as progress:
            result = app.catalogue.import_file(path, progress=progress)
    finally:
        app.close()
    if as_json:
        print_json(result)
    elif result.errors:
        err_console.print(
            f"[bold red]{len(result.errors)} problem(s) in {escape(path.name)}; "
            "nothing was imported.[/] Fix them and import again:"
        )
        for error in result.errors:
            err_console.print(f"  - {escape(error)}", soft_wrap=True)
    else:
        console.print(
            f"Imported {result.rows:,} rows: {result.created:,} created, "
            f"{result.updated:,} updated."
        )
    if result.errors:
        raise typer.Exit(1)


@catalogue_app.command("generate")
def generate_command(
    count: Annotated[int, typer.Option("--count", "-n", help="How many opportunities.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same courses).")] = 0,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Remove the synthetic opportunities generated before."),
    ] = False,
) -> None:
    """Generate a synthetic demo catalogue from ESCO occupation profiles (needs ESCO imported).

    Courses span the capability areas and EU countries with plausible providers, languages,
    modes, hours, costs and EQF levels; every one is marked synthetic.

    Example: skillpass catalogue generate --count 500 --seed 1
    """
    app = open_app()
    try:
        with RichProgress() as progress:
            written = app.catalogue.generate_synthetic(
                count, seed, progress=progress, replace=replace
            )
    finally:
        app.close()
    console.print(f"Generated {written:,} synthetic opportunities (seed {seed}).")


def _table(found: list[Opportunity], total: int) -> Table:
    table = Table(title=f"Learning opportunities ({len(found)} of {total:,})")
    table.add_column("Title, provider (id)", min_width=24, overflow="fold")
    table.add_column("Where, mode")
    table.add_column("Hours", justify="right")
    table.add_column("EQF", justify="right")
    table.add_column("EUR", justify="right")
    for o in found:
        title = escape(o.title) + (" (synthetic)" if o.synthetic else "")
        table.add_row(
            f"{title}\n[dim]{escape(o.provider)} ({o.id})[/]",
            f"{o.country} ({','.join(o.languages)}), {o.mode.value}",
            f"{o.hours:g}",
            str(o.eqf or "—"),
            f"{o.cost_eur:,.0f}",
        )
    return table


@catalogue_app.command("search")
def search_command(
    text: Annotated[
        str | None, typer.Argument(help="Words in the title, provider, description or skills.")
    ] = None,
    skill: Annotated[str | None, typer.Option(help="An ESCO skill URI among the outcomes.")] = None,
    area: Annotated[str | None, typer.Option(help="A capability area id, e.g. batteries.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. DE.")] = None,
    language: Annotated[str | None, typer.Option(help="ISO 639-1 code, e.g. en.")] = None,
    mode: Annotated[OpportunityMode | None, typer.Option(help="How it is delivered.")] = None,
    max_cost: Annotated[float | None, typer.Option(help="Highest cost in EUR.")] = None,
    eqf: Annotated[int | None, typer.Option(help="EQF level, 1-8.", min=1, max=8)] = None,
    limit: Annotated[int, typer.Option(help="How many to show.", min=1, max=500)] = 20,
    offset: Annotated[int, typer.Option(help="Skip this many first.", min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """Search and filter the catalogue (filters combine with AND).

    Example: skillpass catalogue search battery --country DE --mode online --max-cost 1000
    """
    query = OpportunityQuery(
        text=text,
        skill=skill,
        capability_area=area,
        country=country,
        language=language,
        mode=mode,
        max_cost_eur=max_cost,
        eqf=eqf,
        limit=limit,
        offset=offset,
    )
    app = open_app()
    try:
        found, total = app.catalogue.search(query)
    finally:
        app.close()
    if as_json:
        print_json({"total": total, "opportunities": found})
        return
    if not found:
        console.print(
            "No opportunity matches. Loosen the filters, import a catalogue "
            "(`skillpass catalogue import FILE`) or generate a demo one "
            "(`skillpass catalogue generate`)."
        )
        return
    console.print(_table(found, total))
