"""``skillpass funding …`` through the CLI entry point (on the shipped example programmes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from skillpass.cli.main import run


@pytest.fixture(autouse=True)
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI (which reads the environment) at a temporary database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "200")


def test_search_with_a_situation_puts_eligible_programmes_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["funding", "search", "--country", "DE", "--age", "45", "--employment", "employed"]
    assert run([*args, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    ids = [item["programme"]["id"] for item in found]
    assert "de-aufstiegs-bafoeg" in ids
    assert "eu-esf-plus" in ids
    assert "fr-cpf" not in ids
    eligible = [item["eligibility"]["eligible"] for item in found]
    assert eligible == sorted(eligible, reverse=True)
    assert all(item["programme"]["example"] for item in found)
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "de-aufstiegs-bafoeg" in out
    assert "eligible" in out


def test_check_explains_an_age_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["funding", "check", "sg-mid-career-enhanced-subsidy", "--age", "22", "--country", "SG"]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "not eligible: this programme is for people aged 40 or over; you are 22" in out
    assert "Amount as stated" in out


def test_check_without_age_asks_for_it(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["funding", "check", "sg-skillsfuture-credit", "--country", "SG", "--json"]
    assert run(args) == 0
    result = json.loads(capsys.readouterr().out)["eligibility"]
    assert result["eligible"] is False
    assert result["unknown"] == ["age"]
    assert result["reasons"][0].startswith("tell us your age to check this")


def test_check_unknown_programme_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["funding", "check", "no-such-thing"]) == 1
    assert "skillpass funding search" in capsys.readouterr().err


def test_import_then_find(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    programme = {
        "id": "city-skills-voucher",
        "name": "City skills voucher",
        "funder": "A city",
        "level": "local",
        "country": "DE",
        "region": "DE60",
        "applicants": ["individuals"],
        "description": "Pays half of a course.",
        "eligibility_text": "Residents of the city.",
        "amount_text": "50% up to EUR 500 (2026).",
        "rules": {"countries": ["DE"], "regions": ["DE60"]},
        "benefit": {"percent": 50, "cap_eur": 500},
        "example": False,
    }
    path = tmp_path / "funding.yaml"
    path.write_text(yaml.safe_dump({"programmes": [programme]}), encoding="utf-8")
    assert run(["funding", "import", str(path)]) == 0
    assert "Imported 1 funding programme" in capsys.readouterr().out
    assert run(["funding", "search", "voucher", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [item["programme"]["id"] for item in found] == ["city-skills-voucher"]


def test_import_with_problems_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "funding.json"
    path.write_text(json.dumps({"programmes": [{"id": "x", "level": "galactic"}]}))
    assert run(["funding", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert "programme 1 (x): level" in err
