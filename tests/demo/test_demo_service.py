"""The synthetic demo seed: labelled, idempotent, one user per role, refused in production."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from skillpass.auth.service import AuthService
from skillpass.config import Environment, Settings
from skillpass.demo.service import DEMO_PASSWORD, DemoService
from skillpass.errors import ConfigurationError
from skillpass.storage.tables import organisations, users


def test_seed_creates_labelled_synthetic_organisations_across_countries(
    skillpass: SkillPass,
) -> None:
    report = skillpass.demo.seed()
    assert report.synthetic is True
    assert len(report.organisations) >= 5
    assert report.organisations_created == len(report.organisations)
    assert all(org.synthetic and "(synthetic)" in org.legal_name for org in report.organisations)
    assert len({org.country for org in report.organisations}) >= 3
    assert {org.kind for org in report.organisations} >= {
        "university",
        "vet_provider",
        "employer",
        "professional_body",
        "social_partner",
    }
    with skillpass.engine.connect() as conn:
        stored = conn.execute(
            select(func.count()).select_from(organisations).where(organisations.c.synthetic)
        ).scalar_one()
    assert stored == len(report.organisations)


def test_seed_creates_one_synthetic_user_per_role_who_can_log_in(skillpass: SkillPass) -> None:
    report = skillpass.demo.seed()
    assert sorted(role for user in report.users for role in user.roles) == sorted(
        role.value for role in Role
    )
    for account in report.users:
        assert account.synthetic
        assert account.password == DEMO_PASSWORD
        assert "(synthetic)" in account.display_name
        assert account.email.endswith(".example")
        user = skillpass.auth.authenticate(account.email, DEMO_PASSWORD)
        assert user.synthetic
        assert user.public_id == account.id


def test_seed_twice_changes_nothing(skillpass: SkillPass) -> None:
    first = skillpass.demo.seed()
    second = skillpass.demo.seed()
    assert second.organisations_created == 0
    assert second.users_created == 0
    assert [o.id for o in second.organisations] == [o.id for o in first.organisations]
    assert [u.id for u in second.users] == [u.id for u in first.users]
    with skillpass.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(users)).scalar_one() == len(Role)


def test_seed_is_refused_in_production_and_writes_nothing(
    skillpass: SkillPass, settings: Settings
) -> None:
    production = settings.model_copy(
        update={"environment": Environment.PRODUCTION, "secret_key": SecretStr("x" * 40)}
    )
    demo = DemoService(skillpass.engine, AuthService(skillpass.engine, production))
    with pytest.raises(ConfigurationError, match="refused in production"):
        demo.seed()
    assert demo.status().allowed is False
    assert demo.status().seeded is False


def test_status_counts_synthetic_data(skillpass: SkillPass) -> None:
    before = skillpass.demo.status()
    assert before.seeded is False
    assert before.allowed is True
    report = skillpass.demo.seed()
    after = skillpass.demo.status()
    assert after.seeded is True
    assert after.synthetic_organisations == len(report.organisations)
    assert after.synthetic_users == len(report.users)


def test_report_says_how_to_get_esco_when_none_is_configured(
    skillpass: SkillPass, settings: Settings
) -> None:
    unconfigured = settings.model_copy(update={"esco": None})
    report = DemoService(skillpass.engine, AuthService(skillpass.engine, unconfigured)).seed()
    assert report.esco is None
    assert any("esco.ec.europa.eu" in step for step in report.next_steps)
    assert any("skillpass taxonomy import" in step for step in report.next_steps)


def test_report_is_json_with_public_keys(skillpass: SkillPass) -> None:
    body = json.loads(skillpass.demo.seed().model_dump_json())
    assert set(body) >= {"synthetic", "organisations", "users", "demo_password", "next_steps"}
    assert set(body["users"][0]) >= {"email", "password", "roles", "created"}


def test_demo_issuer_is_a_member_of_every_synthetic_organisation_once(
    skillpass: SkillPass,
) -> None:
    from skillpass.storage.tables import organisation_members

    report = skillpass.demo.seed()
    issuer = skillpass.auth.get_user_by_email("issuer@demo.skillpass.example")
    assert {i.id for i in skillpass.issuers.organisations_for(issuer)} == {
        org.id for org in report.organisations
    }
    for org in report.organisations:
        skillpass.issuers.check_can_act(issuer, org.id)  # no PermissionDenied
    skillpass.demo.seed()
    with skillpass.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(organisation_members)).scalar_one()
    assert rows == len(report.organisations)
