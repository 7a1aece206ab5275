"""Recognition of prior learning, end to end at service level: request with evidence, the
assessor's queue, take/assign, ask for more and answer, decide; approval issues a credential with
assessment type recognition_of_prior_learning that verifies and lands in the passport; the audit
trail names who did what and when; every refusal of the permission rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.credentials.models import Achievement
from skillpass.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from skillpass.passport.models import (
    AssessmentMethod,
    ItemSource,
    RplCase,
    RplStatus,
    Strength,
)
from skillpass.storage.tables import evidence_files, issued_credentials

from ._workflows import EXAMPLE, organisation, person, workflow_app

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
STATEMENT = (
    "Six years as a maintenance technician: I built vibration-based failure predictions for "
    "our pumps in Python and set the alarm thresholds."
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SkillPass]:
    yield from workflow_app(tmp_path_factory)


@dataclass(frozen=True)
class World:
    learner: User
    assessor: User
    org: str
    achievement_id: str
    definition: Achievement


def make_world(app: SkillPass) -> World:
    """A university with an assessor member and the example definition; a learner."""
    assessor = person(app, "Ines Assessor", Role.ASSESSOR)
    org = organisation(app, "Rhine-Ruhr Institute", "university", assessor)
    record = app.achievements.create_from_file(org, EXAMPLE)
    return World(
        learner=person(app, "Ana Lopez"),
        assessor=assessor,
        org=org,
        achievement_id=record.id,
        definition=app.achievements.achievement(record.id),
    )


@pytest.fixture
def world(app: SkillPass) -> World:
    return make_world(app)


def _request(app: SkillPass, world: World, skills: list[str] | None = None) -> RplCase:
    return app.rpl.request(world.learner, world.achievement_id, skills or [], STATEMENT)


def _evidence_rows(app: SkillPass) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(evidence_files)).scalar_one())


def test_rpl_approval_issues_a_verifiable_credential_into_the_passport(
    app: SkillPass, world: World
) -> None:
    learner, assessor = world.learner, world.assessor
    skills = [s.uri for s in world.definition.esco_skills[:2]]

    case = _request(app, world, skills)
    assert case.status is RplStatus.SUBMITTED
    assert [s.uri for s in case.skills] == skills
    assert case.issuer_id == world.org
    evidence = app.rpl.add_evidence(learner, case.id, "../../pump report.pdf", PDF)
    assert evidence.media_type == "application/pdf"
    assert evidence.filename == "pump report.pdf"
    assert case.id in [c.id for c in app.rpl.queue(assessor)]

    taken = app.rpl.take(assessor, case.id)
    assert taken.status is RplStatus.IN_REVIEW
    assert taken.assessor_id == assessor.public_id
    asked = app.rpl.request_more(assessor, case.id, "Please add the alarm threshold analysis.")
    assert asked.status is RplStatus.MORE_INFO_REQUESTED
    app.rpl.add_evidence(learner, case.id, "thresholds.txt", b"alarm at 7.1 mm/s RMS\n")
    answered = app.rpl.respond(learner, case.id, "Added the analysis as thresholds.txt.")
    assert answered.status is RplStatus.IN_REVIEW
    file, content = app.rpl.evidence_content(assessor, case.id, evidence.id)
    assert (file.sha256, content) == (evidence.sha256, PDF)

    approved = app.rpl.decide(
        assessor, case.id, True, AssessmentMethod.INTERVIEW, "Convincing interview and report."
    )

    assert approved.status is RplStatus.APPROVED
    assert approved.method is AssessmentMethod.INTERVIEW
    assert approved.decision_note == "Convincing interview and report."
    assert approved.credential_id is not None
    assert case.id not in [c.id for c in app.rpl.queue(assessor)]
    issued = app.credentials.get(approved.credential_id)
    assert issued.achievement_id == world.achievement_id
    assert issued.issuer_id == world.org
    assert issued.learner_name == "Ana Lopez"
    report = app.trust.verify(issued.document)
    assert report.verified, report.errors
    credential = json.loads(issued.document)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["assessmentType"] == "recognition_of_prior_learning"
    assert "interview" in achievement["assessmentDescription"]
    assert "Assessment: recognition of prior learning." in achievement["criteria"]["narrative"]
    assert world.definition.esco_skills[0].label in achievement["assessmentDescription"]
    # issued to the learner's e-mail (as a salted hash, like every credential issued here)
    hashed = next(i for i in credential["credentialSubject"]["identifier"] if i["hashed"])
    assert issued.learner_email_hash == hashed["identityHash"]
    assert learner.email not in issued.document
    # in the passport, as an RPL credential
    items = [i for i in app.passport.items(learner) if i.credential_id == issued.id]
    assert len(items) == 1
    assert items[0].source is ItemSource.RPL
    assert items[0].verified is True
    assert items[0].strength is Strength.ASSESSED_RPL

    # the audit trail: every step, who (and in which role), when, in order
    trail = [(e.action, e.actor_id, e.actor_role) for e in approved.events]
    assert trail == [
        ("submitted", learner.public_id, "learner"),
        ("evidence_added", learner.public_id, "learner"),
        ("taken", assessor.public_id, "assessor"),
        ("more_info_requested", assessor.public_id, "assessor"),
        ("evidence_added", learner.public_id, "learner"),
        ("responded", learner.public_id, "learner"),
        ("approved", assessor.public_id, "assessor"),
        ("credential_issued", None, "system"),
        ("added_to_passport", None, "system"),
    ]
    times = [e.at for e in approved.events]
    assert times == sorted(times)
    assert all(t.tzinfo is not None for t in times)
    assert approved.events[1].note == "pump report.pdf"
    assert approved.events[3].note == "Please add the alarm threshold analysis."
    assert approved.events[6].note == "Convincing interview and report."
    assert approved.events[7].note is not None
    assert issued.id in approved.events[7].note
    assert [e.filename for e in approved.evidence] == ["pump report.pdf", "thresholds.txt"]
    # the learner sees the same case and trail
    mine = app.rpl.for_learner(learner)
    assert [c.id for c in mine] == [case.id]
    assert mine[0].events == approved.events


def test_rejection_issues_nothing_and_is_final(app: SkillPass, world: World) -> None:
    case = _request(app, world)
    app.rpl.take(world.assessor, case.id)
    with app.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(issued_credentials)).scalar_one()

    with pytest.raises(InvalidInput, match="note"):
        app.rpl.decide(world.assessor, case.id, False, AssessmentMethod.TEST, "  ")
    rejected = app.rpl.decide(
        world.assessor, case.id, False, AssessmentMethod.TEST, "The test showed gaps in Python."
    )

    assert rejected.status is RplStatus.REJECTED
    assert rejected.credential_id is None
    assert rejected.events[-1].action == "rejected"
    with app.engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(issued_credentials)).scalar_one()
    assert after == before
    # decided: nothing can be decided or changed again
    with pytest.raises(Conflict):
        app.rpl.decide(world.assessor, case.id, True, AssessmentMethod.TEST, "Second thoughts.")
    with pytest.raises(Conflict):
        app.rpl.request_more(world.assessor, case.id, "More?")
    with pytest.raises(Conflict):
        app.rpl.add_evidence(world.learner, case.id, "late.pdf", PDF)
    with pytest.raises(Conflict):
        app.rpl.withdraw(world.learner, case.id)
    assert app.rpl.get(world.learner, case.id).events == rejected.events


def test_an_approved_case_cannot_be_decided_again(app: SkillPass, world: World) -> None:
    case = _request(app, world)
    app.rpl.take(world.assessor, case.id)
    approved = app.rpl.decide(
        world.assessor, case.id, True, AssessmentMethod.PORTFOLIO, "Portfolio covers it all."
    )

    with pytest.raises(Conflict):
        app.rpl.decide(world.assessor, case.id, False, AssessmentMethod.TEST, "Changed my mind.")
    with pytest.raises(Conflict):
        app.rpl.decide(world.assessor, case.id, True, AssessmentMethod.TEST, "Again.")

    assert app.rpl.get(world.assessor, case.id).credential_id == approved.credential_id
    assert approved.credential_id is not None
    assert not app.credentials.get(approved.credential_id).revoked


def test_request_refuses_bad_input(app: SkillPass, world: World) -> None:
    with pytest.raises(NotFound):
        app.rpl.request(world.learner, "NOSUCHDEFINITION", [], STATEMENT)
    with pytest.raises(InvalidInput, match="statement"):
        app.rpl.request(world.learner, world.achievement_id, [], "   ")
    with pytest.raises(InvalidInput, match="not learning outcomes") as error:
        app.rpl.request(
            world.learner,
            world.achievement_id,
            ["http://data.europa.eu/esco/skill/not-in-this-definition"],
            STATEMENT,
        )
    assert error.value.details["not_in_definition"] == [
        "http://data.europa.eu/esco/skill/not-in-this-definition"
    ]
    with pytest.raises(PermissionDenied, match="learner role"):
        app.rpl.request(world.assessor, world.achievement_id, [], STATEMENT)
    assert app.rpl.for_learner(world.learner) == []

    case = _request(app, world)
    assert [s.uri for s in case.skills] == [s.uri for s in world.definition.esco_skills]
    with pytest.raises(Conflict, match="already have an open"):
        _request(app, world)
    withdrawn = app.rpl.withdraw(world.learner, case.id)
    assert withdrawn.status is RplStatus.WITHDRAWN
    assert withdrawn.events[-1].action == "withdrawn"
    assert _request(app, world).id != case.id  # a withdrawn case does not block a new one


def test_evidence_is_bounded_and_type_checked(app: SkillPass, world: World) -> None:
    case = _request(app, world)
    before = _evidence_rows(app)
    limit = app.settings.max_upload_bytes

    with pytest.raises(InvalidInput, match="limit"):
        app.rpl.add_evidence(world.learner, case.id, "huge.pdf", b"%PDF-" + b"0" * limit)
    with pytest.raises(InvalidInput, match="not an accepted evidence type"):
        app.rpl.add_evidence(world.learner, case.id, "tool.exe", b"MZ\x90\x00\x03\x00\x00\x00")
    with pytest.raises(InvalidInput, match="empty"):
        app.rpl.add_evidence(world.learner, case.id, "empty.pdf", b"")
    stranger = person(app, "Sven Dahl")
    with pytest.raises(NotFound):
        app.rpl.add_evidence(stranger, case.id, "mine.pdf", PDF)
    with pytest.raises(NotFound):
        app.rpl.add_evidence(world.assessor, case.id, "mine.pdf", PDF)

    assert _evidence_rows(app) == before
    assert app.rpl.get(world.learner, case.id).evidence == []
    assert [e.action for e in app.rpl.get(world.learner, case.id).events] == ["submitted"]


def test_assessors_see_only_their_cases_and_unassigned_ones_of_their_organisations(
    app: SkillPass, world: World
) -> None:
    case = _request(app, world)
    colleague = person(app, "Jonas Assessor", Role.ASSESSOR)
    app.issuers.add_member(world.org, colleague.public_id)
    outsider = person(app, "Oskar Assessor", Role.ASSESSOR)
    organisation(app, "Other Academy", "university", outsider)

    # both assessors of the organisation see the unassigned case; the outsider does not
    assert case.id in [c.id for c in app.rpl.queue(world.assessor)]
    assert case.id in [c.id for c in app.rpl.queue(colleague)]
    assert case.id not in [c.id for c in app.rpl.queue(outsider)]
    with pytest.raises(NotFound):
        app.rpl.get(outsider, case.id)
    with pytest.raises(PermissionDenied):
        app.rpl.take(outsider, case.id)
    with pytest.raises(NotFound):
        app.rpl.decide(outsider, case.id, True, AssessmentMethod.TEST, "Looks fine.")
    # an unassigned case is not decided by whoever sees it: take it first
    with pytest.raises(PermissionDenied, match="take the case first"):
        app.rpl.decide(world.assessor, case.id, True, AssessmentMethod.TEST, "Looks fine.")

    app.rpl.take(world.assessor, case.id)

    # now it is the first assessor's: the colleague no longer sees it and cannot act on it
    assert case.id not in [c.id for c in app.rpl.queue(colleague)]
    with pytest.raises(NotFound):
        app.rpl.get(colleague, case.id)
    with pytest.raises(NotFound):
        app.rpl.decide(colleague, case.id, True, AssessmentMethod.TEST, "Looks fine.")
    with pytest.raises(Conflict, match="already has an assessor"):
        app.rpl.take(colleague, case.id)
    # a colleague who can see the case (e.g. via the organisation) still may not decide it
    colleague_manager = person(app, "Maja Manager", Role.ASSESSOR)
    app.issuers.add_member(world.org, colleague_manager.public_id, "manager")
    assert app.rpl.get(colleague_manager, case.id).id == case.id
    with pytest.raises(PermissionDenied):
        app.rpl.decide(colleague_manager, case.id, True, AssessmentMethod.TEST, "Looks fine.")
    with pytest.raises(PermissionDenied):
        app.rpl.request_more(colleague_manager, case.id, "More please.")
    # learners: their own cases only; no queue; never assess their own case
    stranger = person(app, "Sven Dahl")
    assert app.rpl.for_learner(stranger) == []
    with pytest.raises(NotFound):
        app.rpl.get(stranger, case.id)
    with pytest.raises(NotFound):
        app.rpl.withdraw(stranger, case.id)
    with pytest.raises(NotFound):
        app.rpl.respond(stranger, case.id, "Here you go.")
    with pytest.raises(PermissionDenied):
        app.rpl.queue(world.learner)
    with pytest.raises(PermissionDenied):
        app.rpl.decide(world.learner, case.id, True, AssessmentMethod.TEST, "I'm great.")
    with pytest.raises(PermissionDenied):
        app.rpl.take(world.learner, case.id)
    # the assessor's own view is unchanged by all of that
    assert app.rpl.get(world.assessor, case.id).status is RplStatus.IN_REVIEW
    admin = person(app, "Ada Admin", Role.ADMIN)
    assert case.id in [c.id for c in app.rpl.queue(admin)]


def test_a_manager_assigns_an_assessor_of_the_organisation(app: SkillPass, world: World) -> None:
    manager = person(app, "Maja Manager", Role.ISSUER)
    app.issuers.add_member(world.org, manager.public_id, "manager")
    not_an_assessor = person(app, "Ivar Issuer", Role.ISSUER)
    app.issuers.add_member(world.org, not_an_assessor.public_id)
    outside_assessor = person(app, "Oskar Assessor", Role.ASSESSOR)
    case = _request(app, world)

    with pytest.raises(PermissionDenied, match="manager"):
        app.rpl.assign(world.assessor, case.id, world.assessor.public_id)
    with pytest.raises(InvalidInput, match="assessor role"):
        app.rpl.assign(manager, case.id, not_an_assessor.public_id)
    with pytest.raises(InvalidInput, match="not a member"):
        app.rpl.assign(manager, case.id, outside_assessor.public_id)
    with pytest.raises(InvalidInput, match="No active user"):
        app.rpl.assign(manager, case.id, "NOSUCHUSER")
    with pytest.raises(NotFound):
        app.rpl.assign(person(app, "Sven Dahl"), case.id, world.assessor.public_id)

    assigned = app.rpl.assign(manager, case.id, world.assessor.public_id)

    assert assigned.assessor_id == world.assessor.public_id
    assert assigned.status is RplStatus.IN_REVIEW
    event = assigned.events[-1]
    assert (event.action, event.actor_id, event.actor_role) == (
        "assigned",
        manager.public_id,
        "manager",
    )
    assert event.note is not None
    assert world.assessor.public_id in event.note
    assert case.id in [c.id for c in app.rpl.queue(world.assessor)]
    decided = app.rpl.decide(
        world.assessor, case.id, True, AssessmentMethod.SIMULATION, "Simulation passed."
    )
    assert decided.status is RplStatus.APPROVED
    with pytest.raises(Conflict):
        app.rpl.assign(manager, case.id, world.assessor.public_id)


def test_the_learner_answers_only_when_asked(app: SkillPass, world: World) -> None:
    case = _request(app, world)
    with pytest.raises(Conflict, match="not asked"):
        app.rpl.respond(world.learner, case.id, "Unasked answer.")
    app.rpl.take(world.assessor, case.id)
    app.rpl.request_more(world.assessor, case.id, "Which pumps?")
    with pytest.raises(Conflict, match="asked for more already"):
        app.rpl.request_more(world.assessor, case.id, "And which sensors?")
    with pytest.raises(InvalidInput):
        app.rpl.respond(world.learner, case.id, " ")

    answered = app.rpl.respond(world.learner, case.id, "Centrifugal pumps in plant 2.")

    assert answered.status is RplStatus.IN_REVIEW
    assert answered.events[-1].note == "Centrifugal pumps in plant 2."


@pytest.mark.postgres
def test_the_rpl_workflow_on_postgresql(
    tmp_path_factory: pytest.TempPathFactory, postgres_schema_url: str
) -> None:
    for pg_app in workflow_app(tmp_path_factory, postgres_schema_url):
        test_rpl_approval_issues_a_verifiable_credential_into_the_passport(
            pg_app, make_world(pg_app)
        )
        test_assessors_see_only_their_cases_and_unassigned_ones_of_their_organisations(
            pg_app, make_world(pg_app)
        )
        test_rejection_issues_nothing_and_is_final(pg_app, make_world(pg_app))
