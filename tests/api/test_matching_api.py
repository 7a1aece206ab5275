"""/api/v1/match/* through an ASGI app holding only the matching router (the lead wires it)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from skillpass.api import routes_matching
from skillpass.api.errors import install_error_handlers
from skillpass.app import SkillPass
from skillpass.matching.service import EXTRACTION_THRESHOLDS, MatchingService
from tests.matching.conftest import OCC, SKILL, tiny_app  # noqa: F401 (fixture)
from tests.matching.fakes import block_embeddings

ADVERT = "You will bake bread every morning. You also weld metal parts."


def _client(app: SkillPass) -> TestClient:
    api = FastAPI()
    api.state.skillpass = app
    install_error_handlers(api)
    api.include_router(routes_matching.router, prefix="/api/v1")
    return TestClient(api)


@pytest.fixture
def client(tiny_app: SkillPass) -> Iterator[TestClient]:  # noqa: F811
    """The matching routes on a warmed-up engine (as a deploy has it after its warm-up)."""
    tiny_app.matching.warm_up()
    with _client(tiny_app) as test_client:
        yield test_client


def _ranked_by(app: SkillPass) -> str:
    return "semantic" if app.matching.semantic else "lexical"


def test_match_skills_returns_ranked_matches(client: TestClient) -> None:
    response = client.post(
        "/api/v1/match/skills", json={"text": "baking bread every morning", "top": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 3
    assert body[0]["uri"] == SKILL + "bake"
    assert {"uri", "label", "score", "matched_label", "skill_type"} <= set(body[0])


def test_warm_engine_answers_say_which_index_ranked_them_and_nothing_is_pending(
    client: TestClient,
    tiny_app: SkillPass,  # noqa: F811
) -> None:
    skills = client.post("/api/v1/match/skills", json={"text": "baking bread", "top": 2}).json()
    occupations = client.post(
        "/api/v1/match/occupations", json={"text": "baker", "lang": "en", "top": 2}
    ).json()
    extraction = client.post("/api/v1/match/extract", json={"text": ADVERT}).json()
    for answer in [*skills, *occupations, extraction]:
        assert answer["ranked_by"] == _ranked_by(tiny_app)
        assert answer["semantic_pending"] is False


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
    body = client.post("/api/v1/match/extract", json={"text": ADVERT, "lang": "en"}).json()
    path = tiny_app.matching.engine.path("skill", "en")
    assert body["threshold"] == pytest.approx(EXTRACTION_THRESHOLDS[path])
    assert all(s["score"] >= body["threshold"] for s in body["skills"])


def test_extract_honours_an_explicit_threshold(client: TestClient) -> None:
    body = client.post(
        "/api/v1/match/extract", json={"text": ADVERT, "lang": "en", "threshold": 0.01}
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


@pytest.mark.parametrize("route", ["skills", "occupations", "extract"])
def test_without_taxonomy_the_answer_is_409(skillpass: SkillPass, route: str) -> None:
    with _client(skillpass) as client:
        response = client.post(f"/api/v1/match/{route}", json={"text": "python"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "taxonomy_missing"


def test_routes_answer_at_once_from_the_lexical_index_while_embeddings_are_built(
    tiny_app: SkillPass,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lexical = MatchingService(tiny_app.engine, tiny_app.settings.data_dir, semantic=False)
    matching = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(matching, monkeypatch)
    app = replace(tiny_app, matching=matching)
    skills = {"text": "baking bread every morning", "lang": "en", "top": 3}
    occupations = {"text": "Bäckerin", "lang": "de", "top": 2}
    extract = {"text": ADVERT, "lang": "en"}
    try:
        with _client(app) as client:
            matching.warm_up_in_background()  # as the server does at startup
            assert encoder.started.wait(30)  # embedding now, and held there
            start = time.monotonic()
            during = [
                client.post("/api/v1/match/skills", json=skills),
                client.post("/api/v1/match/occupations", json=occupations),
                client.post("/api/v1/match/extract", json=extract),
            ]
            elapsed = time.monotonic() - start
            assert not matching.warm
            encoder.release.set()
            assert matching.warm_up_in_background().wait(60)
            after = [
                client.post("/api/v1/match/skills", json=skills).json(),
                client.post("/api/v1/match/occupations", json=occupations).json(),
                client.post("/api/v1/match/extract", json=extract).json(),
            ]
    finally:
        encoder.release.set()
        matching.close()
    assert elapsed < 5  # a route that waited for the embeddings would take 20 s per call
    assert all(response.status_code == 200 for response in during)
    skills_during, occupations_during, extract_during = [r.json() for r in during]
    for answer in [*skills_during, *occupations_during, extract_during]:
        assert answer["ranked_by"] == "lexical"
        assert answer["semantic_pending"] is True
    # the lexical-only path and calibration, as without the ml extra
    expected = lexical.match_skills(skills["text"], lang="en", top=3)
    assert [(m["uri"], m["score"]) for m in skills_during] == [(m.uri, m.score) for m in expected]
    assert occupations_during[0]["uri"] == OCC + "baker"
    assert extract_during["threshold"] == pytest.approx(EXTRACTION_THRESHOLDS["lexical"])
    skills_after, occupations_after, extract_after = after
    for answer in [*skills_after, *occupations_after, extract_after]:
        assert answer["ranked_by"] == "semantic"
        assert answer["semantic_pending"] is False
    semantic = matching.match_skills(skills["text"], lang="en", top=3)
    assert [(m["uri"], m["score"]) for m in skills_after] == [(m.uri, m.score) for m in semantic]
    assert [m["score"] for m in skills_after] != [m["score"] for m in skills_during]
    semantic_occupations = matching.match_occupations("Bäckerin", lang="de", top=2)
    assert [m["uri"] for m in occupations_after] == [m.uri for m in semantic_occupations]
    assert extract_after["threshold"] != pytest.approx(EXTRACTION_THRESHOLDS["lexical"])


def test_routes_are_documented_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/match/skills", "/api/v1/match/occupations", "/api/v1/match/extract"):
        assert "semantic_pending" in paths[path]["post"]["description"]
    schemas = spec["components"]["schemas"]
    for schema in ("SkillMatchPublic", "OccupationMatchPublic", "ExtractionPublic"):
        fields = schemas[schema]["properties"]
        assert fields["ranked_by"]["enum"] == ["semantic", "lexical"]
        assert "being built" in fields["semantic_pending"]["description"]
