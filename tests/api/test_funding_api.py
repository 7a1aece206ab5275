"""/api/v1/funding: the directory, eligibility explained, funding for a course, admin import."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from tests.api import _pathways as fixtures
from tests.api._pathways import API, Actor, actor, course, describe_everything

app, client, admin = fixtures.app, fixtures.client, fixtures.admin

HAMBURG = {"country": "DE", "region": "DE60", "age": 44, "employment_status": "employed",
           "company_size": 120}  # fmt: skip
BONUS = "de-hh-weiterbildungsbonus"


def test_programmes_are_examples_with_sources(client: TestClient) -> None:
    hits = client.get(f"{API}/funding/programmes", params={"country": "DE"}).json()
    ids = {hit["programme"]["id"] for hit in hits}
    assert BONUS in ids
    assert "fr-cpf" not in ids
    assert all(hit["programme"]["example"] for hit in hits)
    assert all(hit["eligibility"] is None for hit in hits)
    one = client.get(f"{API}/funding/programmes/{BONUS}").json()
    assert one["sources"]
    assert one["amount_text"]
    missing = client.get(f"{API}/funding/programmes/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_search_with_a_situation_explains_each_programme(client: TestClient) -> None:
    hits = client.post(f"{API}/funding/search", json={"country": "DE", "situation": HAMBURG}).json()
    first = hits[0]
    assert first["eligibility"]["eligible"] is True
    assert first["eligibility"]["reasons"][0].startswith("eligible because")
    by_id = {hit["programme"]["id"]: hit["eligibility"] for hit in hits}
    assert by_id[BONUS]["eligible"] is True
    small_firms = by_id["de-sgb3-82-weiterbildung-beschaeftigter"]
    assert small_firms["eligible"] is False
    assert any(r.startswith("not eligible") for r in small_firms["reasons"])
    # what the situation does not say is asked for, not guessed
    vague = client.post(
        f"{API}/funding/programmes/{BONUS}/check",
        json={"situation": {"country": "DE"}},
    ).json()
    assert vague["eligible"] is False
    assert vague["unknown"]
    bad = client.post(f"{API}/funding/search", json={"situation": {"age": 7}})
    assert bad.status_code == 422
    assert "age" in bad.json()["error"]["message"]


def test_funding_for_a_course_is_priced_with_reasons(app: SkillPass, client: TestClient) -> None:
    made = app.catalogue.create(None, course(["chemistry"], cost_eur=1000))
    check = client.post(
        f"{API}/funding/programmes/{BONUS}/check",
        json={"situation": HAMBURG, "opportunity_id": made.id},
    ).json()
    assert check["eligible"] is True
    assert check["amount_eur"] == 500
    applied = client.post(f"{API}/funding/opportunities/{made.id}", json=HAMBURG).json()
    assert [(a["programme_id"], a["amount_eur"]) for a in applied] == [(BONUS, 500)]
    assert "eligible because" in applied[0]["reason"]
    assert client.post(f"{API}/funding/opportunities/none", json=HAMBURG).status_code == 404


def test_only_admins_import_and_every_problem_is_listed(
    app: SkillPass, client: TestClient, admin: Actor
) -> None:
    learner = actor(app, "lea@example.org", Role.LEARNER)
    programme = client.get(f"{API}/funding/programmes/{BONUS}").json()
    programme.update(id="de-test-programme", name="Test programme", example=False)
    text = json.dumps({"programmes": [programme]})
    files = {"file": ("programmes.json", text.encode(), "application/json")}
    assert client.post(f"{API}/funding/import", files=files).status_code == 401
    assert (
        client.post(f"{API}/funding/import", files=files, headers=learner.headers)
    ).status_code == 403
    done = client.post(f"{API}/funding/import", files=files, headers=admin.headers)
    assert done.json() == {"imported": 1}
    assert client.get(f"{API}/funding/programmes/de-test-programme").json()["example"] is False
    broken = client.post(
        f"{API}/funding/import",
        files={"file": ("p.yaml", b"programmes: [{id: x}]", "text/yaml")},
        headers=admin.headers,
    )
    assert broken.status_code == 422
    assert broken.json()["error"]["message"]


def test_every_route_and_field_is_documented(client: TestClient) -> None:
    assert describe_everything(client, "/funding") == []
