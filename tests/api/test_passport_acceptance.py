"""Issue 5 acceptance, scripted through the HTTP API (Starlette TestClient):

a learner imports a foreign OB3 credential (verified); an employer attests three years as a
battery-production technician (skills suggested from the tasks by the matching engine on the
full ESCO, and confirmed); the learner requests RPL for a micro-credential; an assessor takes
and approves it; the issued credential appears in the passport; the learner shares; a verifier
opens the share and asks for a presentation with their own challenge and domain, which the
verify endpoint accepts; after the learner revokes the share the link answers 404.

And bad input — a tampered import, oversized or wrong-type evidence, an expired share, someone
else's passport id — gets a clear refusal and changes nothing.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.config import Settings
from skillpass.storage.tables import shares
from tests.api._passport import (
    API,
    actor,
    counts,
    define,
    foreign_credential,
    import_text,
    lexical_passport,
    organisation,
    tampered,
)
from tests.conftest import make_settings

TASKS = (
    "Assembled lithium-ion battery cells into modules and packs on the production line. "
    "Operated and monitored battery cell stacking and welding machines. "
    "Performed quality inspections and electrical tests of battery modules. "
    "Followed safety procedures for handling hazardous chemicals and reported defects."
)
#: What the employer recognises as this job among the suggestions.
RELEVANT = ("batter", "weld", "inspect", "chemical", "hazard")
PDF = b"%PDF-1.4\n% portfolio: module assembly records\n%%EOF\n"


@pytest.fixture
def esco_copy(
    esco_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SkillPass]:
    """A writable copy of the session's full-ESCO database (the shared one stays read-only)."""
    folder = tmp_path / "esco-copy"
    shutil.copytree(esco_database, folder)
    app = build(make_settings(folder))
    lexical_passport(app, monkeypatch)
    yield app
    app.close()


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.mark.esco
@pytest.mark.slow
def test_passport_acceptance_end_to_end(esco_copy: SkillPass, tmp_path: Path) -> None:
    app = esco_copy
    lea = actor(app, "lea.lindqvist@example.org", Role.LEARNER, name="Lea Lindqvist")
    hr = actor(app, "hr@voltcell.example", Role.ISSUER, name="Hanna Roos")
    registrar = actor(app, "registrar@northvale.example", Role.ISSUER)
    ana = actor(app, "ana@northvale.example", Role.ASSESSOR, name="Ana Assessor")
    voltcell = organisation(app, "Voltcell AB", "employer", hr)
    northvale = organisation(app, "Northvale University", "university", registrar, ana)
    micro = define(app, northvale, registrar, "Battery data analytics")
    foreign = foreign_credential(tmp_path / "other-instance", lea.user.email, "Lea Lindqvist")

    with TestClient(create_api(app)) as client:
        # 1. a foreign OB3 credential, verified on import
        imported = import_text(client, lea, foreign)
        assert (imported["source"], imported["verified"]) == ("imported", True)
        assert imported["verification"]["checks"]

        # 2. the employer attests three years as a battery-production technician
        request = _ok(
            client.post(
                f"{API}/attestations",
                json={
                    "organisation_id": voltcell,
                    "role_title": "Battery production technician",
                    "period_start": "2021-03-01",
                    "period_end": "2024-02-29",
                    "tasks": TASKS,
                    "lang": "en",
                },
                headers=lea.headers,
            ),
            201,
        )
        suggested = request["suggested_skills"]
        assert suggested, "the matching engine suggested no skills for the tasks"
        assert all(s["uri"].startswith("http://data.europa.eu/esco/skill/") for s in suggested)
        inbox = _ok(client.get(f"{API}/attestations/inbox", headers=hr.headers))
        assert [r["id"] for r in inbox] == [request["id"]]
        chosen = [s["uri"] for s in suggested if any(w in s["label"].lower() for w in RELEVANT)]
        chosen = chosen[:5]
        assert len(chosen) >= 2, [s["label"] for s in suggested]
        attested = _ok(
            client.post(
                f"{API}/attestations/{request['id']}/attest",
                json={"skills": chosen, "note": "Confirmed by HR records."},
                headers=hr.headers,
            )
        )
        assert attested["status"] == "attested"
        assert [s["uri"] for s in attested["confirmed_skills"]] == chosen
        attestation_credential = json.loads(attested["document"])
        achievement = attestation_credential["credentialSubject"]["achievement"]
        assert achievement["achievementType"] == "ext:WorkplaceLearning"
        report = _ok(client.post(f"{API}/verify", content=attested["document"]))
        assert report["verified"] is True, report

        # 3. RPL for a micro-credential, with evidence; 4. an assessor takes and approves
        case = _ok(
            client.post(
                f"{API}/rpl/cases",
                json={
                    "achievement_id": micro,
                    "statement": "Three years of analysing cell test data at Voltcell.",
                },
                headers=lea.headers,
            ),
            201,
        )
        _ok(
            client.post(
                f"{API}/rpl/cases/{case['id']}/evidence",
                files={"file": ("portfolio.pdf", PDF, "application/pdf")},
                headers=lea.headers,
            ),
            201,
        )
        queue = _ok(client.get(f"{API}/rpl/queue", headers=ana.headers))
        assert [c["id"] for c in queue] == [case["id"]]
        _ok(client.post(f"{API}/rpl/cases/{case['id']}/take", headers=ana.headers))
        decided = _ok(
            client.post(
                f"{API}/rpl/cases/{case['id']}/decide",
                json={"approve": True, "method": "portfolio", "note": "Evidence covers all LOs."},
                headers=ana.headers,
            )
        )
        assert (decided["status"], decided["method"]) == ("approved", "portfolio")
        assert decided["credential_id"]
        who_did_what = [(e["action"], e["actor_id"]) for e in decided["events"]]
        assert who_did_what[:4] == [
            ("submitted", lea.user.public_id),
            ("evidence_added", lea.user.public_id),
            ("taken", ana.user.public_id),
            ("approved", ana.user.public_id),
        ]
        assert all(e["at"] for e in decided["events"])

        # 5. the issued credential is in the passport, next to the others
        items = _ok(client.get(f"{API}/passport/items", headers=lea.headers))
        by_source = {i["source"]: i for i in items}
        assert set(by_source) == {"imported", "attested", "rpl"}
        rpl_item = by_source["rpl"]
        assert rpl_item["credential_id"] == decided["credential_id"]
        assert rpl_item["verified"] is True
        assert "recognition_of_prior_learning" in rpl_item["document"]
        assert by_source["attested"]["strength"] == "employer_attested"
        profile = _ok(client.get(f"{API}/passport/profile", headers=lea.headers))
        strengths = {s["uri"]: s["strength"] for s in profile["skills"]}
        assert all(strengths.get(uri) == "employer_attested" for uri in chosen)

        # 6. the learner shares; a verifier opens it and checks a presentation
        share = _ok(
            client.post(
                f"{API}/shares",
                json={"item_ids": [i["id"] for i in items], "label": "Application to Cellworks"},
                headers=lea.headers,
            ),
            201,
        )
        verifier = TestClient(create_api(app))  # no account, no token
        view = _ok(verifier.get(f"{API}/shares/{share['token']}"))
        assert len(view["items"]) == 3
        assert all(i["verified"] is True for i in view["items"]), view["items"]
        challenge, domain = secrets.token_urlsafe(16), "hr.cellworks.example"
        presentation = _ok(
            verifier.get(
                f"{API}/shares/{share['token']}/presentation",
                params={"challenge": challenge, "domain": domain},
            )
        )
        proof = presentation["proof"]
        proof = proof[0] if isinstance(proof, list) else proof
        assert (proof["challenge"], proof["domain"]) == (challenge, domain)
        assert proof["proofPurpose"] == "authentication"
        assert (
            presentation["holder"]
            == _ok(client.get(f"{API}/passport/holder-did", headers=lea.headers))["did"]
        )
        mine = {"challenge": challenge, "domain": domain}
        report = _ok(verifier.post(f"{API}/verify", params=mine, json=presentation))
        assert report["verified"] is True, report
        # made for someone else, or replayed with another challenge: refused
        other = {"challenge": "another-verifiers-nonce", "domain": domain}
        assert (
            _ok(verifier.post(f"{API}/verify", params=other, json=presentation))["verified"]
            is False
        )
        replayed = json.loads(json.dumps(presentation))
        replayed_proof = replayed["proof"]
        replayed_proof = replayed_proof[0] if isinstance(replayed_proof, list) else replayed_proof
        replayed_proof["challenge"] = "another-verifiers-nonce"
        assert _ok(verifier.post(f"{API}/verify", params=other, json=replayed))["verified"] is False

        logged = _ok(client.get(f"{API}/shares", headers=lea.headers))[0]["accesses"]
        assert {a["kind"] for a in logged} == {"page", "presentation"}
        assert domain in [a["domain"] for a in logged]

        # 7. revoked: the link stops working
        _ok(client.post(f"{API}/shares/{share['id']}/revoke", headers=lea.headers))
        gone = verifier.get(f"{API}/shares/{share['token']}")
        assert gone.status_code == 404
        assert gone.json()["error"]["message"]
        assert (
            verifier.get(
                f"{API}/shares/{share['token']}/presentation",
                params={"challenge": challenge, "domain": domain},
            ).status_code
            == 404
        )


