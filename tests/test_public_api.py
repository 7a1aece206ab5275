"""The curated public Python API and the error tree."""

from __future__ import annotations

from pathlib import Path

import pytest

import skillpass
from skillpass import errors


def test_public_api_is_exactly_what_is_documented() -> None:
    assert sorted(skillpass.__all__) == ["Settings", "SkillPassError", "__version__"]
    for name in skillpass.__all__:
        assert hasattr(skillpass, name)


def test_every_error_has_a_status_code_and_a_distinct_code_where_it_matters() -> None:
    classes = [getattr(errors, name) for name in errors.__all__]
    for cls in classes:
        assert issubclass(cls, errors.SkillPassError)
        assert 400 <= cls.status_code < 600
        assert cls.code
        assert cls.__name__ in (errors.__doc__ or ""), f"{cls.__name__} missing from the tree"


def test_errors_carry_message_and_details() -> None:
    error = errors.NotFound("No such skill.", details={"id": "x"})
    assert error.message == "No such skill."
    assert error.details == {"id": "x"}
    assert str(error) == "No such skill."


def test_cli_prints_error_messages_with_brackets_verbatim(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skillpass.cli.main import run

    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path))
    missing = tmp_path / "[bold]not-there[/].zip"
    assert run(["taxonomy", "import", str(missing)]) == 1
    assert "[bold]not-there[/].zip" in capsys.readouterr().err.replace("\n", "")
