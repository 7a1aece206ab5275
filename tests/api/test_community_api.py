"""The community API end to end, and every refusal: a non-member editing an organisation's
commitments, a non-coordinator editing a partnership, a non-moderator publishing, and contact
details hidden until the request is accepted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass
from skillpass.auth.models import Role
from tests.api._passport import Actor, actor

LAST_YEAR = datetime.now(UTC).year - 1


@pytest.fixture
def client(skillpass: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(skillpass)) as test_client:
        yield test_client


def _join(client: TestClient, who: Actor, body: dict[str, Any]) -> str:
    answer = client.post("/api/v1/organisations", json=body, headers=who.headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["organisation_id"])


@pytest.fixture
def world(skillpass: SkillPass, client: TestClient) -> dict[str, Any]:
    """An employer needing battery skills and a VET college offering them, each with a member;
    an outsider; a moderator."""
    hr = actor(skillpass, "hr@voltcell.example", Role.LEARNER)
    teacher = actor(skillpass, "dean@college.example", Role.LEARNER)
    outsider = actor(skillpass, "eve@elsewhere.example", Role.LEARNER)
    moderator = actor(skillpass, "mo@support.example", Role.MODERATOR)
    employer = _join(
        client,
        hr,
        {
            "name": "Voltcell AB",
            "country": "SE",
            "region": "SE232",
            "role": "employer",
            "sectors": ["C27"],
            "regions": ["SE232"],
            "needs": {"capability_areas": ["batteries"], "services": ["training places"]},
            "offers": {"services": ["work placements"]},
            "contact_email": "hr@voltcell.example",
        },
    )
    college = _join(
        client,
        teacher,
        {
            "name": "Göteborg Technical College",
            "country": "SE",
            "region": "SE232",
            "role": "vet_provider",
            "sectors": ["P85.3"],
            "offers": {"capability_areas": ["batteries"], "services": ["training places"]},
            "contact_email": "dean@college.example",
        },
    )
    return {
        "hr": hr,
        "teacher": teacher,
        "outsider": outsider,
        "moderator": moderator,
        "employer": employer,
        "college": college,
    }


def _commit(client: TestClient, who: Actor, org: str, people: int) -> dict[str, Any]:
    answer = client.post(
        f"/api/v1/organisations/{org}/commitments",
        json={
            "title": f"Upskill {people} people in batteries",
            "capability_area": "batteries",
            "target_people": people,
            "target_investment_eur": 100_000,
            "target_year": LAST_YEAR + 3,
            "sectors": ["C27"],
            "regions": ["SE232"],
        },
        headers=who.headers,
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_two_organisations_commit_report_and_a_partnership_aggregates_them(
    client: TestClient, world: dict[str, Any]
) -> None:
    a = _commit(client, world["hr"], world["employer"], 200)
    b = _commit(client, world["teacher"], world["college"], 100)
    for commitment, who, reached in ((a, world["hr"], 40), (b, world["teacher"], 25)):
        answer = client.post(
            f"/api/v1/commitments/{commitment['id']}/progress",
            json={"year": LAST_YEAR, "people_reached": reached, "investment_eur": 5000},
            headers=who.headers,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["progress"][0]["people_reached"] == reached
    created = client.post(
        "/api/v1/partnerships",
        json={
            "name": "West Sweden battery partnership",
            "kind": "regional",
            "region": "SE232",
            "coordinator_id": world["college"],
        },
        headers=world["teacher"].headers,
    )
    assert created.status_code == 201, created.text
    partnership = created.json()["id"]
    added = client.post(
        f"/api/v1/partnerships/{partnership}/members",
        json={"organisation_id": world["employer"]},
        headers=world["teacher"].headers,
    )
    assert added.status_code == 200, added.text
    dashboard = client.get(f"/api/v1/partnerships/{partnership}/dashboard").json()
    assert dashboard["totals"]["commitments"] == 2
    assert dashboard["totals"]["people_reached"] == 65
    assert dashboard["totals"]["target_people"] == 300
    assert dashboard["by_year"] == [
        {
            "year": LAST_YEAR,
            "people_reached": 65,
            "investment_eur": 10000.0,
            "courses_delivered": 0,
            "reporting_commitments": 2,
        }
    ]
    community = client.get("/api/v1/commitments/dashboard").json()
    assert community["by_capability_area"][0]["key"] == "batteries"
    assert community["by_region"][0]["key"] == "SE232"


def test_a_non_member_may_not_edit_an_organisations_commitments(
    client: TestClient, world: dict[str, Any]
) -> None:
    refused = client.post(
        f"/api/v1/organisations/{world['employer']}/commitments",
        json={"title": "Hijack", "target_people": 5, "target_year": LAST_YEAR + 2},
        headers=world["outsider"].headers,
    )
    assert refused.status_code == 403
    assert "Only members of Voltcell AB" in refused.json()["error"]["message"]
    mine = _commit(client, world["hr"], world["employer"], 50)
    progress = client.post(
        f"/api/v1/commitments/{mine['id']}/progress",
        json={"year": LAST_YEAR, "people_reached": 9},
        headers=world["teacher"].headers,
    )
    assert progress.status_code == 403
    anonymous = client.post(
        f"/api/v1/organisations/{world['employer']}/commitments",
        json={"title": "Anonymous", "target_people": 5, "target_year": LAST_YEAR + 2},
    )
    assert anonymous.status_code == 401
    assert client.get(f"/api/v1/commitments/{mine['id']}").json()["progress"] == []


def test_a_non_coordinator_may_not_edit_a_partnership(
    client: TestClient, world: dict[str, Any]
) -> None:
    partnership = client.post(
        "/api/v1/partnerships",
        json={"name": "Batteries EU", "kind": "large_scale", "coordinator_id": world["college"]},
        headers=world["teacher"].headers,
    ).json()["id"]
    client.post(
        f"/api/v1/partnerships/{partnership}/members",
        json={"organisation_id": world["employer"]},
        headers=world["teacher"].headers,
    )
    # a plain member's staff may not add members, change roles or remove anyone
    for refused in (
        client.post(
            f"/api/v1/partnerships/{partnership}/members",
            json={"organisation_id": world["employer"], "role": "coordinator"},
            headers=world["hr"].headers,
        ),
        client.delete(
            f"/api/v1/partnerships/{partnership}/members/{world['college']}",
            headers=world["hr"].headers,
        ),
        client.post(
            f"/api/v1/partnerships/{partnership}/commitments",
            json={"title": "Shared", "target_people": 10, "target_year": LAST_YEAR + 2},
            headers=world["outsider"].headers,
        ),
    ):
        assert refused.status_code == 403, refused.text
        assert "coordinators of Batteries EU" in refused.json()["error"]["message"]
    roles = {
        m["organisation_id"]: m["role"]
        for m in client.get(f"/api/v1/partnerships/{partnership}").json()["members"]
    }
    assert roles == {world["college"]: "coordinator", world["employer"]: "member"}
    # nor may someone create a partnership coordinated by an organisation they are not in
    hijack = client.post(
        "/api/v1/partnerships",
        json={"name": "Fake", "kind": "large_scale", "coordinator_id": world["college"]},
        headers=world["outsider"].headers,
    )
    assert hijack.status_code == 403


def test_only_moderators_publish_and_a_practice_is_found_by_tag(
    client: TestClient, world: dict[str, Any]
) -> None:
    submitted = client.post(
        "/api/v1/practices",
        json={
            "organisation_id": world["college"],
            "title": "Battery apprenticeships with Voltcell",
            "summary": "A shared curriculum and training line.",
            "what": "Two-year apprenticeship.",
            "who": "College and plant.",
            "where": "Gothenburg, SE",
            "results": "80 technicians trained.",
            "practice_type": "industry_education",
            "sectors": ["C27"],
            "countries": ["SE"],
            "capability_areas": ["batteries"],
        },
        headers=world["teacher"].headers,
    )
    assert submitted.status_code == 201, submitted.text
    practice = submitted.json()
    assert practice["status"] == "submitted"
    assert client.get("/api/v1/practices", params={"tag": "batteries"}).json() == []
    for who in ("teacher", "hr", "outsider"):
        refused = client.post(
            f"/api/v1/practices/{practice['id']}/publish", headers=world[who].headers
        )
        assert refused.status_code == 403
        assert "Only moderators" in refused.json()["error"]["message"]
    assert client.get("/api/v1/practices/queue", headers=world["hr"].headers).status_code == 403
    assert client.get(f"/api/v1/practices/{practice['id']}").status_code == 404
    queue = client.get("/api/v1/practices/queue", headers=world["moderator"].headers).json()
    assert [p["id"] for p in queue] == [practice["id"]]
    published = client.post(
        f"/api/v1/practices/{practice['id']}/publish", headers=world["moderator"].headers
    )
    assert published.json()["status"] == "published"
    found = client.get("/api/v1/practices", params={"tag": "industry_education"}).json()
    assert [p["id"] for p in found] == [practice["id"]]
    assert client.get(
        "/api/v1/practices", params={"tag": "batteries", "q": "apprenticeship"}
    ).json()
    assert client.get("/api/v1/practices", params={"tag": "quantum"}).json() == []
    post = client.post(
        "/api/v1/posts",
        json={"kind": "news", "title": "Hello", "body": "x"},
        headers=world["hr"].headers,
    )
    assert post.status_code == 403


def test_partner_finding_explains_and_contact_details_stay_hidden_until_accepted(
    client: TestClient, world: dict[str, Any]
) -> None:
    suggestions = client.get(
        "/api/v1/partners/suggest", params={"organisation": world["employer"]}
    ).json()
    assert suggestions[0]["profile"]["organisation_id"] == world["college"]
    reasons = " ".join(suggestions[0]["reasons"])
    assert "They offer what you need: capability area Batteries" in reasons
    assert "Same region" in reasons
    assert "contact_email" not in suggestions[0]["profile"]
    profile = client.get(f"/api/v1/organisations/{world['college']}").json()
    assert "dean@college.example" not in str(profile)

    asked = client.post(
        "/api/v1/contact-requests",
        json={
            "from_organisation_id": world["employer"],
            "to_organisation_id": world["college"],
            "message": "Could we set up apprenticeships together?",
        },
        headers=world["hr"].headers,
    )
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["status"] == "pending"
    assert request["contact"] is None
    pending = client.get(f"/api/v1/contact-requests/{request['id']}", headers=world["hr"].headers)
    assert "dean@college.example" not in pending.text
    # the requester cannot accept on the other side's behalf; an outsider sees nothing
    assert (
        client.post(
            f"/api/v1/contact-requests/{request['id']}/accept", headers=world["hr"].headers
        ).status_code
        == 403
    )
    assert (
        client.get(
            f"/api/v1/contact-requests/{request['id']}", headers=world["outsider"].headers
        ).status_code
        == 404
    )
    accepted = client.post(
        f"/api/v1/contact-requests/{request['id']}/accept", headers=world["teacher"].headers
    )
    assert accepted.status_code == 200
    assert accepted.json()["contact"]["contact_email"] == "hr@voltcell.example"
    seen = client.get(
        f"/api/v1/contact-requests/{request['id']}", headers=world["hr"].headers
    ).json()
    assert seen["contact"]["contact_email"] == "dean@college.example"


def test_organisation_funding_comes_from_the_one_directory(
    client: TestClient, world: dict[str, Any]
) -> None:
    hits = client.get(f"/api/v1/organisations/{world['employer']}/funding").json()
    assert hits
    assert any(hit["eligibility"]["eligible"] for hit in hits)
    directory = {h["programme"]["id"] for h in client.get("/api/v1/funding/programmes").json()}
    assert {hit["programme"]["id"] for hit in hits} <= directory
