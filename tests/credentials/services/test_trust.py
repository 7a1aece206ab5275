"""Trust registries: pinned and imported keys, accredited issuers, the fetch allow-list."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.config import Settings
from skillpass.credentials.records import AchievementRecord, Issuer
from skillpass.errors import InvalidInput, NotFound
from tests.conftest import make_settings


@pytest.fixture
def verifier(tmp_path: Path) -> Iterator[SkillPass]:
    """A second, independent SkillPass installation (another operator)."""
    app = build(make_settings(tmp_path / "verifier"))
    yield app
    app.close()


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise ConnectionRefusedError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_pinned_key_resolves_and_can_be_removed(skillpass: SkillPass, issuer: Issuer) -> None:
    key = issuer.keys[0]
    pinned = skillpass.trust.pin_key(
        "did:web:other.example#key-1", public_key_multibase=key.public_key_multibase
    )
    assert pinned.controller == "did:web:other.example"
    assert skillpass.trust.resolve_key("did:web:other.example#key-1") is not None
    assert [k.verification_method for k in skillpass.trust.list_keys()] == [
        "did:web:other.example#key-1"
    ]
    skillpass.trust.remove_key("did:web:other.example#key-1")
    assert skillpass.trust.resolve_key("did:web:other.example#key-1") is None
    with pytest.raises(NotFound):
        skillpass.trust.remove_key("did:web:other.example#key-1")


@pytest.mark.parametrize(
    ("method", "multibase", "jwk", "message"),
    [
        ("not a method", "z6Mk", None, "not a verification method"),
        ("did:web:x.example#k", "zNotAKey", None, "public key"),
        ("did:web:x.example#k", None, None, "Give the key once"),
        (
            "did:web:x.example#k",
            None,
            {"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"},
            "private key",
        ),
    ],
)
def test_bad_pins_are_refused(
    skillpass: SkillPass,
    method: str,
    multibase: str | None,
    jwk: dict[str, str] | None,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        skillpass.trust.pin_key(method, public_key_multibase=multibase, public_key_jwk=jwk)


def test_did_web_credential_verifies_elsewhere_only_after_importing_the_did_document(
    skillpass: SkillPass, achievement: AchievementRecord, verifier: SkillPass, tmp_path: Path
) -> None:
    issued = skillpass.credentials.issue(
        achievement.id, "ana@example.org", format="ob3-jwt", did_method="web"
    )
    before = verifier.trust.verify(issued.document)
    assert not before.verified
    assert before.check("proof").ok is not True  # type: ignore[union-attr]

    did_json = tmp_path / "did.json"
    did_json.write_text(
        json.dumps(skillpass.issuers.did_document(achievement.issuer_id)), encoding="utf-8"
    )
    imported = verifier.trust.import_file(did_json)
    assert [k.source for k in imported] == ["did.json"]
    after = verifier.trust.verify(issued.document)
    assert after.check("proof").ok is True  # type: ignore[union-attr]
    # the verifier does not hold the issuer's status list and may not fetch it
    assert after.check("status").ok is None  # type: ignore[union-attr]
    assert after.verified


def test_import_without_keys_is_refused(skillpass: SkillPass, issuer: Issuer) -> None:
    with pytest.raises(InvalidInput, match="holds no public key"):
        skillpass.trust.import_document(skillpass.issuers.profile(issuer.id), "profile.json")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        skillpass.trust.import_document(b"{nope", "broken.json")


def test_import_reads_keys_from_an_ob2_style_issuer_profile(skillpass: SkillPass) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    profile = {
        "id": "https://issuer.example/profile",
        "type": "Issuer",
        "publicKey": {"id": "https://issuer.example/key", "publicKeyPem": pem},
    }
    [key] = skillpass.trust.import_document(profile, "issuer.json")
    assert key.public_key_jwk is not None
    assert key.public_key_jwk["crv"] == "P-256"


def test_trusted_issuer_registry_semantics(
    skillpass: SkillPass, issuer: Issuer, verifier: SkillPass
) -> None:
    # our own issuers are trusted by their did:web and every did:key
    assert skillpass.trust.is_trusted_issuer(issuer.did) is True
    assert skillpass.trust.is_trusted_issuer(issuer.did_key or "") is True
    # a foreign issuer: not checked while the registry is empty ...
    assert verifier.trust.is_trusted_issuer(issuer.did) is None
    verifier.trust.add_issuer("did:web:other.example", country="fi", name="Other  Uni")
    # ... and refused once the operator keeps a registry
    assert verifier.trust.is_trusted_issuer(issuer.did) is False
    entry = verifier.trust.add_issuer(issuer.did, country="SE", name=issuer.legal_name)
    assert entry.country == "SE"
    assert verifier.trust.is_trusted_issuer(issuer.did) is True
    assert [i.name for i in verifier.trust.list_trusted_issuers("fi")] == ["Other Uni"]
    verifier.trust.remove_issuer(issuer.did)
    assert verifier.trust.is_trusted_issuer(issuer.did) is False
    with pytest.raises(InvalidInput, match="country"):
        verifier.trust.add_issuer("did:web:x.example", country="Finland", name="X")


def test_fetch_contacts_no_host_unless_allow_listed(
    skillpass: SkillPass, no_sockets: list[object]
) -> None:
    assert skillpass.trust.fetch("https://issuer.example/did.json") is None
    assert skillpass.trust.context().fetch is None
    assert no_sockets == []


def test_fetch_of_an_allowed_host_is_bounded_and_fails_softly(
    settings: Settings, no_sockets: list[object]
) -> None:
    app = build(settings.model_copy(update={"allowed_fetch_hosts": ["issuer.example"]}))
    try:
        assert app.trust.context().fetch is not None
        # plain http to a non-local host is refused before any connection
        assert app.trust.fetch("http://issuer.example/did.json") is None
        assert no_sockets == []
        # an allowed https host is tried; the failure is a None, not a crash
        assert app.trust.fetch("https://issuer.example/did.json") is None
        assert no_sockets != []
    finally:
        app.close()
