"""``skillpass taxonomy …``: import ESCO, stats, search, show (capability commands live in
:mod:`skillpass.cli.capabilities` and register on the same group)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from skillpass.cli._common import RichProgress, console, open_app, print_json
from skillpass.errors import ConfigurationError
from skillpass.taxonomy.models import ImportReport, TaxonomyStats

__all__ = ["taxonomy_app"]

taxonomy_app = typer.Typer(
    help="ESCO skills and occupations: import, search, show, capability areas.\n\n"
    "Example: skillpass taxonomy search 'python' --type skill",
    no_args_is_help=True,
)

_NO_ESCO = (
    "No ESCO download given. Download the classification from "
    "https://esco.ec.europa.eu/en/use-esco/download (type 'classification', format 'CSV', "
    "language English first), then run `skillpass taxonomy import PATH` with the folder or .zip, "
    "or set SKILLPASS_ESCO=PATH and run `skillpass taxonomy import`."
)


@taxonomy_app.command(
    "import",
    help="Import an official ESCO CSV download (folder or .zip), in English or another "
    "language.\n\nThe English download creates the taxonomy; a download in another language "
    "(also just occupations_xx.csv or skills_xx.csv) adds its labels to the imported concepts. "
    "Re-importing the same version and content changes nothing; on any error the database is "
    "left as it was.\n\nExample: skillpass taxonomy import ../shared/data/esco-v1.2.0-en",
)
def import_command(
    path: Path | None = typer.Argument(
        None,
        help="Folder or .zip of an ESCO CSV download (default: SKILLPASS_ESCO).",
        show_default=False,
    ),
    version: str | None = typer.Option(
        None, "--version", help="ESCO version, e.g. 1.2.0 (default: read from the path name)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
) -> None:
    """Import an ESCO download; PATH defaults to SKILLPASS_ESCO (see the command help)."""
    app = open_app()
    try:
        source = path or app.settings.esco
        if source is None:
            raise ConfigurationError(_NO_ESCO)
        with RichProgress() as progress:
            report = app.taxonomy.import_esco(source, version=version, progress=progress)
    finally:
        app.close()
    if as_json:
        print_json(report)
    else:
        _print_report(report)


@taxonomy_app.command(
    "stats",
    help="Show what is imported: ESCO version, skills, occupations, relations, ISCO groups, "
    "languages.\n\nExample: skillpass taxonomy stats --json",
)
def stats_command(
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
) -> None:
    """Print the taxonomy statistics (see the command help)."""
    app = open_app()
    try:
        stats = app.taxonomy.stats()
    finally:
        app.close()
    if as_json:
        print_json(stats)
    else:
        _print_stats(stats)


def _print_report(report: ImportReport) -> None:
    style = "green" if report.changed else "yellow"
    console.print(f"[{style}]{report.message}[/]")
    table = Table(title=f"ESCO {report.version} ({report.language}, {report.kind})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in report.counts.items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    for key, value in report.skipped.items():
        table.add_row(f"[yellow]skipped: {key}[/]", f"{value:,}")
    table.add_row("seconds", f"{report.seconds:.1f}")
    console.print(table)


def _print_stats(stats: TaxonomyStats) -> None:
    if stats.version is None:
        console.print(
            "No ESCO taxonomy imported yet. Run `skillpass taxonomy import PATH` "
            "(see https://esco.ec.europa.eu/en/use-esco/download)."
        )
        return
    table = Table(title=f"ESCO {stats.version}")
    table.add_column("what")
    table.add_column("value", justify="right")
    rows = [
        ("skills", stats.skills),
        ("occupations", stats.occupations),
        ("occupation–skill relations", stats.relations),
        ("skill–skill relations", stats.skill_relations),
        ("skill groups", stats.skill_groups),
        ("ISCO groups", stats.isco_groups),
        ("capability members", stats.capability_members),
    ]
    for name, value in rows:
        table.add_row(name, f"{value:,}")
    table.add_row("languages", ", ".join(stats.languages))
    imported = stats.imported_at.strftime("%Y-%m-%d %H:%M UTC") if stats.imported_at else "-"
    table.add_row("last import", imported)
    console.print(table)
