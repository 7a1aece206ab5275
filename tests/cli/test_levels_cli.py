"""``skillpass levels …`` through the CLI entry point."""

from __future__ import annotations

import json
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
    monkeypatch.setenv("COLUMNS", "160")


def test_eqf_json_lists_eight_levels(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["levels", "eqf", "--json"]) == 0
    levels = json.loads(capsys.readouterr().out)
    assert [level["level"] for level in levels] == list(range(1, 9))


def test_eqf_one_level_json_is_an_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["levels", "eqf", "4", "--json"]) == 0
    level = json.loads(capsys.readouterr().out)
    assert level["level"] == 4
    assert set(level) >= {"knowledge", "skills", "responsibility_autonomy", "sources"}


def test_eqf_level_out_of_range_fails_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["levels", "eqf", "9"]) == 1
    assert "1 to 8" in capsys.readouterr().err


def test_frameworks_table_shows_status_and_the_missing_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["levels", "frameworks"]) == 0
    out = capsys.readouterr().out
    assert "SeQF" in out
    assert "complete" in out
    assert "partial" in out
    assert "missing: 0" in out


def test_frameworks_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["levels", "frameworks", "--json"]) == 0
    countries = json.loads(capsys.readouterr().out)
    sweden = next(c for c in countries if c["country_code"] == "SE")
    assert set(sweden) >= {"country_code", "country", "membership", "status", "frameworks"}
    framework = sweden["frameworks"][0]
    assert set(framework) >= {"framework_id", "acronym", "name", "levels"}
    assert set(framework["levels"][0]) >= {"nqf_level", "eqf_level", "note", "source", "certainty"}


def test_framework_json_by_country_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["levels", "framework", "Sweden", "--json"]) == 0
    framework = json.loads(capsys.readouterr().out)
    assert framework["framework_id"] == "SE"
    assert len(framework["levels"]) == 8


def test_framework_unknown_country_lists_valid_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["levels", "framework", "Atlantis"]) == 1
    err = capsys.readouterr().err
    assert "Atlantis" in err
    assert "SE" in err


def test_compare_human_output_shows_the_chain_and_caveats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["levels", "compare", "SE", "5", "--to", "DE"]) == 0
    out = capsys.readouterr().out
    assert "SeQF 5 ↔ EQF 5 ↔ DQR 5" in out
    assert "Caveats" in out
    assert "not automatic recognition" in out


def test_compare_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["levels", "compare", "SE", "5", "--to", "DE", "--to", "FR", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert set(body) == {"origin", "eqf", "counterparts", "method", "caveats", "sources"}
    assert body["origin"]["level"]["nqf_level"] == "5"
    assert [p["framework"]["framework_id"] for p in body["counterparts"]] == [
        "DE",
        "FR-CNCP",
        "FR-1969",
    ]


def test_compare_unknown_level_fails_with_the_levels_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["levels", "compare", "SE", "12"]) == 1
    assert "1, 2, 3" in capsys.readouterr().err
