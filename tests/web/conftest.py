"""Fixtures for web UI tests: a TestClient on an empty app and one on the full ESCO."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from tests.conftest import make_settings

PASSWORD = "correct horse battery"


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@pytest.fixture
def client(skillpass: SkillPass) -> Iterator[TestClient]:
    """A browser-like client on an empty, migrated app (no ESCO imported)."""
    with TestClient(create_api(skillpass)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def esco_client(esco_database: Path) -> Iterator[TestClient]:
    """A client on the shared full-ESCO database (read-only: do not sign in or seed here)."""
    app = build(make_settings(esco_database), migrate=False)
    try:
        with TestClient(create_api(app)) as test_client:
            yield test_client
    finally:
        app.close()
