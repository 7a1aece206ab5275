"""Typed settings: the only reader of the environment.

Every setting is read from an environment variable with the ``SKILLPASS_`` prefix (or a ``.env``
file in the working directory). :class:`Settings` is built once by the composition root
(:mod:`skillpass.app`) and handed down; nothing else looks at ``os.environ``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self

import platformdirs
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from skillpass.errors import ConfigurationError

__all__ = ["PLACEHOLDER_SECRET", "Environment", "Settings"]

#: The value shipped as default; refused outside development and demo.
PLACEHOLDER_SECRET = "change-me"


class Environment(StrEnum):
    """Where SkillPass runs; production refuses unsafe defaults."""

    DEVELOPMENT = "development"
    DEMO = "demo"
    TEST = "test"
    PRODUCTION = "production"


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("skillpass", appauthor=False))


class Settings(BaseSettings):
    """All SkillPass settings (environment prefix ``SKILLPASS_``).

    Attributes:
        environment: ``development`` (default), ``demo``, ``test`` or ``production``.
        data_dir: Folder for the embedded database and caches (``SKILLPASS_DATA_DIR``).
        database_url: SQLAlchemy URL; defaults to an SQLite file in ``data_dir``.
        esco: Folder or ``.zip`` of an official ESCO CSV download (``SKILLPASS_ESCO``).
        secret_key: Signs session cookies; must be changed outside development/demo/test.
        session_max_age_seconds: Lifetime of a web login session.
        max_upload_bytes: Largest upload or request body accepted.
    """

    model_config = SettingsConfigDict(
        env_prefix="SKILLPASS_", env_file=".env", extra="ignore", frozen=True
    )

    environment: Environment = Field(
        default=Environment.DEVELOPMENT,
        description="development, demo, test or production; production refuses unsafe defaults.",
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Folder for the embedded SQLite database and the search index cache.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy database URL, e.g. postgresql+psycopg://user@host/db. "
        "Default: sqlite:///<data_dir>/skillpass.sqlite3",
    )
    esco: Path | None = Field(
        default=None,
        description="Folder or .zip of an official ESCO CSV download (any language).",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(PLACEHOLDER_SECRET),
        description="Secret used to sign session cookies. Required outside development/demo/test.",
    )
    session_max_age_seconds: int = Field(
        default=8 * 3600, ge=60, description="How long a web login lasts."
    )
    max_upload_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="Largest request body accepted."
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Self:
        permissive = {Environment.DEVELOPMENT, Environment.DEMO, Environment.TEST}
        if (
            self.environment not in permissive
            and self.secret_key.get_secret_value() == PLACEHOLDER_SECRET
        ):
            raise ConfigurationError(
                "SKILLPASS_SECRET_KEY is still the placeholder. Set it to a long random value, "
                "e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        if self.environment not in permissive and len(self.secret_key.get_secret_value()) < 32:
            raise ConfigurationError(
                "SKILLPASS_SECRET_KEY must be at least 32 characters in production."
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL actually used (the SQLite default filled in)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'skillpass.sqlite3'}"
