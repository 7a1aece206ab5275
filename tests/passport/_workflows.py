"""Helpers for the attestation and RPL workflow tests: one app per module on a tiny synthetic
taxonomy (so skill suggestions work without the ESCO download), and people and organisations
with unique names per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role, User
from skillpass.credentials.records import MemberRole
from tests.conftest import SHARED_DATA, make_settings
from tests.matching.conftest import seed_tiny_taxonomy

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "micro-credential.yaml"
OB3_SCHEMA = (
    SHARED_DATA / "credentials" / "ob3-schema" / "ob_v3p0_achievementcredential_schema.json"
)


def workflow_app(
    tmp_path_factory: pytest.TempPathFactory, database_url: str | None = None
) -> Iterator[SkillPass]:
    """A SkillPass on a tiny taxonomy; the OB3 JSON Schema check is on when the schema exists.

    For a module-scoped fixture: each test makes its own people and organisations.
    """
    settings = make_settings(tmp_path_factory.mktemp("workflows"), database_url)
    if OB3_SCHEMA.is_file():
        settings = settings.model_copy(update={"ob3_schema": OB3_SCHEMA})
    built = build(settings)
    seed_tiny_taxonomy(built.engine)
    yield built
    built.close()


def unique() -> str:
    """A short suffix that keeps names and e-mail addresses apart between tests."""
    return uuid.uuid4().hex[:8]


def person(app: SkillPass, name: str, *roles: Role) -> User:
    """A user with these roles and a unique e-mail address."""
    email = f"{name.lower().replace(' ', '.')}.{unique()}@example.org"
    return app.auth.create_user(email, name, PASSWORD, roles or (Role.LEARNER,))


def organisation(
    app: SkillPass,
    name: str,
    kind: str = "employer",
    *members: User,
    manager: User | None = None,
) -> str:
    """An organisation (unique name) whose ``members`` act for it; its public id."""
    org = app.issuers.create(name=f"{name} {unique()}", country="SE", kind=kind)
    for member in members:
        app.issuers.add_member(org.id, member.public_id)
    if manager is not None:
        app.issuers.add_member(org.id, manager.public_id, MemberRole.MANAGER)
    return org.id
