"""VC-JWT against the W3C vc-jose-cose test inputs, and our own EdDSA/ES256 tokens."""

from __future__ import annotations

import warnings

import pytest

from skillpass.credentials.keys import generate_private_key, public_jwk
from skillpass.credentials.proofs.jwt import decode_jwt, sign_vc_jwt, verify_vc_jwt
from skillpass.credentials.signer import LocalSigner
from skillpass.credentials.verify import verify_credential
from skillpass.errors import InvalidInput

from .conftest import CREDENTIALS, vector_keys

JOSE = CREDENTIALS / "w3c-vc-jose-cose"


def _token(name: str) -> str:
    return (JOSE / name).read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(
    "name",
    [
        "credential-jose-minimal.txt",  # ES256
        "credential-issuer-match-signed.txt",  # EdDSA
        "credential-jose-vc-vp-claims.txt",
        "credential-jose-unknown-extensions.txt",  # ES512
    ],
)
def test_good_jose_vectors_verify(credentials_dir, name) -> None:
    _, result = verify_vc_jwt(_token(name), vector_keys(credentials_dir).get)
    assert result.ok, result.detail


def test_bad_signature_vector_fails_on_the_signature(credentials_dir) -> None:
    _, result = verify_vc_jwt(
        _token("credential-jose-bad-signature.txt"), vector_keys(credentials_dir).get
    )
    assert not result.ok
    assert "signature does not match" in result.detail


def test_bad_media_type_vector_fails_on_the_media_type(credentials_dir) -> None:
    _, result = verify_vc_jwt(
        _token("credential-jose-bad-media-type.txt"), vector_keys(credentials_dir).get
    )
    assert not result.ok
    assert "media type" in result.detail


def test_sd_jwt_is_reported_unsupported_not_wrong(vector_ctx) -> None:
    report = verify_credential(_token("credential-sdjwt-selective.txt"), vector_ctx)
    assert report.format == "vc-sd-jwt"
    assert not report.processable
    assert "SD-JWT" in report.errors[0]


@pytest.mark.parametrize("name", ["credential-cose-minimal.txt", "presentation-cose-single.txt"])
def test_cose_is_reported_unsupported(vector_ctx, name) -> None:
    report = verify_credential(_token(name), vector_ctx)
    assert report.format == "vc-cose"
    assert not report.processable
    assert "COSE" in report.errors[0]


def test_unknown_kid_is_a_key_failure_not_a_signature_failure() -> None:
    _, result = verify_vc_jwt(_token("credential-jose-minimal.txt"))
    assert not result.ok
    assert not result.key_resolved
    assert "key registry" in result.detail


def _credential(issuer: str) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:6a7b0f1e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }


@pytest.mark.parametrize(("algorithm", "typ"), [("Ed25519", "JWT"), ("P-256", "vc+jwt")])
def test_our_tokens_verify_with_did_key_and_carry_ob3_claims(algorithm, typ) -> None:
    signer = LocalSigner(generate_private_key(algorithm))
    did = signer.verification_method.split("#")[0]
    token = sign_vc_jwt(_credential(did), signer, typ=typ)
    decoded, result = verify_vc_jwt(token)
    assert result.ok, result.detail
    assert decoded.header["typ"] == typ
    assert decoded.header["kid"] == signer.verification_method
    assert decoded.payload["iss"] == did
    assert decoded.payload["nbf"] == 1704067200
    assert decoded.payload["jti"] == _credential(did)["id"]
    assert decoded.payload["sub"] == "did:example:learner"


def test_tampered_payload_fails() -> None:
    import json

    from skillpass.credentials.limits import b64url_encode

    signer = LocalSigner(generate_private_key())
    header, _, signature = sign_vc_jwt(_credential("did:example:i"), signer).split(".")
    forged = b64url_encode(json.dumps(_credential("did:example:other")).encode())
    _, result = verify_vc_jwt(".".join([header, forged, signature]))
    assert not result.ok
    assert "does not match" in result.detail


def test_alg_none_is_refused() -> None:
    signer = LocalSigner(generate_private_key())
    token = sign_vc_jwt(_credential("did:example:i"), signer)
    header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"  # {"alg":"none","typ":"JWT"}
    _, result = verify_vc_jwt(header + "." + token.split(".")[1] + ".")
    assert not result.ok
    assert "not accepted" in result.detail


def test_joserfc_tokens_verify_with_our_verifier() -> None:
    """An independent JOSE implementation signs; we verify (EdDSA with embedded jwk)."""
    from joserfc import jws
    from joserfc.jwk import OKPKey

    key = OKPKey.generate_key("Ed25519")
    jwk = key.as_dict(private=False)
    signer_did = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jws.serialize_compact(
            {"alg": "EdDSA", "typ": "JWT", "jwk": jwk},
            b'{"type":["VerifiableCredential"],"issuer":"https://issuer.example",'
            b'"credentialSubject":{}}',
            key,
            algorithms=["EdDSA"],
        )
    _, result = verify_vc_jwt(token)
    assert result.ok
    assert result.key_source == "embedded-jwk"
    assert signer_did is None


def test_private_jwk_in_header_is_refused() -> None:
    signer = LocalSigner(generate_private_key())
    token = sign_vc_jwt(_credential("did:example:i"), signer)
    decoded = decode_jwt(token)
    assert "d" not in public_jwk(generate_private_key())
    assert decoded.header["alg"] == "EdDSA"


def test_garbage_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="base64url"):
        decode_jwt("eyJ!!.e30.e30")
