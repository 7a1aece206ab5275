"""Web sign-in: signed session cookie, CSRF-protected forms, safe redirects."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.config import Environment, Settings
from skillpass.web.app import SESSION_COOKIE
from skillpass.web.auth_pages import safe_next
from tests.web.conftest import PASSWORD, csrf_from

EMAIL = "ana@example.org"


@pytest.fixture
def ana(skillpass: SkillPass) -> str:
    skillpass.auth.create_user(EMAIL, "Ana López", PASSWORD, [Role.ISSUER, Role.ASSESSOR])
    return EMAIL


def _sign_in(client: TestClient, email: str, password: str, **extra: str) -> object:
    token = csrf_from(client.get("/login").text)
    data = {"email": email, "password": password, "csrf_token": token, **extra}
    return client.post("/login", data=data, follow_redirects=False)


def test_sign_in_starts_a_session_and_shows_who_is_signed_in(client: TestClient, ana: str) -> None:
    response = _sign_in(client, ana, PASSWORD)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/"  # type: ignore[attr-defined]
    html = client.get("/").text
    assert "Signed in as <strong>Ana López</strong>" in html
    assert "(assessor, issuer)" in html
    assert 'action="/logout"' in html


def test_sign_in_goes_back_to_the_page_asked_for(client: TestClient, ana: str) -> None:
    response = _sign_in(client, ana, PASSWORD, next="/levels?country=SE")
    assert response.headers["location"] == "/levels?country=SE"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "levels", ""]
)
def test_sign_in_never_redirects_to_another_site(target: str) -> None:
    assert safe_next(target) == "/"


def test_wrong_password_is_refused_without_a_session(client: TestClient, ana: str) -> None:
    response = _sign_in(client, ana, "not the password")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert "The email or password is not right" in response.text  # type: ignore[attr-defined]
    assert "Signed in as" not in client.get("/").text


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(
    client: TestClient, ana: str
) -> None:
    unknown = _sign_in(client, "nobody@example.org", PASSWORD)
    wrong = _sign_in(client, ana, "not the password")
    assert unknown.status_code == wrong.status_code == 401  # type: ignore[attr-defined]


def test_sign_in_without_the_csrf_token_is_refused(client: TestClient, ana: str) -> None:
    client.get("/login")
    response = client.post(
        "/login", data={"email": ana, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "expired or did not come from this site" in response.text
    assert "Signed in as" not in client.get("/").text


def test_a_csrf_token_from_another_session_is_refused(
    client: TestClient, skillpass: SkillPass, ana: str
) -> None:
    with TestClient(create_api(skillpass)) as attacker:
        stolen = csrf_from(attacker.get("/login").text)
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": ana, "password": PASSWORD, "csrf_token": stolen},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_sign_out_needs_the_csrf_token_then_ends_the_session(client: TestClient, ana: str) -> None:
    _sign_in(client, ana, PASSWORD)
    refused = client.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    assert "Signed in as" in client.get("/").text
    token = csrf_from(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "Signed in as" not in client.get("/").text


def test_sign_in_gives_a_new_csrf_token(client: TestClient, ana: str) -> None:
    before = csrf_from(client.get("/login").text)
    _sign_in(client, ana, PASSWORD)
    after = csrf_from(client.get("/").text)
    assert before != after


def test_a_deactivated_user_is_signed_out(
    client: TestClient, skillpass: SkillPass, ana: str
) -> None:
    _sign_in(client, ana, PASSWORD)
    skillpass.auth.set_active(ana, False)
    assert "Signed in as" not in client.get("/").text


def test_the_session_cookie_is_signed_httponly_and_samesite(client: TestClient, ana: str) -> None:
    response = _sign_in(client, ana, PASSWORD)
    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http outside production
    assert EMAIL not in cookie


def test_a_tampered_session_cookie_is_ignored(client: TestClient, ana: str) -> None:
    _sign_in(client, ana, PASSWORD)
    value = client.cookies[SESSION_COOKIE]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value[:-4] + ("AAAA" if value[-4:] != "AAAA" else "BBBB"))
    assert "Signed in as" not in client.get("/").text


def test_in_production_the_session_cookie_is_https_only(tmp_path: Path) -> None:
    settings = Settings(
        environment=Environment.PRODUCTION,
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        secret_key="s" * 48,
        key_encryption_key="k" * 48,
    )
    app = build(settings)
    try:
        with TestClient(create_api(app), base_url="https://testserver") as https_client:
            response = https_client.get("/login")
            assert "secure" in response.headers["set-cookie"].lower()
    finally:
        app.close()
