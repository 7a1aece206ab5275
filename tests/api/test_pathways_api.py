"""/api/v1/pathways: plans for explicit input and for the learner, destinations, bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from tests.api import _pathways as fixtures
from tests.api._pathways import API, SKILL, TECHNICIAN, actor, course, describe_everything
from tests.recognition.conftest import issued_document

app, client = fixtures.app, fixtures.client

TARGET = {"kind": "occupation", "id": TECHNICIAN}
HAVE = [SKILL + k for k in ("join-metals", "troubleshoot", "safety")]


def _catalogue(app: SkillPass) -> dict[str, str]:
    made = {
        "cheap": course(["battery-components", "chemistry"], title="Cells", cost_eur=300),
        "braze": course(["braze"], title="Brazing", cost_eur=200, country="FR", mode="onsite"),
        "all": course(
            ["battery-components", "chemistry", "braze"], title="Everything", cost_eur=900
        ),
    }
    return {key: app.catalogue.create(None, draft).id for key, draft in made.items()}


def test_plan_for_explicit_input_is_optimal_and_explained(
    app: SkillPass, client: TestClient
) -> None:
    ids = _catalogue(app)
    response = client.post(f"{API}/pathways/plan", json={"have": HAVE, "target": TARGET})
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["status"] == "optimal"
    assert {s["opportunity"]["id"] for s in plan["steps"]} == {ids["cheap"], ids["braze"]}
    assert plan["total_cost_eur"] == 500
    assert all(step["why"] for step in plan["steps"])
    assert plan["explanation"]
    assert plan["alternatives"]
    # the country constraint leaves the French on-site course out
    constrained = client.post(
        f"{API}/pathways/plan",
        json={"have": HAVE, "target": TARGET, "constraints": {"country": "DE"}},
    ).json()
    assert [s["opportunity"]["id"] for s in constrained["steps"]] == [ids["all"]]


def test_bad_input_gets_an_explanation(app: SkillPass, client: TestClient) -> None:
    empty = client.post(f"{API}/pathways/plan", json={"have": HAVE, "target": TARGET})
    assert empty.status_code == 200
    assert empty.json()["steps"] == []
    assert any("catalogue is empty" in line for line in empty.json()["explanation"])
    unknown = client.post(
        f"{API}/pathways/plan",
        json={"have": [], "target": {"kind": "occupation", "id": "http://example.org/x"}},
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"]
    _catalogue(app)
    broke = client.post(
        f"{API}/pathways/plan",
        json={"have": HAVE, "target": TARGET, "constraints": {"budget_eur": 100}},
    ).json()
    assert broke["status"] == "infeasible"
    assert any("budget" in line.lower() for line in broke["explanation"])
    invalid = client.post(f"{API}/pathways/plan", json={"have": HAVE, "target": {"kind": "x"}})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid_input"


def test_my_plan_and_destinations_use_my_passport(app: SkillPass, client: TestClient) -> None:
    ids = _catalogue(app)
    learner = actor(app, "jonas@example.org", Role.LEARNER)
    officer = actor(app, "officer@example.org", Role.VERIFIER)
    document = issued_document(app, learner.user, ["join-metals", "troubleshoot", "safety"])
    app.passport.import_credential(learner.user, document)

    mine = client.post(
        f"{API}/pathways/plan/me", json={"target": TARGET}, headers=learner.headers
    ).json()
    assert {s["opportunity"]["id"] for s in mine["steps"]} == {ids["cheap"], ids["braze"]}
    assert {s["uri"] for s in mine["already_have"]} >= set(HAVE)

    places = client.get(f"{API}/pathways/destinations", headers=learner.headers).json()
    assert places[0]["target"] == TARGET
    assert places[0]["essential_covered"] == 3
    assert 0 < places[0]["closeness"] < 1

    assert client.get(f"{API}/pathways/destinations").status_code == 401
    assert client.post(f"{API}/pathways/plan/me", json={"target": TARGET}).status_code == 401
    refused = client.get(f"{API}/pathways/destinations", headers=officer.headers)
    assert refused.status_code == 403
    assert "learner" in refused.json()["error"]["message"]


def test_every_route_and_field_is_documented(client: TestClient) -> None:
    assert describe_everything(client, "/pathways") == []
