"""``skillpass catalogue …`` through the CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from skillpass.cli.main import run


@pytest.fixture(autouse=True)
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI (which reads the environment) at a temporary database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "200")


def test_search_on_an_empty_catalogue_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["catalogue", "search", "battery"]) == 0
    assert "skillpass catalogue generate" in capsys.readouterr().out


def test_generate_without_esco_fails_with_the_command_to_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["catalogue", "generate", "--count", "5"]) == 1
    assert "skillpass taxonomy import" in capsys.readouterr().err


def test_import_with_problems_lists_them_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "courses.csv"
    path.write_text("title,provider,country\nA course,Provider,Germany\n", encoding="utf-8")
    assert run(["catalogue", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert "missing column(s)" in err
    assert "row 1 (line 2): country" in err


def test_import_unknown_extension_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "courses.txt").write_text("x")
    assert run(["catalogue", "import", str(tmp_path / "courses.txt")]) == 1
    assert "unknown extension" in capsys.readouterr().err


@pytest.mark.esco
def test_generate_then_search_on_esco(
    esco_database: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copy(esco_database / "skillpass.sqlite3", tmp_path / "esco.sqlite3")
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'esco.sqlite3'}")
    assert run(["catalogue", "generate", "--count", "60", "--seed", "3"]) == 0
    assert "Generated 60 synthetic opportunities" in capsys.readouterr().out
    assert run(["catalogue", "search", "--limit", "500", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == 60
    opportunities = result["opportunities"]
    assert all(o["synthetic"] for o in opportunities)
    country = opportunities[0]["country"]
    assert run(["catalogue", "search", "--country", country, "--json"]) == 0
    filtered = json.loads(capsys.readouterr().out)
    assert 0 < filtered["total"] <= 60
    assert {o["country"] for o in filtered["opportunities"]} == {country}
    assert run(["catalogue", "search", "--country", country]) == 0
    assert "(synthetic)" in capsys.readouterr().out
