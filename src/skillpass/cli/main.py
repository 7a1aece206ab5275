"""The ``skillpass`` command."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from skillpass.cli import (
    admin,
    capabilities,
    catalogue,
    community,
    credentials,
    funding,
    intel,
    intel_indicators,
    levels,
    matching,
    mobility,
    passport,
    pathway,
    recognition,
    serve,
    taxonomy,
    taxonomy_search,
)
from skillpass.cli._common import err_console
from skillpass.errors import SkillPassError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="skillpass",
    help="SkillPass: portable, verifiable skills across Europe.\n\n"
    "Example: skillpass taxonomy import ../shared/data/esco-v1.2.0-en",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
assert capabilities.taxonomy_app is taxonomy_search.taxonomy_app  # both register commands
app.add_typer(taxonomy.taxonomy_app, name="taxonomy")
app.add_typer(levels.levels_app, name="levels")
app.add_typer(admin.admin_app, name="admin")
app.add_typer(matching.match_app, name="match")
app.add_typer(catalogue.catalogue_app, name="catalogue")
app.add_typer(funding.funding_app, name="funding")
app.add_typer(community.community_app, name="community")
app.add_typer(mobility.mobility_app, name="mobility")
assert intel_indicators.intel_app is intel.intel_app  # adds indicators and emerging
app.add_typer(intel.intel_app, name="intel")
app.add_typer(pathway.pathway_app, name="pathway")
serve.register(app)
credentials.register(app)
passport.register(app)
recognition.register(app)


def run(args: list[str] | None = None) -> int:
    """Run the CLI with ``args`` and return the exit code (errors printed, never raised).

    Args:
        args: Command-line arguments without the program name; ``sys.argv[1:]`` when None.
    """
    try:
        result = app(args=args, prog_name="skillpass", standalone_mode=False)
    except SkillPassError as error:
        err_console.print(f"[bold red]Error:[/] {escape(error.message)}")
        return 1
    except typer.Abort:
        err_console.print("Aborted.")
        return 1
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.TyperException as error:
        # usage errors (missing argument, bad option value) know how to show themselves
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"[bold red]Error:[/] {escape(str(error))}")
        return int(getattr(error, "exit_code", 2))
    return result if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
