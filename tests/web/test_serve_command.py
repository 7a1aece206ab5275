"""``skillpass serve`` and ``skillpass demo`` (the server itself is replaced by a stub)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skillpass.cli.main import run
from skillpass.config import Environment


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the CLI's settings at a temporary database, test environment, no ESCO."""
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("SKILLPASS_ESCO", raising=False)
    return tmp_path


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace uvicorn.run; record what it was asked to serve."""
    import uvicorn

    calls: list[dict[str, Any]] = []

    def fake_run(app: Any, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return calls


def test_demo_seeds_synthetic_users_and_prints_their_logins(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo data (synthetic)" in out
    assert "learner@demo.skillpass.example" in out
    assert "skillpass-demo" in out
    assert "https://esco.ec.europa.eu/en/use-esco/download" in out
    assert "skillpass taxonomy import PATH" in out


def test_demo_twice_creates_nothing_new(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["demo", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (
        first["users_created"] == 7
    )  # learner, issuer, verifier, assessor, analyst, admin, moderator
    assert run(["demo", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["users_created"] == 0
    assert second["organisations_created"] == 0
    assert all(user["synthetic"] for user in second["users"])


def test_demo_is_refused_in_production(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "production")
    monkeypatch.setenv("SKILLPASS_KEY_ENCRYPTION_KEY", "k" * 48)
    monkeypatch.setenv("SKILLPASS_SECRET_KEY", "p" * 48)
    assert run(["demo"]) == 1
    assert "refused in production" in capsys.readouterr().err


def test_serve_demo_seeds_then_serves_on_loopback_in_the_demo_environment(
    env: Path, uvicorn_calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["serve", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert "admin@demo.skillpass.example" in out
    (call,) = uvicorn_calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8000)
    skillpass = call["app"].state.skillpass
    assert skillpass.settings.environment is Environment.DEMO
    assert len(skillpass.auth.list_users(synthetic=True)) == 7


def test_serve_without_demo_seeds_nothing(
    env: Path, uvicorn_calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["serve", "--port", "8123"]) == 0
    (call,) = uvicorn_calls
    assert call["port"] == 8123
    skillpass = call["app"].state.skillpass
    assert skillpass.settings.environment is Environment.TEST
    assert skillpass.auth.list_users(synthetic=True) == []
    assert "skillpass taxonomy import PATH" in capsys.readouterr().out


def test_serve_warns_when_demo_users_are_reachable_from_other_machines(
    env: Path, uvicorn_calls: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["serve", "--demo", "--host", "0.0.0.0"]) == 0
    assert "password is public" in capsys.readouterr().err


def test_serve_refuses_a_port_out_of_range(env: Path, uvicorn_calls: list[dict[str, Any]]) -> None:
    assert run(["serve", "--port", "70000"]) == 2
    assert uvicorn_calls == []


@pytest.mark.esco
@pytest.mark.slow
def test_demo_imports_the_configured_esco_once(
    env: Path,
    esco_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SKILLPASS_ESCO", str(esco_dir))
    assert run(["demo"]) == 0
    first = capsys.readouterr().out
    assert "Importing ESCO from" in first
    assert "13,939 skills" in first
    assert run(["demo"]) == 0
    second = capsys.readouterr().out
    assert "Importing ESCO" not in second
    assert "ESCO 1.2.0: 13,939 skills, 3,039 occupations" in second
