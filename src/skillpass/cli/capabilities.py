"""``skillpass taxonomy capabilities`` and ``skillpass taxonomy capability ID``.

Both register on the ``taxonomy`` command group of :mod:`skillpass.cli.taxonomy`.
"""

from __future__ import annotations

from enum import StrEnum

import typer
from rich.table import Table

from skillpass.cli._common import console, open_app, print_json
from skillpass.cli.taxonomy import taxonomy_app
from skillpass.taxonomy.capabilities import CapabilityArea, CapabilityAreaDetail, ResolutionReport

__all__ = ["taxonomy_app"]


class MemberType(StrEnum):
    """Which members ``taxonomy capability`` shows."""

    SKILL = "skill"
    OCCUPATION = "occupation"


@taxonomy_app.command("capabilities")
def capabilities_command(
    as_json: bool = typer.Option(False, "--json", help="Print the areas as JSON."),
    refresh: bool = typer.Option(
        False,
        "--refresh",
        help="Re-resolve every area against the imported ESCO first (after editing a "
        "definition), without re-importing.",
    ),
) -> None:
    """List the capability areas (STEM disciplines and strategic areas) with member counts.

    Example: skillpass taxonomy capabilities --json
    """
    app = open_app()
    try:
        report = app.capabilities.resolve() if refresh else None
        areas = app.capabilities.list_areas()
    finally:
        app.close()
    if as_json:
        print_json(areas)
        return
    if report is not None:
        _print_report(report)
    _print_areas(areas)


@taxonomy_app.command("capability")
def capability_command(
    area_id: str = typer.Argument(..., metavar="ID", help="Area id, e.g. semiconductors."),
    as_json: bool = typer.Option(False, "--json", help="Print the area and members as JSON."),
    member_type: MemberType | None = typer.Option(
        None, "--type", help="Only skills or only occupations."
    ),
) -> None:
    """Show one capability area: rationale, sources, ESCO gaps and members with their reasons.

    Example: skillpass taxonomy capability quantum --type occupation
    """
    app = open_app()
    try:
        detail = app.capabilities.get_area(
            area_id, concept_type=member_type.value if member_type else None
        )
    finally:
        app.close()
    if as_json:
        print_json(detail)
    else:
        _print_detail(detail)


def _print_report(report: ResolutionReport) -> None:
    console.print(
        f"[green]Resolved {len(report.areas)} areas against ESCO {report.taxonomy_version} "
        f"in {report.seconds:.2f} s.[/]"
    )
    for area in report.areas:
        if area.missing_seeds:
            console.print(
                f"[yellow]{area.id}: {len(area.missing_seeds)} seed(s) not in this ESCO, "
                f"skipped: {', '.join(area.missing_seeds[:3])}[/]"
            )
        for change in area.label_changes[:3]:
            console.print(f"[yellow]{area.id}: label changed: {change}[/]")


def _print_areas(areas: list[CapabilityArea]) -> None:
    if areas and all(a.taxonomy_version is None for a in areas):
        console.print(
            "[yellow]No members yet: import ESCO first (skillpass taxonomy import PATH).[/]"
        )
    table = Table(title="Capability areas")
    for name, justify in (
        ("id", "left"),
        ("label", "left"),
        ("kind", "left"),
        ("skills", "right"),
        ("occupations", "right"),
        ("core", "right"),
        ("enabling", "right"),
        ("version", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for area in areas:
        table.add_row(
            area.id,
            area.label,
            area.kind.replace("_", " "),
            f"{area.skills:,}",
            f"{area.occupations:,}",
            f"{area.core:,}",
            f"{area.enabling:,}",
            area.version,
        )
    console.print(table)


def _print_detail(detail: CapabilityAreaDetail) -> None:
    area = detail.area
    console.print(
        f"[bold]{area.label}[/] ({area.id}, {area.kind.replace('_', ' ')}, v{area.version})"
    )
    console.print(area.description)
    console.print(f"\n[bold]Why[/]: {detail.rationale}")
    if detail.sources:
        console.print("[bold]Sources[/]: " + "; ".join(detail.sources))
    for gap in detail.esco_gaps:
        console.print(f"[yellow]ESCO gap[/]: {gap}")
    console.print(
        f"\n{area.skills:,} skills, {area.occupations:,} occupations "
        f"({area.core:,} core, {area.enabling:,} enabling)"
    )
    if not detail.members:
        console.print("No members (import ESCO first: skillpass taxonomy import PATH).")
        return
    table = Table()
    for name in ("type", "label", "tier", "rule", "reason"):
        table.add_column(name)
    for member in detail.members:
        table.add_row(member.type, member.label, member.tier, member.rule, member.reason)
    console.print(table)
