"""/api/v1/capabilities through the ASGI app, on a mini taxonomy holding shipped seeds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from skillpass.api.app import create_api
from skillpass.app import SkillPass
from skillpass.storage.tables import concepts
from skillpass.taxonomy.capability_definitions import load_definitions
from tests.taxonomy.test_capabilities import insert_mini_taxonomy


def insert_seeds_of(skillpass: SkillPass, area_id: str) -> list[str]:
    """Put an area's seed concepts into the mini taxonomy; return their URIs."""
    definition = next(d for d in load_definitions() if d.id == area_id)
    rows = [
        {
            "uri": seed.uri,
            "type": kind,
            "preferred_label": seed.label,
            "description": "",
            "version": "1.2.0",
        }
        for kind, seeds in (("skill", definition.skills), ("occupation", definition.occupations))
        for seed in seeds
    ]
    with skillpass.engine.begin() as conn:
        conn.execute(insert(concepts), rows)
    return [row["uri"] for row in rows]


@pytest.fixture
def client(skillpass: SkillPass) -> Iterator[TestClient]:
    insert_mini_taxonomy(skillpass.engine)
    insert_seeds_of(skillpass, "batteries")
    skillpass.capabilities.resolve()
    with TestClient(create_api(skillpass)) as test_client:
        yield test_client


def test_list_capabilities_has_the_public_keys(client: TestClient) -> None:
    response = client.get("/api/v1/capabilities")
    assert response.status_code == 200
    areas = {area["id"]: area for area in response.json()}
    assert set(areas["batteries"]) >= {"id", "label", "skills", "occupations", "kind", "version"}
    assert areas["batteries"]["skills"] >= 15
    assert areas["batteries"]["occupations"] == 7
    assert areas["quantum"]["skills"] == 0


def test_get_capability_returns_members_with_rule_tier_and_reason(client: TestClient) -> None:
    response = client.get("/api/v1/capabilities/batteries")
    assert response.status_code == 200
    body = response.json()
    assert body["area"]["id"] == "batteries"
    assert body["rationale"]
    assert body["sources"]
    member = body["members"][0]
    assert set(member) == {"uri", "label", "type", "rule", "tier", "reason"}
    assert member["reason"] == "seed: listed in batteries.yaml"


def test_get_capability_filters_members_by_type(client: TestClient) -> None:
    response = client.get("/api/v1/capabilities/batteries", params={"type": "occupation"})
    assert response.status_code == 200
    assert {m["type"] for m in response.json()["members"]} == {"occupation"}


def test_unknown_capability_is_404_with_valid_ids(client: TestClient) -> None:
    response = client.get("/api/v1/capabilities/batteriez")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "batteries" in error["details"]["valid_ids"]


def test_bad_type_filter_is_rejected(client: TestClient) -> None:
    response = client.get("/api/v1/capabilities/batteries", params={"type": "group"})
    assert response.status_code == 422


def test_capabilities_are_documented_in_openapi(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/capabilities"]["get"]["description"]
    assert paths["/api/v1/capabilities/{area_id}"]["get"]["description"]


@pytest.mark.esco
def test_full_esco_capabilities_over_http(esco_app: SkillPass) -> None:
    with TestClient(create_api(esco_app)) as client:
        areas = client.get("/api/v1/capabilities").json()
    strategic = [a for a in areas if a["kind"] == "strategic_area"]
    assert len(strategic) >= 9
    assert all(a["skills"] >= 15 and a["occupations"] >= 3 for a in strategic)
