"""The verification engine: every valid vector verifies, every negative one fails for the right
reason, and the report has the public shape."""

from __future__ import annotations

import base64
import copy
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skillpass.credentials.keys import generate_private_key
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jades import seal_jades
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.credentials.signer import LocalSigner
from skillpass.credentials.verify import StatusResult, VerificationContext, verify_credential

from .conftest import CREDENTIALS, load_json

DI = CREDENTIALS / "w3c-vc-di-eddsa" / "TestVectors"
VALID_JSON = [
    DI / "eddsa-rdfc-2022" / "signedDataInt.json",
    DI / "eddsa-jcs-2022" / "signedJCS.json",
    DI / "Ed25519Signature2020" / "signedEdSig.json",
    *(DI / "proof-set-chain").glob("signedProof*.json"),
    CREDENTIALS / "ob3-spec-vectors" / "ob3_signed_vector.json",
    CREDENTIALS / "ob3-spec-vectors" / "clr_signed_vector.json",
]


def _names(report) -> dict[str, bool | None]:
    return {c.name: c.ok for c in report.checks}


@pytest.mark.parametrize("path", VALID_JSON, ids=lambda p: p.name)
def test_every_valid_data_integrity_vector_verifies(vector_ctx, path: Path) -> None:
    report = verify_credential(path.read_bytes(), vector_ctx)
    assert report.verified, report.to_dict()


def test_ob3_vector_report_has_the_public_shape(vector_ctx) -> None:
    data = (CREDENTIALS / "ob3-spec-vectors" / "ob3_signed_vector.json").read_text()
    report = verify_credential(data, vector_ctx).to_dict()
    assert set(report) >= {"verified", "format", "issuer", "checks", "errors", "credential"}
    assert report["format"] == "ob3-data-integrity"
    assert report["issuer"] == {"id": "https://example.edu/issuers/565049", "name": "Example Corp"}
    names = [c["name"] for c in report["checks"]]
    assert names[:8] == [
        "well_formed",
        "contexts",
        "schema",
        "proof",
        "key",
        "issuer_trusted",
        "status",
        "validity",
    ]
    assert all(set(c) == {"name", "ok", "detail"} for c in report["checks"])
    assert report["credential"]["types"] == ["VerifiableCredential", "OpenBadgeCredential"]
    json.dumps(report)


def test_clr_nested_credential_is_verified_too(vector_ctx) -> None:
    document = load_json("ob3-spec-vectors", "clr_signed_vector.json")
    report = verify_credential(document, vector_ctx)
    assert report.format == "clr-data-integrity"
    assert _names(report)["nested_credentials"] is True
    nested = document["credentialSubject"]["verifiableCredential"][0]
    nested["credentialSubject"]["id"] = "did:example:someone-else"
    report = verify_credential(document, vector_ctx)
    assert _names(report)["nested_credentials"] is False
    assert not report.verified


@pytest.mark.parametrize(
    "name", ["credential-jose-minimal.txt", "credential-issuer-match-signed.txt"]
)
def test_jose_vectors_verify_through_the_engine(vector_ctx, name) -> None:
    report = verify_credential((CREDENTIALS / "w3c-vc-jose-cose" / name).read_bytes(), vector_ctx)
    assert report.verified, report.to_dict()
    assert report.format == "vc-jwt"


def test_jose_bad_signature_fails_on_proof(vector_ctx) -> None:
    path = CREDENTIALS / "w3c-vc-jose-cose" / "credential-jose-bad-signature.txt"
    report = verify_credential(path.read_text(), vector_ctx)
    assert report.processable
    assert not report.verified
    assert _names(report)["proof"] is False


@pytest.mark.parametrize(
    "name", ["Sample-MC-Annex1-signed.jsonld", "Sample-CertOfPart-signed.jsonld"]
)
def test_signed_elm_samples_verify_with_plain_notes(vector_ctx, name) -> None:
    report = verify_credential((CREDENTIALS / "elm" / name).read_bytes(), vector_ctx)
    assert report.verified, report.to_dict()
    assert report.format == "elm-jades"
    assert any("EU trusted lists" in w for w in report.warnings)
    assert any("expired" in w for w in report.warnings)


def test_signed_elm_sample_conforms_to_edc_shapes(vector_ctx) -> None:
    report = verify_credential(
        (CREDENTIALS / "elm" / "Sample-MC-Annex1-signed.jsonld").read_bytes(), vector_ctx
    )
    assert _names(report)["schema"] is True
    assert report.verified


