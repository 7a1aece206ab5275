"""``skillpass passport export|import|cv|personal-data|erase`` through the CLI entry point, on
temporary databases: a bundle moves a passport between two instances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpass.app import build
from skillpass.cli.main import run
from skillpass.config import Settings
from skillpass.passport.models import ItemKind
from skillpass.passport.service import ExperienceCreate
from tests.passport._core import issue_to


def _point_at(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Settings:
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(folder / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{folder / 'cli.sqlite3'}")
    return Settings()


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI pointed at a first instance where Ana has a credential and an experience."""
    monkeypatch.chdir(tmp_path)
    settings = _point_at(monkeypatch, tmp_path / "one")
    app = build(settings)
    try:
        ana = app.auth.create_user("ana@example.org", "Ana Learner", "correct horse battery")
        app.passport.claim(ana, issue_to(app, ana).id)
        item = app.passport.declare(
            ana, ExperienceCreate(category="project", title="Battery test rig")
        )
        app.passport.add_evidence(ana, item.id, "notes.txt", b"cycle tests at 25 C")
    finally:
        app.close()
    return settings


def test_export_then_import_into_another_instance(
    source: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["passport", "export", "ana@example.org", "--output", "bundle.json"]) == 0
    bundle = json.loads((tmp_path / "bundle.json").read_text(encoding="utf-8"))
    assert bundle["format"] == "skillpass-passport-bundle"
    assert len(bundle["items"]) == 2

    other = _point_at(monkeypatch, tmp_path / "two")
    app = build(other)
    try:
        app.auth.create_user("ana@example.org", "Ana Learner", "correct horse battery")
    finally:
        app.close()
    capsys.readouterr()
    assert run(["passport", "import", "ana@example.org", "bundle.json", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["imported"] == 2
    assert result["refused"] == []
    assert run(["passport", "import", "ana@example.org", "bundle.json"]) == 0
    assert "skipped 2" in capsys.readouterr().out

    app = build(other)
    try:
        items = app.passport.items(app.auth.get_user_by_email("ana@example.org"))
    finally:
        app.close()
    credential = next(i for i in items if i.kind is ItemKind.CREDENTIAL)
    assert credential.verified is True  # verified again on the second instance


def test_import_refusals_exit_1_and_bad_files_are_errors(
    source: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["passport", "export", "ana@example.org", "-o", "bundle.json"]) == 0
    bundle = json.loads((tmp_path / "bundle.json").read_text(encoding="utf-8"))
    bundle["items"].append({"kind": "credential", "source": "imported", "title": "Empty"})
    (tmp_path / "edited.json").write_text(json.dumps(bundle), encoding="utf-8")
    (tmp_path / "junk.json").write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert run(["passport", "import", "ana@example.org", "edited.json"]) == 1
    assert "refused 1" in capsys.readouterr().out
    assert run(["passport", "import", "ana@example.org", "junk.json"]) == 1
    assert "not a SkillPass passport bundle" in capsys.readouterr().err
    assert run(["passport", "import", "ana@example.org", "missing.json"]) == 1
    assert run(["passport", "export", "nobody@example.org", "-o", "x.json"]) == 1
    assert "No user" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_cv_personal_data_and_erase(
    source: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["passport", "cv", "ana@example.org", "--output", "cv.html"]) == 0
    assert "Battery test rig" in (tmp_path / "cv.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert run(["passport", "personal-data", "ana@example.org", "--output", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["account"]["email"] == "ana@example.org"
    assert len(data["credentials_issued_here"]) == 1

    assert run(["passport", "erase", "ana@example.org"]) == 1  # --yes is required
    assert "--yes" in capsys.readouterr().err
    assert run(["passport", "erase", "ana@example.org", "--yes"]) == 0
    assert run(["passport", "personal-data", "ana@example.org", "-o", "-"]) == 1
    assert "No user" in capsys.readouterr().err
