"""Recognition reports and decisions on the hand-made taxonomy (tests/recognition/conftest.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.errors import InvalidInput, NotFound, PermissionDenied
from skillpass.passport.models import ExperienceCategory, ItemKind, ItemSource, Strength
from skillpass.passport.service import ExperienceCreate
from skillpass.pathways.models import TargetKind, TargetRef
from skillpass.recognition.models import DecisionKind, MatchHow, RecognitionRequest
from skillpass.recognition.service import RecognitionService
from tests.passport._core import tamper
from tests.recognition.conftest import ROOT, SKILL, SKILLS, TARGET, issued_document, ref, user

WELDER_SKILLS = ["tig", "assemble-batteries", "solder", "troubleshoot"]


class NoMatching:
    """A matching engine that finds nothing (semantic credit is tested in test_relatedness)."""

    def match_skills_batch(self, items, lang=None, top=10, **_):  # type: ignore[no-untyped-def]
        for item in items:
            yield item.id, []


@pytest.fixture
def recognition(app: SkillPass) -> RecognitionService:
    """The service without semantic matching (no index to build: fast)."""
    return RecognitionService(
        app.engine,
        app.settings,
        app.targets,
        app.passport,
        app.trust,
        app.taxonomy,
        app.qualifications,
        NoMatching(),  # type: ignore[arg-type]
        app.issuers,
    )


def welder(app: SkillPass) -> User:
    """A learner with a claimed micro-credential (verified) and self-declared experience."""
    learner = user(app, "Jonas Welder")
    document = issued_document(app, learner, WELDER_SKILLS)
    app.passport.import_credential(learner, document)
    app.passport.declare(
        learner,
        ExperienceCreate(
            category=ExperienceCategory.WORK,
            title="Welding in a shipyard",
            period_start=date(2019, 1, 1),
            skills=[ref("join-metals")],
        ),
    )
    return learner


def coverage(report, key: str):  # type: ignore[no-untyped-def]
    return next(c for c in [*report.essential, *report.optional] if c.skill.uri == SKILL + key)


def test_learner_report_on_own_passport_credits_and_explains(
    app: SkillPass, recognition: RecognitionService
) -> None:
    learner = welder(app)
    report = recognition.report(
        learner, RecognitionRequest(target=TARGET, learner_id=learner.public_id)
    )
    assert report.target_label == "battery production technician"
    assert report.learner_id == learner.public_id
    assert report.created_by == learner.public_id
    # join metals: exact from the self-declared experience beats narrower (tig) and sibling
    # (solder, in the same skill group) from the credential
    join = coverage(report, "join-metals")
    assert join.credit == 1.0
    assert [e.how for e in join.evidence] == [MatchHow.EXACT, MatchHow.NARROWER, MatchHow.SIBLING]
    assert join.evidence[0].strength is Strength.SELF_DECLARED
    assert join.evidence[0].verified is None
    assert join.evidence[1].verified is True
    assert join.evidence[1].strength is Strength.VERIFIED_CREDENTIAL
    components = coverage(report, "battery-components")
    assert components.credit == 0.6
    assert components.evidence[0].explanation == (
        "credited as related: ESCO lists 'battery components' as essential for 'assemble batteries'"
    )
    assert coverage(report, "braze").evidence[0].how is MatchHow.SIBLING
    assert coverage(report, "troubleshoot").evidence[0].how is MatchHow.EXACT
    assert coverage(report, "chemistry").credit == 0.0
    assert coverage(report, "chemistry").evidence == []
    assert {s.uri for s in report.missing_essential} == {
        SKILL + "chemistry",
        SKILL + "safety",
        SKILL + "braze",  # a sibling is a hint, not a credit
    }
    assert report.essential_coverage == pytest.approx((1.0 + 0.6 + 0.4 + 1.0) / 6, abs=1e-4)
    arc = report.optional[0]  # broader from 'join metals' beats sibling of 'tig'
    assert (arc.credit, arc.evidence[0].how) == (0.7, MatchHow.BROADER)
    assert report.suggested_decision is DecisionKind.PARTIAL  # 3 of 6 credited
    assert [e.verified for e in report.evidence] == [None, True] or [
        e.verified for e in report.evidence
    ] == [True, None]
    assert "3 of 6 essential skills are credited" in report.summary
    assert "Suggested decision: partial recognition" in report.summary
    assert "'battery chemistry'" in report.summary
    assert recognition.get_report(learner, report.id) == report


def test_only_chosen_items_are_used(app: SkillPass, recognition: RecognitionService) -> None:
    learner = welder(app)
    experience = next(i for i in app.passport.items(learner) if i.kind is ItemKind.EXPERIENCE)
    report = recognition.report(
        learner, RecognitionRequest(target=TARGET, item_ids=[experience.id])
    )
    assert report.learner_id == learner.public_id
    assert [e.item_id for e in report.evidence] == [experience.id]
    assert coverage(report, "troubleshoot").credit == 0.0
    with pytest.raises(NotFound, match="in your passport"):
        recognition.report(learner, RecognitionRequest(target=TARGET, item_ids=["nope"]))


def test_level_and_credits_compared_through_nqf(
    app: SkillPass, recognition: RecognitionService
) -> None:
    officer = user(app, "Rita Officer", Role.VERIFIER)
    learner = user(app, "Jonas Welder")
    document = issued_document(app, learner, WELDER_SKILLS)  # EQF 6, DQR 6 (DE), 5 ECTS
    data = yaml.safe_load((ROOT / "examples" / "micro-credential.yaml").read_text())
    data["learning_outcomes"][0]["esco_skills"] = [{"uri": SKILL + "tig", "label": "x"}]
    data["learning_outcomes"] = data["learning_outcomes"][:1]
    data["level"] = {"eqf": 7}
    data["workload"] = {"ects": 10, "hours": 250}
    issuer = app.issuers.create(name="Target University", country="FI", kind="university")
    definition = app.achievements.create(issuer.id, data)
    target = TargetRef(kind=TargetKind.ACHIEVEMENT, id=definition.id)

    report = recognition.report(officer, RecognitionRequest(target=target, documents=[document]))
    assert report.level.evidence_eqf == 6
    assert report.level.target_eqf == 7
    assert report.level.meets is False
    assert any("DE DQR level 6 is referenced to EQF 6" in n for n in report.level.notes)
    assert report.credits.evidence_ects == 5
    assert report.credits.target_ects == 10
    assert report.credits.meets is False
    assert coverage(report, "tig").credit == 1.0
    # every essential skill credited, but the level is below target: partial, not full
    assert report.suggested_decision is DecisionKind.PARTIAL
    assert "below the target's level 7" in report.summary

    data["level"] = {"eqf": 5}
    data["workload"] = {"ects": 4, "hours": 100}
    lower = app.achievements.create(issuer.id, data)
    target = TargetRef(kind=TargetKind.ACHIEVEMENT, id=lower.id)
    report = recognition.report(officer, RecognitionRequest(target=target, documents=[document]))
    assert report.level.meets is True
    assert report.credits.meets is True
    assert report.suggested_decision is DecisionKind.FULL


def test_tampered_upload_is_shown_unverified_and_not_counted(
    app: SkillPass, recognition: RecognitionService
) -> None:
    officer = user(app, "Rita Officer", Role.VERIFIER)
    learner = user(app, "Jonas Welder")
    forged = tamper(issued_document(app, learner, WELDER_SKILLS))
    report = recognition.report(officer, RecognitionRequest(target=TARGET, documents=[forged]))
    [status] = report.evidence
    assert status.verified is False
    assert status.item_id is None
    assert "proof" in status.detail
    troubleshoot = coverage(report, "troubleshoot")
    assert troubleshoot.credit == 0.0
    assert troubleshoot.evidence[0].verified is False
    assert troubleshoot.evidence[0].explanation.endswith(
        "not counted: this evidence failed verification"
    )
    assert report.suggested_decision is DecisionKind.NONE
    assert "1 failed verification and is not counted" in report.summary
    assert report.level.evidence_eqf is None
    assert any("not verified; its level is not used" in n for n in report.level.notes)


def test_bad_input_is_explained(app: SkillPass, recognition: RecognitionService) -> None:
    officer = user(app, "Rita Officer", Role.VERIFIER)
    learner = user(app, "Jonas Welder")
    with pytest.raises(InvalidInput, match="no evidence"):
        recognition.report(learner, RecognitionRequest(target=TARGET, learner_id=learner.public_id))
    with pytest.raises(InvalidInput, match="document 1 cannot be read as a credential"):
        recognition.report(officer, RecognitionRequest(target=TARGET, documents=["{}"]))
    unknown = TargetRef(kind=TargetKind.OCCUPATION, id="http://data.europa.eu/esco/occupation/x")
    with pytest.raises(NotFound):
        recognition.report(
            officer,
            RecognitionRequest(target=unknown, documents=[issued_document(app, learner, ["tig"])]),
        )


def test_nobody_reads_another_passport(app: SkillPass, recognition: RecognitionService) -> None:
    learner = welder(app)
    other = user(app, "Other Learner")
    officer = user(app, "Rita Officer", Role.VERIFIER)
    admin = user(app, "Ada Admin", Role.ADMIN)
    for actor in (other, officer, admin):
        with pytest.raises(PermissionDenied):
            recognition.report(
                actor, RecognitionRequest(target=TARGET, learner_id=learner.public_id)
            )
    item = app.passport.items(learner)[0]
    with pytest.raises(PermissionDenied, match="never reads another person's passport"):
        recognition.report(
            officer,
            RecognitionRequest(
                target=TARGET, learner_id=learner.public_id, item_ids=[item.id], documents=["x"]
            ),
        )
    document = issued_document(app, learner, ["tig"])
    with pytest.raises(PermissionDenied, match="Only the learner"):
        recognition.report(
            other,
            RecognitionRequest(target=TARGET, learner_id=learner.public_id, documents=[document]),
        )
    # an officer names the learner the uploaded documents belong to: nothing else is read
    report = recognition.report(
        officer,
        RecognitionRequest(target=TARGET, learner_id=learner.public_id, documents=[document]),
    )
    assert [e.item_id for e in report.evidence] == [None]
    assert recognition.get_report(learner, report.id).id == report.id  # the learner sees it
    assert recognition.get_report(admin, report.id).id == report.id
    with pytest.raises(NotFound):
        recognition.get_report(other, report.id)
    with pytest.raises(NotFound):
        recognition.decisions(other, report.id)


def officer_report(app: SkillPass, recognition: RecognitionService) -> tuple[User, User, str]:
    learner = user(app, "Jonas Welder")
    officer = user(app, "Rita Officer", Role.VERIFIER, Role.ISSUER)
    document = issued_document(app, learner, WELDER_SKILLS)
    report = recognition.report(
        officer,
        RecognitionRequest(target=TARGET, learner_id=learner.public_id, documents=[document]),
    )
    return learner, officer, report.id


def test_decisions_are_checked_and_kept_as_an_audit_trail(
    app: SkillPass, recognition: RecognitionService
) -> None:
    learner, officer, report_id = officer_report(app, recognition)
    with pytest.raises(PermissionDenied, match="recognition officer"):
        recognition.decide(learner, report_id, DecisionKind.FULL)
    with pytest.raises(InvalidInput, match="Partial recognition needs conditions"):
        recognition.decide(officer, report_id, DecisionKind.PARTIAL, "   ")
    other_officer = user(app, "Other Officer", Role.VERIFIER)
    with pytest.raises(NotFound):  # not their report
        recognition.decide(other_officer, report_id, DecisionKind.FULL)

    first = recognition.decide(
        officer, report_id, DecisionKind.PARTIAL, "Complete a battery chemistry module."
    )
    second = recognition.decide(officer, report_id, DecisionKind.NONE)
    trail = recognition.decisions(learner, report_id)
    assert [d.id for d in trail] == [first.id, second.id]
    assert trail[0].decision is DecisionKind.PARTIAL
    assert trail[0].conditions == "Complete a battery chemistry module."
    assert trail[0].officer_id == officer.public_id
    assert trail[0].officer_name == "Rita Officer"
    assert trail[0].decided_at <= trail[1].decided_at
    assert trail[0].document is None
    assert trail[0].credential_id is None
    assert recognition.decisions(officer, report_id) == trail


def test_officer_cannot_decide_on_own_learning(
    app: SkillPass, recognition: RecognitionService
) -> None:
    officer = user(app, "Rita Officer", Role.VERIFIER, Role.LEARNER)
    document = issued_document(app, officer, WELDER_SKILLS)
    report = recognition.report(
        officer,
        RecognitionRequest(target=TARGET, learner_id=officer.public_id, documents=[document]),
    )
    with pytest.raises(PermissionDenied, match="your own learning"):
        recognition.decide(officer, report.id, DecisionKind.FULL)


def test_decision_attestation_is_signed_verifies_and_reaches_the_passport(
    app: SkillPass, recognition: RecognitionService
) -> None:
    learner, officer, report_id = officer_report(app, recognition)
    body = app.issuers.create(name="Akademie Batterie Nord", country="DE", kind="public_body")
    with pytest.raises(PermissionDenied):
        recognition.decide(officer, report_id, DecisionKind.FULL, issue_as_organisation=body.id)
    assert recognition.decisions(officer, report_id) == []  # nothing half-recorded
    app.issuers.add_member(body.id, officer.public_id)
    decision = recognition.decide(
        officer,
        report_id,
        DecisionKind.PARTIAL,
        "Complete a battery chemistry module.",
        issue_as_organisation=body.id,
    )
    assert decision.document is not None
    assert decision.credential_id is not None
    verified = app.trust.verify(decision.document)
    assert verified.verified, verified.errors
    credential = json.loads(decision.document)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ext:RecognitionDecision"
    assert achievement["name"] == "Partial recognition: battery production technician"
    assert "Complete a battery chemistry module." in achievement["description"]
    aligned = {a["targetUrl"]: a["targetType"] for a in achievement["alignment"]}
    assert aligned[TARGET.id] == "ext:ESCOOccupation"
    assert aligned[SKILL + "troubleshoot"] == "ext:ESCOSkill"
    assert SKILL + "chemistry" not in aligned
    items = app.passport.items(learner)
    [attested] = [i for i in items if i.source is ItemSource.ATTESTED]
    assert attested.credential_id == decision.credential_id
    assert attested.verified is True
    assert attested.kind is ItemKind.ATTESTATION
    assert attested.title == "Partial recognition: battery production technician"
    assert recognition.decisions(learner, report_id)[0].credential_id == decision.credential_id


def test_no_attestation_without_a_learner(app: SkillPass, recognition: RecognitionService) -> None:
    officer = user(app, "Rita Officer", Role.VERIFIER, Role.ISSUER)
    learner = user(app, "Jonas Welder")
    document = issued_document(app, learner, WELDER_SKILLS)
    report = recognition.report(officer, RecognitionRequest(target=TARGET, documents=[document]))
    assert report.learner_id is None
    body = app.issuers.create(name="Akademie Batterie Nord", country="DE", kind="public_body")
    app.issuers.add_member(body.id, officer.public_id)
    with pytest.raises(InvalidInput, match="names no learner"):
        recognition.decide(officer, report.id, DecisionKind.FULL, issue_as_organisation=body.id)
    assert SKILLS  # the taxonomy is the hand-made one
