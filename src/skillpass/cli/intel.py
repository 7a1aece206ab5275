"""``skillpass intel …``: ingest job adverts and generate synthetic ones.

The Typer group :data:`intel_app` is shared: other modules (``cli/intel_indicators.py``) add their
commands to it with ``@intel_app.command(...)``; ``cli/main.py`` imports them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from skillpass.cli._common import RichProgress, console, err_console, open_app, print_json

__all__ = ["intel_app"]

intel_app = typer.Typer(
    help="Skills intelligence from job adverts: ingest, generate synthetic adverts, indicators.\n\n"
    "Example: skillpass intel generate --adverts 20000 --seed 1 --out adverts.csv",
    no_args_is_help=True,
)

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Store folder (default: <data dir>/intelligence).", show_default=False
    ),
]


@intel_app.command("ingest")
def ingest_command(
    files: Annotated[
        list[Path], typer.Argument(help="Advert files: .csv, .jsonl (JSON Lines) or .parquet.")
    ],
    store: StoreOption = None,
    mode: Annotated[
        str,
        typer.Option(
            "--mode", help="Matching mode: fast (bulk) or default (the engine's best, slower)."
        ),
    ] = "fast",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Ingest job adverts: check rows, remove re-posts and cross-posts, normalise titles to
    ESCO occupations, extract ESCO skills, tag capability areas, update the monthly cube.

    Bad rows are counted and listed with what to fix; the rest is ingested. A file already
    ingested into the store (same SHA-256) is skipped. Needs ESCO imported. Columns and the
    store's layout: docs/intelligence.md.

    Example: skillpass intel ingest adverts-2024-*.csv --store ./intel
    """
    app = open_app()
    try:
        with RichProgress() as progress:
            report = app.intelligence.ingest(files, store=store, mode=mode, progress=progress)
    finally:
        app.close()
    if as_json:
        print_json(report.model_dump(mode="json") | {"duplicates": report.duplicates})
        return
    for skipped in report.skipped_files:
        console.print(f"Skipped {escape(skipped)}: already ingested into this store.")
    if report.batch_id is None:
        console.print("Nothing new to ingest.")
        return
    table = Table(title=f"Batch {report.batch_id} ({report.mode} mode)", show_header=False)
    for label, value in (
        ("rows read", report.rows),
        ("rows rejected", report.rejected),
        ("re-posts removed", report.reposts),
        ("cross-posts removed", report.crossposts),
        ("already stored (same id)", report.resent),
        ("adverts written", report.adverts),
        ("advert x skill rows", report.skill_rows),
        ("titles matched to ESCO occupations", report.occupations),
        ("ISCO codes filled", report.isco_filled),
    ):
        table.add_row(label, f"{value:,}")
    table.add_row("seconds", f"{report.seconds:,.1f}")
    console.print(table)
    console.print(f"Store: {escape(report.store)}")
    if report.errors:
        shown = len(report.errors)
        err_console.print(
            f"[yellow]{report.rejected:,} row(s) rejected[/] (first {shown} below); "
            "fix them and ingest the corrected rows in a new file:"
        )
        for error in report.errors:
            err_console.print(f"  - {escape(str(error))}", soft_wrap=True)


@intel_app.command("generate")
def generate_command(
    adverts: Annotated[
        int, typer.Option("--adverts", "-n", help="Rows to write, re-posts included.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same file).")] = 0,
    out: Annotated[
        Path, typer.Option("--out", help="Output file: .csv, .jsonl or .parquet.")
    ] = Path("adverts.csv"),
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, jsonl or parquet (default: from --out's suffix)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Generate SYNTHETIC job adverts from ESCO occupation profiles over 36 months, with
    planted rising skills (batteries, AI), stable controls and planted re-posts/cross-posts;
    the ground truth goes to <out>.truth.json. Needs ESCO imported.

    Example: skillpass intel generate --adverts 20000 --seed 1 --out adverts.csv
    """
    app = open_app()
    try:
        with RichProgress() as progress:
            report = app.intelligence.generate(adverts, seed, out, fmt, progress=progress)
    finally:
        app.close()
    if as_json:
        print_json(report)
        return
    console.print(
        f"Wrote {report.adverts:,} SYNTHETIC adverts to {escape(report.out)} "
        f"({report.duplicates:,} planted re-posts and cross-posts)."
    )
    console.print(f"Ground truth: {escape(report.truth)}")
    console.print("Planted rising skills: " + escape(", ".join(report.emerging)))
