"""``skillpass mobility …`` through the CLI entry point."""

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
    monkeypatch.setenv("COLUMNS", "200")


def test_generate_release_flows_and_refusal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    gen = ["mobility", "generate", "--people", "3000", "--start", "2026Q2", "--quarters", "2"]
    assert run(gen) == 0
    assert "2026Q2–2026Q3" in capsys.readouterr().out
    assert run(["mobility", "release", "--period", "2026Q3", "--rho", "0.3"]) == 0
    out = capsys.readouterr().out
    assert "corridors" in out
    assert "(synthetic data)" in out
    assert run(["mobility", "release", "--period", "2026Q3", "--rho", "0.3"]) == 1
    assert "quarterly cap" in capsys.readouterr().err
    assert run(["mobility", "flows", "--json"]) == 0
    overview = json.loads(capsys.readouterr().out)
    assert overview["periods"] == ["2026Q3"]
    assert overview["synthetic"] is True
    assert run(["mobility", "flows"]) == 0
    assert "Top corridors" in capsys.readouterr().out
    assert run(["mobility", "country", "DE"]) == 0
    assert "Germany" in capsys.readouterr().out
    assert run(["mobility", "budget", "2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["spent_year"] == pytest.approx(0.3)
    assert run(["mobility", "releases", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 5
    csv = tmp_path / "eurostat.csv"
    csv.write_text("origin,destination,field,year,count\nIN,DE,ICT,2024,100\n")
    assert run(["mobility", "import-official", str(csv), "--source", "Eurostat"]) == 0
    assert "Eurostat" in capsys.readouterr().out