def test_tampered_elm_sample_fails_on_proof(vector_ctx) -> None:
    sealed = json.loads((CREDENTIALS / "elm" / "Sample-CertOfPart-signed.jsonld").read_text())
    sealed["payload"] = sealed["payload"].replace('"urn:epass:person:1"', '"urn:epass:person:9"')
    report = verify_credential(sealed, vector_ctx)
    assert _names(report)["proof"] is False
    assert not report.verified


def test_unsigned_elm_is_not_verified_and_fails_the_shapes(vector_ctx) -> None:
    from skillpass.credentials._verify_checks import validate_elm

    document = load_json("elm", "Sample-MC-Annex1-unsigned.jsonld")
    report = verify_credential(document, vector_ctx)
    assert report.format == "elm"
    assert not report.verified
    conforms, messages = validate_elm(document, CREDENTIALS / "elm", vector_ctx.store)
    assert not conforms
    assert len(messages) == 3
    assert any("eidasLegalIdentifier" in m for m in messages)


def test_tampered_ob3_vector_fails_on_proof(vector_ctx) -> None:
    document = load_json("ob3-spec-vectors", "ob3_signed_vector.json")
    document["credentialSubject"]["achievement"]["name"] = "Something grander"
    report = verify_credential(document, vector_ctx)
    assert _names(report)["proof"] is False


def test_unknown_context_fails_the_contexts_check_with_a_remedy(vector_ctx) -> None:
    document = load_json(
        "w3c-vc-di-eddsa", "TestVectors", "eddsa-rdfc-2022", "employ", "signedDataInt.json"
    )
    report = verify_credential(document, vector_ctx)
    contexts = report.check("contexts")
    assert contexts is not None
    assert contexts.ok is False
    assert "citizenship/v4rc1" in contexts.detail
    assert "SKILLPASS_JSONLD_CONTEXTS" in contexts.detail
    assert not report.verified


def _our_credential(signer: LocalSigner, **extra) -> dict:
    issuer = signer.verification_method.split("#")[0]
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:0f6a2a5e-7c55-4d7a-9d7f-6c1a2b3c4d5e",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        **extra,
    }


@pytest.mark.parametrize("fmt", ["rdfc", "jcs", "jwt", "jades"])
def test_our_credentials_verify_in_every_format(fmt) -> None:
    signer = LocalSigner(generate_private_key())
    credential = _our_credential(signer)
    data: object
    if fmt == "rdfc":
        data = sign_data_integrity(credential, signer)
    elif fmt == "jcs":
        data = sign_data_integrity(credential, signer, cryptosuite="eddsa-jcs-2022")
    elif fmt == "jwt":
        data = sign_vc_jwt(credential, signer)
    else:
        data = seal_jades(credential, signer)
    report = verify_credential(data if isinstance(data, str) else json.dumps(data))
    assert report.verified, report.to_dict()
    assert _names(report)["key"] is True


