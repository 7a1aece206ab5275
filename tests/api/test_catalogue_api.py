"""/api/v1/opportunities: search, provider CRUD with permission checks, import upload."""

from __future__ import annotations

from fastapi.testclient import TestClient

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from tests.api import _pathways as fixtures
from tests.api._passport import organisation
from tests.api._pathways import API, SKILL, Actor, actor, course, describe_everything

app, client, admin = fixtures.app, fixtures.client, fixtures.admin


def body(keys: list[str], **changes: object) -> dict[str, object]:
    return course(keys, **changes).model_dump(mode="json")


def test_providers_publish_for_their_organisation_only(
    app: SkillPass, client: TestClient, admin: Actor
) -> None:
    staff = actor(app, "staff@northvale.example", Role.ISSUER)
    outsider = actor(app, "someone@example.org", Role.ISSUER)
    org = organisation(app, "Northvale VET", "vet", staff, country="DE")

    assert client.post(f"{API}/opportunities", json=body(["chemistry"])).status_code == 401
    refused = client.post(
        f"{API}/opportunities", json=body(["chemistry"], provider_id=org), headers=outsider.headers
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["message"]
    made = client.post(
        f"{API}/opportunities", json=body(["chemistry"], provider_id=org), headers=staff.headers
    )
    assert made.status_code == 201, made.text
    item = made.json()
    assert item["outcomes"] == [{"uri": SKILL + "chemistry", "label": "battery chemistry"}]
    # without a provider on the platform only an administrator publishes
    assert (
        client.post(f"{API}/opportunities", json=body(["troubleshoot"]), headers=staff.headers)
    ).status_code == 403
    assert (
        client.post(f"{API}/opportunities", json=body(["troubleshoot"]), headers=admin.headers)
    ).status_code == 201

    changed = client.put(
        f"{API}/opportunities/{item['id']}",
        json=body(["chemistry"], provider_id=org, cost_eur=250),
        headers=staff.headers,
    )
    assert changed.status_code == 200
    assert changed.json()["cost_eur"] == 250
    assert (
        client.delete(f"{API}/opportunities/{item['id']}", headers=outsider.headers)
    ).status_code == 403
    assert (
        client.delete(f"{API}/opportunities/{item['id']}", headers=staff.headers)
    ).status_code == 204
    gone = client.get(f"{API}/opportunities/{item['id']}")
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "not_found"


def test_unknown_skills_are_refused_with_the_uri(client: TestClient, admin: Actor) -> None:
    response = client.post(
        f"{API}/opportunities", json=body(["no-such-skill"]), headers=admin.headers
    )
    assert response.status_code == 422
    assert "no-such-skill" in response.json()["error"]["message"]


def test_search_filters_combine_and_page(client: TestClient, admin: Actor) -> None:
    for title, country, cost, keys in [
        ("Battery chemistry online", "DE", 300, ["chemistry"]),
        ("Battery chemistry in Lyon", "FR", 900, ["chemistry", "battery-components"]),
        ("Troubleshooting lines", "DE", 150, ["troubleshoot"]),
    ]:
        made = client.post(
            f"{API}/opportunities",
            json=body(keys, title=title, country=country, cost_eur=cost),
            headers=admin.headers,
        )
        assert made.status_code == 201

    def titles(**query: object) -> list[str]:
        response = client.get(f"{API}/opportunities", params=query)
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert titles(skill=SKILL + "chemistry") == [
        "Battery chemistry in Lyon",
        "Battery chemistry online",
    ]
    assert titles(skill=SKILL + "chemistry", country="de") == ["Battery chemistry online"]
    assert titles(max_cost_eur=200) == ["Troubleshooting lines"]
    page = client.get(f"{API}/opportunities", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3
    assert len(page["items"]) == 1
    assert client.get(f"{API}/opportunities", params={"eqf": 9}).status_code == 422


def test_import_checks_every_row_before_writing(client: TestClient, admin: Actor) -> None:
    header = "title,provider,country,languages,mode,duration_weeks,hours,cost_eur,outcomes\n"
    good = f"Module one,Northvale,DE,en;de,online,4,40,300,{SKILL}chemistry\n"
    bad = f"Module two,Northvale,Germany,en,somewhere,4,40,-5,{SKILL}nothing\n"

    def upload(name: str, text: str) -> object:
        return client.post(
            f"{API}/opportunities/import",
            files={"file": (name, text.encode(), "text/csv")},
            headers=admin.headers,
        )

    refused = upload("courses.csv", header + good + bad)
    assert refused.status_code == 200  # type: ignore[attr-defined]
    result = refused.json()  # type: ignore[attr-defined]
    assert result["created"] == 0
    assert result["errors"]
    assert all(e.startswith("row 2") for e in result["errors"]), result["errors"]
    assert client.get(f"{API}/opportunities").json()["total"] == 0

    done = upload("courses.csv", header + good).json()  # type: ignore[attr-defined]
    assert done == {"rows": 1, "created": 1, "updated": 0, "errors": []}
    wrong = upload("courses.xlsx", header + good)
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert ".csv" in wrong.json()["error"]["message"]  # type: ignore[attr-defined]
    assert (
        client.post(f"{API}/opportunities/import", files={"file": ("c.csv", b"x")})
    ).status_code == 401


def test_every_route_and_field_is_documented(client: TestClient) -> None:
    assert describe_everything(client, "/opportunities") == []
