"""Interoperability both ways with openbadgeslib (PyPI, an independent OB3 implementation; a
test-only dependency): Data Integrity ``eddsa-rdfc-2022`` and VC-JWT (EdDSA)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from skillpass.credentials.keys import did_key_from_public_key, generate_private_key
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.credentials.signer import LocalSigner
from skillpass.credentials.verify import verify_credential

ob3 = pytest.importorskip("openbadgeslib.ob3")


@pytest.fixture
def key_and_pem() -> tuple[Any, bytes]:
    from cryptography.hazmat.primitives import serialization

    key = generate_private_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key, pem


def _their_credential(did: str) -> Any:
    return ob3.OpenBadgeCredential(
        issuer=ob3.Issuer(id=did, name="Example University"),
        recipient_id="did:example:learner",
        achievement=ob3.Achievement(
            id="https://example.edu/achievements/data-literacy",
            name="Data Literacy",
            description="Reads and cleans tabular data.",
            criteria_narrative="Pass the project.",
            achievement_type="MicroCredential",
        ),
        id="urn:uuid:1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
        issuance_date=datetime(2024, 1, 1, tzinfo=UTC),
    )


def test_openbadgeslib_data_integrity_credential_verifies_with_ours(key_and_pem) -> None:
    key, pem = key_and_pem
    signed = ob3.OB3LdpSigner(pem).sign(_their_credential(did_key_from_public_key(key)))
    report = verify_credential(signed)
    assert report.verified, report.to_dict()
    assert report.format == "ob3-data-integrity"


def test_openbadgeslib_jwt_credential_verifies_with_ours(key_and_pem) -> None:
    key, pem = key_and_pem
    token = ob3.OB3Signer(pem, algorithm="EdDSA").sign(
        _their_credential(did_key_from_public_key(key))
    )
    report = verify_credential(token)
    assert report.verified, report.to_dict()
    assert report.format == "vc-jwt"


def _our_document(did: str, key_and_pem) -> dict[str, Any]:
    """The same OB3 credential built by us (only contexts openbadgeslib bundles)."""
    _, pem = key_and_pem
    signed = ob3.OB3LdpSigner(pem).sign(_their_credential(did))
    return {k: v for k, v in signed.items() if k != "proof"}


def test_our_data_integrity_credential_verifies_with_openbadgeslib(key_and_pem) -> None:
    key, _ = key_and_pem
    document = _our_document(did_key_from_public_key(key), key_and_pem)
    document["name"] = "Data Literacy (issued by SkillPass)"
    ours = sign_data_integrity(document, LocalSigner(key))
    verified = ob3.OB3LdpVerifier().verify(ours)
    assert verified.id == document["id"]


def test_our_tampered_credential_is_rejected_by_openbadgeslib(key_and_pem) -> None:
    key, _ = key_and_pem
    ours = sign_data_integrity(
        _our_document(did_key_from_public_key(key), key_and_pem), LocalSigner(key)
    )
    ours["name"] = "Something else"
    with pytest.raises(ob3.OB3VerificationError):
        ob3.OB3LdpVerifier().verify(ours)


def test_our_jwt_credential_verifies_with_openbadgeslib(key_and_pem) -> None:
    key, _pem = key_and_pem
    from cryptography.hazmat.primitives import serialization

    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    document = _our_document(did_key_from_public_key(key), key_and_pem)
    token = sign_vc_jwt(document, LocalSigner(key))
    verified = ob3.OB3Verifier(public_pem).verify(token)
    assert verified.id == document["id"]
