"""Every refusal of the passport API: anonymous → 401, a wrong role → 403, another learner's
passport → 404 (ids leak nothing), an employer sees only the attestations it was asked for, an
assessor only the RPL cases assigned to them or open to their organisation. Each refusal
changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.config import Settings
from tests.api._passport import (
    API,
    Actor,
    actor,
    counts,
    define,
    lexical_passport,
    organisation,
)
from tests.matching.conftest import seed_tiny_taxonomy

TEXT = b"Notes from the battery line, week 12."


@pytest.fixture
def app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[SkillPass]:
    built = build(settings)
    seed_tiny_taxonomy(built.engine)
    lexical_passport(built, monkeypatch)
    yield built
    built.close()


@pytest.fixture
def client(app: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(app)) as test_client:
        yield test_client


@pytest.fixture
def lea(app: SkillPass) -> Actor:
    return actor(app, "lea@example.org", Role.LEARNER, name="Lea Lindqvist")


@pytest.fixture
def max_(app: SkillPass) -> Actor:
    return actor(app, "max@example.org", Role.LEARNER, name="Max Mustermann")


def _experience(client: TestClient, who: Actor) -> dict[str, Any]:
    response = client.post(
        f"{API}/passport/experience",
        json={"category": "volunteering", "title": "Repair café"},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    evidence = client.post(
        f"{API}/passport/items/{item['id']}/evidence",
        files={"file": ("notes.txt", TEXT, "text/plain")},
        headers=who.headers,
    )
    assert evidence.status_code == 201, evidence.text
    item["evidence"] = [evidence.json()]
    return item


def test_anonymous_callers_get_401(client: TestClient) -> None:
    calls = [
        ("GET", f"{API}/passport/items"),
        ("GET", f"{API}/passport/items/x"),
        ("POST", f"{API}/passport/import"),
        ("GET", f"{API}/passport/profile"),
        ("GET", f"{API}/passport/export"),
        ("GET", f"{API}/passport/evidence/x"),
        ("POST", f"{API}/passport/erase-account"),
        ("POST", f"{API}/attestations"),
        ("GET", f"{API}/attestations/inbox"),
        ("POST", f"{API}/rpl/cases"),
        ("GET", f"{API}/rpl/queue"),
        ("POST", f"{API}/rpl/cases/x/decide"),
        ("POST", f"{API}/shares"),
        ("GET", f"{API}/shares"),
    ]
    for method, path in calls:
        response = client.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "authentication"
        assert response.headers["www-authenticate"] == "Bearer"


def test_wrong_roles_get_403(client: TestClient, app: SkillPass, lea: Actor) -> None:
    verifier = actor(app, "vera@example.org", Role.VERIFIER)
    issuer = actor(app, "ingrid@example.org", Role.ISSUER)
    calls = [
        (verifier, "GET", f"{API}/passport/items", None),
        (verifier, "POST", f"{API}/shares", {"item_ids": ["x"], "label": "x"}),
        (issuer, "POST", f"{API}/rpl/cases", {"achievement_id": "x", "statement": "x"}),
        (lea, "GET", f"{API}/attestations/inbox", None),
        (lea, "POST", f"{API}/attestations/x/attest", {"skills": []}),
        (lea, "GET", f"{API}/rpl/queue", None),
        (lea, "POST", f"{API}/rpl/cases/x/take", None),
        (
            lea,
            "POST",
            f"{API}/rpl/cases/x/decide",
            {"approve": True, "method": "interview", "note": "fine"},
        ),
    ]
    before = counts(app)
    for who, method, path, body in calls:
        response = client.request(method, path, json=body, headers=who.headers)
        assert response.status_code == 403, (who.user.email, method, path, response.text)
        assert response.json()["error"]["code"] == "forbidden"
    assert counts(app) == before


def test_a_learner_cannot_reach_another_learners_passport(
    client: TestClient, app: SkillPass, lea: Actor, max_: Actor
) -> None:
    item = _experience(client, lea)
    evidence_id = item["evidence"][0]["id"]
    before = counts(app)
    calls = [
        ("GET", f"{API}/passport/items/{item['id']}", None),
        ("DELETE", f"{API}/passport/items/{item['id']}", None),
        ("POST", f"{API}/passport/items/{item['id']}/recheck", None),
        ("GET", f"{API}/passport/evidence/{evidence_id}", None),
        ("POST", f"{API}/shares", {"item_ids": [item["id"]], "label": "stolen"}),
    ]
    for method, path, body in calls:
        response = client.request(method, path, json=body, headers=max_.headers)
        assert response.status_code == 404, (method, path, response.text)
    upload = client.post(
        f"{API}/passport/items/{item['id']}/evidence",
        files={"file": ("x.txt", TEXT, "text/plain")},
        headers=max_.headers,
    )
    assert upload.status_code == 404
    assert client.get(f"{API}/passport/items", headers=max_.headers).json() == []
    assert counts(app) == before
    mine = client.get(f"{API}/passport/items/{item['id']}", headers=lea.headers)
    assert mine.status_code == 200
    assert len(mine.json()["evidence"]) == 1


def test_a_learner_cannot_revoke_another_learners_share(
    client: TestClient, app: SkillPass, lea: Actor, max_: Actor
) -> None:
    item = _experience(client, lea)
    share = client.post(
        f"{API}/shares", json={"item_ids": [item["id"]], "label": "CV"}, headers=lea.headers
    ).json()
    response = client.post(f"{API}/shares/{share['id']}/revoke", headers=max_.headers)
    assert response.status_code == 404
    assert client.get(f"{API}/shares", headers=max_.headers).json() == []
    assert client.get(f"{API}/shares/{share['token']}").status_code == 200  # still works


def _attestation(client: TestClient, who: Actor, org: str) -> dict[str, Any]:
    response = client.post(
        f"{API}/attestations",
        json={
            "organisation_id": org,
            "role_title": "Line operator",
            "period_start": "2019-05-01",
            "period_end": "2022-04-30",
            "tasks": "I weld metal parts.",
        },
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_an_employer_sees_only_attestations_addressed_to_it(
    client: TestClient, app: SkillPass, lea: Actor, max_: Actor
) -> None:
    volt_hr = actor(app, "hr@voltcell.example", Role.ISSUER)
    other_hr = actor(app, "hr@cellworks.example", Role.ISSUER)
    volt = organisation(app, "Voltcell AB", "employer", volt_hr)
    cellworks = organisation(app, "Cellworks GmbH", "employer", other_hr, country="DE")
    to_volt = _attestation(client, lea, volt)
    to_cellworks = _attestation(client, lea, cellworks)

    inbox = client.get(f"{API}/attestations/inbox", headers=volt_hr.headers).json()
    assert [r["id"] for r in inbox] == [to_volt["id"]]
    assert (
        client.get(f"{API}/attestations/{to_cellworks['id']}", headers=volt_hr.headers).status_code
        == 404
    )
    before = counts(app)
    attest = client.post(
        f"{API}/attestations/{to_cellworks['id']}/attest",
        json={"skills": []},
        headers=volt_hr.headers,
    )
    assert attest.status_code == 403
    decline = client.post(
        f"{API}/attestations/{to_cellworks['id']}/decline",
        json={"note": "not ours"},
        headers=volt_hr.headers,
    )
    assert decline.status_code == 403
    assert counts(app) == before
    # another learner does not see Lea's request either
    assert (
        client.get(f"{API}/attestations/{to_volt['id']}", headers=max_.headers).status_code == 404
    )
    assert client.get(f"{API}/attestations", headers=max_.headers).json() == []
    still = client.get(f"{API}/attestations/{to_cellworks['id']}", headers=lea.headers).json()
    assert still["status"] == "requested"


def test_an_assessor_sees_only_assigned_or_claimable_cases(
    client: TestClient, app: SkillPass, lea: Actor
) -> None:
    ana = actor(app, "ana@northvale.example", Role.ASSESSOR)
    bo = actor(app, "bo@northvale.example", Role.ASSESSOR)
    outsider = actor(app, "olga@southport.example", Role.ASSESSOR)
    registrar = actor(app, "registrar@northvale.example", Role.ISSUER)
    northvale = organisation(app, "Northvale University", "university", registrar, ana, bo)
    organisation(app, "Southport College", "vet", outsider)
    achievement = define(app, northvale, registrar)
    response = client.post(
        f"{API}/rpl/cases",
        json={"achievement_id": achievement, "statement": "Five years of sensor analytics."},
        headers=lea.headers,
    )
    assert response.status_code == 201, response.text
    case = response.json()
    path = f"{API}/rpl/cases/{case['id']}"
    evidence = client.post(
        f"{path}/evidence", files={"file": ("log.txt", TEXT, "text/plain")}, headers=lea.headers
    )
    assert evidence.status_code == 201, evidence.text
    download = evidence.json()["download_url"]

    assert client.get(f"{API}/rpl/queue", headers=outsider.headers).json() == []
    assert client.get(path, headers=outsider.headers).status_code == 404
    assert client.post(f"{path}/take", headers=outsider.headers).status_code == 403
    assert [c["id"] for c in client.get(f"{API}/rpl/queue", headers=bo.headers).json()] == [
        case["id"]
    ]

    taken = client.post(f"{path}/take", headers=ana.headers)
    assert taken.status_code == 200, taken.text
    assert taken.json()["assessor_id"] == ana.user.public_id
    # once Ana has it, it is no longer open to Bo
    assert client.get(f"{API}/rpl/queue", headers=bo.headers).json() == []
    before = counts(app)
    assert client.post(f"{path}/take", headers=bo.headers).status_code == 409
    decide = client.post(
        f"{path}/decide",
        json={"approve": True, "method": "interview", "note": "Convincing."},
        headers=bo.headers,
    )
    assert decide.status_code == 404  # no longer visible to Bo at all
    more = client.post(f"{path}/request-more", json={"note": "More?"}, headers=outsider.headers)
    assert more.status_code == 404
    assert counts(app) == before
    assert client.get(path, headers=ana.headers).json()["status"] in ("submitted", "in_review")
    # the case's evidence: its learner and its assessor, nobody else
    assert client.get(download, headers=lea.headers).content == TEXT
    assert client.get(download, headers=ana.headers).content == TEXT
    for other in (bo, outsider):
        assert client.get(download, headers=other.headers).status_code == 404
