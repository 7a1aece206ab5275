"""``skillpass admin …``: users, API tokens and the database schema."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import make_url

from skillpass.auth.models import Role, User
from skillpass.cli._common import console, err_console, open_app, print_json
from skillpass.errors import InvalidInput

__all__ = ["admin_app"]

admin_app = typer.Typer(
    help="Administration: users, API tokens, database.\n\n"
    "Example: skillpass admin create-user ana@example.org --name 'Ana López' --role issuer",
    no_args_is_help=True,
)

_ROLE_NAMES = ", ".join(role.value for role in Role)

RoleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        "-r",
        help=f"A role to give (repeat for several): {_ROLE_NAMES}. Default: learner.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _user_json(user: User) -> dict[str, object]:
    return {
        "id": user.public_id,
        "email": user.email,
        "display_name": user.display_name,
        "roles": sorted(role.value for role in user.roles),
        "is_active": user.is_active,
        "synthetic": user.synthetic,
        "created_at": user.created_at.isoformat(),
    }


def _read_password(password: str | None, password_stdin: bool) -> str:
    if password is not None and password_stdin:
        raise InvalidInput("Give either --password or --password-stdin, not both.")
    if password is not None:
        return password
    if password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidInput("No password on standard input: pipe one line holding it.")
        return line
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@admin_app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="Email address; the user's login.")],
    name: Annotated[str, typer.Option("--name", "-n", help="Display name.")],
    role: RoleOption = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            help="The password (visible in shell history; prefer the prompt or --password-stdin).",
        ),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create a user with a password and one or more roles (asks for the password if not given).

    Example: skillpass admin create-user ana@example.org --name 'Ana López' --role issuer
    """
    secret = _read_password(password, password_stdin)
    app = open_app()
    try:
        user = app.auth.create_user(email, name, secret, role or [Role.LEARNER.value])
    finally:
        app.close()
    if as_json:
        print_json(_user_json(user))
        return
    roles = ", ".join(sorted(r.value for r in user.roles))
    console.print(f"Created user [bold]{user.email}[/] ({roles}), id {user.public_id}.")


@admin_app.command("list-users")
def list_users(as_json: JsonOption = False) -> None:
    """List every user with their roles (never passwords).

    Example: skillpass admin list-users --json
    """
    app = open_app()
    try:
        users = app.auth.list_users()
    finally:
        app.close()
    if as_json:
        print_json([_user_json(user) for user in users])
        return
    if not users:
        console.print("No users yet. Create one with `skillpass admin create-user`.")
        return
    table = Table("id", "email", "name", "roles", "active", "synthetic")
    for user in users:
        table.add_row(
            user.public_id,
            user.email,
            user.display_name,
            ", ".join(sorted(r.value for r in user.roles)),
            "yes" if user.is_active else "no",
            "yes" if user.synthetic else "",
        )
    console.print(table)


@admin_app.command("set-roles")
def set_roles(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    role: RoleOption = None,
) -> None:
    """Replace a user's roles with the ones given.

    Example: skillpass admin set-roles ana@example.org --role issuer --role assessor
    """
    if not role:
        raise InvalidInput(f"Name at least one --role: {_ROLE_NAMES}.")
    app = open_app()
    try:
        user = app.auth.set_roles(email, role)
    finally:
        app.close()
    roles = ", ".join(sorted(r.value for r in user.roles))
    console.print(f"{user.email} now has the roles: {roles}.")


@admin_app.command("deactivate")
def deactivate(email: Annotated[str, typer.Argument(help="The user's email.")]) -> None:
    """Stop a user from logging in or using API tokens (nothing is deleted).

    Example: skillpass admin deactivate ana@example.org
    """
    app = open_app()
    try:
        user = app.auth.set_active(email, False)
    finally:
        app.close()
    console.print(f"{user.email} is deactivated; `skillpass admin activate` undoes this.")


@admin_app.command("activate")
def activate(email: Annotated[str, typer.Argument(help="The user's email.")]) -> None:
    """Let a deactivated user log in and use their tokens again.

    Example: skillpass admin activate ana@example.org
    """
    app = open_app()
    try:
        user = app.auth.set_active(email, True)
    finally:
        app.close()
    console.print(f"{user.email} is active.")


@admin_app.command("create-token")
def create_token(
    email: Annotated[str, typer.Argument(help="Whose token it is.")],
    name: Annotated[str, typer.Option("--name", "-n", help="What the token is for.")],
    as_json: JsonOption = False,
) -> None:
    """Issue an API token for a user and print it once (only its hash is stored).

    Example: skillpass admin create-token ana@example.org --name laptop
    """
    app = open_app()
    try:
        issued = app.auth.create_token(email, name)
    finally:
        app.close()
    if as_json:
        print_json(
            {
                "id": issued.public_id,
                "name": issued.name,
                "token": issued.token,
                "user_id": issued.user_public_id,
            }
        )
        return
    # the secret goes to stdout alone, so `$(skillpass admin create-token …)` captures it
    err_console.print(
        f"API token {issued.name!r} ({issued.public_id}) for {email}. "
        "Store it now: it is not shown again. Send it as `Authorization: Bearer <token>`."
    )
    print(issued.token)


@admin_app.command("migrate")
def migrate() -> None:
    """Bring the database schema up to date (also done automatically on start).

    Example: skillpass admin migrate
    """
    app = open_app()  # building the app runs the Alembic upgrade
    try:
        url = make_url(app.settings.resolved_database_url).render_as_string(hide_password=True)
    finally:
        app.close()
    console.print(f"The database schema is up to date: {url}")
