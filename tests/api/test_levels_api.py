"""/api/v1/levels/* through the ASGI app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass


@pytest.fixture
def client(skillpass: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(skillpass)) as test_client:
        yield test_client


def test_eqf_lists_eight_levels_with_descriptors(client: TestClient) -> None:
    response = client.get("/api/v1/levels/eqf")
    assert response.status_code == 200
    levels = response.json()
    assert [level["level"] for level in levels] == list(range(1, 9))
    assert {"knowledge", "skills", "responsibility_autonomy", "sources"} <= set(levels[0])


def test_one_eqf_level(client: TestClient) -> None:
    body = client.get("/api/v1/levels/eqf/7").json()
    assert body["level"] == 7
    assert "second cycle" in body["qf_ehea_cycle"]


def test_eqf_level_outside_range_uses_the_error_envelope(client: TestClient) -> None:
    response = client.get("/api/v1/levels/eqf/9")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert "1 to 8" in response.json()["error"]["message"]


def test_frameworks_lists_every_eea_country_with_status(client: TestClient) -> None:
    countries = client.get("/api/v1/levels/frameworks").json()
    by_code = {c["country_code"]: c for c in countries}
    assert len([c for c in countries if c["membership"] in ("EU", "EEA")]) == 30
    assert by_code["SE"]["status"] == "complete"
    assert by_code["LI"]["status"] == "partial"
    assert by_code["SE"]["frameworks"][0]["levels"][4]["eqf_level"] == 5


def test_framework_by_lowercase_code(client: TestClient) -> None:
    body = client.get("/api/v1/levels/frameworks/se").json()
    assert body["acronym"] == "SeQF"
    assert all(level["source"] for level in body["levels"])


def test_unknown_framework_is_404_listing_valid_codes(client: TestClient) -> None:
    response = client.get("/api/v1/levels/frameworks/XX")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "DE" in error["details"]["valid"]


def test_ambiguous_country_is_422_naming_framework_ids(client: TestClient) -> None:
    response = client.get("/api/v1/levels/frameworks/GB")
    assert response.status_code == 422
    assert response.json()["error"]["details"]["frameworks"] == ["GB-RQF", "GB-CQFW", "GB-SCQF"]


def test_compare_se_5_with_de_and_fr(client: TestClient) -> None:
    response = client.get(
        "/api/v1/levels/compare",
        params=[("country", "SE"), ("level", "5"), ("to", "DE"), ("to", "FR")],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["origin"]["framework"]["acronym"] == "SeQF"
    assert body["eqf"]["level"] == 5
    found = {
        p["framework"]["framework_id"]: [lvl["nqf_level"] for lvl in p["levels"]]
        for p in body["counterparts"]
    }
    assert found == {"DE": ["5"], "FR-CNCP": ["5"], "FR-1969": ["III"]}
    assert "translation device" in body["method"]
    assert body["caveats"]
    assert body["sources"]


def test_compare_with_an_unknown_level_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/levels/compare", params={"country": "DE", "level": "11"})
    assert response.status_code == 422
    assert "no level '11'" in response.json()["error"]["message"]


def test_compare_without_level_is_a_validation_error_in_the_envelope(client: TestClient) -> None:
    response = client.get("/api/v1/levels/compare", params={"country": "SE"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["problems"][0]["field"] == "query.level"


def test_openapi_documents_the_level_routes(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/levels/eqf",
        "/api/v1/levels/eqf/{level}",
        "/api/v1/levels/frameworks",
        "/api/v1/levels/frameworks/{country}",
        "/api/v1/levels/compare",
    ):
        assert paths[path]["get"]["description"], path
    assert spec["components"]["schemas"]["NqfLevel"]["properties"]["certainty"]["description"]
