"""``skillpass passport``: the operator's tools for a learner's passport — export and import the
portable bundle, write the CV page, hand over all personal data, erase an account.

Learners do all of this themselves in the web UI and the HTTP API; these commands are for
operators (moving a learner between instances, answering a GDPR request by e-mail). Files are
written only where asked; nothing personal is printed unless ``--output -`` asks for stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from skillpass.app import SkillPass
from skillpass.cli._common import console, err_console, open_app, print_json
from skillpass.errors import InvalidInput

__all__ = ["passport_app"]

passport_app = typer.Typer(
    help="A learner's competence passport: portable bundle, CV page, GDPR access and erasure.\n\n"
    "Example: skillpass passport export ana@example.org --output ana-passport.json",
    no_args_is_help=True,
)

EmailArgument = Annotated[str, typer.Argument(help="The learner's e-mail address.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _run(work: Any) -> Any:
    app: SkillPass = open_app()
    try:
        return work(app)
    finally:
        app.close()


def _write(text: str, output: str) -> None:
    if output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    path = Path(output)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"Cannot write {output}: {error.strerror or error}.") from None
    err_console.print(f"Wrote {escape(str(path))} ({path.stat().st_size:,} bytes).")


@passport_app.command("export")
def export(
    email: EmailArgument,
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write the bundle to (- for stdout).")
    ],
) -> None:
    """Export a learner's passport as a portable bundle (JSON, credentials exactly as issued,
    evidence files included), importable on any SkillPass instance.

    Example: skillpass passport export ana@example.org --output ana-passport.json
    """
    bundle = _run(
        lambda app: app.passport.export_bundle(app.auth.get_user_by_email(email)),
    )
    _write(json.dumps(bundle, ensure_ascii=False, indent=2), output)


@passport_app.command("import")
def import_bundle(
    email: EmailArgument,
    file: Annotated[str, typer.Argument(help="A passport bundle (JSON), or - for stdin.")],
    as_json: JsonOption = False,
) -> None:
    """Import a passport bundle into a learner's passport. Credentials are verified again;
    tampered or unreadable entries are refused (and listed), duplicates skipped. Exit 1 when
    any entry was refused.

    Example: skillpass passport import ana@example.org ana-passport.json
    """
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise InvalidInput(f"Cannot read {file}: {error.strerror or error}.") from None
    result = _run(
        lambda app: app.passport.import_bundle(app.auth.get_user_by_email(email), data),
    )
    if as_json:
        print_json(result)
    else:
        console.print(
            f"Imported {result.imported} items, skipped {result.skipped_duplicates} already "
            f"in the passport, refused {len(result.refused)}."
        )
        for reason in result.refused:
            console.print(f"  [red]refused[/] {escape(reason)}")
    if result.refused:
        raise typer.Exit(1)


@passport_app.command("cv")
def cv(
    email: EmailArgument,
    output: Annotated[
        str, typer.Option("--output", "-o", help="HTML file to write (- for stdout).")
    ],
) -> None:
    """Write a learner's passport as a readable, printable CV-style HTML page.

    Example: skillpass passport cv ana@example.org --output ana-cv.html
    """
    page = _run(lambda app: app.passport.cv_html(app.auth.get_user_by_email(email)))
    _write(page, output)


@passport_app.command("personal-data")
def personal_data(
    email: EmailArgument,
    output: Annotated[
        str, typer.Option("--output", "-o", help="JSON file to write (- for stdout).")
    ],
) -> None:
    """Everything held about a user (account, passport with evidence, attestation requests,
    RPL cases, shares and their access log, credentials issued to them here), as JSON — the
    answer to a GDPR access request.

    Example: skillpass passport personal-data ana@example.org --output ana-data.json
    """
    data = _run(lambda app: app.passport.personal_data(app.auth.get_user_by_email(email)))
    _write(json.dumps(data, ensure_ascii=False, indent=2), output)


@passport_app.command("erase")
def erase(
    email: EmailArgument,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: the account cannot be restored afterwards.")
    ] = False,
) -> None:
    """Erase a user's account and personal data (GDPR). Credentials issued to them stay
    verifiable for whoever holds them; the platform forgets who they were issued to.

    Example: skillpass passport erase ana@example.org --yes
    """
    if not yes:
        raise InvalidInput(
            "Erasing an account cannot be undone. Export the passport first if the learner "
            "wants it (`skillpass passport export`), then run the command again with --yes."
        )

    def work(app: SkillPass) -> None:
        app.passport.erase_account(app.auth.get_user_by_email(email))

    _run(work)
    console.print(f"Erased the account of {escape(email)} and its personal data.")


def register(app: typer.Typer) -> None:
    """Add the ``passport`` group to the root ``skillpass`` app."""
    app.add_typer(passport_app, name="passport")
