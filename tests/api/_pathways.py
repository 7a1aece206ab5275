"""Fixtures for the catalogue, funding, pathway and recognition API tests: a SkillPass on the
hand-made taxonomy of tests/recognition/conftest.py (no ESCO download), a client, users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.pathways.models import CourseType, OpportunityCreate, OpportunityMode
from tests.api._passport import Actor, actor
from tests.conftest import make_settings
from tests.recognition.conftest import SKILL, TECHNICIAN, seed_taxonomy

API = "/api/v1"
__all__ = ["API", "SKILL", "TECHNICIAN", "Actor", "actor", "course", "describe_everything"]


class NoMatching:
    """A matching engine that finds nothing (no index to build: fast)."""

    def match_skills_batch(self, items, lang=None, top=10, **_):  # type: ignore[no-untyped-def]
        for item in items:
            yield item.id, []


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SkillPass]:
    """A SkillPass whose database holds the hand-made taxonomy."""
    built = build(make_settings(tmp_path))
    seed_taxonomy(built.engine)
    monkeypatch.setattr(built.recognition, "_matching", NoMatching())
    yield built
    built.close()


@pytest.fixture
def client(app: SkillPass) -> Iterator[TestClient]:
    """The ASGI app over ``app``."""
    with TestClient(create_api(app)) as test_client:
        yield test_client


@pytest.fixture
def admin(app: SkillPass) -> Actor:
    """An administrator with a token."""
    return actor(app, "admin@example.org", Role.ADMIN)


def course(keys: list[str], **changes: Any) -> OpportunityCreate:
    """An opportunity teaching the hand-made taxonomy's skills ``keys``."""
    data: dict[str, Any] = {
        "title": "Battery basics",
        "provider": "Northvale VET (synthetic)",
        "country": "DE",
        "languages": ["en"],
        "mode": OpportunityMode.ONLINE,
        "course_type": CourseType.MICRO_CREDENTIAL,
        "duration_weeks": 4,
        "hours": 40,
        "cost_eur": 400,
        "outcomes": [SKILL + k for k in keys],
    }
    data.update(changes)
    return OpportunityCreate.model_validate(data)


def describe_everything(client: TestClient, prefix: str) -> list[str]:
    """Routes under ``prefix`` lacking a summary or description, and wire-schema properties of
    their bodies and answers lacking a description (empty when all is documented)."""
    spec = client.get(f"{API}/openapi.json").json()
    schemas = spec["components"]["schemas"]
    problems: list[str] = []
    names: set[str] = set()
    for path, operations in spec["paths"].items():
        if not path.startswith(API + prefix):
            continue
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            if not operation.get("summary") or not operation.get("description"):
                problems.append(f"{where}: summary/description")
            text = str(operation.get("requestBody", "")) + str(operation.get("responses", ""))
            names.update(n for n in schemas if f"'#/components/schemas/{n}'" in text)
    for name in sorted(names):
        if name in {"ErrorEnvelope", "ErrorBody", "HTTPValidationError", "ValidationError"}:
            continue
        for prop, schema in schemas[name].get("properties", {}).items():
            if "description" not in schema:
                problems.append(f"{name}.{prop}: description")
    return problems
