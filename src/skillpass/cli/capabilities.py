"""``skillpass taxonomy capabilities`` and ``skillpass taxonomy capability ID``.
OWNED BY: capability-framework work."""

from __future__ import annotations

from skillpass.cli.taxonomy import taxonomy_app

__all__ = ["taxonomy_app"]
