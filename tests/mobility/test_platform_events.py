"""Platform mobility events: verifications and recognition decisions made through the services
become pseudonymous events, once per credential and organisation, and a release counts them.

Uses the hand-made taxonomy of the recognition tests; the battery skills are made members of the
``batteries`` capability area, the welding skills of ``advanced_manufacturing``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role, User
from skillpass.credentials.records import Issuer
from skillpass.mobility.events import person_key
from skillpass.mobility.models import QueryName
from skillpass.recognition.models import DecisionKind, RecognitionRequest
from skillpass.storage.tables import capability_members, mobility_events
from tests.conftest import make_settings
from tests.passport._core import tamper
from tests.recognition.conftest import (
    PASSWORD,
    SKILL,
    TARGET,
    issued_document,
    seed_taxonomy,
    user,
)
from tests.web.conftest import csrf_from

BATTERY_SKILLS = ["assemble-batteries", "battery-components", "chemistry", "tig"]


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[SkillPass]:
    """The app as ``app.py`` wires it, on the recognition tests' hand-made taxonomy, with three
    skills in ``batteries`` and one in manufacturing."""
    app = build(make_settings(tmp_path))
    seed_taxonomy(app.engine)
    rows = [
        ("assemble-batteries", "batteries"),
        ("battery-components", "batteries"),
        ("chemistry", "batteries"),
        ("tig", "advanced_manufacturing"),
    ]
    with app.engine.begin() as conn:
        conn.execute(
            insert(capability_members),
            [
                {
                    "area_id": area,
                    "concept_uri": SKILL + key,
                    "concept_type": "skill",
                    "rule": "seed",
                    "tier": "core",
                    "reason": "test",
                    "framework_version": "test",
                    "taxonomy_version": "test",
                }
                for key, area in rows
            ],
        )
    yield app
    app.close()


def organisation(app: SkillPass, country: str) -> Issuer:
    """A recognition body / employer in ``country``."""
    return app.issuers.create(
        name=f"Organisation {country} {uuid.uuid4().hex[:6]}", country=country, kind="employer"
    )


def member(app: SkillPass, org: Issuer, name: str, *roles: Role) -> User:
    """A user of the organisation (a verifier unless roles are given)."""
    account = user(app, name, *(roles or (Role.VERIFIER,)))
    app.issuers.add_member(org.id, account.email)
    return account


def events(app: SkillPass) -> list[dict[str, object]]:
    """Every stored event, oldest first."""
    with app.engine.connect() as conn:
        rows = conn.execute(select(mobility_events).order_by(mobility_events.c.id)).mappings()
        return [dict(row) for row in rows]


def test_cross_border_verification_is_recorded_once_with_its_dimensions(
    platform: SkillPass,
) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, BATTERY_SKILLS, eqf=6)  # issued in LT
    verifier = member(platform, organisation(platform, "DE"), "Dieter Verifier")

    report = platform.trust.verify(document, verifier=verifier)
    assert report.verified
    for _ in range(3):  # page refreshes and re-verification add nothing
        platform.trust.verify(document, verifier=verifier)

    [event] = events(platform)
    assert event["kind"] == "verification"
    assert (event["origin"], event["destination"]) == ("LT", "DE")
    assert event["area_id"] == "batteries"  # 3 of its 4 skills
    assert event["eqf"] == 6
    assert event["source"] == "platform"
    assert event["synthetic"] is False
    # pseudonymous: the learner's e-mail, name and id appear nowhere in the row
    text = json.dumps(event, default=str)
    for personal in (learner.email, learner.display_name, learner.public_id):
        assert personal not in text
    # keyed again under the mobility secret: not the credential store's learner key
    stored_key = platform.credentials.learner_key(report.credential["id"])
    assert stored_key is not None
    assert event["person_key"] not in (stored_key, person_key(b"", f"learner:{stored_key}"))


def test_a_second_organisation_counts_again_and_the_same_person_keeps_one_pseudonym(
    platform: SkillPass,
) -> None:
    learner = user(platform, "Ona Learner")
    first = issued_document(platform, learner, BATTERY_SKILLS)
    second = issued_document(platform, learner, ["tig"])
    german = member(platform, organisation(platform, "DE"), "Dieter Verifier")
    french = member(platform, organisation(platform, "FR"), "Fleur Verifier")

    platform.trust.verify(first, verifier=german)
    platform.trust.verify(first, verifier=french)
    platform.trust.verify(second, verifier=german)

    found = events(platform)
    assert [(e["destination"], e["area_id"]) for e in found] == [
        ("DE", "batteries"),
        ("FR", "batteries"),
        ("DE", "advanced_manufacturing"),
    ]
    assert len({e["person_key"] for e in found}) == 1  # bounded as one person


def test_no_event_for_anonymous_same_country_learner_or_unverified_checks(
    platform: SkillPass,
) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, BATTERY_SKILLS)
    lithuanian = member(platform, organisation(platform, "LT"), "Lina Verifier")
    two_hats = member(platform, organisation(platform, "DE"), "Two Hats")
    platform.issuers.add_member(organisation(platform, "FR").id, two_hats.email)
    unaffiliated = user(platform, "Vera Verifier", Role.VERIFIER)
    german = member(platform, organisation(platform, "DE"), "Dieter Verifier")

    platform.trust.verify(document)  # anonymous: no verifier country
    platform.trust.verify(document, verifier=None)
    platform.trust.verify(document, verifier=learner)  # a learner is not an organisation
    platform.trust.verify(document, verifier=lithuanian)  # same country
    platform.trust.verify(document, verifier=two_hats)  # which of two organisations?
    platform.trust.verify(document, verifier=unaffiliated)  # no organisation
    tampered = tamper(document)
    assert not platform.trust.verify(tampered, verifier=german).verified
    assert events(platform) == []

    platform.trust.verify(document, verifier=german)
    assert len(events(platform)) == 1


def test_credential_without_a_capability_area_records_nothing(platform: SkillPass) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, ["solder", "safety"])  # in no area
    german = member(platform, organisation(platform, "DE"), "Dieter Verifier")
    assert platform.trust.verify(document, verifier=german).verified
    assert events(platform) == []


def test_http_api_and_web_pages_count_the_signed_in_verifier_only(platform: SkillPass) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, BATTERY_SKILLS)
    german = member(platform, organisation(platform, "DE"), "Dieter Verifier")
    french = member(platform, organisation(platform, "FR"), "Fleur Verifier")
    as_json = {"Content-Type": "application/json"}
    with TestClient(create_api(platform)) as client:
        anonymous = client.post("/api/v1/verify", content=document, headers=as_json)
        assert anonymous.json()["verified"] is True
        assert client.get(f"/verify?credential={json.loads(document)['id']}").status_code == 200
        assert events(platform) == []

        token = platform.auth.create_token(german.public_id, "verifier").token
        signed = as_json | {"Authorization": f"Bearer {token}"}
        for _ in range(2):
            assert client.post("/api/v1/verify", content=document, headers=signed).json()[
                "verified"
            ]
        assert [e["destination"] for e in events(platform)] == ["DE"]

        login = {"email": french.email, "password": PASSWORD}
        csrf = csrf_from(client.get("/login").text)
        signed_in = client.post("/login", data=login | {"csrf_token": csrf}, follow_redirects=False)
        assert signed_in.status_code == 303
        for _ in range(2):  # the QR-code link, opened twice
            client.get(f"/verify?credential={json.loads(document)['id']}")
        client.post("/verify", data={"text": document})
        assert [e["destination"] for e in events(platform)] == ["DE", "FR"]


def recognition_report(app: SkillPass, officer: User, learner: User, *documents: str) -> str:
    request = RecognitionRequest(
        target=TARGET, learner_id=learner.public_id, documents=[*documents]
    )
    return app.recognition.report(officer, request).id


def test_recognition_decision_records_the_recognising_country_once(platform: SkillPass) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, BATTERY_SKILLS)
    body = organisation(platform, "AT")
    officer = member(platform, body, "Anna Officer", Role.VERIFIER, Role.ISSUER)

    report_id = recognition_report(platform, officer, learner, document)
    assert events(platform) == []  # making a report is not a recognition
    platform.recognition.decide(officer, report_id, DecisionKind.NONE)
    assert events(platform) == []  # nothing recognised
    platform.recognition.decide(officer, report_id, DecisionKind.PARTIAL, "Do a safety course.")
    platform.recognition.decide(
        officer, report_id, DecisionKind.FULL, issue_as_organisation=body.id
    )
    again = recognition_report(platform, officer, learner, document)
    platform.recognition.decide(officer, again, DecisionKind.FULL)

    [event] = events(platform)
    assert event["kind"] == "recognition"
    assert (event["origin"], event["destination"]) == ("LT", "AT")
    assert (event["area_id"], event["eqf"]) == ("batteries", 6)

    # the learner is one person across verification and recognition events
    platform.trust.verify(document, verifier=member(platform, organisation(platform, "DE"), "D"))
    assert len({e["person_key"] for e in events(platform)}) == 1


def test_recognition_in_the_issuing_country_is_not_mobility(platform: SkillPass) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, BATTERY_SKILLS)
    officer = member(platform, organisation(platform, "LT"), "Lina Officer")
    report_id = recognition_report(platform, officer, learner, document)
    platform.recognition.decide(officer, report_id, DecisionKind.FULL)
    assert events(platform) == []


def test_a_release_counts_platform_events(platform: SkillPass) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, BATTERY_SKILLS)
    german = member(platform, organisation(platform, "DE"), "Dieter Verifier")
    officer = member(platform, organisation(platform, "AT"), "Anna Officer")
    platform.trust.verify(document, verifier=german)
    platform.recognition.decide(
        officer, recognition_report(platform, officer, learner, document), DecisionKind.FULL
    )

    now = datetime.now(UTC)
    period = f"{now.year}Q{(now.month - 1) // 3 + 1}"
    # a huge ρ makes the noise negligible (σ ≈ 0.04), so the released cells show the true counts
    platform.mobility.set_budget(str(now.year), 1e5, 1e5)
    result = platform.mobility.release(period, rho=1e4, levels=True)
    tables = {t.query: t for t in result.tables}
    released = tables[QueryName.VERIFICATIONS].values
    assert released[("LT", "DE", "batteries")] == 1
    assert released[("LT", "AT", "batteries")] == 1
    assert sum(released.values()) == 2
    assert not tables[QueryName.VERIFICATIONS].synthetic
    # one person, one cell: the two EQF 6 events count once in the levels table
    levels = tables[QueryName.LEVELS].values
    assert levels[("batteries", "6")] == 1
    assert sum(levels.values()) == 1


@pytest.mark.postgres
def test_concurrent_verifications_record_one_event_on_postgres(
    tmp_path: Path, postgres_schema_url: str
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    app = build(make_settings(tmp_path, database_url=postgres_schema_url))
    try:

        def verify_once(_: int) -> bool:
            return app.mobility.events.record_verification(
                subject="learner:abc",
                issuer_country="LT",
                verifier_country="DE",
                area_id="batteries",
                eqf=6,
                once="urn:uuid:1|org-de",
            )

        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(verify_once, range(16)))
        assert outcomes.count(True) == 1
        assert len(events(app)) == 1
        assert app.mobility.events.record_verification(
            subject="learner:abc",
            issuer_country="LT",
            verifier_country="DE",
            area_id="batteries",
            once="urn:uuid:1|org-de-2",  # another organisation: a new event
        )
        assert len(events(app)) == 2
    finally:
        app.close()