# --- bad input --------------------------------------------------------------------------------


@pytest.fixture
def small_uploads(settings: Settings) -> Iterator[SkillPass]:
    """An app whose evidence limit is 4 KiB (so 'oversized' is cheap to send)."""
    app = build(settings.model_copy(update={"max_upload_bytes": 4096}))
    yield app
    app.close()


def test_bad_input_gets_a_clear_refusal_and_changes_nothing(
    small_uploads: SkillPass, tmp_path: Path
) -> None:
    app = small_uploads
    lea = actor(app, "lea@example.org", Role.LEARNER, name="Lea Lindqvist")
    max_ = actor(app, "max@example.org", Role.LEARNER)
    foreign = foreign_credential(tmp_path / "other", lea.user.email, "Lea Lindqvist")
    with TestClient(create_api(app)) as client:
        credential = import_text(client, lea, foreign)
        experience = _ok(
            client.post(
                f"{API}/passport/experience",
                json={"category": "self_study", "title": "Battery chemistry MOOC"},
                headers=lea.headers,
            ),
            201,
        )
        share = _ok(
            client.post(
                f"{API}/shares",
                json={"item_ids": [credential["id"]], "label": "old"},
                headers=lea.headers,
            ),
            201,
        )
        with app.engine.begin() as conn:  # a share whose time ran out
            conn.execute(update(shares).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        before = counts(app)
        evidence_path = f"{API}/passport/items/{experience['id']}/evidence"

        refusals = {
            "tampered import": client.post(
                f"{API}/passport/import",
                json={"credential": tampered(foreign)},
                headers=lea.headers,
            ),
            "oversized evidence": client.post(
                evidence_path,
                files={"file": ("big.txt", b"a" * 5000, "text/plain")},
                headers=lea.headers,
            ),
            "wrong-type evidence": client.post(
                evidence_path,
                files={
                    "file": ("tool.pdf", b"\x7fELF\x02\x01\x01\x00" + bytes(64), "application/pdf")
                },
                headers=lea.headers,
            ),
            "empty evidence": client.post(
                evidence_path, files={"file": ("x.txt", b"", "text/plain")}, headers=lea.headers
            ),
            "expired share": client.get(f"{API}/shares/{share['token']}"),
            "expired share presentation": client.get(
                f"{API}/shares/{share['token']}/presentation",
                params={"challenge": "c", "domain": "d.example"},
            ),
            "someone else's item": client.get(
                f"{API}/passport/items/{credential['id']}", headers=max_.headers
            ),
            "someone else's item deleted": client.delete(
                f"{API}/passport/items/{credential['id']}", headers=max_.headers
            ),
            "someone else's item shared": client.post(
                f"{API}/shares",
                json={"item_ids": [credential["id"]], "label": "mine now"},
                headers=max_.headers,
            ),
            "evidence on someone else's item": client.post(
                evidence_path,
                files={"file": ("x.txt", b"hello", "text/plain")},
                headers=max_.headers,
            ),
        }
        expected = {
            "tampered import": 422,
            "oversized evidence": 422,
            "wrong-type evidence": 422,
            "empty evidence": 422,
            "expired share": 404,
            "expired share presentation": 404,
            "someone else's item": 404,
            "someone else's item deleted": 404,
            "someone else's item shared": 404,
            "evidence on someone else's item": 404,
        }
        for name, response in refusals.items():
            assert response.status_code == expected[name], (name, response.text)
            message = response.json()["error"]["message"]
            assert len(message) > 20, (name, message)
        assert "proof" in refusals["tampered import"].json()["error"]["message"].lower()
        assert "4,096" in refusals["oversized evidence"].json()["error"]["message"]
        assert "PDF" in refusals["wrong-type evidence"].json()["error"]["message"]
        assert "expired" in refusals["expired share"].json()["error"]["message"].lower()
        assert counts(app) == before
        items = _ok(client.get(f"{API}/passport/items", headers=lea.headers))
        assert sorted(i["id"] for i in items) == sorted([credential["id"], experience["id"]])
        assert (
            _ok(client.get(f"{API}/passport/items/{experience['id']}", headers=lea.headers))[
                "evidence"
            ]
            == []
        )
