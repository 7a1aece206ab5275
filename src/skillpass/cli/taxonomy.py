"""``skillpass taxonomy …``: import ESCO, stats, search, show (capability commands live in
:mod:`skillpass.cli.capabilities` and register on the same group)."""

from __future__ import annotations

import typer

__all__ = ["taxonomy_app"]

taxonomy_app = typer.Typer(
    help="ESCO skills and occupations: import, search, show, capability areas.\n\n"
    "Example: skillpass taxonomy search 'python' --type skill",
    no_args_is_help=True,
)