def test_did_key_that_is_not_the_issuers_fails_the_key_check() -> None:
    signer = LocalSigner(generate_private_key())
    credential = _our_credential(
        signer, issuer="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    )
    report = verify_credential(sign_data_integrity(credential, signer))
    assert _names(report)["proof"] is True
    assert _names(report)["key"] is False
    assert not report.verified


def test_trusted_issuer_registry_is_consulted() -> None:
    signer = LocalSigner(generate_private_key())
    signed = sign_data_integrity(_our_credential(signer), signer)
    assert _names(verify_credential(signed))["issuer_trusted"] is None
    trusting = VerificationContext(is_trusted_issuer=lambda issuer: True)
    assert _names(verify_credential(signed, trusting))["issuer_trusted"] is True
    distrusting = VerificationContext(is_trusted_issuer=lambda issuer: False)
    report = verify_credential(signed, distrusting)
    assert _names(report)["issuer_trusted"] is False
    assert not report.verified


STATUS = {
    "id": "https://skillpass.example/status/1#42",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "42",
    "statusListCredential": "https://skillpass.example/status/1",
}


def test_revocation_from_the_local_store_fails_the_status_check() -> None:
    signer = LocalSigner(generate_private_key())
    signed = sign_data_integrity(_our_credential(signer, credentialStatus=STATUS), signer)
    fine = VerificationContext(check_status=lambda entry: StatusResult())
    assert verify_credential(signed, fine).verified
    revoked = VerificationContext(
        check_status=lambda entry: StatusResult(revoked=True, detail="Reason: fraud.")
    )
    report = verify_credential(signed, revoked)
    assert _names(report)["status"] is False
    assert "revoked" in report.check("status").detail


def test_remote_status_list_is_not_checked_without_fetch() -> None:
    signer = LocalSigner(generate_private_key())
    signed = sign_data_integrity(_our_credential(signer, credentialStatus=STATUS), signer)
    report = verify_credential(signed)
    assert _names(report)["status"] is None
    assert "disabled" in report.check("status").detail


def _status_list(signer: LocalSigner, revoked_index: int | None) -> bytes:
    bits = bytearray(16 * 1024)
    if revoked_index is not None:
        bits[revoked_index // 8] |= 0x80 >> (revoked_index % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
    status_list = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://skillpass.example/status/1",
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": signer.verification_method.split("#")[0],
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "https://skillpass.example/status/1#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
    return json.dumps(sign_data_integrity(status_list, signer)).encode()


@pytest.mark.parametrize(("revoked_index", "ok"), [(None, True), (42, False)])
def test_remote_status_list_through_the_fetch_callable(revoked_index, ok) -> None:
    signer = LocalSigner(generate_private_key())
    signed = sign_data_integrity(_our_credential(signer, credentialStatus=STATUS), signer)
    body = _status_list(signer, revoked_index)
    ctx = VerificationContext(
        fetch=lambda url: body if url == STATUS["statusListCredential"] else None
    )
    assert _names(verify_credential(signed, ctx))["status"] is ok


def test_expired_and_not_yet_valid_credentials_fail_validity() -> None:
    signer = LocalSigner(generate_private_key())
    signed = sign_data_integrity(_our_credential(signer, validUntil="2025-01-01T00:00:00Z"), signer)
    late = VerificationContext(now=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    assert _names(verify_credential(signed, late))["validity"] is False
    early = VerificationContext(now=lambda: datetime(2023, 1, 1, tzinfo=UTC))
    assert _names(verify_credential(signed, early))["validity"] is False


def test_undefined_member_added_after_signing_fails_contexts() -> None:
    signer = LocalSigner(generate_private_key())
    signed = sign_data_integrity(_our_credential(signer), signer)
    forged = copy.deepcopy(signed)
    forged["grade"] = "A+"
    report = verify_credential(forged)
    assert _names(report)["contexts"] is False
    assert "grade" in report.check("contexts").detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe", "UTF-8"),
        ("{not json", "not valid JSON"),
        ('{"a": 1, "a": 2}', "repeats the key"),
        ("[" * 200 + "]" * 200, "nested deeper"),
        ("hello", "neither JSON nor a JWT"),
        ("[1, 2]", "JSON object"),
        ('{"a": NaN}', "NaN"),
    ],
)
def test_bad_input_is_not_processable_with_a_clear_message(data, message) -> None:
    report = verify_credential(data)
    assert not report.processable
    assert not report.verified
    assert message in report.errors[0]


def test_oversized_input_is_refused_before_parsing() -> None:
    from skillpass.credentials.limits import JsonLimits

    ctx = VerificationContext(limits=JsonLimits(max_bytes=2048, max_depth=64))
    report = verify_credential('{"x": "' + "a" * 5000 + '"}', ctx)
    assert not report.processable
    assert "2048-byte limit" in report.errors[0]


def test_deeply_nested_dict_input_is_refused_without_recursion_error() -> None:
    value: dict = {}
    for _ in range(5000):
        value = {"a": value}
    report = verify_credential(value)
    assert not report.processable
    assert "nested deeper" in report.errors[0]


def test_from_settings_takes_limits_and_folders(tmp_path) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path).model_copy(
        update={"max_credential_bytes": 4096, "jsonld_contexts": CREDENTIALS / "contexts"}
    )
    ctx = VerificationContext.from_settings(settings)
    assert ctx.limits.max_bytes == 4096
    assert ctx.contexts_dirs == (CREDENTIALS / "contexts",)


def test_sealed_elm_verifies_without_the_edc_folder_and_says_what_was_not_checked() -> None:
    report = verify_credential(
        (CREDENTIALS / "elm" / "Sample-MC-Annex1-signed.jsonld").read_bytes(),
        VerificationContext(),
    )
    assert report.verified
    contexts = report.check("contexts")
    assert contexts is not None
    assert contexts.ok is None
    assert "SKILLPASS_ELM_SHAPES" in contexts.detail


def test_tampered_elm_still_fails_without_the_edc_folder() -> None:
    sealed = json.loads((CREDENTIALS / "elm" / "Sample-CertOfPart-signed.jsonld").read_text())
    sealed["payload"] = sealed["payload"].replace('"urn:epass:person:1"', '"urn:epass:person:9"')
    report = verify_credential(sealed, VerificationContext())
    assert not report.verified
    proof = report.check("proof")
    assert proof is not None
    assert proof.ok is False
