"""Users, passwords, tokens and role checks in the auth service (temporary SQLite)."""

from __future__ import annotations

import hashlib
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.auth.service import AuthService, check_roles, parse_roles
from skillpass.config import Environment, Settings
from skillpass.errors import (
    AuthenticationRequired,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from skillpass.storage.tables import api_tokens, users

PASSWORD = "correct horse battery"


def make_user(auth: AuthService, email: str = "Ana@Example.org", *roles: Role) -> User:
    return auth.create_user(email, "Ana López", PASSWORD, roles or (Role.LEARNER,))


def test_create_user_normalises_email_and_keeps_roles(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth, "  Ana.Lopez@Example.ORG ", Role.ISSUER, Role.ASSESSOR)
    assert user.email == "ana.lopez@example.org"
    assert user.roles == {Role.ISSUER, Role.ASSESSOR}
    assert user.is_active
    assert not user.synthetic
    assert skillpass.auth.get_user(user.public_id) == user


def test_public_ids_are_opaque_not_database_keys(skillpass: SkillPass) -> None:
    first = make_user(skillpass.auth, "a@example.org")
    second = make_user(skillpass.auth, "b@example.org")
    assert not first.public_id.isdigit()
    assert len(first.public_id) >= 16
    assert first.public_id != second.public_id


def test_duplicate_email_in_other_case_is_a_conflict(skillpass: SkillPass) -> None:
    make_user(skillpass.auth, "ana@example.org")
    with pytest.raises(Conflict, match="already exists"):
        make_user(skillpass.auth, "ANA@example.org")


def test_short_password_is_refused_with_minimum_length(skillpass: SkillPass) -> None:
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        skillpass.auth.create_user("ana@example.org", "Ana", "short", [Role.LEARNER])


@pytest.mark.parametrize("email", ["ana", "ana@", "@example.org", "ana@example", "a b@example.org"])
def test_malformed_email_is_refused(skillpass: SkillPass, email: str) -> None:
    with pytest.raises(InvalidInput, match="not a valid email"):
        skillpass.auth.create_user(email, "Ana", PASSWORD, [Role.LEARNER])


def test_unknown_role_is_refused_listing_valid_roles(skillpass: SkillPass) -> None:
    with pytest.raises(InvalidInput) as caught:
        skillpass.auth.create_user("ana@example.org", "Ana", PASSWORD, ["learner", "wizard"])
    assert "wizard" in caught.value.message
    for role in Role:
        assert role.value in caught.value.message


def test_user_without_roles_is_refused(skillpass: SkillPass) -> None:
    with pytest.raises(InvalidInput, match="at least one role"):
        skillpass.auth.create_user("ana@example.org", "Ana", PASSWORD, [])


def test_parse_roles_is_case_insensitive() -> None:
    assert parse_roles(["Admin", " issuer "]) == {Role.ADMIN, Role.ISSUER}


def test_password_is_stored_as_argon2_hash(skillpass: SkillPass) -> None:
    make_user(skillpass.auth)
    with skillpass.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_authenticate_accepts_right_password_any_email_case(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    assert skillpass.auth.authenticate("ANA@example.org", PASSWORD) == user


def test_wrong_password_and_unknown_email_fail_alike(skillpass: SkillPass) -> None:
    make_user(skillpass.auth)
    with pytest.raises(AuthenticationRequired) as wrong:
        skillpass.auth.authenticate("ana@example.org", "not the password")
    with pytest.raises(AuthenticationRequired) as unknown:
        skillpass.auth.authenticate("nobody@example.org", PASSWORD)
    assert wrong.value.message == unknown.value.message


class CountingHasher(PasswordHasher):
    """Records every hash it verifies."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified.append(str(hash))
        return super().verify(hash, password)


def test_unknown_email_still_verifies_a_hash(
    skillpass: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    hasher = CountingHasher()
    monkeypatch.setattr(skillpass.auth, "_hasher", hasher)
    with pytest.raises(AuthenticationRequired):
        skillpass.auth.authenticate("nobody@example.org", PASSWORD)
    assert len(hasher.verified) == 1
    assert hasher.verified[0].startswith("$argon2id$")


def test_deactivated_user_cannot_log_in(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    skillpass.auth.set_active(user.email, False)
    with pytest.raises(AuthenticationRequired):
        skillpass.auth.authenticate(user.email, PASSWORD)


def test_login_upgrades_a_weak_hash(skillpass: SkillPass, settings: Settings) -> None:
    make_user(skillpass.auth)  # test environment: cheap parameters
    strong = AuthService(
        skillpass.engine, settings.model_copy(update={"environment": Environment.DEVELOPMENT})
    )
    strong.authenticate("ana@example.org", PASSWORD)
    with skillpass.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert "m=65536" in stored
    assert strong.authenticate("ana@example.org", PASSWORD).email == "ana@example.org"


def test_get_user_unknown_id_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound):
        skillpass.auth.get_user("no-such-user")


def test_set_roles_replaces_roles(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    updated = skillpass.auth.set_roles(user.public_id, ["verifier", "analyst"])
    assert updated.roles == {Role.VERIFIER, Role.ANALYST}


def test_token_has_prefix_and_only_its_sha256_is_stored(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    issued = skillpass.auth.create_token(user.public_id, "laptop")
    assert issued.token.startswith("sp_")
    assert len(issued.token) > 40
    with skillpass.engine.connect() as conn:
        row = conn.execute(select(api_tokens)).one()
    assert row.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert issued.token not in tuple(str(value) for value in row)


def test_token_identifies_its_user_and_records_use(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    issued = skillpass.auth.create_token(user.email, "laptop")
    assert skillpass.auth.list_tokens(user.public_id)[0].last_used_at is None
    assert skillpass.auth.user_for_token(issued.token) == user
    assert skillpass.auth.list_tokens(user.public_id)[0].last_used_at is not None


@pytest.mark.parametrize("token", ["", "sp_", "sp_unknown", "not-a-token", "sp_" + "x" * 500])
def test_unknown_tokens_are_refused(skillpass: SkillPass, token: str) -> None:
    with pytest.raises(AuthenticationRequired):
        skillpass.auth.user_for_token(token)


def test_revoked_token_is_refused(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    issued = skillpass.auth.create_token(user.public_id, "laptop")
    revoked = skillpass.auth.revoke_token(issued.public_id, user)
    assert revoked.revoked
    with pytest.raises(AuthenticationRequired):
        skillpass.auth.user_for_token(issued.token)


def test_token_of_deactivated_user_is_refused(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    issued = skillpass.auth.create_token(user.public_id, "laptop")
    skillpass.auth.set_active(user.public_id, False)
    with pytest.raises(AuthenticationRequired):
        skillpass.auth.user_for_token(issued.token)


def test_only_owner_or_admin_may_revoke_a_token(skillpass: SkillPass) -> None:
    owner = make_user(skillpass.auth, "owner@example.org")
    other = make_user(skillpass.auth, "other@example.org", Role.ISSUER)
    admin = make_user(skillpass.auth, "admin@example.org", Role.ADMIN)
    issued = skillpass.auth.create_token(owner.public_id, "laptop")
    with pytest.raises(NotFound):
        skillpass.auth.revoke_token(issued.public_id, other)
    assert skillpass.auth.user_for_token(issued.token) == owner
    assert skillpass.auth.revoke_token(issued.public_id, admin).revoked


def test_token_name_is_required(skillpass: SkillPass) -> None:
    user = make_user(skillpass.auth)
    with pytest.raises(InvalidInput, match="name"):
        skillpass.auth.create_token(user.public_id, "   ")


def test_check_roles_refuses_missing_role_naming_what_is_needed(skillpass: SkillPass) -> None:
    learner = make_user(skillpass.auth)
    with pytest.raises(PermissionDenied) as caught:
        check_roles(learner, [Role.ISSUER, Role.ADMIN])
    assert "admin or issuer" in caught.value.message
    assert "learner" in caught.value.message


def test_admin_is_not_a_wildcard_role(skillpass: SkillPass) -> None:
    admin = make_user(skillpass.auth, "admin@example.org", Role.ADMIN)
    assert check_roles(admin, [Role.ADMIN]) == admin
    with pytest.raises(PermissionDenied):
        check_roles(admin, [Role.ISSUER])
