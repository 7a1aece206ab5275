"""``skillpass funding …``: the funding directory, eligibility checks and imports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from skillpass.cli._common import console, open_app, print_json
from skillpass.pathways.models import (
    Applicant,
    EligibilityResult,
    EmploymentStatus,
    FundingLevel,
    FundingProgramme,
    Situation,
)

__all__ = ["funding_app"]

funding_app = typer.Typer(
    help="Funding programmes for skills: search, check eligibility, import real data.\n\n"
    "Example: skillpass funding search --country DE --age 45 --employment employed",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
AgeOption = Annotated[int | None, typer.Option(help="Your age.", min=14, max=100)]
EmploymentOption = Annotated[
    EmploymentStatus | None, typer.Option("--employment", help="Your employment situation.")
]
RegionOption = Annotated[str | None, typer.Option(help="NUTS code of where you live, e.g. DE60.")]
SectorOption = Annotated[str | None, typer.Option(help="Your sector (NACE code), e.g. C.")]
IncomeOption = Annotated[float | None, typer.Option("--income", help="Annual income in EUR.")]
CompanySizeOption = Annotated[
    int | None, typer.Option("--company-size", help="Employees of your organisation.")
]
ApplicantOption = Annotated[
    Applicant, typer.Option("--as", help="Who applies (individuals, employers, …).")
]


@funding_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A YAML or JSON file of funding programmes.")],
) -> None:
    """Import funding programmes (created or replaced by id) from YAML or JSON.

    The format is the shipped examples' (``programmes:`` list; see docs/funding.md). Every
    programme is checked first; with any problem, all are listed and nothing is imported.

    Example: skillpass funding import programmes.yaml
    """
    app = open_app()
    try:
        written = app.funding.import_file(path)
    finally:
        app.close()
    console.print(f"Imported {written} funding programme(s) from {escape(path.name)}.")


def _situation(
    *,
    applicant: Applicant,
    country: str | None,
    region: str | None,
    age: int | None,
    employment: EmploymentStatus | None,
    sector: str | None,
    income: float | None,
    company_size: int | None,
) -> Situation:
    return Situation(
        applicant=applicant,
        country=country.upper() if country else None,
        region=region.upper() if region else None,
        age=age,
        employment_status=employment,
        sector=sector,
        annual_income_eur=income,
        company_size=company_size,
    )


def _label(programme: FundingProgramme) -> str:
    tags = [programme.level.value, programme.country]
    if programme.example:
        tags.append("example")
    if not programme.active:
        tags.append("closed")
    return f"{escape(programme.name)} [dim]({', '.join(tags)})[/]"


def _verdict(result: EligibilityResult | None) -> str:
    if result is None:
        return ""
    if result.eligible:
        return "[green]eligible[/]"
    if any(r.startswith("not eligible") for r in result.reasons):
        return "[red]not eligible[/]"
    return "[yellow]tell us more[/]"


@funding_app.command("search")
def search_command(
    text: Annotated[str | None, typer.Argument(help="Words in the name or description.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Where you live (ISO code); also keeps EU programmes.")
    ] = None,
    level: Annotated[
        FundingLevel | None, typer.Option(help="eu, national, regional, local.")
    ] = None,
    area: Annotated[str | None, typer.Option(help="A capability area id it funds.")] = None,
    applicant: Annotated[
        Applicant | None,
        typer.Option("--as", help="Only programmes these applicants can apply to."),
    ] = None,
    age: AgeOption = None,
    employment: EmploymentOption = None,
    region: RegionOption = None,
    sector: SectorOption = None,
    income: IncomeOption = None,
    company_size: CompanySizeOption = None,
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Also show closed programmes.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Search the funding directory; with your situation, each programme says whether you are
    eligible and why (eligible first). Shipped programmes are examples until the operator
    confirms them.

    Example: skillpass funding search --country DE --age 45 --employment employed
    """
    situation = _situation(
        applicant=applicant or Applicant.INDIVIDUALS,
        country=country,
        region=region,
        age=age,
        employment=employment,
        sector=sector,
        income=income,
        company_size=company_size,
    )
    app = open_app()
    try:
        found = app.funding.search(
            text=text,
            level=level,
            country=country,
            capability_area=area,
            applicant=applicant,
            situation=situation,
            include_inactive=include_closed,
        )
    finally:
        app.close()
    if as_json:
        print_json([{"programme": p, "eligibility": r} for p, r in found])
        return
    if not found:
        console.print("No funding programme matches; loosen the filters.")
        return
    table = Table(title=f"Funding programmes ({len(found)})", show_lines=True)
    table.add_column("Programme (id)", min_width=24, overflow="fold")
    table.add_column("You", no_wrap=True)
    table.add_column("Why", min_width=24)
    for programme, result in found:
        table.add_row(
            f"{_label(programme)}\n[dim]{programme.id}[/]",
            _verdict(result),
            escape("; ".join(result.reasons)) if result else "",
        )
    console.print(table)


@funding_app.command("check")
def check_command(
    programme_id: Annotated[str, typer.Argument(help="The programme id (see `funding search`).")],
    country: Annotated[str | None, typer.Option(help="Where you live (ISO code).")] = None,
    applicant: ApplicantOption = Applicant.INDIVIDUALS,
    age: AgeOption = None,
    employment: EmploymentOption = None,
    region: RegionOption = None,
    sector: SectorOption = None,
    income: IncomeOption = None,
    company_size: CompanySizeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check one programme's rules against your situation, each with its reason.

    Example: skillpass funding check sg-mid-career-enhanced-subsidy --age 45 --country SG
    """
    situation = _situation(
        applicant=applicant,
        country=country,
        region=region,
        age=age,
        employment=employment,
        sector=sector,
        income=income,
        company_size=company_size,
    )
    app = open_app()
    try:
        programme = app.funding.get(programme_id)
        result = app.funding.check(programme_id, situation)
    finally:
        app.close()
    if as_json:
        print_json({"programme": programme, "eligibility": result})
        return
    console.print(_label(programme))
    console.print(_verdict(result))
    for reason in result.reasons:
        console.print(f"  - {escape(reason)}", soft_wrap=True)
    console.print(f"[dim]Amount as stated: {escape(programme.amount_text)}[/]", soft_wrap=True)
    if programme.example:
        console.print(
            "[dim]This is an example modelled on a public scheme; confirm it with the funder "
            f"({escape(programme.url or 'see its sources')}).[/]",
            soft_wrap=True,
        )
