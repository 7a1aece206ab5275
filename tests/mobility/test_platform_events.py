"""Platform mobility events: verifications and recognition decisions made through the services
become pseudonymous events, once per credential and organisation, and a release counts them.
Issuing a credential makes its learner active in the issuer's country, once per credential,
which gives the population table (net migration per 10,000, retention) a platform denominator.

Uses the hand-made taxonomy of the recognition tests; the battery skills are made members of the
``batteries`` capability area, the welding skills of ``advanced_manufacturing``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select, update

import skillpass.credentials.issuance as issuance
from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role, User
from skillpass.credentials.records import BatchRow, Issuer
from skillpass.mobility.events import person_key
from skillpass.mobility.models import MoveCreate, QueryName
from skillpass.recognition.models import DecisionKind, RecognitionRequest
from skillpass.storage.tables import capability_members, mobility_events, organisations
from tests.conftest import make_settings
from tests.passport._core import tamper
from tests.recognition.conftest import (
    PASSWORD,
    ROOT,
    SKILL,
    SKILLS,
    TARGET,
    issued_document,
    seed_taxonomy,
    user,
)
from tests.web.conftest import csrf_from

BATTERY_SKILLS = ["assemble-batteries", "battery-components", "chemistry", "tig"]
#: Every kind of event the platform records.
KINDS = ("active", "verification", "recognition")


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


def events(app: SkillPass, *kinds: str) -> list[dict[str, object]]:
    """Stored events of some kinds (default: the cross-border ones, verification and
    recognition — issuing the test credentials records ``active`` events too), oldest first."""
    query = select(mobility_events).where(
        mobility_events.c.kind.in_(kinds or ("verification", "recognition"))
    )
    with app.engine.connect() as conn:
        rows = conn.execute(query.order_by(mobility_events.c.id)).mappings()
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


# --- issuance: the platform's active STEM population ------------------------------------------


def definition(app: SkillPass, country: str, skills: list[str], eqf: int | None = 6) -> str:
    """A stored definition (the example one with these skills) of a new issuer in ``country``."""
    data = yaml.safe_load((ROOT / "examples" / "micro-credential.yaml").read_text())
    data["learning_outcomes"] = [
        {
            "text": "Practise the skills of this module in the workshop.",
            "esco_skills": [{"uri": SKILL + k, "label": SKILLS[k][0]} for k in skills],
        }
    ]
    if eqf is None:
        data.pop("level", None)
    issuer = app.issuers.create(
        name=f"Issuer {country} {uuid.uuid4().hex[:6]}", country=country, kind="vet_provider"
    )
    return app.achievements.create(issuer.id, data).id


def test_issuing_a_credential_makes_its_learner_active_in_the_issuer_country(
    platform: SkillPass,
) -> None:
    learner = user(platform, "Ona Learner")
    document = issued_document(platform, learner, BATTERY_SKILLS, eqf=6)  # issued in LT
    credential = platform.credentials.get(json.loads(document)["id"])

    [event] = events(platform, "active")
    assert (event["origin"], event["destination"]) == ("LT", "LT")
    assert (event["area_id"], event["eqf"]) == ("batteries", 6)  # 3 of its 4 skills
    assert event["source"] == "platform"
    assert event["synthetic"] is False
    occurred = event["occurred_at"]
    assert isinstance(occurred, datetime)
    assert occurred.replace(tzinfo=None) == credential.issued_at.replace(tzinfo=None)
    text = json.dumps(event, default=str)
    for personal in (learner.email, learner.display_name, credential.id):
        assert personal not in text

    # the same pseudonym as the learner's verification events: one person for bounding
    platform.trust.verify(document, verifier=member(platform, organisation(platform, "DE"), "D"))
    [verification] = events(platform)
    assert verification["person_key"] == event["person_key"]


def test_each_credential_is_counted_once_across_repeats_and_batch_retries(
    platform: SkillPass,
) -> None:
    achievement = definition(platform, "PL", ["tig", "assemble-batteries"], eqf=None)
    first = platform.credentials.issue(achievement, "ola@example.org", external_id="enrol-1")
    repeat = platform.credentials.issue(achievement, "ola@example.org", external_id="enrol-1")
    assert (first.id, repeat.created) == (repeat.id, False)
    rows = [BatchRow(email=f"learner{n}@example.org", external_id=f"b{n}") for n in range(3)]
    for _ in range(2):  # a batch retried after a time-out returns the same three credentials
        platform.credentials.issue_batch(achievement, rows)
    active = events(platform, "active")
    assert len(active) == 4
    # a tie (one battery skill, one manufacturing skill) goes to the earlier framework area
    assert {(e["destination"], e["area_id"], e["eqf"]) for e in active} == {
        ("PL", "advanced_manufacturing", None)
    }
    # another credential for the same learner is another event of the same person
    platform.credentials.issue(achievement, "ola@example.org", external_id="enrol-2")
    assert len(events(platform, "active")) == 5
    assert len({e["person_key"] for e in events(platform, "active")}) == 4


def test_a_repeat_records_the_activity_an_earlier_attempt_missed(platform: SkillPass) -> None:
    achievement = definition(platform, "LT", BATTERY_SKILLS)
    platform.credentials.issue(achievement, "ona@example.org", external_id="e-1")
    with platform.engine.begin() as conn:  # as if recording had failed after the insert
        conn.execute(delete(mobility_events))
    platform.credentials.issue(achievement, "ona@example.org", external_id="e-1")
    platform.credentials.issue(achievement, "ona@example.org", external_id="e-1")
    assert len(events(platform, "active")) == 1


def test_no_activity_without_a_capability_area_or_a_placeable_country(
    platform: SkillPass,
) -> None:
    no_area = definition(platform, "LT", ["solder", "safety"])  # in no capability area
    platform.credentials.issue(no_area, "ona@example.org")
    nowhere = definition(platform, "ZZ", BATTERY_SKILLS)  # no country a release can place
    platform.credentials.issue(nowhere, "ona@example.org")
    assert events(platform, "active") == []
    platform.credentials.issue(definition(platform, "LT", BATTERY_SKILLS), "ona@example.org")
    assert len(events(platform, "active")) == 1


def issued_on(moment: datetime) -> type[datetime]:
    """A ``datetime`` whose ``now()`` is ``moment``: the issuance service's clock in a test."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Clock:  # type: ignore[override]
            return cls.fromtimestamp(moment.timestamp(), UTC)

    return Clock


