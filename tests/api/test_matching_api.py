"""/api/v1/match/* through an ASGI app holding only the matching router (the lead wires it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from skillpass.api import routes_matching
from skillpass.api.errors import install_error_handlers
from skillpass.app import SkillPass
from skillpass.matching.service import EXTRACTION_THRESHOLDS, scoring_path
from tests.matching.conftest import OCC, SKILL, tiny_app  # noqa: F401 (fixture)


def _client(app: SkillPass) -> TestClient:
    api = FastAPI()
    api.state.skillpass = app
    install_error_handlers(api)
    api.include_router(routes_matching.router, prefix="/api/v1")
    return TestClient(api)


@pytest.fixture
def client(tiny_app: SkillPass) -> Iterator[TestClient]:  # noqa: F811
    with _client(tiny_app) as test_client:
        yield test_client


def test_match_skills_returns_ranked_matches(client: TestClient) -> None:
    response = client.post(
        "/api/v1/match/skills", json={"text": "baking bread every morning", "top": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 3
    assert body[0]["uri"] == SKILL + "bake"
    assert {"uri", "label", "score", "matched_label", "skill_type"} <= set(body[0])


def test_match_occupations_in_german(client: TestClient) -> None:
    response = client.post(
        "/api/v1/match/occupations", json={"text": "Bäckerin", "lang": "de", "top": 2}
    )
    assert response.status_code == 200
    assert response.json()[0]["uri"] == OCC + "baker"


def test_extract_returns_skills_and_evidence(client: TestClient) -> None:
    text = "You will bake bread. You also weld metal parts."
    body = client.post("/api/v1/match/extract", json={"text": text}).json()
    assert {s["uri"] for s in body["skills"]} >= {SKILL + "bake", SKILL + "weld"}
    span = body["skills"][0]["evidence"][0]
    assert text[span["start"] : span["end"]] == span["text"]


def test_extract_reports_the_threshold_of_the_scoring_path(
    client: TestClient,
    tiny_app: SkillPass,  # noqa: F811
) -> None:
    text = "You will bake bread every morning. You also weld metal parts."
    body = client.post("/api/v1/match/extract", json={"text": text, "lang": "en"}).json()
    engine = tiny_app.matching.engine
    path = scoring_path("en", semantic=engine.semantic, reranker=engine.reranker() is not None)
    assert body["threshold"] == pytest.approx(EXTRACTION_THRESHOLDS[path])
    assert all(s["score"] >= body["threshold"] for s in body["skills"])


def test_extract_honours_an_explicit_threshold(client: TestClient) -> None:
    text = "You will bake bread every morning. You also weld metal parts."
    body = client.post(
        "/api/v1/match/extract", json={"text": text, "lang": "en", "threshold": 0.01}
    ).json()
    assert body["threshold"] == pytest.approx(0.01)
    assert all(s["score"] >= 0.01 for s in body["skills"])


@pytest.mark.parametrize(
    "payload",
    [
        {"text": ""},
        {"text": "\u0000\u0001\u0002" * 20},
        {"text": "python", "top": 0},
        {"text": "python", "lang": "xx"},
    ],
)
def test_bad_input_is_422_with_the_error_envelope(client: TestClient, payload: dict) -> None:
    response = client.post("/api/v1/match/skills", json=payload)
    assert response.status_code == 422
    assert "error" in response.json() or "detail" in response.json()


def test_without_taxonomy_the_answer_is_409(skillpass: SkillPass) -> None:
    with _client(skillpass) as client:
        response = client.post("/api/v1/match/skills", json={"text": "python"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "taxonomy_missing"


def test_routes_are_documented_in_openapi(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/match/skills", "/api/v1/match/occupations", "/api/v1/match/extract"):
        assert paths[path]["post"]["description"]
