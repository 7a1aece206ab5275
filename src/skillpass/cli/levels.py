"""``skillpass levels …``: EQF levels and national frameworks.

OWNED BY: qualification-levels work."""

from __future__ import annotations

import typer

__all__ = ["levels_app"]

levels_app = typer.Typer(
    help="Qualification levels: EQF, national frameworks referenced to EQF, comparison.",
    no_args_is_help=True,
)
