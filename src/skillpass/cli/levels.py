"""``skillpass levels …``: EQF levels, national frameworks referenced to EQF, comparison."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from skillpass.cli._common import console, open_app, print_json
from skillpass.qualifications.models import (
    CountryFrameworks,
    EqfLevel,
    LevelComparison,
    NationalFramework,
)

__all__ = ["levels_app"]

levels_app = typer.Typer(
    help="Qualification levels: EQF, national frameworks referenced to EQF, comparison.\n\n"
    "Example: skillpass levels compare SE 5 --to DE",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
_STATUS_STYLE = {"complete": "green", "partial": "yellow", "missing": "red"}


def _eqf_table(levels: list[EqfLevel]) -> Table:
    table = Table(title="European Qualifications Framework (EQF)", show_lines=True)
    table.add_column("EQF", justify="right", style="bold")
    table.add_column("Knowledge")
    table.add_column("Skills")
    table.add_column("Responsibility and autonomy")
    table.add_column("QF-EHEA cycle; ECTS")
    for level in levels:
        cycle = level.qf_ehea_cycle or ""
        if level.typical_ects:
            cycle += f"; ECTS: {level.typical_ects}"
        table.add_row(
            str(level.level),
            level.knowledge,
            level.skills,
            level.responsibility_autonomy,
            cycle,
        )
    return table


@levels_app.command("eqf")
def eqf_command(
    level: Annotated[
        int | None, typer.Argument(help="One EQF level, 1-8; all when omitted.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the EQF levels with their descriptors (knowledge, skills, responsibility).

    Descriptors are short paraphrases of Annex II of the 2017 EQF Recommendation; quote the
    Official Journal for legal use.

    Example: skillpass levels eqf 5
    """
    app = open_app()
    try:
        service = app.qualifications
        levels = [service.eqf_level(level)] if level is not None else service.eqf_levels()
    finally:
        app.close()
    if as_json:
        print_json(levels[0] if level is not None else levels)
        return
    console.print(_eqf_table(levels))
    sources = dict.fromkeys(s for lvl in levels for s in lvl.sources)
    console.print("[dim]Sources: " + "; ".join(sources) + "[/]", soft_wrap=True)


def _level_range(framework: NationalFramework) -> str:
    eqf = [level.eqf_level for level in framework.levels]
    first, last = framework.levels[0].nqf_level, framework.levels[-1].nqf_level
    return f"{len(framework.levels)}: {first}-{last} → EQF {min(eqf)}-{max(eqf)}"


def _frameworks_table(countries: list[CountryFrameworks]) -> Table:
    table = Table(title="National qualifications frameworks referenced to EQF")
    table.add_column("Country")
    table.add_column("Framework")
    table.add_column("Levels")
    table.add_column("Status")
    for country in countries:
        status = f"[{_STATUS_STYLE[country.status]}]{country.status}[/]"
        name = f"{country.country_code} {country.country}"
        if country.membership == "other":
            name += " (non-EU/EEA)"
        if not country.frameworks:
            table.add_row(name, "—", "—", status)
        for i, framework in enumerate(country.frameworks):
            label = f"{framework.acronym} [dim]({framework.framework_id})[/]"
            if framework.historic:
                label += " [dim]historic[/]"
            table.add_row(
                name if i == 0 else "",
                label,
                _level_range(framework),
                status if i == 0 else "",
            )
    return table


@levels_app.command("frameworks")
def frameworks_command(as_json: JsonOption = False) -> None:
    """List the national frameworks of every EU/EEA country (plus CH and the UK), with status.

    Status says how complete SkillPass's data is for the country: complete, partial (some rows
    inferred or unconfirmed, or part of the system not covered) or missing.

    Example: skillpass levels frameworks --json
    """
    app = open_app()
    try:
        countries = app.qualifications.frameworks()
    finally:
        app.close()
    if as_json:
        print_json(countries)
        return
    console.print(_frameworks_table(countries))
    for status in ("complete", "partial", "missing"):
        codes = [c.country_code for c in countries if c.status == status]
        console.print(f"{status}: {len(codes)} " + (f"({', '.join(codes)})" if codes else ""))


