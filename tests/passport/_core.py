"""Helpers for the passport core tests: an issuer with the example definition, learners, and
credentials issued on the platform (signed for real), plus the public 1EdTech OB3 vector."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.credentials.records import AchievementRecord, IssuedCredential
from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "micro-credential.yaml"
OB3_VECTOR = SHARED_DATA / "credentials" / "ob3-spec-vectors" / "ob3_signed_vector.json"
PASSWORD = "correct horse battery"


def learner(app: SkillPass, name: str = "Ana Learner", *roles: Role) -> User:
    """A user with a unique e-mail address (a learner unless roles are given)."""
    email = f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:8]}@example.org"
    return app.auth.create_user(email, name, PASSWORD, roles or (Role.LEARNER,))


def definition(app: SkillPass, name: str = "Northvale University") -> AchievementRecord:
    """A Swedish university issuer and the example micro-credential definition."""
    issuer = app.issuers.create(
        name=f"{name} {uuid.uuid4().hex[:6]}", country="SE", kind="university"
    )
    return app.achievements.create_from_file(issuer.id, EXAMPLE)


def issue_to(
    app: SkillPass, user: User, fmt: str = "ob3", achievement: AchievementRecord | None = None
) -> IssuedCredential:
    """A credential of the example definition issued to the user's e-mail."""
    record = achievement or definition(app)
    return app.credentials.issue(record.id, user.email, user.display_name, format=fmt)


def tamper(document: str) -> str:
    """Change the title inside the signed data of an OB3 JSON or OB3-JWT credential."""
    if document.count(".") == 2 and not document.lstrip().startswith("{"):
        header, payload, signature = document.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["name"] = "Doctorate in everything"
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{body}.{signature}"
    data = json.loads(document)
    data["credentialSubject"]["achievement"]["name"] = "Doctorate in everything"
    return json.dumps(data)


def ob3_vector() -> str | None:
    """The 1EdTech signed OB3 vector (a foreign issuer), or None when the data is absent."""
    return OB3_VECTOR.read_text(encoding="utf-8") if OB3_VECTOR.is_file() else None


def pin_vector_key(app: SkillPass, document: str) -> None:
    """Pin the key 1EdTech publishes for its vector (the fragment is the multikey)."""
    method = json.loads(document)["proof"]["verificationMethod"]
    app.trust.pin_key(method, public_key_multibase=method.split("#", 1)[1])
