"""``skillpass taxonomy search`` and ``skillpass taxonomy show``."""

from __future__ import annotations

from skillpass.cli.taxonomy import taxonomy_app

__all__ = ["taxonomy_app"]
