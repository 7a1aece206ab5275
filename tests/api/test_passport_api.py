"""/api/v1/passport, /attestations and /shares through the ASGI app: each endpoint does what its
OpenAPI description says (tiny synthetic taxonomy, lexical matching; no ESCO needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
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
    count,
    define,
    foreign_credential,
    import_text,
    lexical_passport,
    organisation,
    tampered,
)
from tests.conftest import make_settings
from tests.matching.conftest import SKILL, seed_tiny_taxonomy

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


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
def learner(app: SkillPass) -> Actor:
    return actor(app, "lea@example.org", Role.LEARNER, name="Lea Lindqvist")


@pytest.fixture
def foreign(tmp_path: Path, learner: Actor) -> str:
    return foreign_credential(tmp_path / "other", learner.user.email, learner.user.display_name)


def _declare(client: TestClient, who: Actor, **extra: Any) -> dict[str, Any]:
    body = {"category": "project", "title": "Home battery monitor", **extra}
    response = client.post(f"{API}/passport/experience", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


# --- import -----------------------------------------------------------------------------------


def test_import_keeps_the_verified_credential_and_its_report(
    client: TestClient, learner: Actor, foreign: str
) -> None:
    item = import_text(client, learner, foreign)
    assert (item["kind"], item["source"], item["verified"]) == ("credential", "imported", True)
    assert item["strength"] == "verified_credential"
    assert item["document"] == foreign
    assert item["verification"]["verified"] is True
    assert item["title"]
    listed = client.get(f"{API}/passport/items", headers=learner.headers).json()
    assert [i["id"] for i in listed] == [item["id"]]
    one = client.get(f"{API}/passport/items/{item['id']}", headers=learner.headers)
    assert one.status_code == 200
    assert one.json()["credential_id"] == item["credential_id"]


def test_import_accepts_a_multipart_file_and_a_raw_body(
    client: TestClient, app: SkillPass, learner: Actor, foreign: str
) -> None:
    response = client.post(
        f"{API}/passport/import",
        files={"file": ("badge.json", foreign.encode(), "application/json")},
        headers=learner.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["verified"] is True
    again = client.post(
        f"{API}/passport/import",
        content=foreign.encode(),
        headers={**learner.headers, "Content-Type": "application/ld+json"},
    )
    assert again.status_code == 409, again.text  # the same credential is in the passport
    assert count(app, "passport_items") == 1


def test_import_refuses_tampered_and_unreadable_input_and_stores_nothing(
    client: TestClient, app: SkillPass, learner: Actor, foreign: str
) -> None:
    for body in ({"credential": tampered(foreign)}, {"credential": "not a credential"}, {}):
        response = client.post(f"{API}/passport/import", json=body, headers=learner.headers)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_input"
        assert response.json()["error"]["message"]
    assert count(app, "passport_items") == 0


def test_import_over_the_size_limit_is_refused_before_parsing(
    client: TestClient, app: SkillPass, learner: Actor
) -> None:
    limit = app.settings.max_credential_bytes
    response = client.post(
        f"{API}/passport/import",
        content=b"x" * (limit + 1),
        headers={**learner.headers, "Content-Type": "text/plain"},
    )
    assert response.status_code == 422
    assert "SKILLPASS_MAX_CREDENTIAL_BYTES" in response.json()["error"]["message"]
    assert count(app, "passport_items") == 0


def test_deleted_item_is_gone(client: TestClient, learner: Actor, foreign: str) -> None:
    item = import_text(client, learner, foreign)
    path = f"{API}/passport/items/{item['id']}"
    assert client.delete(path, headers=learner.headers).status_code == 204
    assert client.get(path, headers=learner.headers).status_code == 404
    assert client.delete(path, headers=learner.headers).status_code == 404


# --- claim and recheck ------------------------------------------------------------------------


@pytest.fixture
def issued_to_learner(app: SkillPass, learner: Actor) -> str:
    registrar = actor(app, "registrar@northvale.example", Role.ISSUER)
    org = organisation(app, "Northvale University", "university", registrar)
    achievement = define(app, org, registrar)
    credential = app.credentials.issue(
        achievement, learner.user.email, "Lea Lindqvist", None, "ob3", None, actor=registrar.user
    )
    return credential.id


def test_claim_a_credential_issued_here(
    client: TestClient, learner: Actor, issued_to_learner: str
) -> None:
    claimable = client.get(f"{API}/passport/claimable", headers=learner.headers).json()
    assert [c["id"] for c in claimable] == [issued_to_learner]
    assert "document" not in claimable[0]
    response = client.post(
        f"{API}/passport/claim", json={"credential_id": issued_to_learner}, headers=learner.headers
    )
    assert response.status_code == 201, response.text
    assert (response.json()["source"], response.json()["verified"]) == ("claimed", True)
    assert client.get(f"{API}/passport/claimable", headers=learner.headers).json() == []
    again = client.post(
        f"{API}/passport/claim", json={"credential_id": issued_to_learner}, headers=learner.headers
    )
    assert again.status_code == 409


def test_recheck_sees_a_revocation(
    client: TestClient, app: SkillPass, learner: Actor, issued_to_learner: str
) -> None:
    item = client.post(
        f"{API}/passport/claim", json={"credential_id": issued_to_learner}, headers=learner.headers
    ).json()
    app.credentials.revoke(issued_to_learner, "awarded in error")
    response = client.post(f"{API}/passport/items/{item['id']}/recheck", headers=learner.headers)
    assert response.status_code == 200
    assert response.json()["verified"] is False
    assert response.json()["strength"] == "self_declared"


# --- experience, evidence, suggestions, profile -------------------------------------------------


def test_declared_experience_with_evidence_upload_and_download(
    client: TestClient, learner: Actor
) -> None:
    item = _declare(client, learner, description="Built a monitor for home batteries.")
    assert (item["kind"], item["verified"], item["strength"]) == (
        "experience",
        None,
        "self_declared",
    )
    response = client.post(
        f"{API}/passport/items/{item['id']}/evidence",
        files={"file": ("../../report.pdf", PDF, "application/octet-stream")},
        headers=learner.headers,
    )
    assert response.status_code == 201, response.text
    evidence = response.json()
    assert evidence["media_type"] == "application/pdf"
    assert evidence["filename"] == "report.pdf"
    assert evidence["size"] == len(PDF)
    download = client.get(evidence["download_url"], headers=learner.headers)
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    stored = client.get(f"{API}/passport/items/{item['id']}", headers=learner.headers).json()
    assert [e["id"] for e in stored["evidence"]] == [evidence["id"]]


def test_suggest_skills_finds_taxonomy_skills_in_text(client: TestClient, learner: Actor) -> None:
    response = client.post(
        f"{API}/passport/suggest-skills",
        json={"text": "Every morning I bake bread for the village bakery."},
        headers=learner.headers,
    )
    assert response.status_code == 200, response.text
    suggestions = response.json()
    assert SKILL + "bake" in [s["uri"] for s in suggestions]
    assert all(0.0 <= s["score"] <= 1.0 for s in suggestions)


def test_profile_explains_each_skill_by_its_evidence(client: TestClient, learner: Actor) -> None:
    item = _declare(
        client, learner, skills=[{"uri": SKILL + "bake", "label": "bake bread"}], title="Baking"
    )
    response = client.get(f"{API}/passport/profile", headers=learner.headers)
    assert response.status_code == 200, response.text
    profile = response.json()
    (skill,) = [s for s in profile["skills"] if s["uri"] == SKILL + "bake"]
    assert skill["strength"] == "self_declared"
    assert [e["item_id"] for e in skill["evidence"]] == [item["id"]]
    assert profile["items"] == 1
    assert profile["unverified_items"] == 1


# --- portability and privacy ------------------------------------------------------------------


def test_export_bundle_imports_on_another_instance(
    client: TestClient, learner: Actor, foreign: str, tmp_path: Path
) -> None:
    import_text(client, learner, foreign)
    _declare(client, learner)
    response = client.get(f"{API}/passport/export", headers=learner.headers)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    bundle = response.json()
    assert bundle["format"] == "skillpass-passport-bundle"
    assert len(bundle["items"]) == 2

    (tmp_path / "elsewhere").mkdir()
    elsewhere = build(make_settings(tmp_path / "elsewhere"))
    try:
        other = actor(elsewhere, "lea@example.org", Role.LEARNER, name="Lea Lindqvist")
        with TestClient(create_api(elsewhere)) as other_client:
            imported = other_client.post(
                f"{API}/passport/import-bundle", content=response.content, headers=other.headers
            )
            assert imported.status_code == 200, imported.text
            assert imported.json()["imported"] == 2
            assert imported.json()["refused"] == []
            items = other_client.get(f"{API}/passport/items", headers=other.headers).json()
            assert sorted(i["kind"] for i in items) == ["credential", "experience"]
            not_bundle = other_client.post(
                f"{API}/passport/import-bundle", json={"hello": 1}, headers=other.headers
            )
            assert not_bundle.status_code == 422
    finally:
        elsewhere.close()


def test_cv_is_an_html_page_that_escapes_what_the_learner_typed(
    client: TestClient, learner: Actor
) -> None:
    _declare(client, learner, title="<script>alert(1)</script> monitor")
    response = client.get(f"{API}/passport/cv", headers=learner.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in response.text
    assert "monitor" in response.text
    assert "Lea Lindqvist" in response.text


def test_personal_data_download_and_account_erasure(
    client: TestClient, app: SkillPass, learner: Actor
) -> None:
    _declare(client, learner)
    data = client.get(f"{API}/passport/personal-data", headers=learner.headers)
    assert data.status_code == 200
    assert "lea@example.org" in data.text
    refused = client.post(
        f"{API}/passport/erase-account", json={"confirm": False}, headers=learner.headers
    )
    assert refused.status_code == 422
    assert count(app, "passport_items") == 1
    erased = client.post(
        f"{API}/passport/erase-account", json={"confirm": True}, headers=learner.headers
    )
    assert erased.status_code == 204
    assert client.get(f"{API}/passport/items", headers=learner.headers).status_code == 401
    assert count(app, "passport_items") == 0


def test_holder_did_is_made_once_and_can_be_rotated(client: TestClient, learner: Actor) -> None:
    path = f"{API}/passport/holder-did"
    assert client.get(path, headers=learner.headers).json() == {"did": None}
    made = client.post(path, headers=learner.headers).json()["did"]
    assert made.startswith("did:key:z6Mk")
    assert client.post(path, headers=learner.headers).json()["did"] == made
    rotated = client.post(f"{path}/rotate", headers=learner.headers).json()["did"]
    assert rotated.startswith("did:key:")
    assert rotated != made
    assert client.get(path, headers=learner.headers).json() == {"did": rotated}


# --- attestations and shares ------------------------------------------------------------------


def test_attestation_request_gets_skill_suggestions_and_is_listed(
    client: TestClient, app: SkillPass, learner: Actor
) -> None:
    org = organisation(app, "Voltcell AB", "employer")
    response = client.post(
        f"{API}/attestations",
        json={
            "organisation_id": org,
            "role_title": "Welder",
            "period_start": "2020-01-01",
            "period_end": "2023-01-01",
            "tasks": "I weld metal parts for battery housings.",
        },
        headers=learner.headers,
    )
    assert response.status_code == 201, response.text
    request = response.json()
    assert request["status"] == "requested"
    assert request["organisation_name"] == "Voltcell AB"
    assert SKILL + "weld" in [s["uri"] for s in request["suggested_skills"]]
    mine = client.get(f"{API}/attestations", headers=learner.headers).json()
    assert [r["id"] for r in mine] == [request["id"]]
    future = client.post(
        f"{API}/attestations",
        json={**request, "organisation_id": org, "period_start": "2999-01-01", "period_end": None},
        headers=learner.headers,
    )
    assert future.status_code == 422


def test_share_lifecycle_with_access_log(client: TestClient, learner: Actor, foreign: str) -> None:
    item = import_text(client, learner, foreign)
    response = client.post(
        f"{API}/shares",
        json={"item_ids": [item["id"]], "label": "For Voltcell", "expires_in_days": 7},
        headers=learner.headers,
    )
    assert response.status_code == 201, response.text
    share = response.json()
    assert share["active"] is True
    assert share["token"]
    assert share["url"].endswith(f"/s/{share['token']}")

    public = client.get(f"{API}/shares/{share['token']}")  # no token: public
    assert public.status_code == 200, public.text
    view = public.json()
    assert view["label"] == "For Voltcell"
    assert view["holder_name"] == "Lea Lindqvist"
    assert [i["id"] for i in view["items"]] == [item["id"]]
    assert view["items"][0]["verified"] is True
    assert public.headers["cache-control"] == "no-store"

    listed = client.get(f"{API}/shares", headers=learner.headers).json()
    assert [s["id"] for s in listed] == [share["id"]]
    assert listed[0]["token"] is None
    assert listed[0]["url"] is None
    assert [(a["kind"], a["client"]) for a in listed[0]["accesses"]] == [("page", "testclient")]

    revoked = client.post(f"{API}/shares/{share['id']}/revoke", headers=learner.headers)
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    gone = client.get(f"{API}/shares/{share['token']}")
    assert gone.status_code == 404
    assert gone.json()["error"]["message"]


def test_every_passport_route_is_documented(client: TestClient) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    prefixes = ("/api/v1/passport", "/api/v1/attestations", "/api/v1/rpl", "/api/v1/shares")
    routes = [
        (path, method, operation)
        for path, operations in spec["paths"].items()
        if path.startswith(prefixes)
        for method, operation in operations.items()
    ]
    assert len(routes) >= 38
    for path, method, operation in routes:
        assert operation.get("summary"), (path, method)
        assert operation.get("description"), (path, method)
    upload = spec["paths"]["/api/v1/passport/items/{item_id}/evidence"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
