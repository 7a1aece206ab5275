"""Micro-credential commands: ``issuer``, ``achievement``, ``trust`` groups and the top-level
``issue``, ``issue-batch``, ``revoke`` and ``verify``.

The CLI is the operator's tool: it runs with the installation's own database and keys and acts
as an administrator — for every organisation, without roles or membership (the HTTP API and the
web UI check both). ``issuer add-member`` is how the operator lets an issuer act for an
organisation. Private keys are never printed.
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

from skillpass.app import SkillPass
from skillpass.cli._common import RichProgress, console, err_console, open_app, print_json
from skillpass.credentials.records import (
    AchievementRecord,
    IssuedCredential,
    Issuer,
    MemberRole,
    OrganisationMember,
    TrustedIssuer,
    TrustedKey,
)
from skillpass.credentials.summary import CredentialSummary
from skillpass.credentials.verify import VerificationReport
from skillpass.errors import InvalidInput

__all__ = ["achievement_app", "issuer_app", "register", "trust_app"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


class IssuerType(StrEnum):
    """Kinds of issuer accepted by ``--type``."""

    university = "university"
    higher_education = "higher_education"
    vet = "vet"
    employer = "employer"
    professional_body = "professional_body"
    social_partner = "social_partner"
    public_body = "public_body"


class Format(StrEnum):
    """Credential formats accepted by ``--format``."""

    ob3 = "ob3"
    ob3_jwt = "ob3-jwt"
    elm = "elm"


class Suite(StrEnum):
    """Data Integrity cryptosuites accepted by ``--cryptosuite``."""

    rdfc = "eddsa-rdfc-2022"
    jcs = "eddsa-jcs-2022"


class DidMethodChoice(StrEnum):
    """Which issuer DID signs."""

    key = "key"
    web = "web"


class KeyAlgorithm(StrEnum):
    """Signing key algorithms."""

    ed25519 = "Ed25519"
    p256 = "P-256"


issuer_app = typer.Typer(
    help="Issuers (awarding bodies) and their signing keys.\n\n"
    "Example: skillpass issuer create --name 'Northvale University' --country SE --type university",
    no_args_is_help=True,
)
achievement_app = typer.Typer(
    help="Micro-credential definitions (every Annex I element).\n\n"
    "Example: skillpass achievement create --issuer ISSUER_ID "
    "--from-file examples/micro-credential.yaml",
    no_args_is_help=True,
)
trust_app = typer.Typer(
    help="The verifier's trust registries: pinned keys and accredited issuers.\n\n"
    "Example: skillpass trust add-issuer did:web:uni.example --country SE --name 'Uni'",
    no_args_is_help=True,
)


def _run(work: Any) -> Any:
    app: SkillPass = open_app()
    try:
        return work(app)
    finally:
        app.close()


# --- issuers ----------------------------------------------------------------------------------


def _issuer_json(issuer: Issuer) -> dict[str, Any]:
    return issuer.model_dump(mode="json")


def _print_issuer(issuer: Issuer) -> None:
    console.print(f"[bold]{escape(issuer.legal_name)}[/] ({issuer.country}, {issuer.kind})")
    console.print(f"  id:      {issuer.id}")
    console.print(f"  did:web: {issuer.did}")
    console.print(f"  did:key: {issuer.did_key or '(no key yet)'}")
    for key in issuer.keys:
        console.print(f"  key {key.fragment}: {key.algorithm} {key.status.value}")


def _parse_registrations(values: list[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values or []:
        scheme, sep, identifier = value.partition("=")
        if not sep or not scheme.strip() or not identifier.strip():
            raise InvalidInput(
                f"--registration {value!r}: write SCHEME=VALUE, e.g. eidas=SE:5560000000."
            )
        result[scheme.strip()] = identifier.strip()
    return result


@issuer_app.command("create")
def issuer_create(
    name: Annotated[str, typer.Option("--name", help="Legal name of the awarding body.")],
    country: Annotated[str, typer.Option("--country", help="ISO 3166 country code, e.g. SE.")],
    kind: Annotated[IssuerType, typer.Option("--type", help="Kind of organisation.")],
    region: Annotated[str | None, typer.Option("--region", help="NUTS region code.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Contact e-mail.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Web site.")] = None,
    logo_url: Annotated[str | None, typer.Option("--logo-url", help="Logo image URL.")] = None,
    registration: Annotated[
        list[str] | None,
        typer.Option("--registration", help="Registration id as SCHEME=VALUE (repeatable)."),
    ] = None,
    algorithm: Annotated[
        KeyAlgorithm, typer.Option("--algorithm", help="Signing key algorithm.")
    ] = KeyAlgorithm.ed25519,
    as_json: JsonOption = False,
) -> None:
    """Create an issuer with a fresh signing key (stored encrypted); prints its id and DIDs.

    Example: skillpass issuer create --name 'Northvale University' --country SE --type university
    --region SE110 --json
    """
    registrations = _parse_registrations(registration)
    issuer: Issuer = _run(
        lambda app: app.issuers.create(
            name=name,
            country=country,
            kind=kind.value,
            region=region,
            registration_ids=registrations,
            contact_email=email,
            url=url,
            logo_url=logo_url,
            algorithm=algorithm.value,
        )
    )
    if as_json:
        print_json(_issuer_json(issuer))
        return
    console.print("Created issuer:")
    _print_issuer(issuer)


@issuer_app.command("list")
def issuer_list(as_json: JsonOption = False) -> None:
    """List every issuer with its DIDs and keys.

    Example: skillpass issuer list --json
    """
    issuers: list[Issuer] = _run(lambda app: app.issuers.list_issuers())
    if as_json:
        print_json([_issuer_json(issuer) for issuer in issuers])
        return
    if not issuers:
        console.print("No issuers yet. Create one with `skillpass issuer create`.")
        return
    table = Table("id", "name", "country", "type", "keys", "did:key")
    for issuer in issuers:
        table.add_row(
            issuer.id,
            escape(issuer.legal_name),
            issuer.country,
            issuer.kind,
            str(len(issuer.keys)),
            issuer.did_key or "",
        )
    console.print(table)


@issuer_app.command("show")
def issuer_show(
    issuer_id: Annotated[str, typer.Argument(help="The issuer's id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one issuer with its DIDs and keys (public parts only).

    Example: skillpass issuer show ISSUER_ID --json
    """
    issuer: Issuer = _run(lambda app: app.issuers.get(issuer_id))
    if as_json:
        print_json(_issuer_json(issuer))
        return
    _print_issuer(issuer)


