"""Holder keys: did:key Ed25519, made once per learner, encrypted at rest, rotated without
breaking what was signed before."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.credentials.keys import decrypt_private_key, did_key_from_public_key
from skillpass.credentials.presentations import build_presentation, sign_presentation
from skillpass.credentials.verify import verify_credential
from skillpass.errors import NotFound
from skillpass.storage.tables import holder_keys


def _learner(app: SkillPass, name: str = "Ana") -> User:
    email = f"{name.lower()}.{uuid.uuid4().hex[:8]}@example.org"
    return app.auth.create_user(email, name, "correct horse battery", [Role.LEARNER])


def test_no_did_until_one_is_made_then_the_same_one(skillpass: SkillPass) -> None:
    ana = _learner(skillpass)
    assert skillpass.holders.did(ana) is None
    did = skillpass.holders.ensure(ana)
    assert did.startswith("did:key:z6Mk")
    assert skillpass.holders.ensure(ana) == did
    assert skillpass.holders.did(ana) == did
    assert skillpass.holders.signer(ana.public_id).verification_method.startswith(did + "#")


def test_learners_get_different_keys(skillpass: SkillPass) -> None:
    ana, ben = _learner(skillpass, "Ana"), _learner(skillpass, "Ben")
    assert skillpass.holders.ensure(ana) != skillpass.holders.ensure(ben)


def test_signer_makes_the_key_on_first_use(skillpass: SkillPass) -> None:
    ana = _learner(skillpass)
    signer = skillpass.holders.signer(ana.public_id)
    assert signer.algorithm == "Ed25519"
    assert skillpass.holders.did(ana) == signer.verification_method.partition("#")[0]


def test_private_key_is_encrypted_at_rest(skillpass: SkillPass) -> None:
    ana = _learner(skillpass)
    did = skillpass.holders.ensure(ana)
    with skillpass.engine.connect() as conn:
        blob = conn.execute(
            select(holder_keys.c.private_key_encrypted).where(holder_keys.c.did == did)
        ).scalar_one()
    assert bytes(blob).startswith(b"SPK1")
    kek = skillpass.settings.key_encryption_key.get_secret_value()
    assert did_key_from_public_key(decrypt_private_key(bytes(blob), kek)) == did
    assert "SPK1" not in repr(skillpass.holders.signer(ana.public_id))


def test_rotate_retires_the_key_and_old_presentations_still_verify(
    skillpass: SkillPass,
) -> None:
    ana = _learner(skillpass)
    old_signer = skillpass.holders.signer(ana.public_id)
    old_did = old_signer.verification_method.partition("#")[0]
    vp = sign_presentation(
        build_presentation([], old_did), old_signer, challenge="n-1", domain="hr.example"
    )
    new_did = skillpass.holders.rotate(ana)
    assert new_did != old_did
    assert skillpass.holders.did(ana) == new_did
    assert skillpass.holders.history(ana) == [(new_did, "active"), (old_did, "retired")]
    assert skillpass.holders.signer(ana.public_id).verification_method.startswith(new_did)
    assert verify_credential(vp).verified


def test_unknown_user_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound):
        skillpass.holders.signer("NOSUCHUSER")
