"""``skillpass admin …`` through the CLI entry point, on a temporary database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillpass.app import build
from skillpass.auth.models import Role
from skillpass.cli.main import app, run
from skillpass.config import Settings

PASSWORD = "correct horse battery"


def flat(text: str) -> str:
    """Undo Rich's line wrapping."""
    return " ".join(text.split())


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the CLI (which reads the environment) at a temporary database."""
    monkeypatch.chdir(tmp_path)
    database_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", database_url)
    return Settings()


def create_user(
    monkeypatch: pytest.MonkeyPatch, email: str, *extra: str, password: str = PASSWORD
) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return run(["admin", "create-user", email, "--name", "Ana López", "--password-stdin", *extra])


def test_create_user_then_list_users_json(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_user(monkeypatch, "Ana@Example.org", "--role", "issuer", "-r", "assessor") == 0
    capsys.readouterr()
    assert run(["admin", "list-users", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 1
    assert listed[0]["email"] == "ana@example.org"
    assert listed[0]["roles"] == ["assessor", "issuer"]
    assert "password" not in json.dumps(listed)
    app_ = build(cli_env)
    try:
        assert app_.auth.authenticate("ana@example.org", PASSWORD).roles == {
            Role.ISSUER,
            Role.ASSESSOR,
        }
    finally:
        app_.close()


def test_create_user_defaults_to_learner(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_user(monkeypatch, "ana@example.org", "--json") == 0
    assert json.loads(capsys.readouterr().out)["roles"] == ["learner"]


def test_create_user_prompts_for_password_twice(cli_env: Settings) -> None:
    result = CliRunner().invoke(
        app,
        ["admin", "create-user", "ana@example.org", "--name", "Ana"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created user" in result.output
    assert PASSWORD not in result.output


def test_create_user_unknown_role_fails_listing_roles(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_user(monkeypatch, "ana@example.org", "--role", "wizard") == 1
    err = flat(capsys.readouterr().err)
    assert "wizard" in err
    assert "verifier" in err


def test_create_user_short_password_fails(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_user(monkeypatch, "ana@example.org", password="short") == 1
    assert "at least 10 characters" in flat(capsys.readouterr().err)


def test_create_user_twice_is_a_conflict(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_user(monkeypatch, "ana@example.org") == 0
    assert create_user(monkeypatch, "ANA@example.org") == 1
    assert "already exists" in flat(capsys.readouterr().err)


def test_create_token_prints_a_working_token_once(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_user(monkeypatch, "ana@example.org") == 0
    capsys.readouterr()
    assert run(["admin", "create-token", "ana@example.org", "--name", "laptop"]) == 0
    captured = capsys.readouterr()
    token = captured.out.strip()
    assert token.startswith("sp_")
    assert "not shown again" in flat(captured.err)
    app_ = build(cli_env)
    try:
        assert app_.auth.user_for_token(token).email == "ana@example.org"
    finally:
        app_.close()


def test_create_token_for_unknown_user_says_how_to_create_one(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["admin", "create-token", "nobody@example.org", "--name", "x"]) == 1
    assert "skillpass admin create-user" in flat(capsys.readouterr().err)


def test_set_roles_and_deactivate(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_user(monkeypatch, "ana@example.org") == 0
    assert run(["admin", "set-roles", "ana@example.org", "--role", "analyst"]) == 0
    assert run(["admin", "deactivate", "ana@example.org"]) == 0
    capsys.readouterr()
    assert run(["admin", "list-users", "--json"]) == 0
    (user,) = json.loads(capsys.readouterr().out)
    assert user["roles"] == ["analyst"]
    assert user["is_active"] is False
    assert run(["admin", "activate", "ana@example.org"]) == 0


def test_migrate_reports_an_up_to_date_schema(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["admin", "migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
