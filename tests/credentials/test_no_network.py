"""No network, ever, unless the operator passes a fetch callable: sockets are blocked and the
verifier still answers, clearly, for remote contexts, keys and status lists."""

from __future__ import annotations

import socket

import pytest

from skillpass.credentials.keys import generate_private_key
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.credentials.signer import LocalSigner
from skillpass.credentials.verify import verify_credential

from .conftest import load_json


class NetworkAttempted(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise NetworkAttempted(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_remote_context_is_a_clear_failure_without_a_download(no_network) -> None:
    document = load_json(
        "w3c-vc-di-eddsa", "TestVectors", "eddsa-rdfc-2022", "employ", "signedDataInt.json"
    )
    report = verify_credential(document)
    assert report.check("contexts").ok is False
    assert "never downloads" in report.check("contexts").detail
    assert no_network == []


def test_inline_import_of_a_remote_context_is_refused(no_network) -> None:
    signer = LocalSigner(generate_private_key())
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {"@import": "https://evil.example/context.jsonld", "x": "https://e/x"},
        ],
        "type": ["VerifiableCredential"],
        "issuer": signer.verification_method.split("#")[0],
        "credentialSubject": {"x": 1},
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "verificationMethod": signer.verification_method,
            "proofPurpose": "assertionMethod",
            "proofValue": "z1111",
        },
    }
    report = verify_credential(credential)
    assert not report.verified
    assert "evil.example" in " ".join(report.errors)
    assert no_network == []


def test_remote_did_web_key_is_not_resolved(no_network) -> None:
    document = load_json("ob3-spec-vectors", "ob3_signed_vector.json")
    report = verify_credential(document)
    assert report.check("proof").ok is False
    assert report.check("key").ok is False
    assert "key registry" in report.check("key").detail
    assert no_network == []


def test_jwt_with_remote_kid_is_not_resolved(no_network) -> None:
    signer = LocalSigner(generate_private_key(), verification_method="did:web:issuer.example#k1")
    token = sign_vc_jwt(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": "did:web:issuer.example",
            "credentialSubject": {},
        },
        signer,
    )
    report = verify_credential(token)
    assert report.check("key").ok is False
    assert no_network == []


def test_remote_status_list_is_reported_not_checked(no_network) -> None:
    signer = LocalSigner(generate_private_key())
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": signer.verification_method.split("#")[0],
        "credentialSubject": {"id": "did:example:x"},
        "credentialStatus": {
            "id": "https://remote.example/status#1",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "1",
            "statusListCredential": "https://remote.example/status",
        },
    }
    report = verify_credential(sign_data_integrity(credential, signer))
    assert report.check("status").ok is None
    assert report.verified
    assert no_network == []
