"""Read a micro-credential definition from a YAML (or JSON) file.

The file holds one mapping with the element names of
:class:`~skillpass.credentials.models.Achievement`; ``examples/micro-credential.yaml`` is a
complete, commented example. Errors name the element (or,
for a syntax error, the line and column) in plain words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from skillpass.credentials.models import Achievement, parse_achievement
from skillpass.errors import InvalidInput

__all__ = ["MAX_DEFINITION_BYTES", "load_achievement_file", "parse_achievement_yaml"]

#: A definition is a page or two of text; anything far larger is a mistake.
MAX_DEFINITION_BYTES = 256 * 1024


def parse_achievement_yaml(text: str, *, source: str = "the definition") -> Achievement:
    """Parse and validate a definition written in YAML (JSON is valid YAML too).

    Args:
        text: The YAML text.
        source: How to name the text in messages (usually the file name).

    Returns:
        The validated definition.

    Raises:
        InvalidInput: The YAML is malformed (with line and column), is not a mapping, or the
            definition has problems (every one listed, see
            :func:`~skillpass.credentials.models.parse_achievement`).
    """
    if len(text.encode("utf-8")) > MAX_DEFINITION_BYTES:
        raise InvalidInput(
            f"{source} is larger than {MAX_DEFINITION_BYTES // 1024} KiB: "
            "a micro-credential definition should be a short YAML file.",
            details={"problems": [{"element": "", "problem": "file too large"}]},
        )
    try:
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = f"{error.problem or 'malformed YAML'}{where}"
        raise InvalidInput(
            f"{source} is not valid YAML: {problem}. Check the indentation and quoting there.",
            details={"problems": [{"element": "", "problem": problem}]},
        ) from None
    except yaml.YAMLError as error:
        raise InvalidInput(
            f"{source} is not valid YAML: {error}.",
            details={"problems": [{"element": "", "problem": str(error)}]},
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{source} must hold a mapping of elements (title:, description:, ...), "
            f"not {type(data).__name__}. See examples/micro-credential.yaml.",
            details={"problems": [{"element": "", "problem": "not a mapping"}]},
        )
    try:
        return parse_achievement(data)
    except InvalidInput as error:
        raise InvalidInput(f"{source}: {error.message}", details=error.details) from None


def load_achievement_file(path: Path) -> Achievement:
    """Read and validate a definition file.

    Args:
        path: A ``.yaml``/``.yml`` (or ``.json``) file.

    Returns:
        The validated definition.

    Raises:
        InvalidInput: The file cannot be read, is not UTF-8, is malformed or has problems.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            f"Cannot read {path}: {error.strerror or error}. Check the path.",
            details={"problems": [{"element": "", "problem": "unreadable file"}]},
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{path} is not UTF-8 text: save it as UTF-8.",
            details={"problems": [{"element": "", "problem": "not UTF-8"}]},
        ) from None
    return parse_achievement_yaml(text, source=path.name)