@issuer_app.command("rotate-key")
def issuer_rotate_key(
    issuer_id: Annotated[str, typer.Argument(help="The issuer's id.")],
    algorithm: Annotated[
        KeyAlgorithm | None,
        typer.Option("--algorithm", help="Algorithm of the new key (default: the same)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Retire the issuer's signing key and make a new one; old credentials still verify.

    Example: skillpass issuer rotate-key ISSUER_ID
    """
    issuer: Issuer = _run(
        lambda app: app.issuers.rotate_key(issuer_id, algorithm.value if algorithm else None)
    )
    if as_json:
        print_json(_issuer_json(issuer))
        return
    console.print("Rotated the signing key:")
    _print_issuer(issuer)


class MemberRoleChoice(StrEnum):
    """Roles in an organisation accepted by ``--role``."""

    issuer = "issuer"
    manager = "manager"


def _member_json(member: OrganisationMember) -> dict[str, Any]:
    return member.model_dump(mode="json")


@issuer_app.command("add-member")
def issuer_add_member(
    issuer_id: Annotated[str, typer.Argument(help="The issuer's id.")],
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    role: Annotated[
        MemberRoleChoice,
        typer.Option("--role", help="Role in the organisation (both may act for it)."),
    ] = MemberRoleChoice.issuer,
    as_json: JsonOption = False,
) -> None:
    """Let a user act for an organisation (define, issue, revoke, rotate keys) in the web UI and
    the HTTP API. They also need the issuer role (`skillpass admin set-roles`). Running it again
    changes the role.

    Example: skillpass issuer add-member ISSUER_ID iris@example.org
    """
    member: OrganisationMember = _run(
        lambda app: app.issuers.add_member(issuer_id, email, MemberRole(role.value))
    )
    if as_json:
        print_json(_member_json(member))
        return
    console.print(
        f"{escape(member.email)} may now act for issuer {member.issuer_id} "
        f"(role: {member.role_in_org.value})."
    )


@issuer_app.command("remove-member")
def issuer_remove_member(
    issuer_id: Annotated[str, typer.Argument(help="The issuer's id.")],
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
) -> None:
    """Stop a user acting for an organisation (what they issued stays valid).

    Example: skillpass issuer remove-member ISSUER_ID iris@example.org
    """
    _run(lambda app: app.issuers.remove_member(issuer_id, email))
    console.print(f"{escape(email)} no longer acts for issuer {issuer_id}.")


@issuer_app.command("members")
def issuer_members(
    issuer_id: Annotated[str, typer.Argument(help="The issuer's id.")],
    as_json: JsonOption = False,
) -> None:
    """List the users who may act for an organisation (administrators may act for all).

    Example: skillpass issuer members ISSUER_ID --json
    """
    members: list[OrganisationMember] = _run(lambda app: app.issuers.members(issuer_id))
    if as_json:
        print_json([_member_json(member) for member in members])
        return
    if not members:
        console.print(
            f"No members: only administrators act for {issuer_id}. Add one with "
            f"`skillpass issuer add-member {issuer_id} EMAIL`."
        )
        return
    table = Table("email", "name", "role", "since")
    for member in members:
        table.add_row(
            escape(member.email),
            escape(member.display_name),
            member.role_in_org.value,
            member.created_at.date().isoformat(),
        )
    console.print(table)


# --- achievements -----------------------------------------------------------------------------


def _achievement_json(record: AchievementRecord) -> dict[str, Any]:
    return record.model_dump(mode="json")


@achievement_app.command("create")
def achievement_create(
    issuer_id: Annotated[str, typer.Option("--issuer", help="Id of the awarding issuer.")],
    from_file: Annotated[Path, typer.Option("--from-file", help="YAML (or JSON) definition file.")],
    as_json: JsonOption = False,
) -> None:
    """Store a micro-credential definition from a file; problems are named element by element.

    Example: skillpass achievement create --issuer ISSUER_ID
    --from-file examples/micro-credential.yaml --json
    """
    record: AchievementRecord = _run(
        lambda app: app.achievements.create_from_file(issuer_id, from_file)
    )
    if as_json:
        print_json(_achievement_json(record))
        return
    console.print(f"Created definition [bold]{escape(record.title)}[/], id {record.id}.")
    if record.capability_areas:
        console.print(f"  capability areas: {', '.join(record.capability_areas)}")


@achievement_app.command("list")
def achievement_list(
    issuer_id: Annotated[
        str | None, typer.Option("--issuer", help="Only this issuer's definitions.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored micro-credential definitions, newest first.

    Example: skillpass achievement list --issuer ISSUER_ID
    """
    records: list[AchievementRecord] = _run(
        lambda app: app.achievements.list_achievements(issuer_id)
    )
    if as_json:
        print_json([_achievement_json(record) for record in records])
        return
    if not records:
        console.print("No definitions yet. Create one with `skillpass achievement create`.")
        return
    table = Table("id", "title", "issuer", "created")
    for record in records:
        table.add_row(
            record.id, escape(record.title), record.issuer_id, record.created_at.date().isoformat()
        )
    console.print(table)


@achievement_app.command("show")
def achievement_show(
    achievement_id: Annotated[str, typer.Argument(help="The definition's id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one definition with every Annex I element.

    Example: skillpass achievement show ACHIEVEMENT_ID --json
    """
    record: AchievementRecord = _run(lambda app: app.achievements.get(achievement_id))
    if as_json:
        print_json(_achievement_json(record))
        return
    console.print(f"[bold]{escape(record.title)}[/] (id {record.id}, issuer {record.issuer_id})")
    for element, value in record.definition.items():
        if element in ("id", "title"):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        console.print(f"  [bold]{element}[/]: {escape(text)}")


# --- issuing, revoking, verifying -------------------------------------------------------------


def _credential_json(credential: IssuedCredential, out: Path | None = None) -> dict[str, Any]:
    data = credential.model_dump(mode="json", exclude={"document"})
    data["revoked"] = credential.revoked
    if out is not None:
        data["file"] = str(out)
    return data


def _file_name(credential: IssuedCredential) -> str:
    stem = credential.id.removeprefix("urn:uuid:")
    return f"{stem}.jwt" if credential.format == "ob3-jwt" else f"{stem}.json"


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"Cannot write {path}: {error.strerror or error}.") from None


def issue(
    achievement_id: Annotated[str, typer.Option("--achievement", help="Definition id.")],
    learner_email: Annotated[
        str | None, typer.Option("--learner-email", help="Learner's e-mail (hashed in it).")
    ] = None,
    learner_name: Annotated[
        str | None, typer.Option("--learner-name", help="Learner's name (shown in it).")
    ] = None,
    learner_did: Annotated[
        str | None, typer.Option("--learner-did", help="Learner's DID (the subject id).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Credential format.")] = Format.ob3,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the credential to this file.")
    ] = None,
    external_id: Annotated[
        str | None,
        typer.Option(
            "--external-id",
            help="Your id for this award; a repeat in the same format returns the first.",
        ),
    ] = None,
    cryptosuite: Annotated[
        Suite, typer.Option("--cryptosuite", help="Data Integrity suite (format ob3).")
    ] = Suite.rdfc,
    did_method: Annotated[
        DidMethodChoice,
        typer.Option("--did-method", help="Sign as the issuer's did:key or did:web."),
    ] = DidMethodChoice.key,
    as_json: JsonOption = False,
) -> None:
    """Issue and sign one credential of a definition to a learner.

    Example: skillpass issue --achievement ACHIEVEMENT_ID --learner-email ana@example.org
    --learner-name 'Ana López' --format ob3 --out ana.json --json
    """
    credential: IssuedCredential = _run(
        lambda app: app.credentials.issue(
            achievement_id,
            learner_email,
            learner_name,
            learner_did,
            fmt.value,
            external_id,
            cryptosuite=cryptosuite.value,
            did_method=did_method.value,
        )
    )
    if out is not None:
        _write(out, credential.document)
    if as_json:
        print_json(_credential_json(credential, out))
        return
    if out is None:
        print(credential.document)
        return
    state = "Issued" if credential.created else "Already issued"
    console.print(f"{state} {credential.id} ({credential.format}) → {out}")


def issue_batch(
    achievement_id: Annotated[str, typer.Option("--achievement", help="Definition id.")],
    csv_file: Annotated[
        Path, typer.Option("--csv", help="CSV with the columns email,name,did,external_id.")
    ],
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Folder for the credential files.")],
    fmt: Annotated[Format, typer.Option("--format", help="Credential format.")] = Format.ob3,
    cryptosuite: Annotated[
        Suite, typer.Option("--cryptosuite", help="Data Integrity suite (format ob3).")
    ] = Suite.rdfc,
    did_method: Annotated[
        DidMethodChoice,
        typer.Option("--did-method", help="Sign as the issuer's did:key or did:web."),
    ] = DidMethodChoice.key,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=32, help="Credentials signed in parallel.")
    ] = 2,
    as_json: JsonOption = False,
) -> None:
    """Issue a credential to every row of a CSV, with a progress bar; safe to re-run (rows with
    an external id already issued in this format are not issued again). Exits 1 if any row
    failed.

    Example: skillpass issue-batch --achievement ACHIEVEMENT_ID --csv learners.csv --format ob3
    --out-dir credentials/
    """
    app = open_app()
    try:
        with RichProgress() as progress:
            result = app.credentials.issue_csv(
                achievement_id,
                csv_file,
                fmt.value,
                cryptosuite=cryptosuite.value,
                did_method=did_method.value,
                workers=workers,
                progress=progress,
            )
    finally:
        app.close()
    files: dict[str, Path] = {}
    for credential in result.credentials:
        path = out_dir / _file_name(credential)
        _write(path, credential.document)
        files[credential.id] = path
    if as_json:
        print_json(
            {
                "issued": result.issued,
                "existing": result.existing,
                "failed": result.failed,
                "rows": [
                    {
                        **row.model_dump(mode="json"),
                        "file": str(files[row.credential_id]) if row.credential_id else None,
                    }
                    for row in result.rows
                ],
            }
        )
    else:
        console.print(
            f"Issued {result.issued}, already issued {result.existing}, failed {result.failed}; "
            f"files in {out_dir}."
        )
        for row in result.rows:
            if row.outcome == "failed":
                err_console.print(f"  row {row.row}: {escape(row.error or '')}")
    if result.failed:
        raise typer.Exit(1)


def revoke(
    credential_id: Annotated[str, typer.Argument(help="The credential id (urn:uuid:…).")],
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="Why it is revoked; kept for the issuer (list, CLI), never published in "
            "verification reports or the status list.",
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Revoke a credential: its status bit is set and verification fails on status at once.

    Example: skillpass revoke urn:uuid:0f8e… --reason 'awarded in error'
    """
    credential: IssuedCredential = _run(lambda app: app.credentials.revoke(credential_id, reason))
    if as_json:
        print_json(_credential_json(credential))
        return
    console.print(f"Revoked {credential.id}.")


_MARK = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[dim]–[/]"}


def _print_report(report: VerificationReport) -> None:
    if report.verified:
        console.print("[bold green]Verified[/]")
    elif not report.processable:
        console.print("[bold red]Could not process this file[/]")
    else:
        console.print("[bold red]Not verified[/]")
    console.print(f"  format: {report.format}")
    issuer = report.issuer_name or ""
    if report.issuer_id:
        issuer = f"{issuer} ({report.issuer_id})" if issuer else report.issuer_id
    if issuer:
        console.print(f"  issuer: {escape(issuer)}")
    summary = report.summary
    name = report.credential.get("name") if report.credential else None
    if summary is not None and not summary.empty:
        _print_summary(summary)
    elif isinstance(name, str):
        console.print(f"  credential: {escape(name)}")
    if report.presentation is not None:
        console.print(f"  holder: {escape(str(report.presentation.get('holder')))}")
    for check in report.checks:
        console.print(f"  {_MARK[check.ok]} {check.name}: {escape(check.detail)}")
    for number, inner in enumerate(report.presented, start=1):
        title = inner.summary.title if inner.summary is not None else None
        label = title or inner.credential.get("name") or inner.format
        console.print(f"    {_MARK[inner.verified]} credential #{number}: {escape(str(label))}")
    for warning in report.warnings:
        console.print(f"  [yellow]warning:[/] {escape(warning)}")


def _number(value: float) -> str:
    return f"{value:g}"


def _print_summary(summary: CredentialSummary) -> None:
    """What the credential certifies (as it claims; the checks say whether to believe it)."""
    lines = [("certifies", summary.title), ("learner", summary.learner_name)]
    level = []
    if summary.eqf is not None:
        level.append(f"EQF {summary.eqf}")
    if summary.nqf:
        level.append(summary.nqf)
    lines.append(("level", ", ".join(level) or None))
    workload = []
    if summary.ects is not None:
        workload.append(f"{_number(summary.ects)} ECTS")
    if summary.hours is not None:
        workload.append(f"{_number(summary.hours)} hours")
    lines.append(("workload", ", ".join(workload) or None))
    lines.append(("awarded by", "; ".join(summary.awarding_bodies) or None))
    lines.append(("issued", summary.issued))
    for label, value in lines:
        if value:
            console.print(f"  {label}: {escape(value)}")
    if summary.skills:
        console.print(f"  ESCO skills ({len(summary.skills)}):")
        for skill in summary.skills:
            console.print(f"    - {escape(skill.label or skill.uri)}")


def verify(
    file: Annotated[
        str, typer.Argument(help="Credential file (JSON, JSON-LD, JWT or ELM), or - for stdin.")
    ],
    as_json: JsonOption = False,
    challenge: Annotated[
        str | None,
        typer.Option(help="For a presentation: the challenge you sent (checked when given)."),
    ] = None,
    domain: Annotated[
        str | None,
        typer.Option(help="For a presentation: your domain (checked when given)."),
    ] = None,
) -> None:
    """Verify a credential or a verifiable presentation offline with the local trust
    registries; exit 0 verified, 1 not verified, 2 could not process.

    Example: skillpass verify presentation.json --challenge c0ffee --domain hr.example
    """
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            err_console.print(f"[bold red]Error:[/] Cannot read {file}: {error.strerror or error}.")
            raise typer.Exit(2) from None
    report: VerificationReport = _run(
        lambda app: app.trust.verify(data, challenge=challenge, domain=domain)
    )
    if as_json:
        print_json(report.to_dict())
    else:
        _print_report(report)
    if not report.processable:
        raise typer.Exit(2)
    raise typer.Exit(0 if report.verified else 1)


# --- trust ------------------------------------------------------------------------------------


def _key_json(key: TrustedKey) -> dict[str, Any]:
    return key.model_dump(mode="json")


def _trusted_json(entry: TrustedIssuer) -> dict[str, Any]:
    return entry.model_dump(mode="json")


@trust_app.command("pin-key")
def trust_pin_key(
    verification_method: Annotated[
        str, typer.Argument(help="DID URL or https URL of the key, e.g. did:web:uni.example#key-1.")
    ],
    public_key_multibase: Annotated[
        str, typer.Option("--public-key-multibase", help="The public key (z6Mk… or zDn…).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Pin a public key under a verification method (trusted for did:web / https keys).

    Example: skillpass trust pin-key did:web:uni.example#key-1 --public-key-multibase z6Mk…
    """
    key: TrustedKey = _run(
        lambda app: app.trust.pin_key(
            verification_method, public_key_multibase=public_key_multibase
        )
    )
    if as_json:
        print_json(_key_json(key))
        return
    console.print(f"Pinned {key.verification_method}.")


@trust_app.command("import")
def trust_import(
    file: Annotated[Path, typer.Argument(help="A DID document or issuer profile (JSON).")],
    as_json: JsonOption = False,
) -> None:
    """Import every key of a DID document or issuer profile into the key registry.

    Example: skillpass trust import did.json
    """
    keys: list[TrustedKey] = _run(lambda app: app.trust.import_file(file))
    if as_json:
        print_json([_key_json(key) for key in keys])
        return
    for key in keys:
        console.print(f"Imported {key.verification_method}.")


@trust_app.command("keys")
def trust_keys(as_json: JsonOption = False) -> None:
    """List the pinned and imported keys.

    Example: skillpass trust keys --json
    """
    keys: list[TrustedKey] = _run(lambda app: app.trust.list_keys())
    if as_json:
        print_json([_key_json(key) for key in keys])
        return
    if not keys:
        console.print("The key registry is empty. Add keys with `skillpass trust pin-key`.")
        return
    table = Table("verification method", "key", "source")
    for key in keys:
        table.add_row(
            key.verification_method,
            key.public_key_multibase or json.dumps(key.public_key_jwk),
            key.source,
        )
    console.print(table)


@trust_app.command("remove-key")
def trust_remove_key(
    verification_method: Annotated[str, typer.Argument(help="The verification method.")],
) -> None:
    """Remove a key from the key registry.

    Example: skillpass trust remove-key did:web:uni.example#key-1
    """
    _run(lambda app: app.trust.remove_key(verification_method))
    console.print(f"Removed {verification_method}.")


@trust_app.command("add-issuer")
def trust_add_issuer(
    did: Annotated[str, typer.Argument(help="The issuer's DID as it appears in credentials.")],
    country: Annotated[str, typer.Option("--country", help="Accrediting country, e.g. SE.")],
    name: Annotated[str, typer.Option("--name", help="The issuer's name.")],
    as_json: JsonOption = False,
) -> None:
    """Add an accredited issuer to the trusted-issuer registry (or update it).

    Example: skillpass trust add-issuer did:web:uni.example --country SE --name 'Uni of Example'
    """
    entry: TrustedIssuer = _run(lambda app: app.trust.add_issuer(did, country=country, name=name))
    if as_json:
        print_json(_trusted_json(entry))
        return
    console.print(f"Trusted {entry.did} ({escape(entry.name)}, {entry.country}).")


@trust_app.command("list")
def trust_list(
    country: Annotated[str | None, typer.Option("--country", help="Only this country.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the accredited issuers.

    Example: skillpass trust list --country SE
    """
    entries: list[TrustedIssuer] = _run(lambda app: app.trust.list_trusted_issuers(country))
    if as_json:
        print_json([_trusted_json(entry) for entry in entries])
        return
    if not entries:
        console.print("The trusted-issuer registry is empty (issuers are then not checked).")
        return
    table = Table("country", "name", "did")
    for entry in entries:
        table.add_row(entry.country, escape(entry.name), entry.did)
    console.print(table)


@trust_app.command("remove")
def trust_remove(
    did: Annotated[str, typer.Argument(help="The issuer's DID.")],
) -> None:
    """Remove an issuer from the trusted-issuer registry.

    Example: skillpass trust remove did:web:uni.example
    """
    _run(lambda app: app.trust.remove_issuer(did))
    console.print(f"Removed {did}.")


def register(app: typer.Typer) -> None:
    """Add the credential groups and commands to the root ``skillpass`` app."""
    app.add_typer(issuer_app, name="issuer")
    app.add_typer(achievement_app, name="achievement")
    app.add_typer(trust_app, name="trust")
    app.command("issue")(issue)
    app.command("issue-batch")(issue_batch)
    app.command("revoke")(revoke)
    app.command("verify")(verify)
