"""``skillpass intel ingest|generate`` through the CLI entry point."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.cli import intel
from skillpass.cli.main import run
from skillpass.intelligence.ingest import write_adverts
from skillpass.intelligence.service import IntelligenceService
from skillpass.matching.service import MatchingService
from tests.conftest import make_settings
from tests.intelligence.test_ingest import BAD, ROWS
from tests.matching.conftest import seed_tiny_taxonomy


@pytest.fixture(autouse=True)
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI (which reads the environment) at a temporary database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def lexical_tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's app on the tiny taxonomy, extracting with lexical matching (no embeddings)."""
    seeded = build(make_settings(tmp_path, f"sqlite:///{tmp_path / 'cli.sqlite3'}"))
    seed_tiny_taxonomy(seeded.engine)
    seeded.close()

    def open_app() -> SkillPass:
        app = build()
        matching = MatchingService(app.engine, app.settings.data_dir, semantic=False)
        service = IntelligenceService(app.engine, app.settings.data_dir, matching, app.capabilities)
        return dataclasses.replace(app, intelligence=service)

    monkeypatch.setattr(intel, "open_app", open_app)


def test_help_lists_ingest_and_generate(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["intel", "--help"]) == 0
    out = capsys.readouterr().out
    assert "ingest" in out
    assert "generate" in out


def test_generate_without_esco_fails_with_the_command_to_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["intel", "generate", "--adverts", "5", "--out", "a.csv"]) == 1
    assert "skillpass taxonomy import" in capsys.readouterr().err


def test_ingest_of_a_missing_file_fails_clearly(
    lexical_tiny: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["intel", "ingest", "nope.csv"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_ingest_reports_counts_and_bad_rows_then_skips_the_same_file(
    tmp_path: Path, lexical_tiny: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "adverts.csv"
    write_adverts(iter([*ROWS, *BAD]), path)
    assert run(["intel", "ingest", str(path), "--store", "store"]) == 0
    captured = capsys.readouterr()
    assert "cross-posts removed" in captured.out
    assert "5 row(s) rejected" in captured.err
    assert "adverts.csv, row 4, posted:" in captured.err
    assert run(["intel", "ingest", str(path), "--store", "store", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["batch_id"] is None
    assert report["skipped_files"] == [str(path)]
    assert (tmp_path / "store" / "manifest.json").exists()


@pytest.mark.esco
def test_generate_writes_synthetic_adverts_and_truth(
    tmp_path: Path,
    esco_database: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(esco_database / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{esco_database / 'skillpass.sqlite3'}")
    args = ["intel", "generate", "--adverts", "300", "--seed", "2", "--out", "ads.jsonl"]
    assert run(args) == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    rows = [json.loads(line) for line in (tmp_path / "ads.jsonl").read_text().splitlines()]
    assert len(rows) == 300
    assert all(r["synthetic"] and r["source"].startswith("synthetic:") for r in rows)
    truth = json.loads((tmp_path / "ads.truth.json").read_text())
    assert {e["label"] for e in truth["emerging"]} >= {"battery chemistry", "machine learning"}
    assert truth["duplicates"]
    assert run([*args[:-1], "again.jsonl"]) == 0
    assert (tmp_path / "again.jsonl").read_text() == (tmp_path / "ads.jsonl").read_text()
