"""Progress reporting for long work, independent of any UI (the CLI renders it with Rich)."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NullProgress", "Progress"]


class Progress(Protocol):
    """Receives progress of long-running work.

    A task calls :meth:`stage` when it starts a new step (with the number of units, if known),
    then :meth:`advance` as units complete.
    """

    def stage(self, description: str, total: int | None = None) -> None:
        """Start a new step called ``description`` with ``total`` units (None if unknown)."""

    def advance(self, amount: int = 1) -> None:
        """Mark ``amount`` more units of the current step done."""


class NullProgress:
    """A :class:`Progress` that shows nothing (library use, tests)."""

    def stage(self, description: str, total: int | None = None) -> None:
        """Ignore the stage."""

    def advance(self, amount: int = 1) -> None:
        """Ignore the advance."""