def test_net_migration_per_10000_and_retention_have_a_platform_denominator(
    platform: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 learners credentialed in Lithuania in 2026Q2 (one of them twice), 4 of whom declare a
    move to Germany in 2026Q3, when 10 people are credentialed there; nothing synthetic."""
    achievement = definition(platform, "LT", BATTERY_SKILLS)
    movers = [user(platform, f"Mover {n}") for n in range(4)]
    emails = [m.email for m in movers] + [f"stayer{n}@example.org" for n in range(16)]
    newcomers = [f"newcomer{n}@example.org" for n in range(10)]
    with monkeypatch.context() as clock:
        clock.setattr(issuance, "datetime", issued_on(datetime(2026, 5, 4, 10, tzinfo=UTC)))
        for email in [*emails, emails[-1]]:  # the last learner gets two credentials
            platform.credentials.issue(achievement, email)
        clock.setattr(issuance, "datetime", issued_on(datetime(2026, 8, 1, 10, tzinfo=UTC)))
        for email in newcomers:
            platform.credentials.issue(achievement, email)
    for mover in movers:
        platform.mobility.set_consent(mover, granted=True)
        platform.mobility.declare_move(
            mover,
            MoveCreate(
                origin="LT", destination="DE", moved_on=date(2026, 8, 20), area_id="batteries"
            ),
        )

    # a huge ρ makes the noise negligible, so the estimates show the true ratios
    platform.mobility.set_budget("2026", 1e6, 1e6)
    for quarter in ("2026Q2", "2026Q3"):
        released = platform.mobility.release(quarter, rho=1e5)
        population = {t.query: t for t in released.tables}[QueryName.POPULATION]
        assert not population.synthetic
    lithuania = platform.mobility.country("LT", ["2026Q2", "2026Q3"])

    assert lithuania.flows.population is not None
    assert round(lithuania.flows.population.value) == 10  # the latest quarter's population
    per_10k = lithuania.flows.net_per_10k
    assert per_10k is not None
    assert per_10k.reliable
    assert per_10k.value == pytest.approx(-4 / 10 * 10_000, abs=50)
    retention = lithuania.retention
    assert retention is not None
    assert retention.reliable
    assert retention.value == pytest.approx(1 - 4 / 20, abs=0.01)  # 20 people, not 21 credentials


def test_events_of_demo_organisations_are_marked_synthetic(platform: SkillPass) -> None:
    achievement = definition(platform, "LT", BATTERY_SKILLS)
    demo_verifier = organisation(platform, "DE")
    with platform.engine.begin() as conn:  # as the demo seeds them: synthetic organisations
        conn.execute(
            update(organisations)
            .where(
                organisations.c.public_id.in_(
                    [platform.achievements.get(achievement).issuer_id, demo_verifier.id]
                )
            )
            .values(synthetic=True)
        )
    credential = platform.credentials.issue(achievement, "ona@example.org")
    platform.trust.verify(credential.document, verifier=member(platform, demo_verifier, "Demo"))
    real = platform.credentials.issue(definition(platform, "PL", ["tig"]), "ola@example.org")

    stored = {(e["kind"], e["destination"]): e["synthetic"] for e in events(platform, *KINDS)}
    assert stored == {
        ("active", "LT"): True,
        ("verification", "DE"): True,
        ("active", "PL"): False,
    }
    now = real.issued_at
    platform.mobility.set_budget(str(now.year), 1e5, 1e5)
    released = platform.mobility.release(f"{now.year}Q{(now.month - 1) // 3 + 1}", rho=1e4)
    assert all(table.synthetic for table in released.tables)  # demo data labels the release
