"""Typed settings: the only reader of the environment.

Every setting is read from an environment variable with the ``SKILLPASS_`` prefix (or a ``.env``
file in the working directory). :class:`Settings` is built once by the composition root
(:mod:`skillpass.app`) and handed down; nothing else looks at ``os.environ``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Self

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
        public_base_url: Public address used in did:web ids, profiles and status lists.
        key_encryption_key: Encrypts private signing keys at rest.
        max_credential_bytes: Largest credential accepted for verification.
        max_json_depth: Deepest JSON nesting accepted in credentials.
        allowed_fetch_hosts: Hosts the verifier may contact; empty means none.
        jsonld_contexts: Extra trusted JSON-LD contexts (folder with map.txt).
        elm_shapes: Folder with the official EDC SHACL shapes.
        ob3_schema: The OB3 JSON Schema file for the schema check.
        intel_memory_limit: Memory cap of the embedded analytics engine (DuckDB).
        intel_temp_directory: Where the embedded engine spills to disk past the cap.
        intel_threads: Threads of the embedded engine; None means all cores.
        spark_master: Spark master URL for ``--engine spark`` (``local[*]`` or a cluster).
        warm_up_on_start: The server prepares the label search and matching indexes in the
            background as it starts (tests switch it off).
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
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of this SkillPass (used in did:web identifiers, issuer "
        "profiles, status list URLs and verification links).",
    )
    key_encryption_key: SecretStr = Field(
        default=SecretStr(PLACEHOLDER_SECRET),
        description="Encrypts issuers' private signing keys at rest. Required outside "
        "development/demo/test; changing it makes stored keys unreadable.",
    )
    max_credential_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest credential or presentation accepted for verification (bytes).",
    )
    max_json_depth: int = Field(
        default=64, ge=8, le=1000, description="Deepest JSON nesting accepted in credentials."
    )
    jsonld_contexts: Path | None = Field(
        default=None,
        description="Extra JSON-LD contexts trusted besides those shipped: a folder with a "
        "map.txt of 'URL FILE' lines (the 1EdTech validator's layout).",
    )
    elm_shapes: Path | None = Field(
        default=None,
        description="Folder with the official EDC SHACL shapes (EDC-generic-no-cv.ttl, "
        "EDC-generic-full.ttl) and the ELM context, used to check European Learning Model "
        "credentials.",
    )
    ob3_schema: Path | None = Field(
        default=None,
        description="The 1EdTech OB3 AchievementCredential JSON Schema file; enables the schema "
        "check when verifying Open Badges 3.0 credentials.",
    )
    allowed_fetch_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts the verifier may contact for did:web documents, keys and status "
        "lists (comma-separated or JSON list). Empty: never fetch anything.",
    )

    intel_memory_limit: str = Field(
        default="2GB",
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="Memory cap of the embedded analytics engine (DuckDB) for skills "
        "intelligence, e.g. 2GB; past it, work spills to intel_temp_directory.",
    )
    intel_temp_directory: Path | None = Field(
        default=None,
        description="Folder the embedded analytics engine spills to when it passes its memory "
        "cap. Default: <data_dir>/intelligence/tmp",
    )
    intel_threads: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Threads of the embedded analytics engine; default: all cores.",
    )
    spark_master: str = Field(
        default="local[*]",
        description="Spark master for `--engine spark` (local[*], spark://host:7077, yarn, "
        "k8s://...); needs the spark extra and Java 17.",
    )
    warm_up_on_start: bool = Field(
        default=True,
        description="When the server starts, load or build the label search index and then the "
        "matching engine's indexes in a background thread (lexical in seconds, embeddings in "
        "minutes the first time), so the first visitors do not wait for them.",
    )

    @field_validator("allowed_fetch_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        """Accept ``a.example,b.example`` as well as a JSON list."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [host.strip().lower() for host in text.split(",") if host.strip()]
        return value

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
        if (
            self.environment not in permissive
            and self.key_encryption_key.get_secret_value() == PLACEHOLDER_SECRET
        ):
            raise ConfigurationError(
                "SKILLPASS_KEY_ENCRYPTION_KEY is still the placeholder. Set it to a long random "
                "value and keep it safe: stored signing keys can only be read with it."
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
