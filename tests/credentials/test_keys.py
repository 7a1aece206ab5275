"""Keys: multibase/multicodec, did:key, JWKs, encryption at rest, signers."""

from __future__ import annotations

import pickle

import pytest

from skillpass.credentials.keys import (
    decrypt_private_key,
    did_key_verification_method,
    encrypt_private_key,
    generate_private_key,
    private_key_from_multibase,
    public_jwk,
    public_key_from_did_key,
    public_key_from_jwk,
    public_key_from_multibase,
    public_key_multibase,
    resolve_did_key,
)
from skillpass.credentials.signer import LocalSigner, Signer
from skillpass.errors import ConfigurationError, InvalidInput

from .conftest import load_json


def test_w3c_vector_secret_key_gives_published_public_multikey(credentials_dir) -> None:
    pair = load_json("w3c-vc-di-eddsa", "TestVectors", "keyPair.json")
    key = private_key_from_multibase(pair["privateKeyMultibase"])
    assert public_key_multibase(key) == pair["publicKeyMultibase"]


@pytest.mark.parametrize(("algorithm", "prefix"), [("Ed25519", "z6Mk"), ("P-256", "zDn")])
def test_multikey_round_trips_and_has_the_multicodec_prefix(algorithm, prefix) -> None:
    key = generate_private_key(algorithm)
    multibase = public_key_multibase(key)
    assert multibase.startswith(prefix)
    assert public_key_from_multibase(multibase) == key.public_key()


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_did_key_resolves_to_document_with_multibase_and_jwk(algorithm) -> None:
    key = generate_private_key(algorithm)
    vm = did_key_verification_method(key)
    did, fragment = vm.split("#")
    assert did == f"did:key:{fragment}"
    document = resolve_did_key(did)
    method = document["verificationMethod"][0]
    assert document["id"] == did
    assert method["id"] == vm
    assert method["publicKeyMultibase"] == fragment
    assert public_key_from_jwk(method["publicKeyJwk"]) == key.public_key()
    assert document["assertionMethod"] == [vm]
    assert public_key_from_did_key(vm) == key.public_key()


def test_did_key_with_foreign_fragment_is_refused() -> None:
    one, other = generate_private_key(), generate_private_key()
    did = did_key_verification_method(one).split("#")[0]
    with pytest.raises(InvalidInput, match="fragment"):
        public_key_from_did_key(did + "#" + public_key_multibase(other))


def test_public_jwk_never_contains_private_members() -> None:
    for algorithm in ("Ed25519", "P-256"):
        assert "d" not in public_jwk(generate_private_key(algorithm))


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_private_key_round_trips_through_encryption(algorithm) -> None:
    key = generate_private_key(algorithm)
    blob = encrypt_private_key(key, "a long key-encryption key")
    assert blob.startswith(b"SPK1")
    restored = decrypt_private_key(blob, "a long key-encryption key")
    assert public_key_multibase(restored) == public_key_multibase(key)


def test_encryption_uses_fresh_salt_and_nonce() -> None:
    key = generate_private_key()
    assert encrypt_private_key(key, "kek") != encrypt_private_key(key, "kek")


def test_wrong_key_encryption_key_is_a_clear_configuration_error() -> None:
    blob = encrypt_private_key(generate_private_key(), "right")
    with pytest.raises(ConfigurationError, match="SKILLPASS_KEY_ENCRYPTION_KEY"):
        decrypt_private_key(blob, "wrong")


def test_tampered_blob_is_refused() -> None:
    blob = bytearray(encrypt_private_key(generate_private_key(), "kek"))
    blob[-1] ^= 1
    with pytest.raises(ConfigurationError):
        decrypt_private_key(bytes(blob), "kek")


def test_not_a_key_blob_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="SPK1"):
        decrypt_private_key(b"-----BEGIN PRIVATE KEY-----", "kek")


def test_bad_multibase_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="multibase prefix"):
        public_key_from_multibase("f00ff")
    with pytest.raises(InvalidInput, match="base58btc"):
        public_key_from_multibase("z0OIl")


@pytest.mark.parametrize(("algorithm", "alg"), [("Ed25519", "EdDSA"), ("P-256", "ES256")])
def test_local_signer_implements_the_protocol_and_hides_the_key(algorithm, alg) -> None:
    key = generate_private_key(algorithm)
    signer = LocalSigner(key)
    assert isinstance(signer, Signer)
    assert signer.jose_alg == alg
    assert signer.verification_method == did_key_verification_method(key)
    assert signer.certificate_chain == ()
    assert "PRIVATE" not in repr(signer)
    assert "_key" not in repr(signer)
    assert len(signer.sign(b"data")) == 64
    with pytest.raises(TypeError):
        pickle.dumps(signer)
