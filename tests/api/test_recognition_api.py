"""/api/v1/recognition: reports by learners and officers, decisions and their audit trail."""

from __future__ import annotations

from fastapi.testclient import TestClient

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from tests.api import _pathways as fixtures
from tests.api._passport import organisation
from tests.api._pathways import API, SKILL, TECHNICIAN, actor, describe_everything
from tests.recognition.conftest import issued_document

app, client = fixtures.app, fixtures.client

TARGET = {"kind": "occupation", "id": TECHNICIAN}


def test_learner_reports_on_own_passport_and_officer_decides(
    app: SkillPass, client: TestClient
) -> None:
    learner = actor(app, "jonas@example.org", Role.LEARNER)
    officer = actor(app, "officer@example.org", Role.VERIFIER)
    document = issued_document(app, learner.user, ["tig", "troubleshoot", "chemistry"])
    app.passport.import_credential(learner.user, document)

    made = client.post(
        f"{API}/recognition/reports",
        json={"target": TARGET, "learner_id": learner.user.public_id},
        headers=learner.headers,
    )
    assert made.status_code == 201, made.text
    report = made.json()
    covered = {c["skill"]["uri"]: c for c in report["essential"]}
    assert covered[SKILL + "troubleshoot"]["credit"] == 1
    assert covered[SKILL + "troubleshoot"]["evidence"][0]["how"] == "exact"
    join = covered[SKILL + "join-metals"]["evidence"][0]  # credited through the TIG welding
    assert join["how"] == "narrower"
    assert join["explanation"]
    assert SKILL + "braze" in {s["uri"] for s in report["missing_essential"]}
    assert report["evidence"][0]["verified"] is True
    assert report["summary"]
    assert report["level"]["evidence_eqf"] == 6

    # the officer cannot read it (not theirs) nor the passport; they work from the document
    assert (
        client.get(f"{API}/recognition/reports/{report['id']}", headers=officer.headers)
    ).status_code == 404
    peek = client.post(
        f"{API}/recognition/reports",
        json={"target": TARGET, "learner_id": learner.user.public_id},
        headers=officer.headers,
    )
    assert peek.status_code == 403
    assert "share" in peek.json()["error"]["message"]
    theirs = client.post(
        f"{API}/recognition/reports",
        json={"target": TARGET, "documents": [document]},
        headers=officer.headers,
    ).json()
    assert theirs["evidence"][0]["verified"] is True

    no_conditions = client.post(
        f"{API}/recognition/reports/{theirs['id']}/decisions",
        json={"decision": "partial"},
        headers=officer.headers,
    )
    assert no_conditions.status_code == 422
    assert no_conditions.json()["error"]["message"]
    decided = client.post(
        f"{API}/recognition/reports/{theirs['id']}/decisions",
        json={"decision": "partial", "conditions": "Complete a brazing module."},
        headers=officer.headers,
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["officer_id"] == officer.user.public_id
    trail = client.get(
        f"{API}/recognition/reports/{theirs['id']}/decisions", headers=officer.headers
    ).json()
    assert [d["id"] for d in trail] == [decided.json()["id"]]
    # learners do not decide
    assert (
        client.post(
            f"{API}/recognition/reports/{report['id']}/decisions",
            json={"decision": "full"},
            headers=learner.headers,
        )
    ).status_code == 403


def test_signed_decision_needs_an_organisation_the_officer_acts_for(
    app: SkillPass, client: TestClient
) -> None:
    learner = actor(app, "lea@example.org", Role.LEARNER)
    # signing as an organisation is issuing: the officer is also its issuer
    officer = actor(app, "officer@example.org", Role.VERIFIER, Role.ISSUER)
    body = organisation(app, "Recognition body (synthetic)", "public_body", officer, country="DE")
    other = organisation(app, "Someone else", "public_body", country="DE")
    document = issued_document(app, learner.user, ["troubleshoot"])
    report = client.post(
        f"{API}/recognition/reports",
        json={"target": TARGET, "documents": [document], "learner_id": learner.user.public_id},
        headers=officer.headers,
    ).json()
    refused = client.post(
        f"{API}/recognition/reports/{report['id']}/decisions",
        json={"decision": "none", "issue_as_organisation": other},
        headers=officer.headers,
    )
    assert refused.status_code == 403
    signed = client.post(
        f"{API}/recognition/reports/{report['id']}/decisions",
        json={"decision": "none", "issue_as_organisation": body},
        headers=officer.headers,
    )
    assert signed.status_code == 201, signed.text
    assert signed.json()["credential_id"]
    assert signed.json()["document"]


def test_bad_input_is_explained(app: SkillPass, client: TestClient) -> None:
    officer = actor(app, "officer@example.org", Role.VERIFIER)
    nothing = client.post(
        f"{API}/recognition/reports", json={"target": TARGET}, headers=officer.headers
    )
    assert nothing.status_code == 422
    assert "evidence" in nothing.json()["error"]["message"]
    unknown = client.post(
        f"{API}/recognition/reports",
        json={"target": {"kind": "occupation", "id": "http://example.org/x"}, "documents": ["{}"]},
        headers=officer.headers,
    )
    assert unknown.status_code == 404
    assert client.post(f"{API}/recognition/reports", json={"target": TARGET}).status_code == 401
    assert (
        client.get(f"{API}/recognition/reports/none", headers=officer.headers)
    ).status_code == 404


def test_every_route_and_field_is_documented(client: TestClient) -> None:
    assert describe_everything(client, "/recognition") == []
