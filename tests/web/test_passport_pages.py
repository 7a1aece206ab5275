"""Passport, attestation inbox, RPL queue and share pages through the ASGI app (TestClient).

No ESCO here: skill suggestions are stubbed, the foreign credential comes from another SkillPass
instance on its own database (tests/api/_passport.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.passport.models import ItemSource, SkillSuggestion
from tests.api._passport import counts, definition, foreign_credential, tampered
from tests.web.conftest import PASSWORD, csrf_from

ESCO = "http://data.europa.eu/esco/skill/"
ASSEMBLE = ESCO + "42f92768-cc76-488d-a721-e90c59ccaade"
WELD = ESCO + "2fcd95a4-1f9a-41cf-95a9-4701bde476b4"
PDF = b"%PDF-1.4\n% records\n%%EOF\n"


def _user(app: SkillPass, email: str, role: Role, name: str) -> User:
    return app.auth.create_user(email, name, PASSWORD, [role])


def _client(app: SkillPass, email: str | None = None) -> TestClient:
    client = TestClient(create_api(app))
    if email is not None:
        token = csrf_from(client.get("/login").text)
        response = client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
    return client


def _stub_suggestions(app: SkillPass, monkeypatch: pytest.MonkeyPatch) -> None:
    suggestions = [
        SkillSuggestion(uri=ASSEMBLE, label="assemble batteries", score=0.7, evidence="cells"),
        SkillSuggestion(uri=WELD, label="operate welding equipment", score=0.5, evidence="weld"),
    ]
    monkeypatch.setattr(app.passport, "suggest_skills", lambda text, lang=None: suggestions)


@pytest.fixture
def people(skillpass: SkillPass) -> dict[str, User]:
    """A learner, an employer's HR person (issuer, member), an assessor (member), a stranger."""
    users = {
        "lea": _user(skillpass, "lea@example.org", Role.LEARNER, "Lea Lindqvist"),
        "max": _user(skillpass, "max@example.org", Role.LEARNER, "Max Other"),
        "hr": _user(skillpass, "hr@voltcell.example", Role.ISSUER, "Hanna Roos"),
        "ana": _user(skillpass, "ana@northvale.example", Role.ASSESSOR, "Ana Assessor"),
    }
    voltcell = skillpass.issuers.create(name="Voltcell AB", country="SE", kind="employer")
    skillpass.issuers.add_member(voltcell.id, "hr@voltcell.example")
    northvale = skillpass.issuers.create(
        name="Northvale University", country="SE", kind="university"
    )
    skillpass.issuers.add_member(northvale.id, "ana@northvale.example")
    skillpass.achievements.create(northvale.id, definition("Battery data analytics"))
    return users


