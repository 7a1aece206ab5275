"""Shared fixtures: settings on a temporary SQLite file, a built app, ESCO locations.

Real-component fixtures (PostgreSQL, the full ESCO download, Chromium) skip with a reason when the
component is not configured; ``.ci/run`` configures all of them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from skillpass.app import SkillPass, build
from skillpass.config import Environment, Settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def esco_path() -> Path | None:
    """The full English ESCO download named by SKILLPASS_ESCO, if present."""
    value = os.environ.get("SKILLPASS_ESCO")
    candidate = Path(value) if value else SHARED_DATA / "esco-v1.2.0-en"
    return candidate if (candidate / "skills_en.csv").exists() else None


def occupation_labels_path() -> Path | None:
    """The six-language occupation label files (../shared/data/esco-occupation-labels)."""
    candidate = SHARED_DATA / "esco-occupation-labels"
    return candidate if (candidate / "occupations_de.csv").exists() else None


@pytest.fixture
def esco_dir() -> Path:
    """The full ESCO English download; skips when absent."""
    path = esco_path()
    if path is None:
        pytest.skip("set SKILLPASS_ESCO to an ESCO v1.2.0 English CSV download")
    return path


def make_settings(tmp_path: Path, database_url: str | None = None) -> Settings:
    """Settings isolated in ``tmp_path`` (test environment, never the user's data dir)."""
    return Settings(
        environment=Environment.TEST,
        data_dir=tmp_path / "data",
        database_url=database_url or f"sqlite:///{tmp_path / 'skillpass.sqlite3'}",
        esco=esco_path(),
        warm_up_on_start=False,  # tests that serve an app warm up what they need themselves
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh temporary SQLite database."""
    return make_settings(tmp_path)


@pytest.fixture
def skillpass(settings: Settings) -> Iterator[SkillPass]:
    """A fully wired SkillPass on an empty, migrated database."""
    app = build(settings)
    yield app
    app.close()


@pytest.fixture(scope="session")
def esco_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose SQLite database holds the full English ESCO (imported once per session).

    Read-only for tests: build apps on it with ``make_settings(esco_database)``; tests that
    write must use the ``skillpass`` fixture instead.
    """
    path = esco_path()
    if path is None:
        pytest.skip("set SKILLPASS_ESCO to an ESCO v1.2.0 English CSV download")
    folder = tmp_path_factory.mktemp("esco-db")
    app = build(make_settings(folder))
    try:
        app.taxonomy.import_esco(path)
        app.taxonomy.search("warm up the search index cache", limit=1)
    finally:
        app.close()
    return folder


@pytest.fixture
def esco_app(esco_database: Path) -> Iterator[SkillPass]:
    """A SkillPass on the shared full-ESCO database (do not write to it)."""
    app = build(make_settings(esco_database), migrate=False)
    yield app
    app.close()


@pytest.fixture
def postgres_url() -> str:
    """URL of a real PostgreSQL test database (SKILLPASS_TEST_POSTGRES_URL); skips when unset."""
    url = os.environ.get("SKILLPASS_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("set SKILLPASS_TEST_POSTGRES_URL to run PostgreSQL tests")
    return url


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards.

    Build an app on it with ``build(make_settings(tmp_path, database_url=postgres_schema_url))``.
    """
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"sp_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_engine(postgres_schema_url: str) -> Iterator[Engine]:
    """An engine on a fresh PostgreSQL schema."""
    from skillpass.storage.db import create_db_engine

    engine = create_db_engine(postgres_schema_url)
    yield engine
    engine.dispose()