@levels_app.command("framework")
def framework_command(
    country: Annotated[
        str, typer.Argument(help="Country code or name (SE, Sweden) or framework id (BE-fl).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Show one national framework: each level, its EQF level, certainty and source.

    Countries with several frameworks take a framework id: BE-fl, BE-fr, ES-MECU, ES-MECES,
    FR-CNCP, FR-1969, GB-RQF, GB-CQFW, GB-SCQF.

    Example: skillpass levels framework SE
    """
    app = open_app()
    try:
        framework = app.qualifications.framework(country)
    finally:
        app.close()
    if as_json:
        print_json(framework)
        return
    table = Table(title=f"{framework.name} — {framework.country}", show_lines=True)
    table.add_column(framework.acronym, style="bold")
    table.add_column("EQF", justify="right")
    table.add_column("Certainty")
    table.add_column("Note")
    table.add_column("Source", overflow="fold")
    for level in framework.levels:
        certainty = f"[yellow]{level.certainty}[/]" if level.uncertain else level.certainty
        note = level.note + (
            f"\n[dim]SkillPass correction: {level.correction}[/]" if level.correction else ""
        )
        table.add_row(level.nqf_level, str(level.eqf_level), certainty, note, level.source)
    console.print(table)
    if framework.scope:
        console.print(f"Scope: {framework.scope}")


def _comparison_table(comparison: LevelComparison) -> Table:
    origin, n = comparison.origin, comparison.eqf.level
    table = Table(title=f"{origin.framework.acronym} {origin.level.nqf_level} ↔ EQF {n}")
    table.add_column("Country")
    table.add_column("Framework")
    table.add_column("Level", style="bold")
    table.add_column("EQF", justify="right")
    table.add_column("Certainty")
    table.add_row(
        f"{origin.framework.country_code} {origin.framework.country}",
        origin.framework.acronym,
        origin.level.nqf_level,
        str(n),
        origin.level.certainty,
        style="bold",
    )
    for part in comparison.counterparts:
        fw = part.framework
        levels = ", ".join(level.nqf_level for level in part.levels) or "[red]none[/]"
        certainty = ", ".join(dict.fromkeys(level.certainty for level in part.levels))
        acronym = fw.acronym + (" [dim](historic)[/]" if fw.historic else "")
        table.add_row(f"{fw.country_code} {fw.country}", acronym, levels, str(n), certainty)
    return table


@levels_app.command("compare")
def compare_command(
    country: Annotated[str, typer.Argument(help="Origin country or framework id (SE, BE-fl).")],
    level: Annotated[str, typer.Argument(help="The national level as written (5, 5a, Entry 3).")],
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="A country or framework to compare with (repeat); all if none."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare a national level with other countries' levels through EQF.

    The EQF is the translation device: two levels are compared through the EQF level each is
    referenced to. A comparable level is not automatic recognition of a qualification.

    Example: skillpass levels compare SE 5 --to DE --to FR
    """
    app = open_app()
    try:
        comparison = app.qualifications.compare(country, level, to or None)
    finally:
        app.close()
    if as_json:
        print_json(comparison)
        return
    origin, n = comparison.origin, comparison.eqf.level
    chain = [f"{origin.framework.acronym} {origin.level.nqf_level}", f"EQF {n}"]
    chain += [
        f"{part.framework.acronym} {' / '.join(lvl.nqf_level for lvl in part.levels)}"
        for part in comparison.counterparts
        if part.levels
    ]
    console.print(" ↔ ".join(chain), style="bold", soft_wrap=True)
    console.print(_comparison_table(comparison))
    console.print(f"[bold]EQF {n}[/] knowledge: {comparison.eqf.knowledge}")
    console.print(comparison.method)
    console.print("[bold]Caveats[/]")
    for caveat in comparison.caveats:
        console.print(f" • {caveat}", soft_wrap=True)
    console.print("[dim]Sources: " + "; ".join(comparison.sources) + "[/]", soft_wrap=True)
