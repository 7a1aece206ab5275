"""``skillpass serve`` and ``skillpass demo``. OWNED BY: web/auth work."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the serve and demo commands to the root CLI."""
