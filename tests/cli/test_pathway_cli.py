"""``skillpass pathway …`` through the CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from skillpass.app import build
from skillpass.cli.main import run
from skillpass.cli.pathway import read_profile
from skillpass.errors import InvalidInput
from tests.conftest import make_settings
from tests.pathways.test_pathway_service import (
    BATTERY,
    WELDER,
    battery_catalogue,
    essential_of,
)


@pytest.fixture(autouse=True)
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI (which reads the environment) at a temporary database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "200")


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_profile_file_formats(tmp_path: Path) -> None:
    skills, situation = read_profile(
        write(
            tmp_path / "a.json", {"skills": ["u1", {"uri": "u2"}, "u1"], "situation": {"age": 45}}
        )
    )
    assert skills == ["u1", "u2"]
    assert situation == {"age": 45}
    bundle = {
        "format": "skillpass-passport-bundle",
        "version": 1,
        "items": [{"skills": [{"uri": "u3", "label": "x"}]}, {"skills": []}],
    }
    assert read_profile(write(tmp_path / "b.json", bundle)) == (["u3"], {})
    with pytest.raises(InvalidInput, match="passport bundle"):
        read_profile(write(tmp_path / "c.json", {"items": []}))
    (tmp_path / "d.json").write_text("not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not JSON"):
        read_profile(tmp_path / "d.json")


def test_plan_needs_exactly_one_of_profile_and_learner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["pathway", "plan", "--target", "x"]) == 1
    assert "exactly one of --profile FILE and --learner ID" in capsys.readouterr().err
    profile = write(tmp_path / "p.json", {"skills": []})
    assert (
        run(["pathway", "plan", "--target", "x", "--profile", str(profile), "--learner", "u"]) == 1
    )


def test_unknown_definition_target_says_where_to_look(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write(tmp_path / "p.json", {"skills": []})
    assert run(["pathway", "plan", "--target", "no-such-def", "--profile", str(profile)]) == 1
    assert "skillpass achievement list" in capsys.readouterr().err


def test_bad_deadline_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = write(tmp_path / "p.json", {"skills": []})
    code = run(
        ["pathway", "plan", "--target", "x", "--profile", str(profile), "--deadline", "soon"]
    )
    assert code == 1
    assert "--deadline must be a date" in capsys.readouterr().err


@pytest.mark.esco
def test_worked_example_through_the_cli(
    esco_database: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "esco"
    shutil.copytree(esco_database, folder)
    settings = make_settings(folder)
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", settings.database_url)
    app = build(settings)
    try:
        app.funding.ensure_seeded()
        have = essential_of(app, WELDER)
        battery_catalogue(app, [u for u in essential_of(app, BATTERY) if u not in have])
    finally:
        app.close()
    profile = write(
        tmp_path / "welder.json",
        {
            "skills": have,
            "situation": {
                "country": "DE",
                "region": "DE600",
                "employment_status": "employed",
                "company_size": 120,
            },
        },
    )
    args = ["pathway", "plan", "--profile", str(profile), "--target", BATTERY, "--country", "DE"]
    assert run([*args, "--no-optional", "--start", "2026-03-02", "--age", "45", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["status"] == "optimal"
    assert plan["total_funded_cost_eur"] == 1250
    assert all(step["funding"] for step in plan["steps"])

    assert run([*args, "--no-optional", "--budget", "1000"]) == 0
    out = capsys.readouterr().out
    assert "Infeasible" in out
    assert "EUR 250 short" in out

    assert run(["pathway", "destinations", "--profile", str(profile), "--limit", "3"]) == 0
    assert "welder" in capsys.readouterr().out
