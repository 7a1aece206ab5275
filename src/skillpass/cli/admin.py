"""``skillpass admin …``: users and database. OWNED BY: auth work."""

from __future__ import annotations

import typer

__all__ = ["admin_app"]

admin_app = typer.Typer(help="Administration: users, API tokens, database.", no_args_is_help=True)
