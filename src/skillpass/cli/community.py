"""``skillpass community …``: the support services' tools for the Pact for Skills community."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from skillpass.cli._common import console, open_app, print_json

__all__ = ["community_app"]

community_app = typer.Typer(
    help="The Pact for Skills community: export, import, synthetic seed, dashboard.\n\n"
    "Example: skillpass community export --out community.json",
    no_args_is_help=True,
)


@community_app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="The JSON file to write.")],
) -> None:
    """Export the whole community as one JSON file.

    Organisations with their profiles, commitments with progress, partnerships, published
    practices and posts (format ``skillpass-community/1``). The file contains contact
    e-mails: keep it safe.

    Example: skillpass community export --out community.json
    """
    app = open_app()
    try:
        counts = app.community.export_file(out)
    finally:
        app.close()
    made = ", ".join(f"{n} {what}" for what, n in counts.items())
    console.print(f"Wrote {escape(str(out))}: {made}.")


@community_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A file written by `skillpass community export`.")],
) -> None:
    """Import a community export file.

    Organisations are matched by name and country, partnerships by name, practices and posts
    by title; what exists is kept. Everything is checked first; with any problem, all are
    listed and nothing is imported.

    Example: skillpass community import community.json
    """
    app = open_app()
    try:
        report = app.community.import_file(path)
    finally:
        app.close()
    console.print(
        f"Imported from {escape(path.name)}: {report.organisations_created} new organisation(s) "
        f"({report.organisations_matched} matched), {report.commitments} commitment(s) with "
        f"{report.progress_reports} progress report(s), {report.partnerships} partnership(s), "
        f"{report.practices} practice(s), {report.posts} post(s)."
    )


@community_app.command("seed")
def seed_command(
    synthetic: Annotated[
        bool,
        typer.Option(
            "--synthetic",
            help="Required: the seed is invented data, labelled synthetic everywhere.",
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the random numbers.")] = 7,
) -> None:
    """Add a synthetic community, every item labelled synthetic.

    Organisations, commitments with three years of progress, two partnerships, practices,
    news and an event. Running it again adds nothing.

    Example: skillpass community seed --synthetic
    """
    if not synthetic:
        raise typer.BadParameter(
            "the seed only makes invented data; say so with --synthetic", param_hint="--synthetic"
        )
    app = open_app()
    try:
        report = app.community.seed_synthetic(seed)
    finally:
        app.close()
    console.print(
        f"Synthetic community: {report.organisations} organisation(s) added "
        f"({report.skipped_organisations} existed), {report.commitments} commitment(s), "
        f"{report.progress_reports} progress report(s), {report.partnerships} partnership(s), "
        f"{report.practices} practice(s), {report.posts} post(s). All are labelled synthetic."
    )


@community_app.command("dashboard")
def dashboard_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show the community's totals and yearly trend (the member survey results).

    Example: skillpass community dashboard --json
    """
    app = open_app()
    try:
        found = app.community.organisations.dashboard()
    finally:
        app.close()
    if as_json:
        print_json(found)
        return
    t = found.totals
    console.print(
        f"{t.organisations} organisation(s), {t.commitments} commitment(s): "
        f"{t.people_reached:,} of {t.target_people:,} people reached, "
        f"EUR {t.investment_eur:,.0f} of EUR {t.target_investment_eur:,.0f} invested."
    )
    table = Table("Year", "People reached", "Investment (EUR)", "Courses")
    for row in found.by_year:
        table.add_row(
            str(row.year),
            f"{row.people_reached:,}",
            f"{row.investment_eur:,.0f}",
            str(row.courses_delivered),
        )
    console.print(table)
