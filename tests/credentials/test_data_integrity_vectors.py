"""Data Integrity against the W3C vc-di-eddsa vectors and the 1EdTech OB3/CLR vectors:
canonical forms, hashes and signatures byte for byte.

The ``eddsa-rdfc-2022/employ`` vector is skipped: it needs https://w3id.org/citizenship/v4rc1,
a context no package ships and the shared folder does not include.
"""

from __future__ import annotations

import copy
import hashlib

import pytest

from skillpass.credentials.contexts import UnknownContextError
from skillpass.credentials.keys import private_key_from_multibase, public_key_from_multibase
from skillpass.credentials.limits import multibase_encode
from skillpass.credentials.proofs.data_integrity import (
    canonicalize_rdfc,
    hash_data,
    proof_configuration,
    sign_data_integrity,
    transform_document,
    verify_data_integrity,
)
from skillpass.credentials.signer import LocalSigner
from skillpass.errors import InvalidInput

from .conftest import CREDENTIALS, OB3_VECTOR_ISSUER, load_json

VECTORS = CREDENTIALS / "w3c-vc-di-eddsa" / "TestVectors"
SUITES = [
    ("eddsa-rdfc-2022", "DataInt", "eddsa-rdfc-2022"),
    ("eddsa-jcs-2022", "JCS", "eddsa-jcs-2022"),
    ("Ed25519Signature2020", "EdSig", "Ed25519Signature2020"),
]


def _text(folder: str, name: str) -> str:
    return (VECTORS / folder / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("folder", "suffix", "suite"), SUITES)
def test_canonical_forms_hashes_and_signature_match_the_w3c_vectors(
    vector_store, folder, suffix, suite
) -> None:
    signed = load_json("w3c-vc-di-eddsa", "TestVectors", folder, f"signed{suffix}.json")
    unsigned = load_json("w3c-vc-di-eddsa", "TestVectors", "unsigned.json")
    if suite == "Ed25519Signature2020":
        unsigned["@context"] = signed["@context"]
    config = load_json("w3c-vc-di-eddsa", "TestVectors", folder, f"proofConfig{suffix}.json")
    canonical_doc = transform_document(unsigned, suite, vector_store)
    canonical_proof = proof_configuration(config, unsigned["@context"], suite, vector_store)
    assert canonical_doc.decode() == _text(folder, f"canonDoc{suffix}.txt")
    assert canonical_proof.decode() == _text(folder, f"proofCanon{suffix}.txt")
    assert (
        hashlib.sha256(canonical_doc).hexdigest() == _text(folder, f"docHash{suffix}.txt").strip()
    )
    assert (
        hashlib.sha256(canonical_proof).hexdigest()
        == _text(folder, f"proofHash{suffix}.txt").strip()
    )
    combined = hash_data(canonical_proof, canonical_doc)
    assert combined.hex() == _text(folder, f"combinedHash{suffix}.txt").strip()
    pair = load_json("w3c-vc-di-eddsa", "TestVectors", "keyPair.json")
    signature = private_key_from_multibase(pair["privateKeyMultibase"]).sign(combined)
    assert signature.hex() == _text(folder, f"sigHex{suffix}.txt").strip()
    assert multibase_encode(signature) == _text(folder, f"sigBTC58{suffix}.txt").strip()
    [result] = verify_data_integrity(signed, store=vector_store)
    assert result.ok, result.detail


@pytest.mark.parametrize(
    ("cryptosuite", "folder", "suffix"),
    [
        ("eddsa-rdfc-2022", "eddsa-rdfc-2022", "DataInt"),
        ("eddsa-jcs-2022", "eddsa-jcs-2022", "JCS"),
    ],
)
def test_signing_the_unsigned_vector_reproduces_the_published_proof(
    vector_store, cryptosuite, folder, suffix
) -> None:
    pair = load_json("w3c-vc-di-eddsa", "TestVectors", "keyPair.json")
    signer = LocalSigner(private_key_from_multibase(pair["privateKeyMultibase"]))
    unsigned = load_json("w3c-vc-di-eddsa", "TestVectors", "unsigned.json")
    signed = sign_data_integrity(
        unsigned,
        signer,
        cryptosuite=cryptosuite,
        created="2023-02-24T23:36:38Z",
        store=vector_store,
    )
    expected = load_json("w3c-vc-di-eddsa", "TestVectors", folder, f"signed{suffix}.json")
    assert signed == expected


