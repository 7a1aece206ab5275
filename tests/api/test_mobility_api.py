"""/api/v1/mobility/* through the ASGI app: released tables only, roles for releasing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass
from skillpass.auth.models import Role
from skillpass.mobility.categories import Period
from skillpass.mobility.synthetic import SyntheticConfig

PASSWORD = "correct horse battery"


@pytest.fixture
def client(skillpass: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(skillpass)) as test_client:
        yield test_client


def bearer(skillpass: SkillPass, email: str, *roles: Role) -> dict[str, str]:
    user = skillpass.auth.create_user(email, email.split("@")[0], PASSWORD, roles)
    token = skillpass.auth.create_token(user.public_id, "test").token
    return {"Authorization": f"Bearer {token}"}


def test_release_needs_analyst_or_admin_and_respects_the_budget(
    skillpass: SkillPass, client: TestClient
) -> None:
    skillpass.mobility.generate_synthetic(
        SyntheticConfig(people=2000, start=Period(2026, 3, 3), quarters=1)
    )
    body = {"period": "2026Q3", "rho": 0.3}
    assert client.post("/api/v1/mobility/releases", json=body).status_code == 401
    learner = bearer(skillpass, "l@example.org", Role.LEARNER)
    assert client.post("/api/v1/mobility/releases", json=body, headers=learner).status_code == 403
    analyst = bearer(skillpass, "a@example.org", Role.ANALYST)
    response = client.post("/api/v1/mobility/releases", json=body, headers=analyst)
    assert response.status_code == 201
    run = response.json()
    assert run["budget"]["spent_by_quarter"]["2026Q3"] == pytest.approx(0.3)
    assert {t["query"] for t in run["tables"]} == {
        "flows", "moves", "corridors", "verifications", "population",
    }  # fmt: skip
    refused = client.post("/api/v1/mobility/releases", json=body, headers=analyst)
    assert refused.status_code == 409
    assert "quarterly cap" in refused.json()["error"]["message"]

    # Reading is public and serves released tables only.
    assert client.get("/api/v1/mobility/periods").json() == ["2026Q3"]
    overview = client.get("/api/v1/mobility/flows").json()
    assert overview["synthetic"] is True
    assert len(overview["matrix"]) == 32 * 31
    table_id = next(t["release_id"] for t in run["tables"] if t["query"] == "corridors")
    table = client.get(f"/api/v1/mobility/releases/{table_id}").json()
    assert len(table["cells"]) == 32 * 31
    assert any(cell["value"] < 0 for cell in table["cells"])  # signed, never clamped
    assert all(cell["ci_high"] - cell["ci_low"] > 0 for cell in table["cells"])
    country = client.get("/api/v1/mobility/countries/de").json()
    assert country["place"] == "DE"
    assert client.get("/api/v1/mobility/countries/ZZ").status_code == 404
    assert len(client.get("/api/v1/mobility/releases").json()) == 5
    assert client.get("/api/v1/mobility/budget/2026").json()["spent_year"] == pytest.approx(0.3)


def test_learner_consent_and_moves(skillpass: SkillPass, client: TestClient) -> None:
    learner = bearer(skillpass, "l@example.org", Role.LEARNER)
    assert client.get("/api/v1/mobility/me/consent", headers=learner).json()["active"] is False
    assert client.put("/api/v1/mobility/me/consent", headers=learner).json()["active"] is True
    move = {"origin": "pt", "destination": "DE", "moved_on": "2026-08-01", "area_id": "ict"}
    created = client.post("/api/v1/mobility/me/moves", json=move, headers=learner)
    assert created.status_code == 201
    assert created.json()["origin"] == "PT"
    bad = client.post(
        "/api/v1/mobility/me/moves", json={**move, "area_id": "poetry"}, headers=learner
    )
    assert bad.status_code == 422
    moves = client.get("/api/v1/mobility/me/moves", headers=learner).json()
    assert [m["destination"] for m in moves] == ["DE"]
    other = bearer(skillpass, "o@example.org", Role.LEARNER)
    assert client.get("/api/v1/mobility/me/moves", headers=other).json() == []
    move_id = moves[0]["public_id"]
    assert client.delete(f"/api/v1/mobility/me/moves/{move_id}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/mobility/me/moves/{move_id}", headers=learner).status_code == 204
    withdrawn = client.delete("/api/v1/mobility/me/consent", headers=learner).json()
    assert withdrawn["active"] is False


def test_nothing_released_is_a_404_that_says_how(client: TestClient) -> None:
    response = client.get("/api/v1/mobility/flows")
    assert response.status_code == 404
    assert "skillpass mobility release" in response.json()["error"]["message"]
