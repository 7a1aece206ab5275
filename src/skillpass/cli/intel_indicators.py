"""``skillpass intel indicators`` and ``skillpass intel emerging``: indicators of a store.

Adds its commands to the shared ``intel`` group of :mod:`skillpass.cli.intel`.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from skillpass.cli._common import console, open_app
from skillpass.cli.intel import intel_app
from skillpass.errors import InvalidInput
from skillpass.intelligence.analytics import IndicatorResult
from skillpass.intelligence.reports import PeriodName

__all__ = ["intel_app"]


class IndicatorName(StrEnum):
    """Indicators the command computes."""

    SHARE = "share"
    GROWTH = "growth"
    LOCATION_QUOTIENT = "location_quotient"
    SPECIALISATION = "specialisation"
    GENOME = "genome"
    SHORTAGE = "shortage"


class EngineChoice(StrEnum):
    """Engines."""

    DUCKDB = "duckdb"
    SPARK = "spark"


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Store folder (default: <data dir>/intelligence).", show_default=False
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="Comma-separated: country, region, sector, occupation; capability_area counts "
        "capability areas instead of single skills.",
    ),
]
EngineOption = Annotated[
    EngineChoice, typer.Option("--engine", help="duckdb (embedded) or spark (the spark extra).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV (all rows).")]
LimitOption = Annotated[
    int, typer.Option("--limit", min=1, help="Rows shown in the text table (JSON/CSV: all).")
]

#: Columns shown in the text table, per indicator (all columns go to JSON and CSV).
_SHOWN: dict[str, list[str]] = {
    "share": ["period", "label", "mentions", "adverts", "share"],
    "growth": [
        "period",
        "base_period",
        "label",
        "share",
        "base_share",
        "growth",
        "growth_low",
        "growth_high",
    ],
    "emerging": ["rank", "label", "mentions", "base_mentions", "share", "base_share", "lower"],
    "location_quotient": ["period", "label", "share", "reference_share", "lq"],
    "specialisation": ["period", "adverts", "items", "krugman"],
    "genome": ["rank", "label", "tf", "idf", "tfidf"],
    "shortage": ["label", "mentions", "demand_share", "supply", "supply_share", "signal"],
}
_KEYS = ("country", "nuts", "nace", "isco")


def _render(result: IndicatorResult, *, as_json: bool, as_csv: bool, limit: int) -> None:
    if as_json and as_csv:
        raise InvalidInput("Choose --json or --csv, not both.")
    if as_json:
        print(
            json.dumps(
                {
                    "indicator": result.indicator,
                    "engine": result.engine,
                    "store": str(result.store),
                    "synthetic": result.synthetic,
                    "rows": result.records(),
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    if as_csv:
        result.frame.to_csv(sys.stdout, index=False)
        return
    frame = result.frame
    keys = [k for k in _KEYS if k in frame.columns]
    shown = keys + [c for c in _SHOWN[result.indicator] if c in frame.columns]
    title = f"{result.indicator} ({result.engine}, {len(frame)} rows)"
    if result.synthetic:
        title += " — SYNTHETIC DATA"
    table = Table(title=title)
    for column in [*shown, "suppressed"]:
        table.add_column(column, overflow="fold")
    for row in frame.head(limit).itertuples(index=False):
        values = row._asdict()
        table.add_row(*(_cell(values[c]) for c in [*shown, "suppressed"]))
    console.print(table)
    if len(frame) > limit:
        console.print(f"{len(frame) - limit} more rows: use --csv or --json for all.")
    console.print(
        "Suppressed cells (fewer than 10 adverts or 3 employers) are blank; "
        "definitions: docs/indicators.md."
    )


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return escape(str(value))


@intel_app.command("indicators")
def indicators_command(
    indicator: Annotated[
        IndicatorName, typer.Option("--indicator", "-i", help="Which indicator.")
    ] = IndicatorName.SHARE,
    by: ByOption = None,
    period: Annotated[PeriodName, typer.Option("--period", help="Period length.")] = (
        PeriodName.MONTH
    ),
    engine: EngineOption = EngineChoice.DUCKDB,
    store: StoreOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    limit: LimitOption = 30,
) -> None:
    """Compute an indicator of skill demand from the ingested adverts.

    share: adverts mentioning a skill / adverts; growth: share vs. a year earlier with a 95%
    interval; location_quotient and specialisation: per region (the first --by dimension,
    default country); genome: most distinctive skills per occupation or sector (first --by,
    default occupation); shortage: demand share vs. supply on this platform (a signal). Cells
    with fewer than 10 adverts or 3 employers are suppressed. Definitions: docs/indicators.md.

    Example: skillpass intel indicators --by country,capability_area --period quarter --csv
    """
    app = open_app()
    try:
        result = app.indicators.compute(
            indicator.value, by=by, period=period.value, engine=engine.value, store=store
        )
    finally:
        app.close()
    _render(result, as_json=as_json, as_csv=as_csv, limit=limit)


@intel_app.command("emerging")
def emerging_command(
    by: ByOption = None,
    window: Annotated[
        int, typer.Option("--window", min=1, max=12, help="Recent months compared.")
    ] = 3,
    top: Annotated[int, typer.Option("--top", min=1, help="Items per group.")] = 10,
    min_mentions: Annotated[
        int, typer.Option("--min-mentions", min=1, help="Adverts needed in the recent window.")
    ] = 20,
    engine: EngineOption = EngineChoice.DUCKDB,
    store: StoreOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List emerging skills: the last --window months against the same months a year before,
    ranked by the lower 95% confidence bound of the log share ratio (only those above 0).

    Example: skillpass intel emerging --by country --window 3 --top 10
    """
    app = open_app()
    try:
        result = app.indicators.compute(
            "emerging",
            by=by,
            engine=engine.value,
            store=store,
            window=window,
            top=top,
            min_mentions=min_mentions,
        )
    finally:
        app.close()
    _render(result, as_json=as_json, as_csv=as_csv, limit=top * 50)
