"""GDPR: a learner downloads everything held about them and erases their account; credentials
issued to them stay verifiable from their own copy, but the platform forgets who they were."""

from __future__ import annotations

import json

import pytest

from skillpass.app import SkillPass
from skillpass.errors import AuthenticationRequired, NotFound
from skillpass.passport.service import ExperienceCreate

from ._core import PASSWORD, issue_to, learner


def test_personal_data_holds_account_passport_and_issued_credentials(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    issued = issue_to(skillpass, ana)
    skillpass.passport.claim(ana, issued.id)
    experience = skillpass.passport.declare(
        ana, ExperienceCreate(category="self_study", title="Electrochemistry MOOC")
    )
    skillpass.passport.add_evidence(ana, experience.id, "certificate.txt", b"completed 2023")
    skillpass.auth.create_token(ana.public_id, "laptop")
    data = skillpass.passport.personal_data(ana)
    json.dumps(data)  # plain JSON
    assert data["account"]["email"] == ana.email
    assert {i["title"] for i in data["passport"]["items"]} >= {"Electrochemistry MOOC"}
    evidence = next(i for i in data["passport"]["items"] if i["id"] == experience.id)["evidence"]
    assert evidence[0]["filename"] == "certificate.txt"
    assert evidence[0]["content_base64"]
    assert [c["id"] for c in data["credentials_issued_here"]] == [issued.id]
    assert data["credentials_issued_here"][0]["learner_name"] == ana.display_name
    assert [t["name"] for t in data["api_tokens"]] == ["laptop"]
    for key in ("attestation_requests", "rpl_cases", "shares", "holder_keys"):
        assert data[key] == []
    other = learner(skillpass, "Ben Other")
    assert skillpass.passport.personal_data(other)["passport"]["items"] == []


def test_erase_account_removes_personal_data_and_credentials_still_verify(
    skillpass: SkillPass,
) -> None:
    ana, ben = learner(skillpass), learner(skillpass, "Ben Other")
    issued = issue_to(skillpass, ana)
    bens = issue_to(skillpass, ben)
    item = skillpass.passport.claim(ana, issued.id)
    held_copy = item.document
    experience = skillpass.passport.declare(
        ana, ExperienceCreate(category="project", title="Home battery build")
    )
    skillpass.passport.add_evidence(ana, experience.id, "photo.txt", b"a photo, in words")
    skillpass.passport.claim(ben, bens.id)

    skillpass.passport.erase_account(ana)

    with pytest.raises(NotFound):
        skillpass.auth.get_user(ana.public_id)
    with pytest.raises(AuthenticationRequired):
        skillpass.auth.authenticate(ana.email, PASSWORD)
    with pytest.raises(NotFound):
        skillpass.passport.items(ana)
    stored = skillpass.credentials.get(issued.id)
    assert stored.learner_name is None
    assert stored.learner_did is None
    assert stored.learner_email_hash is None
    assert stored.revoked_at is None
    assert held_copy is not None
    assert skillpass.trust.verify(held_copy).verified
    # someone else's passport and credential are untouched
    assert len(skillpass.passport.items(ben)) == 1
    assert skillpass.credentials.get(bens.id).learner_name == ben.display_name
    # the same e-mail can register again and starts empty, without the old credentials' names
    again = skillpass.auth.create_user(ana.email, "Ana Again", PASSWORD)
    assert skillpass.passport.items(again) == []
    assert skillpass.passport.claimable(again) == []
