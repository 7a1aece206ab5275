"""Engine creation and schema migration (Alembic), for SQLite and PostgreSQL alike."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

__all__ = ["alembic_config", "create_db_engine", "upgrade_schema"]


def create_db_engine(url: str) -> Engine:
    """Create an engine; for SQLite, make the folder and switch on foreign keys and WAL.

    Args:
        url: A SQLAlchemy database URL.

    Returns:
        A ready engine. Nothing is connected until first use.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration pointing at the migrations shipped inside the package."""
    script_location = str(resources.files("skillpass.storage") / "migrations")
    config = Config()
    config.set_main_option("script_location", script_location)
    config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(engine), revision)
