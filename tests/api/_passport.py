"""Helpers shared by the passport API tests: users with tokens, organisations, a definition,
a credential from a *foreign* SkillPass instance, and lexical matching for the passport."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role, User
from skillpass.matching.service import MatchingService
from skillpass.storage import tables
from tests.conftest import make_settings

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "micro-credential.yaml"
API = "/api/v1"


@dataclass(frozen=True)
class Actor:
    """A user and the headers that carry their API token."""

    user: User
    headers: dict[str, str]


def actor(app: SkillPass, email: str, *roles: Role, name: str | None = None) -> Actor:
    """A user with ``roles`` and a fresh API token."""
    user = app.auth.create_user(email, name or email.split("@")[0].title(), PASSWORD, roles)
    token = app.auth.create_token(user.public_id, "test").token
    return Actor(user, {"Authorization": f"Bearer {token}"})


def organisation(app: SkillPass, name: str, kind: str, *members: Actor, country: str = "SE") -> str:
    """An organisation on the platform whose members may act for it; its public id."""
    issuer = app.issuers.create(name=name, country=country, kind=kind)
    for member in members:
        app.issuers.add_member(issuer.id, member.user.email)
    return issuer.id


def definition(title: str | None = None) -> dict[str, Any]:
    """The example micro-credential definition (every Annex I element)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    if title:
        data["title"] = title
    return data


def define(app: SkillPass, issuer_id: str, by: Actor, title: str | None = None) -> str:
    """A stored micro-credential definition of ``issuer_id``; its id."""
    return app.achievements.create(issuer_id, definition(title), actor=by.user).id


def foreign_credential(folder: Path, learner_email: str, learner_name: str) -> str:
    """An OB3 credential (eddsa-rdfc-2022, did:key issuer) signed by *another* SkillPass
    instance, on its own database and keys: foreign to the app under test."""
    folder.mkdir(parents=True, exist_ok=True)
    other = build(make_settings(folder))
    try:
        issuer = actor(other, "registrar@other.example", Role.ISSUER)
        org = organisation(other, "Universität Hafenstadt", "university", issuer, country="DE")
        achievement = define(other, org, issuer, "Battery cell chemistry basics")
        credential = other.credentials.issue(
            achievement, learner_email, learner_name, None, "ob3", None, actor=issuer.user
        )
        return credential.document
    finally:
        other.close()


def tampered(document: str) -> str:
    """The credential with its achievement renamed after signing (the proof must fail)."""
    data = json.loads(document)
    data["credentialSubject"]["achievement"]["name"] = "Doctor of Everything"
    return json.dumps(data)


def lexical_passport(app: SkillPass, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the passport's skill suggestions use lexical matching only (no embedding model to
    load or distil: seconds, not minutes, on the full ESCO)."""
    matching = MatchingService(app.engine, app.settings.data_dir, semantic=False)
    monkeypatch.setattr(app.passport, "_matching", matching)


def count(app: SkillPass, table_name: str) -> int:
    """Rows in a passport table (to prove that a refusal changed nothing)."""
    table = getattr(tables, table_name)
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def counts(app: SkillPass) -> dict[str, int]:
    """Rows in every passport table."""
    names = [
        "passport_items",
        "evidence_files",
        "attestations",
        "rpl_cases",
        "rpl_events",
        "shares",
        "share_accesses",
    ]
    return {name: count(app, name) for name in names}


def import_text(client: TestClient, who: Actor, document: str) -> dict[str, Any]:
    """Import a credential as JSON text; asserts it was stored."""
    response = client.post(
        f"{API}/passport/import", json={"credential": document}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
