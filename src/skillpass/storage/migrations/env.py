"""Alembic environment: runs migrations on the engine handed over by ``storage.db``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from skillpass.storage.tables import metadata

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only when misused from the alembic CLI
    raise RuntimeError("Run migrations through skillpass (skillpass db upgrade), not alembic.")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
