"""``skillpass recognise``: a recognition report from the command line.

Either a learner reports on their own passport (``--learner`` alone), or a recognition officer
(``--officer``, a user with the verifier or admin role) reports on credential files
(``--credential``), optionally naming the learner they belong to (``--learner``) so a decision
can later be issued to that passport. An officer never reads a passport: with ``--officer`` only
the given files are evidence. The report is stored; its id is printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from skillpass.app import SkillPass
from skillpass.cli._common import console, open_app, print_json
from skillpass.cli.pathway import target_ref
from skillpass.errors import InvalidInput
from skillpass.pathways.models import TargetKind
from skillpass.recognition.models import RecognitionReport, RecognitionRequest, SkillCoverage

__all__ = ["recognise", "register"]

#: Largest credential file read (the verifier bounds the content again).
MAX_CREDENTIAL_BYTES = 2_000_000


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_CREDENTIAL_BYTES:
            raise InvalidInput(
                f"{path} is larger than {MAX_CREDENTIAL_BYTES:,} bytes; a credential is a small "
                "JSON or JWT file."
            )
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text: credentials are JSON or JWT.") from None


def _coverage_table(title: str, rows: list[SkillCoverage]) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("Skill")
    table.add_column("Credit", justify="right")
    table.add_column("How, from which evidence")
    for row in rows:
        best = row.evidence[0] if row.evidence else None
        how = (
            f"{best.how.value} from {best.evidence_skill.label!r} in {best.item_title!r}: "
            f"{best.explanation}"
            if best is not None
            else "missing"
        )
        table.add_row(escape(row.skill.label), f"{row.credit:.1f}", escape(how))
    return table


def _print_report(report: RecognitionReport) -> None:
    console.print(f"[bold]Recognition report {report.id}[/] — {escape(report.target_label)}")
    console.print(escape(report.summary))
    if report.essential:
        console.print(_coverage_table("Essential skills", report.essential))
    if report.optional:
        console.print(_coverage_table("Optional skills", report.optional))
    level = report.level
    console.print(
        f"EQF: evidence {level.evidence_eqf or '-'}, target {level.target_eqf or '-'}"
        f" ({'meets' if level.meets else 'below' if level.meets is False else 'not compared'})"
    )
    for note in level.notes:
        console.print(f"  {escape(note)}")
    credits = report.credits
    console.print(
        f"ECTS: evidence {credits.evidence_ects:g}, target "
        f"{'-' if credits.target_ects is None else f'{credits.target_ects:g}'}"
    )
    evidence = Table(title="Evidence")
    evidence.add_column("Title")
    evidence.add_column("Issuer")
    evidence.add_column("Verified")
    evidence.add_column("Detail")
    for item in report.evidence:
        verified = {True: "yes", False: "NO", None: "self-declared"}[item.verified]
        issuer = " ".join(x for x in (item.issuer_name, item.issuer_country) if x) or "-"
        evidence.add_row(escape(item.title), escape(issuer), verified, escape(item.detail))
    console.print(evidence)
    console.print(f"Suggested decision: [bold]{report.suggested_decision.value}[/]")


def recognise(
    target: Annotated[
        str,
        typer.Option(
            "--target",
            help="An ESCO occupation URI, a capability area id or a definition id.",
        ),
    ],
    learner: Annotated[
        str | None,
        typer.Option(
            "--learner",
            help="The learner's e-mail: alone, a report on their own passport; with --officer, "
            "whom the credential files belong to.",
        ),
    ] = None,
    credential: Annotated[
        list[Path] | None,
        typer.Option("--credential", help="A credential file (JSON or JWT); repeat for more."),
    ] = None,
    officer: Annotated[
        str | None,
        typer.Option(
            "--officer", help="The recognition officer's e-mail (role verifier or admin)."
        ),
    ] = None,
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="Only this passport item (own passport); repeat for more."),
    ] = None,
    kind: Annotated[
        TargetKind | None, typer.Option("--kind", help="Target kind (guessed when omitted).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Compare credentials or a passport with an occupation, capability area or qualification:
    coverage of essential and optional skills (exact and through related ESCO skills, each
    credit explained), missing skills, EQF and ECTS, the verification of each piece of
    evidence, a plain-language summary and a suggested decision. The report is stored.

    Example: skillpass recognise --officer rita@example.org --credential welder.json --target
    http://data.europa.eu/esco/occupation/10841c22-0154-48ab-aaca-ce61b9a8e448
    """
    documents = [_read(path) for path in credential or []]
    if officer is None and learner is None:
        raise InvalidInput(
            "Say who reports: --learner EMAIL for a learner's own passport, or --officer EMAIL "
            "with --credential files."
        )
    app: SkillPass = open_app()
    try:
        if officer is not None:
            actor = app.auth.get_user_by_email(officer)
            learner_id = app.auth.get_user_by_email(learner).public_id if learner else None
        else:
            assert learner is not None
            actor = app.auth.get_user_by_email(learner)
            learner_id = actor.public_id
        request = RecognitionRequest(
            target=target_ref(app, target.strip(), kind),
            learner_id=learner_id,
            item_ids=list(item or []),
            documents=documents,
        )
        report = app.recognition.report(actor, request)
    finally:
        app.close()
    if as_json:
        print_json(report)
    else:
        _print_report(report)


def register(app: typer.Typer) -> None:
    """Add ``skillpass recognise`` to the main command."""
    app.command("recognise")(recognise)