@pytest.mark.parametrize(
    "name", ["signedProofSet1", "signedProofSet2", "signedProofChain1", "signedProofChain2"]
)
def test_proof_sets_and_chains_verify(vector_store, name) -> None:
    document = load_json("w3c-vc-di-eddsa", "TestVectors", "proof-set-chain", f"{name}.json")
    results = verify_data_integrity(document, store=vector_store)
    assert results
    assert all(r.ok for r in results), [r.detail for r in results]


def test_proof_chain_fails_when_a_previous_proof_is_removed(vector_store) -> None:
    document = load_json(
        "w3c-vc-di-eddsa", "TestVectors", "proof-set-chain", "signedProofChain2.json"
    )
    document["proof"] = document["proof"][1:]
    with pytest.raises(InvalidInput, match="chains to"):
        verify_data_integrity(document, store=vector_store)


def test_we_build_proof_chains_the_vectors_way(vector_store) -> None:
    pairs = load_json("w3c-vc-di-eddsa", "TestVectors", "proof-set-chain", "multiKeyPairs.json")
    signers = [
        LocalSigner(private_key_from_multibase(p["privateKeyMultibase"])) for p in pairs.values()
    ]
    document = load_json("w3c-vc-di-eddsa", "TestVectors", "proof-set-chain", "unsigned.json")
    first = sign_data_integrity(document, signers[0], proof_id="urn:uuid:one", store=vector_store)
    second = sign_data_integrity(
        first, signers[1], previous_proof="urn:uuid:one", store=vector_store
    )
    assert [r.ok for r in verify_data_integrity(second, store=vector_store)] == [True, True]


def test_tampered_subject_fails_the_signature(vector_store) -> None:
    signed = load_json("w3c-vc-di-eddsa", "TestVectors", "eddsa-rdfc-2022", "signedDataInt.json")
    signed["credentialSubject"]["alumniOf"] = "Another School"
    [result] = verify_data_integrity(signed, store=vector_store)
    assert not result.ok
    assert "does not match" in result.detail


def _ob3_key(vm: str):
    assert vm.startswith(OB3_VECTOR_ISSUER + "#")
    return public_key_from_multibase(vm.split("#", 1)[1])


@pytest.mark.parametrize(
    ("vector", "canon"),
    [
        ("ob3_signed_vector.json", "obv3p0"),
        ("clr_signed_vector.json", "clrv2p0"),
    ],
)
def test_1edtech_vectors_canonicalise_byte_identically_and_verify(
    vector_store, vector, canon
) -> None:
    document = load_json("ob3-spec-vectors", vector)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    expected = (CREDENTIALS / "ob3-spec-vectors" / canon / "document-canon.txt").read_text()
    assert canonicalize_rdfc(unsecured, vector_store) == expected
    proof_expected = (CREDENTIALS / "ob3-spec-vectors" / canon / "proof-canon.txt").read_text()
    proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
    proof_canon = proof_configuration(proof, document["@context"], "eddsa-rdfc-2022", vector_store)
    assert proof_canon.decode() == proof_expected
    [result] = verify_data_integrity(document, _ob3_key, store=vector_store)
    assert result.ok, result.detail


def test_signing_refuses_members_the_contexts_do_not_define(vector_store) -> None:
    document = copy.deepcopy(load_json("ob3-spec-vectors", "ob3_signed_vector.json"))
    document.pop("proof")
    document["ectsCreditz"] = 5
    with pytest.raises(InvalidInput, match="ectsCreditz"):
        sign_data_integrity(document, LocalSigner(_fresh_key()), store=vector_store)


def test_signing_refuses_relative_ids(vector_store) -> None:
    document = load_json("w3c-vc-di-eddsa", "TestVectors", "unsigned.json")
    document["id"] = "credential-42"
    with pytest.raises(InvalidInput, match="relative IRI"):
        sign_data_integrity(document, LocalSigner(_fresh_key()), store=vector_store)


def test_signing_refuses_an_unknown_context_without_fetching(vector_store) -> None:
    document = load_json("w3c-vc-di-eddsa", "TestVectors", "unsigned.json")
    document["@context"].append("https://example.org/never-heard-of-it")
    with pytest.raises(UnknownContextError, match=r"map\.txt"):
        sign_data_integrity(document, LocalSigner(_fresh_key()), store=vector_store)


def test_signing_refuses_a_p256_key_for_eddsa() -> None:
    from skillpass.credentials.keys import generate_private_key

    with pytest.raises(InvalidInput, match="Ed25519"):
        sign_data_integrity({"@context": []}, LocalSigner(generate_private_key("P-256")))


def _fresh_key():
    from skillpass.credentials.keys import generate_private_key

    return generate_private_key()
