"""``skillpass community …`` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpass.cli import _common
from skillpass.cli.main import run


def _env(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{folder / 'cli.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "200")
    # the CLI console is made once per process; pin its width for this test
    monkeypatch.setattr(_common.console, "_width", 200)


def test_seed_export_import_and_dashboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path / "one")
    assert run(["community", "seed"]) == 2  # refuses without saying --synthetic
    assert run(["community", "seed", "--synthetic"]) == 0
    assert "All are labelled synthetic" in capsys.readouterr().out
    out = tmp_path / "community.json"
    assert run(["community", "export", "--out", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "skillpass-community/1"
    assert all(org["synthetic"] for org in document["organisations"])
    assert run(["community", "dashboard", "--json"]) == 0
    capsys.readouterr()
    _env(monkeypatch, tmp_path / "two")
    assert run(["community", "import", str(out)]) == 0
    assert "12 new organisation(s)" in capsys.readouterr().out
    assert run(["community", "dashboard", "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    assert totals["organisations"] == 12
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "other"}', encoding="utf-8")
    assert run(["community", "import", str(broken)]) == 1
    assert "not a community export" in capsys.readouterr().err
