"""Storage: SQL tables, the engine factory, repositories and Alembic migrations."""
