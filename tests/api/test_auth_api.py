"""/api/v1/me, /users, /tokens via the ASGI app: 401 without a token, 403 without the role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.api.deps import MaybeUser, require_roles
from skillpass.app import SkillPass
from skillpass.auth.models import Role, User

PASSWORD = "correct horse battery"


@pytest.fixture
def client(skillpass: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(skillpass)) as test_client:
        yield test_client


def bearer(skillpass: SkillPass, email: str, *roles: Role) -> dict[str, str]:
    """Create a user with ``roles`` and return an Authorization header for them."""
    user = skillpass.auth.create_user(email, email.split("@")[0], PASSWORD, roles)
    token = skillpass.auth.create_token(user.public_id, "test").token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(skillpass: SkillPass) -> dict[str, str]:
    return bearer(skillpass, "admin@example.org", Role.ADMIN)


@pytest.fixture
def learner(skillpass: SkillPass) -> dict[str, str]:
    return bearer(skillpass, "learner@example.org", Role.LEARNER)


NEW_USER = {
    "email": "New.Issuer@Example.org",
    "display_name": "New Issuer",
    "password": PASSWORD,
    "roles": ["issuer"],
}


def test_me_without_token_is_401_with_envelope(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "authentication"
    assert "Authorization: Bearer" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "header", ["Bearer sp_not-a-real-token", "Bearer ", "Basic YWRtaW46YWRtaW4=", "sp_abc"]
)
def test_me_with_bad_credentials_is_401(client: TestClient, header: str) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_me_returns_the_token_user_without_secrets(
    client: TestClient, learner: dict[str, str]
) -> None:
    response = client.get("/api/v1/me", headers=learner)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "learner@example.org"
    assert body["roles"] == ["learner"]
    assert set(body) == {
        "id",
        "email",
        "display_name",
        "roles",
        "is_active",
        "synthetic",
        "created_at",
    }


def test_create_user_without_token_is_401(client: TestClient) -> None:
    assert client.post("/api/v1/users", json=NEW_USER).status_code == 401


def test_create_user_with_wrong_role_is_403_naming_the_role(
    client: TestClient, learner: dict[str, str]
) -> None:
    response = client.post("/api/v1/users", json=NEW_USER, headers=learner)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert "admin" in response.json()["error"]["message"]


def test_admin_creates_user_and_never_sees_a_hash(
    client: TestClient, admin: dict[str, str], skillpass: SkillPass
) -> None:
    response = client.post("/api/v1/users", json=NEW_USER, headers=admin)
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.issuer@example.org"
    assert body["roles"] == ["issuer"]
    assert "password" not in response.text
    assert "argon2" not in response.text
    assert skillpass.auth.authenticate("new.issuer@example.org", PASSWORD).public_id == body["id"]


def test_create_user_duplicate_is_409(client: TestClient, admin: dict[str, str]) -> None:
    assert client.post("/api/v1/users", json=NEW_USER, headers=admin).status_code == 201
    response = client.post("/api/v1/users", json=NEW_USER, headers=admin)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_create_user_short_password_and_bad_role_are_422(
    client: TestClient, admin: dict[str, str]
) -> None:
    short = client.post("/api/v1/users", json={**NEW_USER, "password": "short"}, headers=admin)
    assert short.status_code == 422
    assert "at least 10" in short.json()["error"]["message"]
    role = client.post("/api/v1/users", json={**NEW_USER, "roles": ["wizard"]}, headers=admin)
    assert role.status_code == 422
    assert "learner, issuer, verifier, assessor, analyst, admin" in role.json()["error"]["message"]


def test_list_users_needs_admin(
    client: TestClient, admin: dict[str, str], learner: dict[str, str]
) -> None:
    assert client.get("/api/v1/users").status_code == 401
    assert client.get("/api/v1/users", headers=learner).status_code == 403
    response = client.get("/api/v1/users", headers=admin)
    assert response.status_code == 200
    assert {u["email"] for u in response.json()} == {"admin@example.org", "learner@example.org"}
    assert "password" not in response.text


def test_token_secret_is_returned_once_and_works(
    client: TestClient, learner: dict[str, str]
) -> None:
    created = client.post("/api/v1/tokens", json={"name": "script"}, headers=learner)
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("sp_")
    listed = client.get("/api/v1/tokens", headers=learner)
    assert secret not in listed.text
    assert {t["name"] for t in listed.json()} == {"test", "script"}
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["email"] == "learner@example.org"


def test_create_token_without_token_is_401(client: TestClient) -> None:
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 401


def test_revoked_token_is_refused(client: TestClient, learner: dict[str, str]) -> None:
    created = client.post("/api/v1/tokens", json={"name": "script"}, headers=learner).json()
    revoke = client.delete(f"/api/v1/tokens/{created['id']}", headers=learner)
    assert revoke.status_code == 204
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert me.status_code == 401


def test_revoking_someone_elses_token_needs_admin(
    client: TestClient, skillpass: SkillPass, admin: dict[str, str], learner: dict[str, str]
) -> None:
    other = bearer(skillpass, "other@example.org", Role.ISSUER)
    token_id = client.get("/api/v1/tokens", headers=learner).json()[0]["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=other).status_code == 404
    assert client.get("/api/v1/me", headers=learner).status_code == 200
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=admin).status_code == 204
    assert client.get("/api/v1/me", headers=learner).status_code == 401


def test_deactivated_users_token_is_refused(
    client: TestClient, skillpass: SkillPass, learner: dict[str, str]
) -> None:
    skillpass.auth.set_active("learner@example.org", False)
    assert client.get("/api/v1/me", headers=learner).status_code == 401


def test_openapi_declares_bearer_security(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert schema["paths"]["/api/v1/users"]["post"]["security"] == [{"HTTPBearer": []}]


def test_require_roles_and_maybe_user_on_any_route(
    skillpass: SkillPass, learner: dict[str, str]
) -> None:
    api = create_api(skillpass)

    @api.post("/probe/issue")
    def issue(user: Annotated[User, Depends(require_roles(Role.ISSUER, Role.ASSESSOR))]) -> str:
        return user.email

    @api.get("/probe/whoami")
    def whoami(user: MaybeUser) -> str | None:
        return user.email if user else None

    issuer = bearer(skillpass, "issuer@example.org", Role.ISSUER)
    with TestClient(api) as client:
        assert client.post("/probe/issue").status_code == 401
        refused = client.post("/probe/issue", headers=learner)
        assert refused.status_code == 403
        assert "assessor or issuer" in refused.json()["error"]["message"]
        assert client.post("/probe/issue", headers=issuer).json() == "issuer@example.org"
        assert client.get("/probe/whoami").json() is None
        assert client.get("/probe/whoami", headers=learner).json() == "learner@example.org"
        bad = {"Authorization": "Bearer sp_wrong"}
        assert client.get("/probe/whoami", headers=bad).status_code == 401
