"""Small readers for credential JSON shared by the verifier, the summary and the proof checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

__all__ = ["as_list", "parse_time", "types_of"]


def as_list(value: Any) -> list[Any]:
    """A JSON-LD value as a list: absent → ``[]``, a single value → ``[value]``."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(document: dict[str, Any]) -> list[str]:
    """The ``type`` (or ``@type``) entries of a JSON-LD node, as strings."""
    return [str(t) for t in as_list(document.get("type") or document.get("@type"))]


def parse_time(value: Any) -> datetime | None:
    """An XML Schema date-time (``Z`` or an offset; none means UTC), or None when not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
