"""Employer attestations of workplace learning, end to end at service level: request with
suggested skills, the employer's inbox, attest (a signed OB3 credential that verifies and lands
in the passport) or decline, and every refusal of the permission rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.credentials.formats.attestation import WORKPLACE_LEARNING_TYPE
from skillpass.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from skillpass.passport.models import (
    AttestationRequest,
    AttestationStatus,
    ItemKind,
    ItemSource,
    Strength,
)
from tests.matching.conftest import SKILL

from ._workflows import OB3_SCHEMA, organisation, person, workflow_app

TASKS = (
    "Welded metal parts of battery housings. Drove vans and trucks between the plants. "
    "Spoke with customers about orders."
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SkillPass]:
    yield from workflow_app(tmp_path_factory)


def _request(
    app: SkillPass, learner: User, org: str, role: str = "Battery production technician"
) -> AttestationRequest:
    return app.attestations.request(
        learner, org, role, date(2021, 3, 1), date(2024, 2, 29), TASKS, "en"
    )


def _people(app: SkillPass) -> tuple[User, User, str]:
    learner = person(app, "Ana Lopez")
    employer = person(app, "Erik Berg", Role.ISSUER)
    org = organisation(app, "Voltcell Batteries", "employer", employer)
    return learner, employer, org


def test_employer_attests_workplace_learning_and_it_verifies(app: SkillPass) -> None:
    learner, employer, org = _people(app)

    requested = _request(app, learner, org)

    assert requested.status is AttestationStatus.REQUESTED
    assert requested.learner_name == "Ana Lopez"
    suggested = [s.uri for s in requested.suggested_skills]
    assert SKILL + "weld" in suggested
    assert SKILL + "drive" in suggested
    assert [r.id for r in app.attestations.inbox(employer)] == [requested.id]
    assert app.attestations.for_learner(learner)[0].id == requested.id

    confirmed = [SKILL + "weld", SKILL + "drive", SKILL + "sql"]  # SQL: added, not suggested
    attested = app.attestations.attest(employer, requested.id, confirmed, "Thanks, Ana!")

    assert attested.status is AttestationStatus.ATTESTED
    assert attested.decided_by == employer.public_id
    assert attested.decided_at is not None
    assert [s.label for s in attested.confirmed_skills] == [
        "weld metal parts",
        "drive vehicles",
        "SQL",
    ]
    assert attested.document is not None
    assert attested.credential_id is not None
    report = app.trust.verify(attested.document)
    assert report.verified, report.errors
    schema = report.check("schema")
    assert schema is not None
    assert schema.ok is (True if OB3_SCHEMA.is_file() else None)
    credential = json.loads(attested.document)
    assert credential["id"] == attested.credential_id
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    issuer = app.issuers.get(org)
    assert credential["issuer"]["id"] == issuer.did_key
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == WORKPLACE_LEARNING_TYPE
    assert achievement["name"] == "Workplace learning: Battery production technician"
    assert achievement["description"] == TASKS
    assert [a["targetUrl"] for a in achievement["alignment"]] == confirmed
    assert subject["role"] == "Battery production technician"
    assert subject["activityStartDate"] == "2021-03-01T00:00:00Z"
    assert subject["activityEndDate"] == "2024-02-29T00:00:00Z"
    assert "ana.lopez" not in attested.document  # the e-mail travels only as a salted hash

    # in the learner's passport, as an employer attestation
    assert attested.item_id is not None
    item = app.passport.get_item(learner, attested.item_id)
    assert item.kind is ItemKind.ATTESTATION
    assert item.source is ItemSource.ATTESTED
    assert item.verified is True
    assert item.credential_id == attested.credential_id
    assert item.strength is Strength.EMPLOYER_ATTESTED
    assert (item.period_start, item.period_end) == (date(2021, 3, 1), date(2024, 2, 29))
    assert [s.uri for s in item.skills] == confirmed
    # decided requests leave the inbox of waiting ones and stay in the full list
    assert app.attestations.inbox(employer) == []
    assert [r.id for r in app.attestations.inbox(employer, None)] == [requested.id]
    assert app.attestations.get(learner, requested.id).status is AttestationStatus.ATTESTED


def test_a_tampered_attestation_fails_its_proof(app: SkillPass) -> None:
    learner, employer, org = _people(app)
    attested = app.attestations.attest(employer, _request(app, learner, org).id, [SKILL + "weld"])
    assert attested.document is not None
    credential = json.loads(attested.document)
    credential["credentialSubject"]["role"] = "Chief executive officer"

    report = app.trust.verify(json.dumps(credential))

    assert not report.verified
    proof = report.check("proof")
    assert proof is not None
    assert proof.ok is False


@pytest.mark.parametrize(
    ("role", "start", "end", "tasks", "message"),
    [
        ("  ", date(2021, 1, 1), None, TASKS, "role"),
        ("Technician", date(2021, 1, 1), None, "   ", "tasks"),
        ("Technician", date(2022, 1, 1), date(2021, 1, 1), TASKS, "ends before it starts"),
        ("Technician", datetime.now(UTC).date() + timedelta(days=2), None, TASKS, "future"),
        (
            "Technician",
            date(2021, 1, 1),
            datetime.now(UTC).date() + timedelta(days=40),
            TASKS,
            "future",
        ),
    ],
)
def test_request_refuses_bad_input_and_stores_nothing(
    app: SkillPass, role: str, start: date, end: date | None, tasks: str, message: str
) -> None:
    learner, _, org = _people(app)

    with pytest.raises(InvalidInput, match=message):
        app.attestations.request(learner, org, role, start, end, tasks)

    assert app.attestations.for_learner(learner) == []


def test_request_needs_an_existing_organisation_and_the_learner_role(app: SkillPass) -> None:
    learner, employer, org = _people(app)

    with pytest.raises(NotFound):
        app.attestations.request(learner, "NOSUCHORG", "Technician", date(2021, 1, 1), None, TASKS)
    with pytest.raises(PermissionDenied, match="learner role"):
        app.attestations.request(employer, org, "Technician", date(2021, 1, 1), None, TASKS)
    assert app.attestations.for_learner(learner) == []


def test_an_organisation_sees_and_decides_only_requests_addressed_to_it(app: SkillPass) -> None:
    learner, employer, org = _people(app)
    other_employer = person(app, "Mia Holm", Role.ISSUER)
    organisation(app, "Nordic Cathodes", "employer", other_employer)
    member_without_issuer_role = person(app, "Olle Ek", Role.LEARNER)
    app.issuers.add_member(org, member_without_issuer_role.public_id)
    requested = _request(app, learner, org)

    # the other organisation's member: not in their inbox, not found, not allowed to decide
    assert app.attestations.inbox(other_employer) == []
    assert app.attestations.inbox(other_employer, None) == []
    with pytest.raises(NotFound):
        app.attestations.get(other_employer, requested.id)
    with pytest.raises(PermissionDenied):
        app.attestations.attest(other_employer, requested.id, [SKILL + "weld"])
    with pytest.raises(PermissionDenied):
        app.attestations.decline(other_employer, requested.id, "Not one of ours.")
    # a member without the issuer role may not act for the organisation either
    assert app.attestations.inbox(member_without_issuer_role) == []
    with pytest.raises(PermissionDenied):
        app.attestations.attest(member_without_issuer_role, requested.id, [SKILL + "weld"])
    # another learner: not found, not allowed
    stranger = person(app, "Sven Dahl")
    assert app.attestations.for_learner(stranger) == []
    with pytest.raises(NotFound):
        app.attestations.get(stranger, requested.id)
    with pytest.raises(PermissionDenied):
        app.attestations.decline(stranger, requested.id, "No.")
    # the learner may not attest their own request
    with pytest.raises(PermissionDenied):
        app.attestations.attest(learner, requested.id, [SKILL + "weld"])
    # nothing changed; the organisation's member and an admin see it
    assert app.attestations.get(employer, requested.id).status is AttestationStatus.REQUESTED
    admin = person(app, "Ada Admin", Role.ADMIN)
    assert requested.id in [r.id for r in app.attestations.inbox(admin)]
    assert app.attestations.get(admin, requested.id).id == requested.id
    with pytest.raises(NotFound):
        app.attestations.get(employer, "NOSUCHREQUEST")


def test_nobody_attests_their_own_work_even_as_a_member(app: SkillPass) -> None:
    worker = person(app, "Lena Nord", Role.LEARNER, Role.ISSUER)
    org = organisation(app, "Gigacell", "employer", worker)
    requested = _request(app, worker, org)

    with pytest.raises(PermissionDenied, match="your own"):
        app.attestations.attest(worker, requested.id, [SKILL + "weld"])


def test_decided_requests_cannot_be_decided_again(app: SkillPass) -> None:
    learner, employer, org = _people(app)
    declined_request = _request(app, learner, org)
    with pytest.raises(InvalidInput, match="reason"):
        app.attestations.decline(employer, declined_request.id, "  ")

    declined = app.attestations.decline(
        employer, declined_request.id, "We have no record of this role."
    )

    assert declined.status is AttestationStatus.DECLINED
    assert app.attestations.get(learner, declined.id).note == "We have no record of this role."
    assert declined.document is None
    with pytest.raises(Conflict):
        app.attestations.attest(employer, declined.id, [SKILL + "weld"])
    with pytest.raises(Conflict):
        app.attestations.decline(employer, declined.id, "Again.")

    attested = app.attestations.attest(employer, _request(app, learner, org).id, [SKILL + "weld"])
    with pytest.raises(Conflict):
        app.attestations.attest(employer, attested.id, [SKILL + "weld"])
    with pytest.raises(Conflict):
        app.attestations.decline(employer, attested.id, "Changed our mind.")
    assert app.attestations.get(learner, attested.id).document == attested.document


def test_attest_refuses_skills_that_are_not_esco_skills(app: SkillPass) -> None:
    learner, employer, org = _people(app)
    requested = _request(app, learner, org)

    with pytest.raises(InvalidInput, match="not-a-skill") as error:
        app.attestations.attest(
            employer, requested.id, [SKILL + "weld", "http://example.org/not-a-skill"]
        )

    assert error.value.details["unknown"] == ["http://example.org/not-a-skill"]
    found = app.attestations.get(learner, requested.id)
    assert found.status is AttestationStatus.REQUESTED
    assert found.item_id is None
    assert app.passport.items(learner) == []


def _ids(requests: list[AttestationRequest]) -> list[str]:
    return [r.id for r in requests]


def test_inbox_lists_every_organisation_the_member_acts_for_newest_first(app: SkillPass) -> None:
    learner = person(app, "Ana Lopez")
    employer = person(app, "Erik Berg", Role.ISSUER)
    first_org = organisation(app, "Voltcell Batteries", "employer", employer)
    second_org = organisation(app, "Voltcell Recycling", "employer", employer)

    first = _request(app, learner, first_org)
    second = _request(app, learner, second_org, "Recycling operator")

    assert _ids(app.attestations.inbox(employer)) == [second.id, first.id]
    assert _ids(app.attestations.for_learner(learner)) == [second.id, first.id]


@pytest.mark.postgres
def test_the_attestation_workflow_on_postgresql(
    tmp_path_factory: pytest.TempPathFactory, postgres_schema_url: str
) -> None:
    for pg_app in workflow_app(tmp_path_factory, postgres_schema_url):
        test_employer_attests_workplace_learning_and_it_verifies(pg_app)
        test_an_organisation_sees_and_decides_only_requests_addressed_to_it(pg_app)
        test_decided_requests_cannot_be_decided_again(pg_app)
