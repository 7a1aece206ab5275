"""/api/v1 issuers, achievements, credentials, verify, status lists and /issuers/{id}/did.json
through the ASGI app: roles (401/403), the acceptance flow, and no private key in any response
or log line."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.config import Settings
from skillpass.credentials.keys import decrypt_private_key
from skillpass.credentials.status_lists import decode_status_list, status_bit
from skillpass.storage.tables import signing_keys

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "micro-credential.yaml"
ELM_SHAPES = ROOT.parent / "shared" / "data" / "credentials" / "elm"


@pytest.fixture
def app(settings: Settings) -> Iterator[SkillPass]:
    update = {"elm_shapes": ELM_SHAPES} if ELM_SHAPES.is_dir() else {}
    built = build(settings.model_copy(update=update))
    yield built
    built.close()


@pytest.fixture
def client(app: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(app)) as test_client:
        yield test_client


def bearer(app: SkillPass, email: str, *roles: Role) -> dict[str, str]:
    user = app.auth.create_user(email, email.split("@")[0], PASSWORD, roles)
    return {"Authorization": f"Bearer {app.auth.create_token(user.public_id, 'test').token}"}


@pytest.fixture
def issuer_headers(app: SkillPass) -> dict[str, str]:
    return bearer(app, "issuer@example.org", Role.ISSUER)


@pytest.fixture
def learner_headers(app: SkillPass) -> dict[str, str]:
    return bearer(app, "learner@example.org", Role.LEARNER)


NEW_ISSUER = {
    "name": "Northvale University",
    "country": "SE",
    "type": "university",
    "region": "SE110",
    "registration_ids": {"eidas": "SE:5560000001"},
}


def definition() -> dict[str, object]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def achievement_id(client: TestClient, issuer_headers: dict[str, str]) -> str:
    issuer = client.post("/api/v1/issuers", json=NEW_ISSUER, headers=issuer_headers).json()
    response = client.post(
        "/api/v1/achievements",
        json={"issuer_id": issuer["id"], "definition": definition()},
        headers=issuer_headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_write_endpoints_need_a_token_and_the_issuer_or_admin_role(
    client: TestClient, learner_headers: dict[str, str], achievement_id: str
) -> None:
    writes = [
        ("/api/v1/issuers", NEW_ISSUER),
        ("/api/v1/achievements", {"issuer_id": "x", "definition": {}}),
        ("/api/v1/credentials", {"achievement_id": achievement_id, "learner_email": "a@b.org"}),
        (
            "/api/v1/credentials/urn:uuid:00000000-0000-0000-0000-000000000000/revoke",
            {"reason": "x"},
        ),
    ]
    for path, body in writes:
        assert client.post(path, json=body).status_code == 401, path
        forbidden = client.post(path, json=body, headers=learner_headers)
        assert forbidden.status_code == 403, path
        assert forbidden.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/credentials", headers=learner_headers).status_code == 403


def test_admin_may_create_issuers(client: TestClient, app: SkillPass) -> None:
    admin = bearer(app, "admin@example.org", Role.ADMIN)
    response = client.post("/api/v1/issuers", json=NEW_ISSUER, headers=admin)
    assert response.status_code == 201
    body = response.json()
    assert body["did"].startswith("did:web:")
    assert body["type"] == "higher_education"
    assert client.post("/api/v1/issuers", json=NEW_ISSUER, headers=admin).status_code == 409


def test_definition_problems_are_422_naming_the_element(
    client: TestClient, issuer_headers: dict[str, str]
) -> None:
    issuer = client.post("/api/v1/issuers", json=NEW_ISSUER, headers=issuer_headers).json()
    data = definition()
    del data["workload"]
    response = client.post(
        "/api/v1/achievements",
        json={"issuer_id": issuer["id"], "definition": data},
        headers=issuer_headers,
    )
    assert response.status_code == 422
    problems = response.json()["error"]["details"]["problems"]
    assert [p["element"] for p in problems] == ["workload"]
    assert "Notional workload is missing" in problems[0]["problem"]


def test_public_reads_did_document_and_profile(
    client: TestClient, issuer_headers: dict[str, str], achievement_id: str
) -> None:
    [issuer] = client.get("/api/v1/issuers").json()
    did_doc = client.get(f"/issuers/{issuer['id']}/did.json")
    assert did_doc.status_code == 200
    assert did_doc.headers["content-type"].startswith("application/did+json")
    assert did_doc.json()["id"] == issuer["did"]
    assert (
        did_doc.json()["verificationMethod"][0]["publicKeyMultibase"]
        == (issuer["keys"][0]["public_key_multibase"])
    )
    profile = client.get(f"/api/v1/issuers/{issuer['id']}/profile").json()
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Northvale University"
    assert client.get(f"/api/v1/achievements/{achievement_id}").json()["id"] == achievement_id
    assert client.get("/issuers/nope/did.json").status_code == 404


@pytest.mark.parametrize("fmt", ["ob3", "ob3-jwt", "elm"])
def test_issue_verify_revoke_over_http(
    client: TestClient, issuer_headers: dict[str, str], achievement_id: str, fmt: str
) -> None:
    response = client.post(
        "/api/v1/credentials",
        json={
            "achievement_id": achievement_id,
            "learner_email": "ana@example.org",
            "learner_name": "Ana",
            "format": fmt,
            "external_id": "enrol-7",
        },
        headers=issuer_headers,
    )
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["id"].startswith("urn:uuid:")
    again = client.post(
        "/api/v1/credentials",
        json={
            "achievement_id": achievement_id,
            "learner_email": "ana@example.org",
            "format": fmt,
            "external_id": "enrol-7",
        },
        headers=issuer_headers,
    )
    assert again.status_code == 200
    assert again.json()["id"] == issued["id"]
    assert again.json()["created"] is False

    content_type = "text/plain" if fmt == "ob3-jwt" else "application/json"
    report = client.post(
        "/api/v1/verify", content=issued["document"], headers={"Content-Type": content_type}
    ).json()
    assert report["verified"] is True, report

    status_list = client.get(f"/api/v1/status-lists/{issued['status_list_id']}")
    assert status_list.status_code == 200
    bits = decode_status_list(status_list.json()["credentialSubject"]["encodedList"])
    assert not status_bit(bits, issued["status_index"])

    revoked = client.post(
        f"/api/v1/credentials/{issued['id']}/revoke",
        json={"reason": "awarded in error"},
        headers=issuer_headers,
    )
    assert revoked.status_code == 200
    assert revoked.json()["revoked"] is True
    assert "awarded in error" not in revoked.text
    report = client.post("/api/v1/verify", content=issued["document"]).json()
    assert report["verified"] is False
    assert next(c for c in report["checks"] if c["name"] == "status")["ok"] is False
    bits = decode_status_list(
        client.get(f"/api/v1/status-lists/{issued['status_list_id']}").json()["credentialSubject"][
            "encodedList"
        ]
    )
    assert status_bit(bits, issued["status_index"])
    assert client.get(f"/api/v1/credentials/{issued['id']}", headers=issuer_headers).json()[
        "revoked"
    ]


def test_verify_refuses_oversized_bodies_and_reports_junk(
    client: TestClient, app: SkillPass
) -> None:
    too_big = b"{" + b" " * app.settings.max_credential_bytes + b"}"
    response = client.post("/api/v1/verify", content=too_big)
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["message"]
    junk = client.post("/api/v1/verify", content=b"not a credential").json()
    assert junk["verified"] is False
    assert junk["processable"] is False


def test_no_private_key_in_any_response_or_log_line(
    client: TestClient,
    app: SkillPass,
    issuer_headers: dict[str, str],
    achievement_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    bodies: list[str] = []
    [issuer] = client.get("/api/v1/issuers").json()
    bodies.append(
        client.post(f"/api/v1/issuers/{issuer['id']}/rotate-key", headers=issuer_headers).text
    )
    for fmt in ("ob3", "ob3-jwt", "elm"):
        issued = client.post(
            "/api/v1/credentials",
            json={
                "achievement_id": achievement_id,
                "learner_email": "a@example.org",
                "format": fmt,
            },
            headers=issuer_headers,
        )
        bodies.append(issued.text)
        bodies.append(client.get(f"/api/v1/status-lists/{issued.json()['status_list_id']}").text)
    for path in (
        "/api/v1/issuers",
        f"/api/v1/issuers/{issuer['id']}",
        f"/api/v1/issuers/{issuer['id']}/profile",
        f"/issuers/{issuer['id']}/did.json",
        "/api/v1/credentials",
        "/api/v1/openapi.json",
    ):
        bodies.append(client.get(path, headers=issuer_headers).text)

    kek = app.settings.key_encryption_key.get_secret_value()
    with app.engine.connect() as conn:
        blobs = conn.execute(select(signing_keys.c.private_key_encrypted)).scalars().all()
    assert len(blobs) == 2
    secrets_forms: list[str] = []
    for blob in blobs:
        key = decrypt_private_key(bytes(blob), kek)
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        secrets_forms += [
            raw.hex(),
            base64.b64encode(raw).decode(),
            base64.urlsafe_b64encode(raw).decode().rstrip("="),
            pem.splitlines()[1],
            base64.b64encode(bytes(blob)).decode()[:40],
            bytes(blob).hex()[:40],
        ]
    haystack = (
        "\n".join(bodies)
        + "\n"
        + caplog.text
        + json.dumps([r.getMessage() for r in caplog.records])
    )
    assert "PRIVATE KEY" not in haystack
    for form in secrets_forms:
        assert form not in haystack


# --- who may act for an organisation --------------------------------------------------------


@pytest.fixture
def org_id(app: SkillPass) -> str:
    """An organisation made by the operator: it has no members yet."""
    return app.issuers.create(name="Eastmark College", country="DE", kind="vet").id


def _issue(client: TestClient, headers: dict[str, str], achievement: str, **extra: str) -> Response:
    body = {"achievement_id": achievement, "learner_email": "ana@example.org", **extra}
    return client.post("/api/v1/credentials", json=body, headers=headers)


def test_issuer_who_is_not_a_member_gets_403_on_define_issue_revoke_and_rotate(
    client: TestClient, app: SkillPass, org_id: str
) -> None:
    outsider = bearer(app, "outsider@example.org", Role.ISSUER)
    achievement = app.achievements.create_from_file(org_id, EXAMPLE)
    credential = app.credentials.issue(achievement.id, "ana@example.org", format="ob3-jwt")
    attempts = [
        client.post(
            "/api/v1/achievements",
            json={"issuer_id": org_id, "definition": definition()},
            headers=outsider,
        ),
        client.post(
            "/api/v1/credentials",
            json={"achievement_id": achievement.id, "learner_email": "bo@example.org"},
            headers=outsider,
        ),
        client.post(
            f"/api/v1/credentials/{credential.id}/revoke", json={"reason": "x"}, headers=outsider
        ),
        client.post(f"/api/v1/issuers/{org_id}/rotate-key", headers=outsider),
        client.get(f"/api/v1/credentials/{credential.id}", headers=outsider),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        message = response.json()["error"]["message"]
        assert "Eastmark College" in message
        assert f"skillpass issuer add-member {org_id} outsider@example.org" in message
    assert not app.credentials.get(credential.id).revoked
    assert app.achievements.list_achievements(org_id) == [achievement]
    assert client.get("/api/v1/credentials", headers=outsider).json() == []


def test_member_and_admin_may_define_issue_and_revoke(
    client: TestClient, app: SkillPass, org_id: str
) -> None:
    member = bearer(app, "member@example.org", Role.ISSUER)
    admin = bearer(app, "admin@example.org", Role.ADMIN)
    added = client.post(
        f"/api/v1/issuers/{org_id}/members", json={"email": "Member@Example.org"}, headers=admin
    )
    assert added.status_code == 201, added.text
    assert added.json()["role"] == "issuer"
    for headers in (member, admin):
        defined = client.post(
            "/api/v1/achievements",
            json={"issuer_id": org_id, "definition": definition()},
            headers=headers,
        )
        assert defined.status_code == 201, defined.text
        issued = _issue(client, headers, defined.json()["id"], format="ob3-jwt")
        assert issued.status_code == 201, issued.text
        revoked = client.post(
            f"/api/v1/credentials/{issued.json()['id']}/revoke",
            json={"reason": "test"},
            headers=headers,
        )
        assert revoked.status_code == 200, revoked.text
    listed = client.get("/api/v1/credentials", headers=member).json()
    assert len(listed) == 2


def test_members_are_managed_by_admins_only(
    client: TestClient, app: SkillPass, org_id: str
) -> None:
    admin = bearer(app, "admin@example.org", Role.ADMIN)
    issuer = bearer(app, "iris@example.org", Role.ISSUER)
    body = {"email": "iris@example.org", "role": "manager"}
    assert client.post(f"/api/v1/issuers/{org_id}/members", json=body).status_code == 401
    refused = client.post(f"/api/v1/issuers/{org_id}/members", json=body, headers=issuer)
    assert refused.status_code == 403
    assert (
        client.post(f"/api/v1/issuers/{org_id}/members", json=body, headers=admin).json()["role"]
        == "manager"
    )
    members = client.get(f"/api/v1/issuers/{org_id}/members", headers=admin).json()
    assert [m["email"] for m in members] == ["iris@example.org"]
    unknown = client.post(
        f"/api/v1/issuers/{org_id}/members", json={"email": "nobody@example.org"}, headers=admin
    )
    assert unknown.status_code == 404
    gone = client.delete(f"/api/v1/issuers/{org_id}/members/iris@example.org", headers=admin)
    assert gone.status_code == 204
    assert client.get(f"/api/v1/issuers/{org_id}/members", headers=admin).json() == []
    again = client.delete(f"/api/v1/issuers/{org_id}/members/iris@example.org", headers=admin)
    assert again.status_code == 404


def test_issuer_who_creates_an_organisation_becomes_its_member(
    client: TestClient, app: SkillPass, issuer_headers: dict[str, str]
) -> None:
    created = client.post("/api/v1/issuers", json=NEW_ISSUER, headers=issuer_headers).json()
    members = app.issuers.members(created["id"])
    assert [(m.email, m.role_in_org.value) for m in members] == [("issuer@example.org", "manager")]
    admin = bearer(app, "admin@example.org", Role.ADMIN)
    other = client.post(
        "/api/v1/issuers", json={**NEW_ISSUER, "country": "FI"}, headers=admin
    ).json()
    assert app.issuers.members(other["id"]) == []


def test_same_award_in_another_format_is_a_new_credential(
    client: TestClient, issuer_headers: dict[str, str], achievement_id: str
) -> None:
    ob3 = _issue(client, issuer_headers, achievement_id, format="ob3-jwt", external_id="e-1")
    elm = _issue(client, issuer_headers, achievement_id, format="elm", external_id="e-1")
    again = _issue(client, issuer_headers, achievement_id, format="elm", external_id="e-1")
    assert ob3.status_code == 201
    assert elm.status_code == 201
    assert elm.json()["id"] != ob3.json()["id"]
    assert elm.json()["format"] == "elm"
    assert again.status_code == 200
    assert again.json()["id"] == elm.json()["id"]
    assert again.json()["created"] is False


def test_verify_report_says_what_the_credential_certifies(
    client: TestClient, issuer_headers: dict[str, str], achievement_id: str
) -> None:
    issued = _issue(
        client, issuer_headers, achievement_id, format="ob3-jwt", learner_name="Ana López"
    ).json()
    report = client.post(
        "/api/v1/verify", content=issued["document"], headers={"Content-Type": "text/plain"}
    ).json()
    assert set(report) >= {
        "verified", "processable", "format", "issuer", "checks", "errors", "warnings",
        "credential", "summary",
    }  # fmt: skip
    summary = report["summary"]
    assert summary["title"] == "Applied machine learning for predictive maintenance"
    assert summary["learner_name"] == "Ana López"
    assert summary["eqf"] == 6
    assert summary["ects"] == 5
    assert summary["hours"] == 125
    assert "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d" in {
        skill["uri"] for skill in summary["skills"]
    }
    junk = client.post("/api/v1/verify", content=b"not a credential").json()
    assert junk["summary"] is None
