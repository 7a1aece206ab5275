"""``skillpass serve`` (the web UI and HTTP API) and ``skillpass demo`` (synthetic demo data)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from skillpass.app import SkillPass, build
from skillpass.cli._common import RichProgress, console, err_console, print_json
from skillpass.config import Environment, Settings
from skillpass.demo.service import DemoReport, seed_passport_demo

__all__ = ["register"]

_ESCO_DOWNLOAD = "https://esco.ec.europa.eu/en/use-esco/download"
_HOW_TO_GET_ESCO = (
    "No ESCO taxonomy is imported and none is configured, so search, skill and occupation pages "
    "will be empty. To get one:\n"
    f"  1. download the ESCO CSV package (v1.2, any language) from {_ESCO_DOWNLOAD}\n"
    "  2. run `skillpass taxonomy import PATH` (the folder or the .zip),\n"
    "     or set SKILLPASS_ESCO=PATH and start `skillpass serve --demo` again."
)
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _settings(demo: bool) -> Settings:
    """Settings from the environment; ``--demo`` switches a non-production environment to demo."""
    settings = Settings()
    if demo and settings.environment is not Environment.PRODUCTION:
        settings = settings.model_copy(update={"environment": Environment.DEMO})
    return settings


def _ensure_esco(skillpass: SkillPass, out: Console) -> None:
    """Import the configured ESCO if none is imported yet; otherwise say how to get one."""
    stats = skillpass.taxonomy.stats()
    source = skillpass.settings.esco
    if stats.version:
        out.print(
            f"ESCO {stats.version}: {stats.skills:,} skills, {stats.occupations:,} occupations "
            f"({', '.join(stats.languages)})."
        )
    elif source is not None:
        out.print(f"Importing ESCO from {source} (once; later starts reuse it)…")
        with RichProgress() as progress:
            report = skillpass.taxonomy.import_esco(source, progress=progress)
        out.print(report.message)
    else:
        out.print(f"[bold yellow]{_HOW_TO_GET_ESCO}[/]")


def _prepare_demo(skillpass: SkillPass, out: Console) -> DemoReport:
    """Seed the synthetic demo data and make sure ESCO is there (or say how to get it)."""
    report = skillpass.demo.seed()
    out.print(
        f"Demo data (synthetic): {len(report.organisations)} organisations "
        f"({report.organisations_created} new), {len(report.users)} users "
        f"({report.users_created} new)."
    )
    _ensure_esco(skillpass, out)
    passport = seed_passport_demo(skillpass)
    out.print(
        f"Demo passport (synthetic): {passport.passport_items} items for the demo learner, "
        f"{passport.rpl_cases} recognition case(s) in the demo assessor's queue."
    )
    return report


def _print_logins(report: DemoReport, out: Console) -> None:
    table = Table(title="Demo logins (synthetic users; the password is public)")
    table.add_column("Email")
    table.add_column("Roles")
    table.add_column("Password")
    for account in report.users:
        table.add_row(account.email, ", ".join(account.roles), account.password or "(not a demo)")
    out.print(table)


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Demo mode: seed synthetic organisations and users, import the configured ESCO "
            "if none is imported, label the site as a demo.",
        ),
    ] = False,
) -> None:
    """Run the web UI and the HTTP API (/api/v1) with Uvicorn until Ctrl+C.

    Example: skillpass serve --demo
    """
    import uvicorn

    from skillpass.api.app import create_api

    settings = _settings(demo)
    skillpass = build(settings)
    try:
        report = _prepare_demo(skillpass, console) if demo else None
        if not demo and not skillpass.taxonomy.stats().version:
            console.print(f"[bold yellow]{_HOW_TO_GET_ESCO}[/]")
        if report is not None:
            _print_logins(report, console)
            if host not in _LOOPBACK:
                err_console.print(
                    f"[bold red]Warning:[/] listening on {host} with demo users whose password "
                    "is public. Anyone who can reach this address can sign in."
                )
        shown = f"[{host}]" if ":" in host else host
        console.print(f"SkillPass is at [bold]http://{shown}:{port}/[/] (Ctrl+C stops it).")
        uvicorn.run(create_api(skillpass), host=host, port=port, log_level="info")
    finally:
        skillpass.close()


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the demo report as JSON.")] = False,
) -> None:
    """Seed clearly-labelled synthetic demo data (and import the configured ESCO); no server.

    Creates demo organisations and one demo user per role (idempotent; refused in production),
    imports ESCO from SKILLPASS_ESCO if none is imported yet, and prints the demo logins.

    Example: skillpass demo
    """
    skillpass = build(_settings(True))
    try:
        report = _prepare_demo(skillpass, err_console if as_json else console)
    finally:
        skillpass.close()
    if as_json:
        print_json(report)
    else:
        _print_logins(report, console)
        console.print("Start the web UI with: skillpass serve --demo")


def register(app: typer.Typer) -> None:
    """Add the serve and demo commands to the root CLI."""
    app.command("serve")(serve)
    app.command("demo")(demo)
