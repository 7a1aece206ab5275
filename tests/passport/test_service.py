"""PassportService: importing and claiming credentials (verified with the real engine), the
refuse-vs-keep rule, re-checks after revocation, and that another learner's ids are not found."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from skillpass.app import SkillPass
from skillpass.errors import Conflict, InvalidInput, NotFound
from skillpass.passport.models import ItemKind, ItemSource, SkillRef, Strength
from skillpass.passport.service import ExperienceCreate

from ._core import definition, issue_to, learner, ob3_vector, pin_vector_key, tamper


@pytest.mark.parametrize("fmt", ["ob3", "ob3-jwt"])
def test_import_platform_credential_is_verified_and_keeps_the_report(
    skillpass: SkillPass, fmt: str
) -> None:
    ana = learner(skillpass)
    issued = issue_to(skillpass, ana, fmt)
    item = skillpass.passport.import_credential(ana, issued.document.encode(), "ana.json")
    assert item.kind is ItemKind.CREDENTIAL
    assert item.source is ItemSource.IMPORTED
    assert item.verified is True
    assert item.strength is Strength.VERIFIED_CREDENTIAL
    assert item.format == fmt
    assert item.credential_id == issued.id
    assert item.document == issued.document  # exactly as issued
    assert item.verification is not None
    assert item.verification["verified"] is True
    assert item.issuer_country == "SE"
    assert item.eqf is not None
    assert item.ects is not None
    assert len(item.skills) >= 3
    assert all(s.uri.startswith("http://data.europa.eu/esco/skill/") for s in item.skills)
    assert skillpass.passport.items(ana) == [item]


@pytest.mark.parametrize("fmt", ["ob3", "ob3-jwt"])
def test_tampered_import_is_refused_and_nothing_is_stored(skillpass: SkillPass, fmt: str) -> None:
    ana = learner(skillpass)
    issued = issue_to(skillpass, ana, fmt)
    with pytest.raises(InvalidInput, match="proof does not verify") as refused:
        skillpass.passport.import_credential(ana, tamper(issued.document))
    assert refused.value.details["report"]["verified"] is False
    assert skillpass.passport.items(ana) == []


@pytest.mark.parametrize(
    "data", [b"", b"   ", b"hello, I am not a credential", b"\xff\xfe\x00", b"[1, 2]"]
)
def test_not_a_credential_is_refused(skillpass: SkillPass, data: bytes) -> None:
    ana = learner(skillpass)
    with pytest.raises(InvalidInput):
        skillpass.passport.import_credential(ana, data, "notes.txt")
    assert skillpass.passport.items(ana) == []


def test_importing_the_same_credential_twice_conflicts(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    issued = issue_to(skillpass, ana)
    skillpass.passport.import_credential(ana, issued.document)
    with pytest.raises(Conflict):
        skillpass.passport.import_credential(ana, issued.document)
    assert len(skillpass.passport.items(ana)) == 1


def test_foreign_vector_is_kept_unverified_until_its_key_is_pinned(skillpass: SkillPass) -> None:
    document = ob3_vector()
    if document is None:
        pytest.skip("../shared/data/credentials is not present")
    ana = learner(skillpass)
    item = skillpass.passport.import_credential(ana, document)
    assert item.verified is False
    assert item.strength is Strength.SELF_DECLARED
    assert item.verification is not None
    key = next(c for c in item.verification["checks"] if c["name"] == "key")
    assert key["ok"] is False
    assert "pin" in key["detail"]
    assert item.title == "Teamwork"
    assert item.issuer_name == "Example Corp"
    pin_vector_key(skillpass, document)
    rechecked = skillpass.passport.recheck(ana, item.id)
    assert rechecked.verified is True
    assert rechecked.strength is Strength.VERIFIED_CREDENTIAL
    assert rechecked.checked_at is not None
    assert item.checked_at is not None
    assert rechecked.checked_at >= item.checked_at


def test_foreign_vector_with_pinned_key_verifies_and_tampered_copy_is_refused(
    skillpass: SkillPass,
) -> None:
    document = ob3_vector()
    if document is None:
        pytest.skip("../shared/data/credentials is not present")
    pin_vector_key(skillpass, document)
    ana = learner(skillpass)
    with pytest.raises(InvalidInput, match="proof"):
        skillpass.passport.import_credential(ana, tamper(document))
    assert skillpass.passport.items(ana) == []
    item = skillpass.passport.import_credential(ana, document)
    assert item.verified is True
    assert item.credential_id == "http://example.com/credentials/3527"


def test_claim_a_credential_issued_to_my_email(skillpass: SkillPass) -> None:
    ana, ben = learner(skillpass), learner(skillpass, "Ben Other")
    issued = issue_to(skillpass, ana)
    other = issue_to(skillpass, ben)
    assert [c.id for c in skillpass.passport.claimable(ana)] == [issued.id]
    item = skillpass.passport.claim(ana, issued.id.removeprefix("urn:uuid:"))
    assert item.source is ItemSource.CLAIMED
    assert item.verified is True
    assert skillpass.passport.claimable(ana) == []
    with pytest.raises(Conflict):
        skillpass.passport.claim(ana, issued.id)
    with pytest.raises(NotFound):
        skillpass.passport.claim(ana, other.id)  # issued to someone else
    with pytest.raises(NotFound):
        skillpass.passport.claim(ana, "urn:uuid:00000000-0000-0000-0000-000000000000")


def test_recheck_after_revocation_marks_the_item_unverified(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    issued = issue_to(skillpass, ana)
    item = skillpass.passport.claim(ana, issued.id)
    skillpass.credentials.revoke(issued.id, "issued in error")
    rechecked = skillpass.passport.recheck(ana, item.id)
    assert rechecked.verified is False
    assert rechecked.strength is Strength.SELF_DECLARED
    assert rechecked.verification is not None
    status = next(c for c in rechecked.verification["checks"] if c["name"] == "status")
    assert status["ok"] is False
    # shared_items re-verifies too, in the order asked, skipping unknown ids
    shared = skillpass.passport.shared_items(ana.public_id, ["nope", item.id])
    assert [s.id for s in shared] == [item.id]
    assert shared[0].verified is False


def test_someone_elses_item_is_not_found(skillpass: SkillPass) -> None:
    ana, ben = learner(skillpass), learner(skillpass, "Ben Other")
    item = skillpass.passport.import_credential(ana, issue_to(skillpass, ana).document)
    experience = skillpass.passport.declare(
        ana, ExperienceCreate(category="project", title="Built a battery test rig")
    )
    for item_id in (item.id, experience.id):
        with pytest.raises(NotFound):
            skillpass.passport.get_item(ben, item_id)
        with pytest.raises(NotFound):
            skillpass.passport.recheck(ben, item_id)
        with pytest.raises(NotFound):
            skillpass.passport.remove_item(ben, item_id)
        with pytest.raises(NotFound):
            skillpass.passport.add_evidence(ben, item_id, "notes.txt", b"my notes")
    assert skillpass.passport.shared_items(ben.public_id, [item.id]) == []
    assert len(skillpass.passport.items(ana)) == 2  # nothing changed


def test_remove_item_keeps_the_issued_credential(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    issued = issue_to(skillpass, ana)
    item = skillpass.passport.claim(ana, issued.id)
    skillpass.passport.remove_item(ana, item.id)
    assert skillpass.passport.items(ana) == []
    assert skillpass.trust.verify(issued.document).verified
    assert [c.id for c in skillpass.passport.claimable(ana)] == [issued.id]


def test_declare_experience_is_unverified_and_checked(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    skill = SkillRef(uri="http://data.europa.eu/esco/skill/abc", label="soldering")
    item = skillpass.passport.declare(
        ana,
        ExperienceCreate(
            category="volunteering",
            title="  Repair café   volunteer ",
            description="Fixed electronics every Saturday.",
            organisation="Repair Café Malmö",
            period_start=date(2021, 1, 1),
            period_end=date(2023, 6, 30),
            skills=[skill],
        ),
    )
    assert item.kind is ItemKind.EXPERIENCE
    assert item.source is ItemSource.SELF
    assert item.verified is None
    assert item.strength is Strength.SELF_DECLARED
    assert item.title == "Repair café volunteer"
    assert item.issuer_name == "Repair Café Malmö"
    assert item.skills == [skill]
    today = date.today()
    bad = [
        {"period_start": date(2022, 1, 1), "period_end": date(2021, 1, 1)},
        {"period_start": today + timedelta(days=3)},
        {"period_start": date(2020, 1, 1), "period_end": today + timedelta(days=30)},
        {"skills": [SkillRef(uri="https://example.org/my-skill", label="mine")]},
    ]
    for values in bad:
        with pytest.raises(InvalidInput):
            skillpass.passport.declare(
                ana, ExperienceCreate(category="project", title="Something", **values)
            )
    assert len(skillpass.passport.items(ana)) == 1


def test_add_document_from_a_workflow_keeps_its_source(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    issued = issue_to(skillpass, ana)
    item = skillpass.passport.add_document(
        ana.public_id, issued.document, ItemSource.RPL, issued_credential=issued.id
    )
    assert item.source is ItemSource.RPL
    assert item.kind is ItemKind.CREDENTIAL
    assert item.strength is Strength.ASSESSED_RPL
    assert skillpass.passport.claimable(ana) == []  # already in the passport
    attested = skillpass.passport.add_document(
        ana.public_id,
        issue_to(skillpass, ana, "ob3-jwt", definition(skillpass, "Other")).document,
        ItemSource.ATTESTED,
        issued_credential=None,
    )
    assert attested.kind is ItemKind.ATTESTATION
    assert attested.strength is Strength.EMPLOYER_ATTESTED
    assert json.loads(json.dumps(attested.verification))["verified"] is True
