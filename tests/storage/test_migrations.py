"""Migrations run from an empty database to head and back, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from skillpass.storage.db import alembic_config, create_db_engine, upgrade_schema
from skillpass.storage.tables import metadata


def _assert_schema_matches_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"tables.py and the migrations disagree: {diff}"


def _round_trip(engine: Engine) -> None:
    upgrade_schema(engine)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    _assert_schema_matches_tables(engine)
    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_schema(engine)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())


def test_sqlite_migrates_from_empty_to_head_and_back(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        _round_trip(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_migrates_from_empty_to_head_and_back(postgres_engine: Engine) -> None:
    _round_trip(postgres_engine)
