"""Small helpers shared by the credential formats."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from skillpass.errors import InvalidInput


def isoformat_utc(moment: datetime, name: str, *, after: datetime | None = None) -> str:
    """``2025-03-01T09:00:00Z``: a time-zone-aware moment in UTC, to the second.

    Args:
        moment: The date and time; must carry a time zone.
        name: The argument's name, for the error message.
        after: If given, ``moment`` must be later than it.

    Returns:
        The XML Schema ``dateTime`` in UTC with a ``Z``.

    Raises:
        InvalidInput: No time zone, or not after ``after``.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{name} has no time zone: give it in UTC (e.g. 2025-03-01T09:00:00Z).")
    if after is not None and moment <= after:
        raise InvalidInput(f"{name} must be later than the date of issuing.")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def number(value: Decimal) -> int | float:
    """A JSON number for a decimal: an integer when whole (5, not 5.0), else a float."""
    return int(value) if value == value.to_integral_value() else float(value)
