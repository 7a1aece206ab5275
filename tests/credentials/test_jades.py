"""JAdES-style seals: the official signed ELM samples, tampering, and our own seals."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from skillpass.credentials.keys import generate_private_key
from skillpass.credentials.proofs.jades import TRUST_LIST_NOTE, seal_jades, verify_jades
from skillpass.credentials.signer import LocalSigner
from skillpass.errors import InvalidInput

from .conftest import CREDENTIALS

ELM = CREDENTIALS / "elm"


def _sample(name: str) -> dict:
    return json.loads((ELM / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name", ["Sample-MC-Annex1-signed.jsonld", "Sample-CertOfPart-signed.jsonld"]
)
def test_official_elm_seals_verify_offline_and_say_what_is_not_checked(
    credentials_dir, name
) -> None:
    credential, [result] = verify_jades(_sample(name))
    assert result.ok, result.detail
    assert result.suite == "RS256"
    assert result.key_source == "x5c"
    assert TRUST_LIST_NOTE in result.detail
    assert "EuropeanDigitalCredential" in credential["type"]


def test_expired_sample_certificate_is_reported(credentials_dir) -> None:
    _, [result] = verify_jades(
        _sample("Sample-MC-Annex1-signed.jsonld"), now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert result.extra
    assert result.extra["certificate"]["expired_now"] is True
    assert "expired on 2025-05-10" in result.detail


def test_signed_payload_matches_the_published_decoded_payload(credentials_dir) -> None:
    credential, _ = verify_jades(_sample("Sample-MC-Annex1-signed.jsonld"))
    assert credential == json.loads((ELM / "MC-Annex1-signed.payload.json").read_text())


def test_tampered_elm_payload_fails(credentials_dir) -> None:
    sealed = _sample("Sample-MC-Annex1-signed.jsonld")
    sealed["payload"] = sealed["payload"].replace("urn:epass:person:1", "urn:epass:person:2")
    _, [result] = verify_jades(sealed)
    assert not result.ok
    assert "does not match" in result.detail


def test_unknown_critical_header_is_refused(credentials_dir) -> None:
    signer = LocalSigner(generate_private_key())
    sealed = seal_jades({"a": 1}, signer)
    header = json.loads(_b64(sealed["signatures"][0]["protected"]))
    header["crit"] = ["b64", "sigT", "exotic"]
    header["exotic"] = True
    from skillpass.credentials.limits import b64url_encode

    sealed["signatures"][0]["protected"] = b64url_encode(json.dumps(header).encode())
    _, [result] = verify_jades(sealed)
    assert not result.ok
    assert "exotic" in result.detail


def _b64(text: str) -> bytes:
    from skillpass.credentials.limits import b64url_decode

    return b64url_decode(text)


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_our_seal_round_trips_and_detects_tampering(algorithm) -> None:
    signer = LocalSigner(generate_private_key(algorithm))
    credential = {"type": ["VerifiableCredential"], "title": "Réseaux — niveau 1"}
    sealed = seal_jades(credential, signer)
    header = json.loads(_b64(sealed["signatures"][0]["protected"]))
    assert header["b64"] is False
    assert header["kid"] == signer.verification_method
    assert "x5c" not in header
    decoded, [result] = verify_jades(sealed)
    assert result.ok
    assert decoded == credential
    tampered = copy.deepcopy(sealed)
    tampered["payload"] = tampered["payload"].replace("niveau 1", "niveau 2")
    assert not verify_jades(tampered)[1][0].ok


def test_not_a_jws_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="payload"):
        verify_jades({"signatures": []})
