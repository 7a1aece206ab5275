"""Credential pages: public verification, the credential page with its QR code, the issuer
dashboard (define with every Annex I element, issue, revoke), role and CSRF refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from skillpass.credentials.records import AchievementRecord, IssuedCredential, Issuer
from skillpass.taxonomy.models import ConceptType, SearchHit
from skillpass.web._achievement_form import field_id
from tests.web.conftest import PASSWORD, csrf_from

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "micro-credential.yaml"
PYTHON_SKILL = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
OTHER_SKILL = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-0000000000aa"


@pytest.fixture
def issuer(skillpass: SkillPass) -> Issuer:
    return skillpass.issuers.create(
        name="Northvale University of Technology", country="SE", kind="university", region="SE110"
    )


@pytest.fixture
def achievement(skillpass: SkillPass, issuer: Issuer) -> AchievementRecord:
    return skillpass.achievements.create_from_file(issuer.id, EXAMPLE)


@pytest.fixture
def credential(skillpass: SkillPass, achievement: AchievementRecord) -> IssuedCredential:
    return skillpass.credentials.issue(achievement.id, "ana@example.org", "Ana López", None, "ob3")


def _sign_in(client: TestClient, skillpass: SkillPass, email: str, roles: list[Role]) -> None:
    skillpass.auth.create_user(email, email.split("@")[0].title(), PASSWORD, roles)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303


@pytest.fixture
def issuer_client(client: TestClient, skillpass: SkillPass, issuer: Issuer) -> TestClient:
    """Iris, an issuer and a member of ``issuer``."""
    _sign_in(client, skillpass, "iris@example.org", [Role.ISSUER])
    skillpass.issuers.add_member(issuer.id, "iris@example.org")
    return client


@pytest.fixture
def outsider_client(client: TestClient, skillpass: SkillPass) -> TestClient:
    """Otto, an issuer who is a member of no organisation."""
    _sign_in(client, skillpass, "otto@example.org", [Role.ISSUER])
    return client


def _tampered(document: str) -> str:
    data = json.loads(document)
    data["credentialSubject"]["achievement"]["name"] = "Quantum computing (forged)"
    return json.dumps(data)


# --- /verify ----------------------------------------------------------------------------------


def test_verify_page_has_a_labelled_upload_and_paste_form(client: TestClient) -> None:
    html = client.get("/verify").text
    assert "<h1>Verify a credential</h1>" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="credential-file">' in html
    assert 'id="credential-file"' in html
    assert '<label for="credential-text">' in html
    assert 'id="credential-text"' in html


def test_pasted_valid_credential_is_verified_in_plain_words(
    client: TestClient, credential: IssuedCredential
) -> None:
    response = client.post("/verify", data={"text": credential.document})
    assert response.status_code == 200
    html = response.text
    assert 'class="verdict verdict-verified"' in html
    assert "The signature matches the content: nothing was changed after issuing." in html
    assert "Northvale University of Technology" in html
    assert "trusted issuer" in html
    assert "Applied machine learning for predictive maintenance" in html
    assert "Ana López" in html
    assert "EQF level 6" in html
    assert "5 ECTS credits" in html
    assert 'href="/skills/ccd0a1d9-afda-43d9-b901-96344886e14d"' in html
    assert "Technical details" in html
    assert "&#34;verified&#34;: true" in html


def test_uploaded_jwt_file_is_verified(
    client: TestClient, skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    jwt = skillpass.credentials.issue(achievement.id, "bo@example.org", None, None, "ob3-jwt")
    response = client.post(
        "/verify", files={"file": ("credential.jwt", jwt.document.encode(), "application/jwt")}
    )
    assert 'class="verdict verdict-verified"' in response.text
    assert "Verifiable Credential as a JWT" in response.text


def test_tampered_credential_is_not_verified_and_says_why(
    client: TestClient, credential: IssuedCredential
) -> None:
    html = client.post("/verify", data={"text": _tampered(credential.document)}).text
    assert 'class="verdict verdict-not-verified"' in html
    assert "Not verified" in html
    assert "The signature does not match the content" in html
    assert "It did not verify, so do not rely on it." in html


def test_junk_input_could_not_be_checked(client: TestClient) -> None:
    html = client.post("/verify", data={"text": "hello, this is not a credential"}).text
    assert 'class="verdict verdict-unchecked"' in html
    assert "Could not be checked" in html
    assert "This could not be read as a credential." in html


def test_empty_verify_form_asks_for_input(client: TestClient) -> None:
    response = client.post("/verify", data={"text": "  "})
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert "Choose a credential file or paste" in response.text


def test_oversized_upload_is_refused_before_parsing(
    client: TestClient, skillpass: SkillPass
) -> None:
    limit = skillpass.settings.max_credential_bytes
    big = b"{" + b" " * limit + b"}"
    response = client.post("/verify", files={"file": ("big.json", big, "application/json")})
    assert response.status_code == 413
    assert "the limit for credentials" in response.text


def test_revoked_credential_fails_on_status_with_the_date_but_not_the_reason(
    client: TestClient, skillpass: SkillPass, credential: IssuedCredential
) -> None:
    revoked = skillpass.credentials.revoke(credential.id, "issued by mistake")
    assert revoked.revoked_at is not None
    html = client.post("/verify", data={"text": credential.document}).text
    assert 'class="verdict verdict-not-verified"' in html
    assert f"revoked by its issuer on {revoked.revoked_at:%d %B %Y}" in html
    # the date is public; the reason may concern the learner and stays with the issuer
    assert f"Revoked by its issuer on {revoked.revoked_at:%Y-%m-%d}" in html
    assert "issued by mistake" not in html


def test_verify_by_id_checks_the_stored_copy(
    client: TestClient, credential: IssuedCredential
) -> None:
    uuid = credential.id.removeprefix("urn:uuid:")
    html = client.get(f"/verify?credential={uuid}").text
    assert 'class="verdict verdict-verified"' in html
    assert "kept by this site" in html


def test_verify_by_unknown_id_is_a_404_page(client: TestClient) -> None:
    response = client.get("/verify?credential=00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "<h1>" in response.text
    assert "application/json" not in response.headers["content-type"]


def test_htmx_verify_gets_only_the_report_fragment(
    client: TestClient, credential: IssuedCredential
) -> None:
    response = client.post(
        "/verify", data={"text": credential.document}, headers={"HX-Request": "true"}
    )
    assert 'class="verdict verdict-verified"' in response.text
    assert "<html" not in response.text


# --- /credentials/{id} ------------------------------------------------------------------------


def test_credential_page_shows_annex_elements_skills_status_download_and_qr(
    client: TestClient, skillpass: SkillPass, credential: IssuedCredential
) -> None:
    uuid = credential.id.removeprefix("urn:uuid:")
    response = client.get(f"/credentials/{uuid}")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Applied machine learning for predictive maintenance</h1>" in html
    assert "Awarded to</dt><dd>Ana López" in html
    assert "ana@example.org" not in html
    for element in (
        "Notional workload",
        "Type of assessment",
        "Form of participation",
        "Type of quality assurance",
        "Supervision and identity verification",
        "Integration / stackability",
    ):
        assert f">{element}" in html
    assert "5 ECTS credits, 125 hours" in html
    assert 'href="/skills/ccd0a1d9-afda-43d9-b901-96344886e14d"' in html
    assert "verdict-verified" in html
    assert "Valid" in html
    assert f'href="/credentials/{uuid}/download"' in html
    base = skillpass.settings.public_base_url.rstrip("/")
    assert f"{base}/verify?credential={uuid}" in html
    assert re.search(r"<svg[^>]*>\s*<title>QR code: verify this credential", html)


def test_credential_page_shows_a_revoked_credential_as_revoked(
    client: TestClient, skillpass: SkillPass, credential: IssuedCredential
) -> None:
    skillpass.credentials.revoke(credential.id, "withdrawn")
    html = client.get(f"/credentials/{credential.id}").text
    assert "verdict-not-verified" in html
    assert "Revoked" in html


def test_download_returns_the_credential_exactly_as_issued(
    client: TestClient, credential: IssuedCredential
) -> None:
    uuid = credential.id.removeprefix("urn:uuid:")
    response = client.get(f"/credentials/{uuid}/download")
    assert response.status_code == 200
    assert response.text == credential.document
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["content-type"].startswith("application/ld+json")


def test_unknown_credential_page_is_a_404_page(client: TestClient) -> None:
    response = client.get("/credentials/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


# --- /issuer: access --------------------------------------------------------------------------


def test_dashboard_sends_people_who_are_not_signed_in_to_sign_in(client: TestClient) -> None:
    response = client.get("/issuer", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/issuer"


def test_dashboard_refuses_a_learner_with_a_friendly_page(
    client: TestClient, skillpass: SkillPass
) -> None:
    _sign_in(client, skillpass, "lea@example.org", [Role.LEARNER])
    response = client.get("/issuer")
    assert response.status_code == 403
    assert "for issuers and administrators" in response.text
    assert "<h1>Not allowed</h1>" in response.text


def test_admin_may_use_the_dashboard(
    client: TestClient, skillpass: SkillPass, issuer: Issuer
) -> None:
    _sign_in(client, skillpass, "adam@example.org", [Role.ADMIN])
    html = client.get("/issuer").text
    assert f'href="/issuer/{issuer.id}"' in html
    assert "As an administrator you may act for every organisation." in html


def test_posts_without_signing_in_are_refused(
    client: TestClient, credential: IssuedCredential
) -> None:
    response = client.post(
        f"/issuer/credentials/{credential.id}/revoke", data={"reason": "x", "csrf_token": "x"}
    )
    assert response.status_code == 401


# --- /issuer: organisations -------------------------------------------------------------------


def test_issuer_adds_an_organisation(issuer_client: TestClient, skillpass: SkillPass) -> None:
    token = csrf_from(issuer_client.get("/issuer").text)
    response = issuer_client.post(
        "/issuer/organisations",
        data={"csrf_token": token, "name": "Lakeside VET College", "country": "fi", "kind": "vet"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [created] = [i for i in skillpass.issuers.list_issuers() if i.legal_name.startswith("Lake")]
    assert created.country == "FI"
    assert response.headers["location"] == f"/issuer/{created.id}"
    assert [m.email for m in skillpass.issuers.members(created.id)] == ["iris@example.org"]
    assert issuer_client.get(response.headers["location"]).status_code == 200


def test_dashboard_lists_only_the_issuers_organisations(
    issuer_client: TestClient, skillpass: SkillPass, issuer: Issuer
) -> None:
    other = skillpass.issuers.create(name="Faraway Institute", country="PT", kind="vet")
    html = issuer_client.get("/issuer").text
    assert f'href="/issuer/{issuer.id}"' in html
    assert f'href="/issuer/{other.id}"' not in html
    assert "every issuer can act" not in html
    assert "skillpass issuer add-member ORGANISATION_ID iris@example.org" in html


def test_issuer_who_is_not_a_member_gets_403_pages_and_changes_nothing(
    outsider_client: TestClient,
    skillpass: SkillPass,
    issuer: Issuer,
    achievement: AchievementRecord,
    credential: IssuedCredential,
) -> None:
    html = outsider_client.get("/issuer").text
    assert f'href="/issuer/{issuer.id}"' not in html
    assert "not a member of any organisation" in html
    token = csrf_from(html)
    uuid = credential.id.removeprefix("urn:uuid:")
    responses = [
        outsider_client.get(f"/issuer/{issuer.id}"),
        outsider_client.get(f"/issuer/{issuer.id}/define"),
        outsider_client.post(f"/issuer/{issuer.id}/define", data=_definition(token)),
        outsider_client.get(f"/issuer/achievements/{achievement.id}/issue"),
        outsider_client.post(
            f"/issuer/achievements/{achievement.id}/issue",
            data={"csrf_token": token, "learner_email": "x@example.org", "format": "ob3-jwt"},
        ),
        outsider_client.post(
            f"/issuer/credentials/{uuid}/revoke", data={"csrf_token": token, "reason": "x"}
        ),
    ]
    for response in responses:
        assert response.status_code == 403, response.url
        assert "text/html" in response.headers["content-type"]
        assert "Northvale University of Technology" in response.text
        assert f"skillpass issuer add-member {issuer.id} otto@example.org" in response.text
    assert skillpass.achievements.list_achievements(issuer.id) == [achievement]
    assert len(skillpass.credentials.list_credentials(issuer_id=issuer.id)) == 1
    assert not skillpass.credentials.get(credential.id).revoked


def test_admin_defines_issues_and_revokes_for_any_organisation(
    client: TestClient, skillpass: SkillPass, issuer: Issuer
) -> None:
    _sign_in(client, skillpass, "adam@example.org", [Role.ADMIN])
    token = csrf_from(client.get(f"/issuer/{issuer.id}/define").text)
    defined = client.post(
        f"/issuer/{issuer.id}/define", data=_definition(token), follow_redirects=False
    )
    assert defined.status_code == 303, defined.text
    [record] = skillpass.achievements.list_achievements(issuer.id)
    issued = client.post(
        f"/issuer/achievements/{record.id}/issue",
        data={"csrf_token": token, "learner_email": "x@example.org", "format": "ob3-jwt"},
        follow_redirects=False,
    )
    assert issued.status_code == 303
    [credential] = skillpass.credentials.list_credentials(issuer_id=issuer.id)
    revoked = client.post(
        f"/issuer/credentials/{credential.id.removeprefix('urn:uuid:')}/revoke",
        data={"csrf_token": token, "reason": "test"},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert skillpass.credentials.get(credential.id).revoked


def test_organisation_with_a_bad_country_is_refused_next_to_the_form(
    issuer_client: TestClient,
) -> None:
    token = csrf_from(issuer_client.get("/issuer").text)
    response = issuer_client.post(
        "/issuer/organisations",
        data={"csrf_token": token, "name": "X College", "country": "Finland", "kind": "vet"},
    )
    assert response.status_code == 422
    assert "is not a two-letter ISO 3166 code" in response.text
    assert 'aria-describedby="country-error country-hint"' in response.text


def test_organisation_form_without_csrf_is_refused(issuer_client: TestClient) -> None:
    response = issuer_client.post(
        "/issuer/organisations", data={"name": "X", "country": "FI", "kind": "vet"}
    )
    assert response.status_code == 403
    assert "expired or did not come from this site" in response.text


# --- /issuer: define --------------------------------------------------------------------------


def _definition(token: str) -> dict[str, str | list[str]]:
    return {
        "csrf_token": token,
        "action": "save",
        "body_count": "1",
        "outcome_count": "2",
        "title": "Python for lab automation",
        "description": "Automate laboratory instruments and data capture with Python scripts.",
        "languages": "en, sv",
        "body_0_name": "Northvale University of Technology",
        "body_0_country": "SE",
        "outcome_0_text": "Write Python scripts that drive lab instruments.",
        "outcome_0_skill": [f"{PYTHON_SKILL} Python (computer programming)"],
        "outcome_1_text": "",
        "workload_ects": "3",
        "workload_hours": "",
        "level_eqf": "5",
        "assessment_type": "project",
        "participation_mode": "online",
        "participation_setting": "non_formal",
        "quality_assurance": "Internal quality assurance of the university.",
        "supervision": "supervised_identity_verified",
        "integration_kind": "stand_alone",
    }


def test_define_form_has_every_annex_element_with_labels_and_fieldsets(
    issuer_client: TestClient, issuer: Issuer
) -> None:
    html = issuer_client.get(f"/issuer/{issuer.id}/define").text
    for name in (
        "title",
        "body_0_name",
        "body_0_country",
        "body_0_region",
        "outcome_0_text",
        "workload_ects",
        "workload_hours",
        "level_eqf",
        "qf_ehea_cycle",
        "nqf_framework",
        "assessment_type",
        "participation_mode",
        "participation_setting",
        "quality_assurance",
        "prerequisites",
        "supervision",
        "grading_scheme",
        "integration_kind",
        "integration_towards_name",
        "further_information",
    ):
        assert f'<label for="{name}">' in html, name
        assert f'id="{name}"' in html, name
    assert html.count("<fieldset") >= 10
    assert "<legend>Type of assessment</legend>" in html
    assert 'value="Northvale University of Technology"' in html  # the issuer is body 1
    assert 'hx-get="/issuer/skills/suggest"' in html
    assert "(required)" in html


def test_defining_a_micro_credential_saves_it_and_opens_the_issue_form(
    issuer_client: TestClient, skillpass: SkillPass, issuer: Issuer
) -> None:
    token = csrf_from(issuer_client.get(f"/issuer/{issuer.id}/define").text)
    response = issuer_client.post(
        f"/issuer/{issuer.id}/define", data=_definition(token), follow_redirects=False
    )
    assert response.status_code == 303, response.text
    [record] = skillpass.achievements.list_achievements(issuer.id)
    assert response.headers["location"] == f"/issuer/achievements/{record.id}/issue?new=1"
    stored = skillpass.achievements.achievement(record.id)
    assert stored.title == "Python for lab automation"
    assert [s.uri for s in stored.learning_outcomes[0].esco_skills] == [PYTHON_SKILL]
    assert len(stored.learning_outcomes) == 1  # the empty second row is skipped
    assert stored.level.eqf == 5
    assert stored.languages == ["en", "sv"]
    assert stored.supervision is not None
    assert stored.supervision.value.startswith("supervised")


def test_definition_problems_are_shown_next_to_their_fields(
    issuer_client: TestClient, skillpass: SkillPass, issuer: Issuer
) -> None:
    token = csrf_from(issuer_client.get(f"/issuer/{issuer.id}/define").text)
    data = _definition(token)
    data.update(title="", workload_ects="", assessment_type="", integration_kind="stackable")
    response = issuer_client.post(f"/issuer/{issuer.id}/define", data=data)
    assert response.status_code == 422
    html = response.text
    assert 'role="alert"' in html
    assert "The definition has 4 problems" in html
    assert 'id="title-error"' in html
    assert "Title is missing" in html
    assert 'aria-describedby="title-error title-hint"' in html
    assert 'id="workload_ects-error"' in html
    assert 'id="assessment_type-error"' in html
    assert 'id="integration_kind-error"' in html
    assert "larger credential" in html
    assert 'href="#title"' in html  # the summary links to the field
    assert 'value="Python for lab automation"' not in html  # the emptied title stays empty
    assert "Write Python scripts that drive lab instruments." in html  # the rest is kept
    assert skillpass.achievements.list_achievements(issuer.id) == []


def test_define_without_csrf_is_refused(
    issuer_client: TestClient, skillpass: SkillPass, issuer: Issuer
) -> None:
    data = _definition("not-the-token")
    response = issuer_client.post(f"/issuer/{issuer.id}/define", data=data)
    assert response.status_code == 403
    assert skillpass.achievements.list_achievements(issuer.id) == []


def test_add_outcome_without_javascript_adds_a_row_and_keeps_the_values(
    issuer_client: TestClient, issuer: Issuer
) -> None:
    token = csrf_from(issuer_client.get(f"/issuer/{issuer.id}/define").text)
    data = _definition(token) | {"action": "add_outcome"}
    html = issuer_client.post(f"/issuer/{issuer.id}/define", data=data).text
    assert 'id="outcome_2_text"' in html
    assert 'name="outcome_count" value="3"' in html
    assert "checked" in html
    assert "Python (computer programming)" in html


def test_skill_suggestions_without_esco_say_how_to_import_it(
    issuer_client: TestClient,
) -> None:
    response = issuer_client.get(
        "/issuer/skills/suggest", params={"outcome": 0, "outcome_0_text": "program in Python"}
    )
    assert response.status_code == 200
    assert "No ESCO taxonomy is imported" in response.text
    assert "<html" not in response.text


def test_skill_suggestions_need_the_issuer_role(client: TestClient, skillpass: SkillPass) -> None:
    _sign_in(client, skillpass, "vera@example.org", [Role.VERIFIER])
    response = client.get("/issuer/skills/suggest", params={"outcome": 0})
    assert response.status_code == 403


def test_skill_suggestions_come_from_the_outcome_text_and_skip_chosen_ones(
    issuer_client: TestClient, skillpass: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, object]] = []

    def search(query: str, **options: object) -> list[SearchHit]:
        asked.append((query, options.get("concept_type")))
        return [
            SearchHit(
                uri=PYTHON_SKILL,
                label="Python (computer programming)",
                type="skill",
                score=0.9,
                matched_label="Python",
                lang="en",
            ),
            SearchHit(
                uri=OTHER_SKILL,
                label="use scripting programming",
                type="skill",
                score=0.8,
                matched_label="scripting",
                lang="en",
            ),
        ]

    monkeypatch.setattr(skillpass.taxonomy, "search", search)
    response = issuer_client.get(
        "/issuer/skills/suggest",
        params={"outcome": 1, "outcome_1_text": "Write Python scripts for lab instruments."},
    )
    assert asked == [("Write Python scripts for lab instruments.", ConceptType.SKILL)]
    html = response.text
    assert 'name="outcome_1_skill"' in html
    assert f'value="{PYTHON_SKILL} Python (computer programming)"' in html
    assert "<legend>Suggested ESCO skills for outcome 2" in html

    # Without JavaScript: the "Suggest" button re-renders the form; ticked skills stay ticked
    # and are not suggested again.
    issuer = skillpass.issuers.create(name="Suggest College", country="FI", kind="vet")
    skillpass.issuers.add_member(issuer.id, "iris@example.org")
    token = csrf_from(issuer_client.get(f"/issuer/{issuer.id}/define").text)
    data = _definition(token) | {"action": "suggest_0"}
    html = issuer_client.post(f"/issuer/{issuer.id}/define", data=data).text
    assert f'value="{OTHER_SKILL} use scripting programming"' in html
    assert html.count(f'value="{PYTHON_SKILL} Python (computer programming)"') == 1


# --- /issuer: issue and revoke ----------------------------------------------------------------


def test_issuing_from_the_form_opens_the_credential_page(
    issuer_client: TestClient, skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    page = issuer_client.get(f"/issuer/achievements/{achievement.id}/issue").text
    assert '<legend>Format <span class="required">(required)</span></legend>' in page
    response = issuer_client.post(
        f"/issuer/achievements/{achievement.id}/issue",
        data={
            "csrf_token": csrf_from(page),
            "learner_email": "cleo@example.org",
            "learner_name": "Cleo Martin",
            "format": "ob3-jwt",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    [issued] = skillpass.credentials.list_credentials(achievement_id=achievement.id)
    assert issued.format == "ob3-jwt"
    assert issued.learner_name == "Cleo Martin"
    assert response.headers["location"] == f"/credentials/{issued.id.removeprefix('urn:uuid:')}"
    html = issuer_client.get(response.headers["location"]).text
    assert "Cleo Martin" in html
    assert "VC-JWT" in html


def test_issue_form_shows_a_bad_email_next_to_the_field(
    issuer_client: TestClient, skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    page = issuer_client.get(f"/issuer/achievements/{achievement.id}/issue").text
    response = issuer_client.post(
        f"/issuer/achievements/{achievement.id}/issue",
        data={"csrf_token": csrf_from(page), "learner_email": "not-an-email", "format": "ob3"},
    )
    assert response.status_code == 422
    assert 'id="learner_email-error"' in response.text
    assert "is not an e-mail address" in response.text
    assert skillpass.credentials.list_credentials(achievement_id=achievement.id) == []


def test_issue_without_csrf_is_refused(
    issuer_client: TestClient, skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    response = issuer_client.post(
        f"/issuer/achievements/{achievement.id}/issue",
        data={"learner_email": "cleo@example.org", "format": "ob3"},
    )
    assert response.status_code == 403
    assert skillpass.credentials.list_credentials(achievement_id=achievement.id) == []


def test_organisation_page_lists_definitions_and_credentials_with_revoke_forms(
    issuer_client: TestClient, issuer: Issuer, credential: IssuedCredential
) -> None:
    html = issuer_client.get(f"/issuer/{issuer.id}").text
    uuid = credential.id.removeprefix("urn:uuid:")
    assert "Applied machine learning for predictive maintenance" in html
    assert f'action="/issuer/credentials/{uuid}/revoke"' in html
    assert f'<label for="reason-{uuid}">' in html


def test_revoking_needs_a_reason(
    issuer_client: TestClient, skillpass: SkillPass, issuer: Issuer, credential: IssuedCredential
) -> None:
    token = csrf_from(issuer_client.get(f"/issuer/{issuer.id}").text)
    uuid = credential.id.removeprefix("urn:uuid:")
    response = issuer_client.post(
        f"/issuer/credentials/{uuid}/revoke", data={"csrf_token": token, "reason": "  "}
    )
    assert response.status_code == 422
    assert "Give a reason for the revocation" in response.text
    assert f'aria-describedby="reason-{uuid}-error"' in response.text
    assert not skillpass.credentials.get(credential.id).revoked


def test_revoking_with_a_reason_revokes_and_verification_reflects_it(
    issuer_client: TestClient, skillpass: SkillPass, issuer: Issuer, credential: IssuedCredential
) -> None:
    token = csrf_from(issuer_client.get(f"/issuer/{issuer.id}").text)
    uuid = credential.id.removeprefix("urn:uuid:")
    response = issuer_client.post(
        f"/issuer/credentials/{uuid}/revoke",
        data={"csrf_token": token, "reason": "Assessment was annulled"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert skillpass.credentials.get(credential.id).revoked
    html = issuer_client.get(response.headers["location"]).text
    assert "is revoked" in html
    report = issuer_client.get(f"/verify?credential={uuid}").text
    assert 'class="verdict verdict-not-verified"' in report


def test_revoking_without_csrf_is_refused(
    issuer_client: TestClient, skillpass: SkillPass, credential: IssuedCredential
) -> None:
    response = issuer_client.post(
        f"/issuer/credentials/{credential.id}/revoke", data={"reason": "no token"}
    )
    assert response.status_code == 403
    assert not skillpass.credentials.get(credential.id).revoked


def test_revoke_refused_for_a_learner(
    client: TestClient, skillpass: SkillPass, credential: IssuedCredential
) -> None:
    _sign_in(client, skillpass, "lea@example.org", [Role.LEARNER])
    token = csrf_from(client.get("/").text)
    response = client.post(
        f"/issuer/credentials/{credential.id}/revoke", data={"csrf_token": token, "reason": "x"}
    )
    assert response.status_code == 403
    assert not skillpass.credentials.get(credential.id).revoked


# --- the form mapping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("title", "title"),
        ("awarding_bodies", "body_2_name"),
        ("awarding_bodies.0.country", "body_2_country"),
        ("learning_outcomes.0.text", "outcome_3_text"),
        ("learning_outcomes.0.esco_skills.0.uri", "outcome_3_skills"),
        ("workload", "workload_ects"),
        ("level.nqf.framework", "nqf_framework"),
        ("assessment", "assessment_type"),
        ("participation.setting", "participation_setting"),
        ("integration.towards_url", "integration_towards_url"),
        ("supervision", "supervision"),
    ],
)
def test_model_problems_map_to_form_fields(element: str, expected: str) -> None:
    assert field_id(element, body_rows=[2], outcome_rows=[3]) == expected


def test_elm_credential_verifies_with_the_edc_shapes_configured(tmp_path: Path) -> None:
    from skillpass.api.app import create_api
    from skillpass.app import build
    from tests.conftest import make_settings

    shapes = Path(__file__).resolve().parents[3] / "shared" / "data" / "credentials" / "elm"
    if not (shapes / "edc-ap-context.jsonld").is_file():
        pytest.skip("../shared/data/credentials/elm is not present")
    settings = make_settings(tmp_path).model_copy(update={"elm_shapes": shapes})
    app = build(settings)
    try:
        issuer = app.issuers.create(name="Lakeside VET College", country="FI", kind="vet")
        record = app.achievements.create_from_file(issuer.id, EXAMPLE)
        elm = app.credentials.issue(record.id, "ana@example.org", "Ana López", None, "elm")
        with TestClient(create_api(app)) as elm_client:
            html = elm_client.post("/verify", data={"text": elm.document}).text
            page = elm_client.get(f"/credentials/{elm.id}").text
    finally:
        app.close()
    assert 'class="verdict verdict-verified"' in html
    assert "European Learning Model (Europass), JAdES seal" in html
    assert "Applied machine learning for predictive maintenance" in html
    assert "Ana López" in html
    assert "European Learning Model (sealed JSON)" in page


def test_credential_page_names_capability_areas_by_their_labels(
    client: TestClient, skillpass: SkillPass, issuer: Issuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skillpass.taxonomy.capabilities import CapabilityRef

    area = next(a for a in skillpass.capabilities.list_areas() if a.id == "quantum")
    ref = CapabilityRef(id=area.id, label=area.label, rule="seed", tier="core", reason="test")
    monkeypatch.setattr(skillpass.capabilities, "areas_for", lambda uri: [ref])
    record = skillpass.achievements.create_from_file(issuer.id, EXAMPLE)
    assert list(record.capability_areas) == ["quantum"]
    issued = skillpass.credentials.issue(record.id, "ana@example.org", format="ob3-jwt")
    html = client.get(f"/credentials/{issued.id.removeprefix('urn:uuid:')}").text
    assert f'<a href="/capabilities/quantum">{area.label}</a>' in html
    assert area.label != "quantum"
