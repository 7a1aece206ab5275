"""Shared helpers for CLI commands: building the app, JSON output, Rich progress."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgressBar

from skillpass.app import SkillPass, build

__all__ = ["RichProgress", "console", "err_console", "open_app", "print_json"]


def _console(*, stderr: bool = False) -> Console:
    """A console whose width follows ``COLUMNS`` when it prints, not when it was made.

    Rich reads ``COLUMNS`` once at construction and then keeps it; these consoles live for the
    whole process (a test run, a resized terminal), so the width must stay live.
    """
    made = Console(stderr=stderr, emoji=False)
    made._width = None  # size is then computed from COLUMNS or the terminal at each print
    return made


console = _console()
err_console = _console(stderr=True)


def open_app() -> SkillPass:
    """Build the services from the environment (settings are read once, here)."""
    return build()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def print_json(value: Any) -> None:
    """Print a model, list or dict as JSON on stdout (no colour, no wrapping)."""
    print(json.dumps(_plain(value), ensure_ascii=False, indent=2))


class RichProgress:
    """A :class:`skillpass.progress.Progress` drawn as a Rich progress bar on stderr."""

    def __init__(self) -> None:
        self._bar = RichProgressBar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            task = self._bar.tasks[-1]
            if task.total is not None:
                self._bar.update(self._task, completed=task.total)
        self._bar.stop()

    def stage(self, description: str, total: int | None = None) -> None:
        """Start a new bar line for the step."""
        if self._task is not None:
            task = self._bar.tasks[-1]
            if task.total is not None:
                self._bar.update(self._task, completed=task.total)
        self._task = self._bar.add_task(description, total=total)

    def advance(self, amount: int = 1) -> None:
        """Advance the current bar."""
        if self._task is not None:
            self._bar.advance(self._task, amount)
