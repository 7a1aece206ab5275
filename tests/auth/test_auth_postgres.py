"""Users, tokens and the demo seed on a real PostgreSQL (same behaviour as SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpass.app import build
from skillpass.auth.models import Role
from skillpass.errors import AuthenticationRequired, Conflict
from tests.conftest import make_settings

pytestmark = pytest.mark.postgres


def test_users_tokens_and_demo_on_postgres(tmp_path: Path, postgres_schema_url: str) -> None:
    app = build(make_settings(tmp_path, database_url=postgres_schema_url))
    try:
        user = app.auth.create_user("Ana@Example.org", "Ana", "correct horse battery", ["admin"])
        with pytest.raises(Conflict):
            app.auth.create_user("ana@example.org", "Ana", "correct horse battery", ["admin"])
        assert app.auth.authenticate("ana@example.org", "correct horse battery") == user
        issued = app.auth.create_token(user.public_id, "ci")
        assert app.auth.user_for_token(issued.token).roles == {Role.ADMIN}
        assert app.auth.list_tokens(user.public_id)[0].last_used_at is not None
        app.auth.revoke_token(issued.public_id, user)
        with pytest.raises(AuthenticationRequired):
            app.auth.user_for_token(issued.token)
        first = app.demo.seed()
        second = app.demo.seed()
        assert first.users_created == len(Role)
        assert second.users_created == 0
        assert second.organisations_created == 0
    finally:
        app.close()
