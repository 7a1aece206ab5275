"""The ASGI app's startup: the label search and matching indexes are warmed up in the background
(``warm_up_on_start``), without delaying startup, and not at all when it is switched off."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.matching import MatchingService
from tests.conftest import make_settings
from tests.matching.conftest import seed_tiny_taxonomy


def _app(tmp_path: Path, *, warm_up_on_start: bool) -> SkillPass:
    settings = make_settings(tmp_path).model_copy(update={"warm_up_on_start": warm_up_on_start})
    app = build(settings)
    seed_tiny_taxonomy(app.engine)
    # lexical only: no model is loaded (the warm-up's order and stages are the same)
    return replace(app, matching=MatchingService(app.engine, settings.data_dir, semantic=False))


@pytest.fixture
def warm_on_start(tmp_path: Path) -> Iterator[SkillPass]:
    app = _app(tmp_path, warm_up_on_start=True)
    yield app
    app.close()


def test_startup_warms_the_label_search_then_the_matching_engine(
    warm_on_start: SkillPass,
) -> None:
    app = warm_on_start
    with TestClient(create_api(app)):
        assert app.matching.warm_up_in_background().wait(60)
        assert app.matching.warm  # no request asked for it
        assert app.matching.lexical_ready()
    assert list((app.settings.data_dir / "search-index").glob("index-*.pickle"))
    assert list((app.settings.data_dir / "matching-index").glob("*/skill-lexical.pickle"))


def test_startup_does_not_wait_for_the_warm_up(
    warm_on_start: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = warm_on_start
    release = threading.Event()
    searched = threading.Event()

    def slow_search(query: str, **options: Any) -> list[Any]:
        searched.set()
        release.wait(20)
        return []

    monkeypatch.setattr(app.taxonomy, "search", slow_search)
    start = time.monotonic()
    try:
        with TestClient(create_api(app)) as client:
            assert time.monotonic() - start < 5  # a startup that waited would take 20 s
            assert client.get("/api/v1/openapi.json").status_code == 200
            assert searched.wait(10)
            assert not app.matching.lexical_ready()  # matching comes after the label search
            release.set()
            assert app.matching.lexical_ready(60)
    finally:
        release.set()


def test_no_warm_up_when_switched_off(tmp_path: Path) -> None:
    app = _app(tmp_path, warm_up_on_start=False)
    try:
        with TestClient(create_api(app)) as client:
            assert client.get("/api/v1/openapi.json").status_code == 200
            assert not app.matching.lexical_ready(0.5)
        assert not (app.settings.data_dir / "search-index").exists()
        assert not (app.settings.data_dir / "matching-index").exists()
    finally:
        app.close()


def test_startup_without_esco_starts_cleanly(tmp_path: Path) -> None:
    settings = make_settings(tmp_path).model_copy(update={"warm_up_on_start": True})
    app = build(settings)
    try:
        with TestClient(create_api(app)) as client:
            assert client.get("/api/v1/openapi.json").status_code == 200
        assert not app.matching.warm
    finally:
        app.close()
