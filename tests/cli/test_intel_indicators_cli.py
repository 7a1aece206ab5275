"""``skillpass intel indicators`` and ``skillpass intel emerging`` on the hand-made store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from skillpass.cli import _common
from skillpass.cli.main import run
from tests.intelligence.indicator_data import BAT, PY, write_store


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "200")
    # the CLI console is made once per process; pin its width for this test
    monkeypatch.setattr(_common.console, "_width", 200)
    return write_store(tmp_path / "store")


def test_share_by_country_and_area_as_json(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["intel", "indicators", "--by", "country,capability_area", "--period", "year"]
    assert run([*args, "--store", str(store), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["indicator"] == "share"
    assert out["engine"] == "duckdb"
    assert out["synthetic"] is False
    ai = next(
        r for r in out["rows"] if (r["country"], r["period"], r["item"]) == ("DE", "2024", "ai")
    )
    assert ai["mentions"] == 16
    assert ai["share"] == pytest.approx(0.8)
    hidden = [r for r in out["rows"] if r["suppressed"]]
    assert hidden
    assert all(r["share"] is None for r in hidden)


def test_growth_as_csv_and_text_table(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            [
                "intel",
                "indicators",
                "-i",
                "growth",
                "--by",
                "country",
                "--store",
                str(store),
                "--csv",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    python_de = next(r for r in rows if r["country"] == "DE" and r["item"] == PY)
    assert float(python_de["growth"]) == pytest.approx(1 / 3)
    assert (
        run(["intel", "indicators", "-i", "growth", "--by", "country", "--store", str(store)]) == 0
    )
    text = capsys.readouterr().out
    assert "Python" in text
    assert "Suppressed cells" in text


def test_emerging_lists_batteries(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["intel", "emerging", "--window", "1", "--min-mentions", "5", "--store", str(store)]
    assert run([*args, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["item"] == BAT
    assert rows[0]["lower"] > 0


def test_errors_say_what_to_do(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["intel", "indicators", "--by", "colour", "--store", str(store)]) == 1
    assert "Cannot group by 'colour'" in capsys.readouterr().err
    assert run(["intel", "indicators", "--store", str(tmp_path / "empty")]) == 1
    assert "ingest adverts first" in capsys.readouterr().err
    assert run(["intel", "indicators", "--store", str(store), "--json", "--csv"]) == 1
    assert "--json or --csv" in capsys.readouterr().err
