"""/api/v1/skills and /api/v1/occupations through the ASGI app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass

PYTHON_ID = "ccd0a1d9-afda-43d9-b901-96344886e14d"
AI_ENGINEER_ID = "35553663-deab-4d9a-bf22-15c1625d28e8"


@pytest.fixture
def client(esco_app: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(esco_app)) as test_client:
        yield test_client


def test_empty_database_says_how_to_import(skillpass: SkillPass) -> None:
    with TestClient(create_api(skillpass)) as client:
        response = client.get("/api/v1/skills", params={"q": "python"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "taxonomy_missing"
    assert "skillpass taxonomy import" in response.json()["error"]["message"]


@pytest.mark.esco
def test_skill_search_returns_ranked_hits(client: TestClient) -> None:
    response = client.get("/api/v1/skills", params={"q": "python", "limit": 5})
    assert response.status_code == 200
    hits = response.json()
    assert hits[0]["label"] == "Python (computer programming)"
    assert set(hits[0]) >= {"uri", "label", "type", "score"}


@pytest.mark.esco
def test_skill_listing_pages(client: TestClient) -> None:
    first = client.get("/api/v1/skills", params={"limit": 3}).json()
    second = client.get("/api/v1/skills", params={"limit": 3, "offset": 3}).json()
    assert first["total"] == 13939
    assert len(first["items"]) == 3
    assert not {i["uri"] for i in first["items"]} & {i["uri"] for i in second["items"]}


@pytest.mark.esco
def test_occupation_page_has_essential_and_optional_skills(client: TestClient) -> None:
    body = client.get(f"/api/v1/occupations/{AI_ENGINEER_ID}").json()
    assert body["label"] == "artificial intelligence engineer"
    assert body["isco_group"] == "2511"
    kinds = {s["relation_type"] for s in body["skills"]}
    assert kinds == {"essential", "optional"}
    assert body["skills"][0]["relation_type"] == "essential"


@pytest.mark.esco
def test_skill_page_lists_occupations_needing_it(client: TestClient) -> None:
    body = client.get(f"/api/v1/skills/{PYTHON_ID}").json()
    assert body["type"] == "skill"
    assert len(body["occupations"]) > 5
    assert "digital" in body["collections"]


@pytest.mark.esco
def test_full_uri_is_accepted_as_id(client: TestClient) -> None:
    uri = f"http://data.europa.eu/esco/skill/{PYTHON_ID}"
    assert client.get(f"/api/v1/skills/{uri}").json()["uri"] == uri


@pytest.mark.esco
def test_wrong_type_and_unknown_ids_are_404_with_the_envelope(client: TestClient) -> None:
    wrong = client.get(f"/api/v1/skills/{AI_ENGINEER_ID}")
    assert wrong.status_code == 404
    assert (
        "is a occupation" in wrong.json()["error"]["message"]
        or "occupation" in wrong.json()["error"]["message"]
    )
    unknown = client.get("/api/v1/occupations/does-not-exist")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"


@pytest.mark.esco
def test_bad_parameters_get_the_error_envelope(client: TestClient) -> None:
    response = client.get("/api/v1/skills", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert "limit" in response.json()["error"]["message"]


def test_openapi_describes_the_taxonomy_endpoints(skillpass: SkillPass) -> None:
    with TestClient(create_api(skillpass)) as client:
        spec = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/skills",
        "/api/v1/skills/{skill_id}",
        "/api/v1/occupations/{occupation_id}",
    ):
        assert path in spec["paths"], path
        assert spec["paths"][path]["get"]["description"]
