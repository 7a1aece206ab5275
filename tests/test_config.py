"""Settings: defaults, placeholder-secret refusal, database URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from skillpass.config import PLACEHOLDER_SECRET, Environment, Settings
from skillpass.errors import ConfigurationError


def test_production_refuses_the_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "production")
    monkeypatch.delenv("SKILLPASS_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SKILLPASS_SECRET_KEY"):
        Settings()


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ConfigurationError, match="32 characters"):
        Settings(
            environment=Environment.PRODUCTION,
            secret_key=SecretStr("short-but-not-placeholder"),
            key_encryption_key=SecretStr("k" * 40),
        )


def test_development_accepts_the_placeholder(tmp_path: Path) -> None:
    settings = Settings(environment=Environment.DEVELOPMENT, data_dir=tmp_path)
    assert settings.secret_key.get_secret_value() == PLACEHOLDER_SECRET


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=None)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'skillpass.sqlite3'}"


def test_settings_are_read_from_prefixed_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SKILLPASS_ESCO", str(tmp_path))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", "sqlite:///x.db")
    settings = Settings()
    assert settings.esco == tmp_path
    assert settings.database_url == "sqlite:///x.db"


def test_secret_never_appears_in_repr() -> None:
    settings = Settings(secret_key=SecretStr("a-very-secret-value-of-enough-length!"))
    assert "a-very-secret" not in repr(settings)


def test_production_refuses_the_placeholder_key_encryption_key() -> None:
    with pytest.raises(ConfigurationError, match="SKILLPASS_KEY_ENCRYPTION_KEY"):
        Settings(environment=Environment.PRODUCTION, secret_key=SecretStr("x" * 40))


def test_allowed_fetch_hosts_accepts_a_comma_separated_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SKILLPASS_ALLOWED_FETCH_HOSTS", "issuer.example, Other.example")
    assert Settings().allowed_fetch_hosts == ["issuer.example", "other.example"]
