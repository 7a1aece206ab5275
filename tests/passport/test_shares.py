"""Share links and holder-signed presentations: what leaves the passport is the learner's
choice, expires, stops at once when revoked, and every opening is logged for the learner."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role, User
from skillpass.credentials.records import AchievementRecord
from skillpass.errors import InvalidInput, NotFound
from skillpass.passport.models import ExperienceCategory, ItemKind, PassportItem
from skillpass.passport.service import ExperienceCreate
from skillpass.passport.share_repository import MAX_LOGGED_ACCESSES
from skillpass.passport.shares import MAX_SHARE_DAYS, hash_token
from skillpass.storage.tables import share_accesses, shares
from tests.conftest import make_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "micro-credential.yaml"
CHALLENGE = "8d1f6c1e-2b7a-4f3e-9a55-0c7f3e1d2b4a"
DOMAIN = "hr.voltcell.example"


def _learner(app: SkillPass, name: str) -> User:
    email = f"{name.lower()}.{uuid.uuid4().hex[:8]}@example.org"
    return app.auth.create_user(email, name, "correct horse battery", [Role.LEARNER])


@pytest.fixture
def definition(skillpass: SkillPass) -> AchievementRecord:
    return _definition(skillpass)


def _claim(app: SkillPass, user: User, definition: AchievementRecord, fmt: str) -> PassportItem:
    issued = app.credentials.issue(definition.id, user.email, user.display_name, format=fmt)
    return app.passport.claim(user, issued.id)


@pytest.fixture
def ana(skillpass: SkillPass) -> User:
    return _learner(skillpass, "Ana")


def _definition(app: SkillPass) -> AchievementRecord:
    issuer = app.issuers.create(name="Northvale University", country="SE", kind="university")
    return app.achievements.create_from_file(issuer.id, EXAMPLE)


def _items(app: SkillPass, ana: User, definition: AchievementRecord) -> list[PassportItem]:
    """Two credentials issued here (OB3 JSON-LD and OB3-JWT) and a self-declared project."""
    project = app.passport.declare(
        ana,
        ExperienceCreate(
            category=ExperienceCategory.PROJECT,
            title="Home battery storage build",
            description="Built and documented a 10 kWh LFP home battery.",
        ),
    )
    return [
        _claim(app, ana, definition, "ob3"),
        _claim(app, ana, definition, "ob3-jwt"),
        project,
    ]


@pytest.fixture
def items(skillpass: SkillPass, ana: User, definition: AchievementRecord) -> list[PassportItem]:
    return _items(skillpass, ana, definition)


def _share(app: SkillPass, owner: User, items: list[PassportItem], **kwargs):
    return app.shares.create(
        owner, [item.id for item in items], "Application to Voltcell", **kwargs
    )


def test_create_gives_the_link_once_and_stores_only_the_token_hash(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    share = _share(skillpass, ana, items)
    assert share.token is not None
    assert len(share.token) >= 43
    assert share.url == f"{skillpass.settings.public_base_url}/s/{share.token}"
    assert share.item_ids == [item.id for item in items]
    assert share.expires_at - share.created_at == timedelta(days=30)
    listed = skillpass.shares.list_shares(ana)
    assert [s.id for s in listed] == [share.id]
    assert listed[0].token is None
    assert listed[0].url is None
    with skillpass.engine.connect() as conn:
        row = conn.execute(select(shares).where(shares.c.public_id == share.id)).one()
    assert row.token_hash == hash_token(share.token)
    assert all(share.token not in str(value) for value in row)


def test_open_shows_every_item_rechecked_and_logs_the_access(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    share = _share(skillpass, ana, items)
    view = skillpass.shares.open(share.token or "", client="Firefox")
    assert view.holder_name == "Ana"
    assert view.holder_did == skillpass.holders.did(ana)
    assert view.label == "Application to Voltcell"
    assert [i.id for i in view.items] == [i.id for i in items]
    assert [i.verified for i in view.items] == [True, True, None]
    assert view.items[2].kind is ItemKind.EXPERIENCE
    (logged,) = skillpass.shares.list_shares(ana)[0].accesses
    assert (logged.kind, logged.client, logged.domain) == ("page", "Firefox", None)
    with skillpass.engine.connect() as conn:
        assert set(conn.execute(select(share_accesses)).keys()) == {
            "id",
            "share_id",
            "kind",
            "client",
            "domain",
            "accessed_at",
        }  # no IP address, no user agent string


def test_presentation_holds_the_credentials_and_verifies_through_trust(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    share = _share(skillpass, ana, items)
    vp = skillpass.shares.presentation(share.token or "", CHALLENGE, DOMAIN, client="curl")
    assert vp["holder"] == skillpass.holders.did(ana)
    assert vp["proof"]["proofPurpose"] == "authentication"
    assert (vp["proof"]["challenge"], vp["proof"]["domain"]) == (CHALLENGE, DOMAIN)
    embedded = vp["verifiableCredential"]
    assert len(embedded) == 2  # the self-declared project is not in it
    assert embedded[0]["id"] == items[0].credential_id
    assert embedded[1]["id"] == f"data:application/vc+jwt,{items[1].document}"
    report = skillpass.trust.verify(vp, challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, report.to_dict()
    assert report.format == "vp"
    assert [r.verified for r in report.presented] == [True, True]
    assert not skillpass.trust.verify(vp, challenge="replayed", domain=DOMAIN).verified
    assert not skillpass.trust.verify(vp, challenge=CHALLENGE, domain="evil.example").verified
    (logged,) = skillpass.shares.get(ana, share.id).accesses
    assert (logged.kind, logged.client, logged.domain) == ("presentation", "curl", DOMAIN)


def test_presentation_with_a_revoked_credential_is_not_verified(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    share = _share(skillpass, ana, items)
    skillpass.credentials.revoke(items[0].credential_id or "", "issued in error")
    view = skillpass.shares.open(share.token or "")
    assert [i.verified for i in view.items] == [False, True, None]
    vp = skillpass.shares.presentation(share.token or "", CHALLENGE, DOMAIN)
    report = skillpass.trust.verify(vp, challenge=CHALLENGE, domain=DOMAIN)
    assert report.check("proof").ok is True
    assert report.check("credentials").ok is False
    assert "revoked" in report.check("credentials").detail
    assert not report.verified


@pytest.mark.parametrize(
    ("challenge", "domain"), [("", DOMAIN), (CHALLENGE, "  "), ("x" * 600, DOMAIN)]
)
def test_presentation_needs_a_challenge_and_domain(
    skillpass: SkillPass, ana: User, items: list[PassportItem], challenge: str, domain: str
) -> None:
    share = _share(skillpass, ana, items)
    with pytest.raises(InvalidInput):
        skillpass.shares.presentation(share.token or "", challenge, domain)
    assert skillpass.shares.get(ana, share.id).accesses == []


def test_revocation_stops_the_link_at_once(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    share = _share(skillpass, ana, items)
    token = share.token or ""
    skillpass.shares.open(token)
    revoked = skillpass.shares.revoke(ana, share.id)
    assert revoked.revoked_at is not None
    assert not revoked.active(datetime.now(UTC))
    with pytest.raises(NotFound, match="revoked by the learner"):
        skillpass.shares.open(token)
    with pytest.raises(NotFound, match="revoked"):
        skillpass.shares.presentation(token, CHALLENGE, DOMAIN)
    again = skillpass.shares.revoke(ana, share.id)
    assert again.revoked_at == revoked.revoked_at
    assert len(again.accesses) == 1  # refused openings are not logged as accesses


def test_expired_link_stops_working(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    share = _share(skillpass, ana, items, expires_in_days=1)
    with skillpass.engine.begin() as conn:
        conn.execute(
            update(shares)
            .where(shares.c.public_id == share.id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    with pytest.raises(NotFound, match=r"expired on .* ask the learner for a new link"):
        skillpass.shares.open(share.token or "")
    with pytest.raises(NotFound, match="expired"):
        skillpass.shares.presentation(share.token or "", CHALLENGE, DOMAIN)


def test_unknown_token_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound, match="not known"):
        skillpass.shares.open("x" * 43)
    with pytest.raises(NotFound):
        skillpass.shares.open("x" * 5000)


def test_expiry_bounds(skillpass: SkillPass, ana: User, items: list[PassportItem]) -> None:
    now = datetime.now(UTC)
    with pytest.raises(InvalidInput, match="in the past"):
        _share(skillpass, ana, items, expires_at=now - timedelta(days=1))
    with pytest.raises(InvalidInput, match=f"at most {MAX_SHARE_DAYS} days"):
        _share(skillpass, ana, items, expires_at=now + timedelta(days=MAX_SHARE_DAYS + 2))
    with pytest.raises(InvalidInput, match="1 to 365 days"):
        _share(skillpass, ana, items, expires_in_days=0)
    exact = now + timedelta(days=7)
    assert _share(skillpass, ana, items, expires_at=exact).expires_at == exact
    naive = (now + timedelta(days=3)).replace(tzinfo=None)
    assert _share(skillpass, ana, items, expires_at=naive).expires_at == naive.replace(tzinfo=UTC)


def test_nothing_to_share_or_no_label_is_refused(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    with pytest.raises(InvalidInput, match="at least one"):
        skillpass.shares.create(ana, [], "Empty")
    with pytest.raises(InvalidInput, match="label"):
        skillpass.shares.create(ana, [items[0].id], "   ")
    assert skillpass.shares.list_shares(ana) == []


def test_other_learner_cannot_share_list_see_or_revoke(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    ben = _learner(skillpass, "Ben")
    share = _share(skillpass, ana, items)
    with pytest.raises(NotFound):
        skillpass.shares.create(ben, [items[0].id], "Not mine")
    assert skillpass.shares.list_shares(ben) == []
    with pytest.raises(NotFound):
        skillpass.shares.get(ben, share.id)
    with pytest.raises(NotFound):
        skillpass.shares.revoke(ben, share.id)
    assert skillpass.shares.get(ana, share.id).revoked_at is None
    skillpass.shares.open(share.token or "")  # still works: Ben changed nothing


def test_removed_item_drops_out_of_the_share(
    skillpass: SkillPass, ana: User, items: list[PassportItem]
) -> None:
    share = _share(skillpass, ana, items)
    skillpass.passport.remove_item(ana, items[1].id)
    view = skillpass.shares.open(share.token or "")
    assert [i.id for i in view.items] == [items[0].id, items[2].id]
    vp = skillpass.shares.presentation(share.token or "", CHALLENGE, DOMAIN)
    assert len(vp["verifiableCredential"]) == 1


def test_access_log_is_bounded(
    skillpass: SkillPass, ana: User, items: list[PassportItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillpass.passport.share_repository as repository

    monkeypatch.setattr(repository, "MAX_LOGGED_ACCESSES", 3)
    share = _share(skillpass, ana, items[:1])
    for number in range(5):
        skillpass.shares._repo.log_access(share.id, "page", f"c{number}", None, datetime.now(UTC))
    logged = skillpass.shares.get(ana, share.id).accesses
    assert [a.client for a in logged] == ["c4", "c3", "c2"]
    assert MAX_LOGGED_ACCESSES >= 100


def test_presentation_carries_foreign_and_elm_credentials_as_issued(
    skillpass: SkillPass, ana: User, definition: AchievementRecord
) -> None:
    vector_path = (
        Path(__file__).resolve().parents[3]
        / "shared/data/credentials/ob3-spec-vectors/ob3_signed_vector.json"
    )
    if not vector_path.is_file():
        pytest.skip("../shared/data/credentials is not present")
    vector = vector_path.read_text(encoding="utf-8")
    method = json.loads(vector)["proof"]["verificationMethod"]
    skillpass.trust.pin_key(method, public_key_multibase=method.split("#", 1)[1])
    foreign = skillpass.passport.import_credential(ana, vector, "ob3.json")
    elm = _claim(skillpass, ana, definition, "elm")
    share = _share(skillpass, ana, [foreign, elm])
    vp = skillpass.shares.presentation(share.token or "", CHALLENGE, DOMAIN)
    embedded = vp["verifiableCredential"]
    assert embedded[0] == json.loads(vector)  # JSON-LD: embedded as issued
    assert embedded[1]["id"].startswith("data:application/jose+json;base64,")  # JAdES seal
    report = skillpass.trust.verify(json.dumps(vp), challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, report.to_dict()
    assert [r.format for r in report.presented] == ["ob3-data-integrity", "elm-jades"]


def test_revoked_elm_credential_fails_the_presentation(
    skillpass: SkillPass, ana: User, definition: AchievementRecord
) -> None:
    elm = _claim(skillpass, ana, definition, "elm")
    share = _share(skillpass, ana, [elm])
    vp = skillpass.shares.presentation(share.token or "", CHALLENGE, DOMAIN)
    assert skillpass.trust.verify(vp, challenge=CHALLENGE, domain=DOMAIN).verified
    # ELM credentials carry no status entry: their revocation is known here by their id.
    skillpass.credentials.revoke(elm.credential_id or "", "issued in error")
    report = skillpass.trust.verify(vp, challenge=CHALLENGE, domain=DOMAIN)
    assert report.check("credentials").ok is False
    assert "revoked" in report.check("credentials").detail
    assert not report.verified
    assert report.to_dict()["presentation"]["credentials"][0]["verified"] is False


@pytest.mark.postgres
def test_shares_and_holder_keys_on_postgresql(
    tmp_path: Path, postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build(make_settings(tmp_path, database_url=postgres_schema_url))
    try:
        definition = _definition(app)

        def fresh() -> tuple[User, list[PassportItem]]:
            learner = _learner(app, "Ana")
            return learner, _items(app, learner, definition)

        test_create_gives_the_link_once_and_stores_only_the_token_hash(app, *fresh())
        test_presentation_holds_the_credentials_and_verifies_through_trust(app, *fresh())
        test_revocation_stops_the_link_at_once(app, *fresh())
        test_other_learner_cannot_share_list_see_or_revoke(app, *fresh())
        test_access_log_is_bounded(app, *fresh(), monkeypatch)
        learner = _learner(app, "Cy")
        did = app.holders.ensure(learner)
        assert app.holders.rotate(learner) != did
        assert [status for _, status in app.holders.history(learner)] == ["active", "retired"]
    finally:
        app.close()