@pytest.fixture
def lea(skillpass: SkillPass, people: dict[str, User]) -> Iterator[TestClient]:
    with _client(skillpass, "lea@example.org") as client:
        yield client


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An OB3 credential signed by another SkillPass instance."""
    return foreign_credential(tmp_path_factory.mktemp("other"), "lea@example.org", "Lea Lindqvist")


def _import(client: TestClient, text: str) -> tuple[int, str]:
    token = csrf_from(client.get("/passport").text)
    response = client.post("/passport/import", data={"text": text, "csrf_token": token})
    return response.status_code, response.text


# --- roles and sign-in ----------------------------------------------------------------------


def test_passport_sends_people_who_are_not_signed_in_to_sign_in(client: TestClient) -> None:
    response = client.get("/passport", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/passport"


@pytest.mark.parametrize(
    ("who", "address"),
    [
        ("hr@voltcell.example", "/passport"),
        ("ana@northvale.example", "/passport/shares"),
        ("lea@example.org", "/attestations/inbox"),
        ("lea@example.org", "/rpl/queue"),
        ("hr@voltcell.example", "/rpl/queue"),
    ],
)
def test_each_area_refuses_the_wrong_role_with_a_friendly_403(
    skillpass: SkillPass, people: dict[str, User], who: str, address: str
) -> None:
    with _client(skillpass, who) as client:
        response = client.get(address)
    assert response.status_code == 403
    assert "You cannot open" in response.text
    assert "role" in response.text


def test_each_role_sees_its_own_page_and_nav_link(
    skillpass: SkillPass, people: dict[str, User]
) -> None:
    for who, address, heading in [
        ("lea@example.org", "/passport", "Your competence passport"),
        ("hr@voltcell.example", "/attestations/inbox", "Attestation inbox"),
        ("ana@northvale.example", "/rpl/queue", "RPL queue"),
    ]:
        with _client(skillpass, who) as client:
            response = client.get(address)
        assert response.status_code == 200, (who, response.text)
        assert f"<h1>{heading}</h1>" in response.text
        assert f'<a href="{address}" aria-current="page">' in response.text


def test_posts_need_the_csrf_token_and_change_nothing_without_it(
    skillpass: SkillPass, lea: TestClient, foreign: str
) -> None:
    before = counts(skillpass)
    response = lea.post("/passport/import", data={"text": foreign})
    assert response.status_code == 403
    response = lea.post("/passport/import", data={"text": foreign, "csrf_token": "forged"})
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    assert counts(skillpass) == before


# --- import, items, experience ----------------------------------------------------------------


def test_import_of_a_foreign_credential_shows_a_verified_badge_and_every_check(
    lea: TestClient, foreign: str
) -> None:
    status, html = _import(lea, foreign)
    assert status == 200
    assert "Imported. It was verified now" in html
    assert "✓ </span>Verified</span>" in html
    assert "Strength: Verified credential" in html
    assert "Passed" in html
    assert "Battery cell chemistry basics" in html
    listing = lea.get("/passport").text
    assert "Battery cell chemistry basics" in listing
    token = csrf_from(lea.get("/passport").text)
    item = re.search(r'href="/passport/items/([^"]+)"', listing)
    assert item
    again = lea.post(f"/passport/items/{item.group(1)}/recheck", data={"csrf_token": token})
    assert "Checked again just now." in again.text


def test_tampered_import_is_refused_keeps_the_text_and_stores_nothing(
    skillpass: SkillPass, lea: TestClient, foreign: str
) -> None:
    before = counts(skillpass)
    status, html = _import(lea, tampered(foreign))
    assert status == 422
    assert 'role="alert"' in html
    assert "Doctor of Everything" in html  # what was pasted is still in the form
    assert counts(skillpass) == before


def test_someone_elses_item_is_a_404_page(
    skillpass: SkillPass, people: dict[str, User], lea: TestClient, foreign: str
) -> None:
    _import(lea, foreign)
    item = skillpass.passport.items(people["lea"])[0]
    with _client(skillpass, "max@example.org") as max_client:
        response = max_client.get(f"/passport/items/{item.id}")
        assert response.status_code == 404
        token = csrf_from(max_client.get("/passport").text)
        removed = max_client.post(f"/passport/items/{item.id}/remove", data={"csrf_token": token})
        assert removed.status_code == 404
    assert [i.id for i in skillpass.passport.items(people["lea"])] == [item.id]


def test_experience_suggests_skills_to_tick_and_saves_only_the_ticked_ones(
    skillpass: SkillPass,
    people: dict[str, User],
    lea: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _stub_suggestions(skillpass, monkeypatch)
    token = csrf_from(lea.get("/passport/experience").text)
    form = {
        "csrf_token": token,
        "category": "project",
        "title": "Home battery storage",
        "description": "Assembled cells and welded connectors.",
    }
    suggested = lea.post("/passport/experience", data={**form, "action": "suggest"})
    assert suggested.status_code == 200
    assert 'type="checkbox"' in suggested.text
    assert "assemble batteries" in suggested.text
    assert "Home battery storage" in suggested.text  # typed values kept
    saved = lea.post(
        "/passport/experience",
        data={**form, "action": "save", "skill": f"{ASSEMBLE} assemble batteries"},
        files={"file": ("notes.pdf", PDF, "application/pdf")},
    )
    assert saved.status_code == 200
    assert "Self-declared: not verified" in saved.text
    (item,) = skillpass.passport.items(people["lea"])
    assert item.source is ItemSource.SELF
    assert [s.uri for s in item.skills] == [ASSEMBLE]
    assert [e.filename for e in item.evidence] == ["notes.pdf"]


def test_experience_with_wrong_type_evidence_is_refused_with_the_input_kept(
    skillpass: SkillPass, lea: TestClient
) -> None:
    before = counts(skillpass)
    token = csrf_from(lea.get("/passport/experience").text)
    response = lea.post(
        "/passport/experience",
        data={"csrf_token": token, "category": "work", "title": "Night shifts", "action": "save"},
        files={"file": ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream")},
    )
    assert response.status_code == 422
    assert "not an accepted evidence type" in response.text
    assert 'value="Night shifts"' in response.text
    assert counts(skillpass) == before


def test_profile_page_has_the_chart_and_links_every_skill_to_its_evidence(
    lea: TestClient, foreign: str
) -> None:
    _import(lea, foreign)
    html = lea.get("/passport/profile").text
    assert "<svg" in html
    assert 'role="img"' in html
    assert "Python (computer programming)" in html
    assert re.search(r'href="/passport/items/[^"]+">Battery cell chemistry basics</a>', html)


# --- attestation and RPL workflows -----------------------------------------------------------


def test_employer_confirms_ticked_skills_and_the_attestation_lands_in_the_passport(
    skillpass: SkillPass,
    people: dict[str, User],
    lea: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _stub_suggestions(skillpass, monkeypatch)
    page = lea.get("/passport/attestations").text
    voltcell = re.search(r'<option value="([^"]+)">Voltcell AB', page)
    assert voltcell
    asked = lea.post(
        "/passport/attestations",
        data={
            "csrf_token": csrf_from(page),
            "organisation_id": voltcell.group(1),
            "role_title": "Battery production technician",
            "period_start": "2021-03-01",
            "period_end": "2024-02-29",
            "tasks": "Assembled cells into modules and welded connectors.",
        },
    )
    assert asked.status_code == 200
    assert "Your request was sent" in asked.text
    (request,) = skillpass.attestations.for_learner(people["lea"])
    with _client(skillpass, "max@example.org") as other:
        assert other.get(f"/attestations/{request.id}").status_code == 404
    with _client(skillpass, "hr@voltcell.example") as hr:
        inbox = hr.get("/attestations/inbox").text
        assert "Lea Lindqvist" in inbox
        review = hr.get(f"/attestations/{request.id}").text
        assert 'type="checkbox"' in review
        assert "assemble batteries" in review
        none_ticked = hr.post(
            f"/attestations/{request.id}/attest", data={"csrf_token": csrf_from(review)}
        )
        assert none_ticked.status_code == 422
        assert "Tick at least one skill" in none_ticked.text
        done = hr.post(
            f"/attestations/{request.id}/attest",
            data={"csrf_token": csrf_from(review), "skill": [ASSEMBLE, WELD]},
        )
        assert done.status_code == 200
        assert "Attested and signed as Voltcell AB" in done.text
    (item,) = skillpass.passport.items(people["lea"])
    assert (item.source, item.verified) == (ItemSource.ATTESTED, True)
    assert "Attested by an employer" in lea.get(f"/passport/items/{item.id}").text


def test_learner_requests_rpl_and_the_assessor_approves_it_into_the_passport(
    skillpass: SkillPass, people: dict[str, User], lea: TestClient
) -> None:
    page = lea.get("/passport/rpl").text
    definition_id = re.search(r'<option value="([^"]+)">Battery data analytics', page)
    assert definition_id
    asked = lea.post(
        "/passport/rpl",
        data={
            "csrf_token": csrf_from(page),
            "achievement_id": definition_id.group(1),
            "statement": "Three years of analysing cell test data.",
        },
        files={"file": ("portfolio.pdf", PDF, "application/pdf")},
    )
    assert asked.status_code == 200
    assert "Your request was sent" in asked.text
    case_url = str(asked.url).split("?")[0]
    with _client(skillpass, "max@example.org") as other:
        assert other.get(case_url).status_code == 404
    with _client(skillpass, "ana@northvale.example") as ana:
        assert "Battery data analytics" in ana.get("/rpl/queue").text
        case_page = ana.get(case_url).text
        assert "portfolio.pdf" in case_page
        token = csrf_from(case_page)
        taken = ana.post(f"{case_url}/take", data={"csrf_token": token})
        assert "You took the case" in taken.text
        missing = ana.post(
            f"{case_url}/decide", data={"csrf_token": token, "decision": "approve", "note": "ok"}
        )
        assert missing.status_code == 422
        assert "Choose how you assessed." in missing.text
        approved = ana.post(
            f"{case_url}/decide",
            data={
                "csrf_token": token,
                "method": "portfolio",
                "decision": "approve",
                "note": "The portfolio covers every outcome.",
            },
        )
        assert "Approved" in approved.text
    (item,) = skillpass.passport.items(people["lea"])
    assert item.source is ItemSource.RPL
    assert "Assessed (recognition of prior learning)" in lea.get("/passport").text


# --- shares -----------------------------------------------------------------------------------


def test_share_link_shows_verified_items_to_anyone_until_revoked(
    skillpass: SkillPass, people: dict[str, User], lea: TestClient, foreign: str
) -> None:
    _import(lea, foreign)
    (item,) = skillpass.passport.items(people["lea"])
    page = lea.get("/passport/shares").text
    created = lea.post(
        "/passport/shares",
        data={
            "csrf_token": csrf_from(page),
            "label": "Application to Cellworks",
            "expires_in_days": "30",
            "item_id": [item.id],
        },
    )
    assert created.status_code == 200
    assert created.url.path == "/passport/shares"
    link = re.search(r'id="share-url" type="text" readonly value="[^"]*(/s/[^"]+)"', created.text)
    assert link
    with TestClient(create_api(skillpass)) as verifier:
        shared = verifier.get(link.group(1))
        assert shared.status_code == 200
        assert "Shared by Lea Lindqvist" in shared.text
        assert "All credentials verified" in shared.text
        vp = verifier.get(
            f"{link.group(1)}/presentation", params={"challenge": "c-123", "domain": "hr.example"}
        )
        assert vp.status_code == 200
        assert "Verified" in vp.text
        log = lea.get("/passport/shares").text
        assert "Opened 2 times" in log
        assert 'id="share-url"' not in log  # the link was shown once
        share_id = re.search(r'action="/passport/shares/([^"/]+)/revoke"', log)
        assert share_id
        revoked = lea.post(
            f"/passport/shares/{share_id.group(1)}/revoke", data={"csrf_token": csrf_from(log)}
        )
        assert "its link no longer works" in revoked.text
        gone = verifier.get(link.group(1))
        assert gone.status_code == 404
        assert "This shared link does not work" in gone.text


def test_unknown_share_link_is_a_clear_404(client: TestClient) -> None:
    response = client.get("/s/not-a-real-token")
    assert response.status_code == 404
    assert "This shared link does not work" in response.text


# --- data -------------------------------------------------------------------------------------


def test_exports_download_and_erasure_needs_the_typed_email(
    skillpass: SkillPass, people: dict[str, User], lea: TestClient, foreign: str
) -> None:
    _import(lea, foreign)
    bundle = lea.get("/passport/export/bundle")
    assert bundle.headers["content-disposition"].startswith("attachment")
    assert bundle.json()["format"] == "skillpass-passport-bundle"
    assert "attachment" in lea.get("/passport/export/personal-data").headers["content-disposition"]
    assert "Battery cell chemistry basics" in lea.get("/passport/export/cv").text
    page = lea.get("/passport/erase").text
    wrong = lea.post(
        "/passport/erase", data={"csrf_token": csrf_from(page), "confirm_email": "x@example.org"}
    )
    assert wrong.status_code == 422
    assert 'value="x@example.org"' in wrong.text
    assert skillpass.passport.items(people["lea"])
    erased = lea.post(
        "/passport/erase", data={"csrf_token": csrf_from(page), "confirm_email": "lea@example.org"}
    )
    assert erased.status_code == 200
    assert "Your account is erased" in erased.text
    assert lea.get("/passport", follow_redirects=False).status_code == 303
