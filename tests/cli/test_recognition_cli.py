"""``skillpass recognise`` through the CLI entry point, on the hand-made taxonomy of
tests/recognition/conftest.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.cli import _common
from skillpass.cli.main import run
from skillpass.config import Settings
from skillpass.matching.service import MatchingService
from tests.recognition.conftest import SKILL, TECHNICIAN, issued_document, seed_taxonomy, user


@pytest.fixture
def cli_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SkillPass]:
    """The CLI's database (from the environment) holding the hand-made taxonomy."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "200")
    # the CLI console is made once per process; pin its width for this test
    monkeypatch.setattr(_common.console, "_width", 200)
    # the adapter is under test here, not semantic matching (tests/recognition covers it)
    monkeypatch.setattr(MatchingService, "match_skills_batch", lambda self, items, **_: iter(()))
    app = build(Settings())
    seed_taxonomy(app.engine)
    yield app
    app.close()


def test_officer_reports_on_credential_files(
    cli_app: SkillPass, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner = user(cli_app, "Jonas Welder")
    officer = user(cli_app, "Rita Officer", Role.VERIFIER)
    path = tmp_path / "welder.json"
    path.write_text(issued_document(cli_app, learner, ["tig", "troubleshoot"]))
    args = ["recognise", "--officer", officer.email, "--credential", str(path)]
    assert run([*args, "--target", TECHNICIAN, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["target"] == {"kind": "occupation", "id": TECHNICIAN}
    assert report["learner_id"] is None
    [evidence] = report["evidence"]
    assert evidence["verified"] is True
    join = next(c for c in report["essential"] if c["skill"]["uri"] == SKILL + "join-metals")
    assert join["evidence"][0]["how"] == "narrower"
    assert cli_app.recognition.get_report(officer, report["id"]).id == report["id"]  # stored

    assert run([*args, "--target", TECHNICIAN]) == 0
    out = capsys.readouterr().out
    assert "battery production technician" in out
    assert "Suggested decision: none" in out
    assert "narrower from 'perform tungsten inert gas welding'" in out


def test_learner_reports_on_own_passport(
    cli_app: SkillPass, capsys: pytest.CaptureFixture[str]
) -> None:
    learner = user(cli_app, "Jonas Welder")
    cli_app.passport.import_credential(learner, issued_document(cli_app, learner, ["troubleshoot"]))
    assert run(["recognise", "--learner", learner.email, "--target", TECHNICIAN, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["learner_id"] == learner.public_id
    assert report["evidence"][0]["item_id"] is not None


def test_refusals_are_plain_errors(
    cli_app: SkillPass, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learner = user(cli_app, "Jonas Welder")
    assert run(["recognise", "--target", TECHNICIAN]) == 1
    assert "Say who reports" in capsys.readouterr().err
    other = user(cli_app, "Other Learner")
    path = tmp_path / "c.json"
    path.write_text(issued_document(cli_app, learner, ["tig"]))
    args = ["recognise", "--officer", other.email, "--learner", learner.email]
    assert run([*args, "--credential", str(path), "--target", TECHNICIAN]) == 1
    assert "Only the learner" in capsys.readouterr().err
    missing = ["--credential", str(tmp_path / "missing.json"), "--target", TECHNICIAN]
    assert run(["recognise", "--learner", learner.email, *missing]) == 1
    assert "Cannot read" in capsys.readouterr().err
    unknown = "http://data.europa.eu/esco/occupation/unknown"
    assert run(["recognise", "--learner", learner.email, "--target", unknown]) == 1
    assert "Error" in capsys.readouterr().err
