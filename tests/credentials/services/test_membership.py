"""Who may act for an organisation: members, admins, the operator; one check on every write."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.credentials.records import AchievementRecord, BatchRow, Issuer, MemberRole
from skillpass.errors import InvalidInput, NotFound, PermissionDenied

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "micro-credential.yaml"
PASSWORD = "correct horse battery"


def _user(skillpass: SkillPass, email: str, *roles: Role) -> User:
    return skillpass.auth.create_user(email, email.split("@")[0].title(), PASSWORD, roles)


@pytest.fixture
def outsider(skillpass: SkillPass) -> User:
    return _user(skillpass, "otto@example.org", Role.ISSUER)


@pytest.fixture
def member(skillpass: SkillPass, issuer: Issuer) -> User:
    user = _user(skillpass, "iris@example.org", Role.ISSUER)
    skillpass.issuers.add_member(issuer.id, user.email)
    return user


@pytest.fixture
def admin(skillpass: SkillPass) -> User:
    return _user(skillpass, "adam@example.org", Role.ADMIN)


def test_non_member_may_not_define_issue_batch_revoke_or_rotate(
    skillpass: SkillPass, issuer: Issuer, achievement: AchievementRecord, outsider: User
) -> None:
    credential = skillpass.credentials.issue(achievement.id, "ana@example.org", format="ob3-jwt")
    attempts = [
        lambda: skillpass.achievements.create_from_file(issuer.id, EXAMPLE, actor=outsider),
        lambda: skillpass.credentials.issue(
            achievement.id, "bo@example.org", format="ob3-jwt", actor=outsider
        ),
        lambda: skillpass.credentials.issue_batch(
            achievement.id, [BatchRow(email="bo@example.org")], "ob3-jwt", actor=outsider
        ),
        lambda: skillpass.credentials.revoke(credential.id, "x", actor=outsider),
        lambda: skillpass.issuers.rotate_key(issuer.id, actor=outsider),
        lambda: skillpass.credentials.get_for(credential.id, outsider),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        message = refused.value.message
        assert issuer.legal_name in message
        assert f"skillpass issuer add-member {issuer.id} otto@example.org" in message
    assert len(skillpass.achievements.list_achievements(issuer.id)) == 1
    assert len(skillpass.credentials.list_credentials()) == 1
    assert not skillpass.credentials.get(credential.id).revoked
    assert len(skillpass.issuers.get(issuer.id).keys) == 1


def test_members_and_admins_may_act(
    skillpass: SkillPass, issuer: Issuer, member: User, admin: User
) -> None:
    for actor in (member, admin, None):
        record = skillpass.achievements.create_from_file(issuer.id, EXAMPLE, actor=actor)
        issued = skillpass.credentials.issue(
            record.id, "ana@example.org", format="ob3-jwt", actor=actor
        )
        batch = skillpass.credentials.issue_batch(
            record.id, [BatchRow(email="bo@example.org")], "ob3-jwt", actor=actor
        )
        assert batch.issued == 1
        assert skillpass.credentials.revoke(issued.id, "test", actor=actor).revoked
        skillpass.issuers.rotate_key(issuer.id, actor=actor)
    assert len(skillpass.issuers.get(issuer.id).keys) == 4


def test_member_without_the_issuer_role_may_not_act(skillpass: SkillPass, issuer: Issuer) -> None:
    learner = _user(skillpass, "lea@example.org", Role.LEARNER)
    skillpass.issuers.add_member(issuer.id, learner.email)
    with pytest.raises(PermissionDenied, match=r"set-roles lea@example\.org --role issuer"):
        skillpass.issuers.check_can_act(learner, issuer.id)
    assert skillpass.issuers.organisations_for(learner) == []


def test_membership_is_per_organisation(skillpass: SkillPass, issuer: Issuer, member: User) -> None:
    other = skillpass.issuers.create(name="Eastmark College", country="DE", kind="vet")
    skillpass.issuers.check_can_act(member, issuer.id)
    with pytest.raises(PermissionDenied, match="Eastmark College"):
        skillpass.issuers.check_can_act(member, other.id)
    assert [i.id for i in skillpass.issuers.organisations_for(member)] == [issuer.id]


def test_admin_sees_every_organisation(skillpass: SkillPass, issuer: Issuer, admin: User) -> None:
    other = skillpass.issuers.create(name="Eastmark College", country="DE", kind="vet")
    assert {i.id for i in skillpass.issuers.organisations_for(admin)} == {issuer.id, other.id}
    assert skillpass.issuers.members(issuer.id) == []


def test_unknown_organisation_is_not_found_before_permission(
    skillpass: SkillPass, outsider: User
) -> None:
    with pytest.raises(NotFound, match="issuer list"):
        skillpass.issuers.check_can_act(outsider, "no-such-org")


def test_add_change_list_and_remove_members(
    skillpass: SkillPass, issuer: Issuer, outsider: User
) -> None:
    added = skillpass.issuers.add_member(issuer.id, " OTTO@example.org ")
    assert (added.email, added.role_in_org) == ("otto@example.org", MemberRole.ISSUER)
    changed = skillpass.issuers.add_member(issuer.id, outsider.public_id, "manager")
    assert changed.role_in_org == MemberRole.MANAGER
    assert [m.user_id for m in skillpass.issuers.members(issuer.id)] == [outsider.public_id]
    skillpass.issuers.check_can_act(outsider, issuer.id)
    skillpass.issuers.remove_member(issuer.id, "otto@example.org")
    assert skillpass.issuers.members(issuer.id) == []
    with pytest.raises(PermissionDenied):
        skillpass.issuers.check_can_act(outsider, issuer.id)
    with pytest.raises(NotFound, match="not a member"):
        skillpass.issuers.remove_member(issuer.id, "otto@example.org")
    with pytest.raises(NotFound, match="admin create-user"):
        skillpass.issuers.add_member(issuer.id, "nobody@example.org")
    with pytest.raises(InvalidInput, match="issuer or manager"):
        skillpass.issuers.add_member(issuer.id, "otto@example.org", "owner")


def test_issuer_who_creates_an_organisation_becomes_its_manager(
    skillpass: SkillPass, outsider: User, admin: User
) -> None:
    created = skillpass.issuers.create(name="Lakeside", country="FI", kind="vet", actor=outsider)
    [membership] = skillpass.issuers.members(created.id)
    assert (membership.user_id, membership.role_in_org) == (outsider.public_id, MemberRole.MANAGER)
    by_admin = skillpass.issuers.create(name="Lakeside", country="EE", kind="vet", actor=admin)
    assert skillpass.issuers.members(by_admin.id) == []
    learner = _user(skillpass, "lea@example.org", Role.LEARNER)
    with pytest.raises(PermissionDenied):
        skillpass.issuers.create(name="Nope", country="EE", kind="vet", actor=learner)


def test_issuer_lists_only_credentials_of_their_organisations(
    skillpass: SkillPass, achievement: AchievementRecord, member: User, outsider: User
) -> None:
    skillpass.credentials.issue(achievement.id, "ana@example.org", format="ob3-jwt")
    assert len(skillpass.credentials.list_credentials(actor=member)) == 1
    assert skillpass.credentials.list_credentials(actor=outsider) == []
