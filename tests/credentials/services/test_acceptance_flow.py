"""Issue 3 acceptance, end to end through the services: with examples/micro-credential.yaml,
create an issuer and the definition, issue OB3 (both cryptosuites), OB3-JWT and ELM; each
verifies; a tampered copy fails on its proof; after revocation each fails on status."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.config import Settings
from skillpass.credentials.issuance import Cryptosuite
from skillpass.credentials.verify import VerificationReport

from .conftest import ELM_SHAPES, EXAMPLE


@pytest.fixture
def app(settings: Settings) -> Iterator[SkillPass]:
    """A SkillPass that also checks ELM credentials against the official EDC shapes."""
    if not (ELM_SHAPES / "EDC-generic-full.ttl").is_file():
        pytest.skip("../shared/data/credentials/elm is not present")
    built = build(settings.model_copy(update={"elm_shapes": ELM_SHAPES}))
    yield built
    built.close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def tamper(document: str, fmt: str) -> str:
    """Change the learner-facing title inside the signed data, keeping the signature."""
    if fmt == "ob3-jwt":
        header, payload, signature = document.split(".")
        claims = json.loads(_unb64(payload))
        claims["name"] = "Doctorate in everything"
        return ".".join([header, _b64(json.dumps(claims).encode()), signature])
    data = json.loads(document)
    if fmt == "elm":
        payload = json.loads(data["payload"])
        payload["issued"] = "2001-01-01T00:00:00Z"
        data["payload"] = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        return json.dumps(data)
    data["name"] = "Doctorate in everything"
    return json.dumps(data)


def _check(report: VerificationReport, name: str) -> bool | None:
    check = report.check(name)
    assert check is not None, f"no {name} check in {report.to_dict()}"
    return check.ok


@pytest.mark.parametrize(
    ("fmt", "suite"),
    [
        ("ob3", "eddsa-rdfc-2022"),
        ("ob3", "eddsa-jcs-2022"),
        ("ob3-jwt", "eddsa-rdfc-2022"),
        ("elm", "eddsa-rdfc-2022"),
    ],
)
def test_issue_verify_tamper_revoke(app: SkillPass, fmt: str, suite: Cryptosuite) -> None:
    issuer = app.issuers.create(
        name="Rhine-Ruhr Institute of Applied Data Science",
        country="DE",
        kind="university",
        region="DEA1",
        registration_ids={"eidas": "DE:HRB-000001"},
    )
    achievement = app.achievements.create_from_file(issuer.id, Path(EXAMPLE))
    issued = app.credentials.issue(
        achievement.id, "learner@example.org", "Lea Learner", format=fmt, cryptosuite=suite
    )

    report = app.trust.verify(issued.document)
    assert report.verified, report.to_dict()
    assert _check(report, "proof") is True
    assert _check(report, "status") is True
    assert _check(report, "issuer_trusted") is True
    if fmt == "elm":
        assert _check(report, "schema") is True  # EDC SHACL shapes

    tampered = app.trust.verify(tamper(issued.document, fmt))
    assert not tampered.verified
    assert _check(tampered, "proof") is False

    app.credentials.revoke(issued.id, "awarded in error")
    revoked = app.trust.verify(issued.document)
    assert not revoked.verified
    assert _check(revoked, "proof") is True
    assert _check(revoked, "status") is False
    assert any("revoked" in error for error in revoked.errors)
