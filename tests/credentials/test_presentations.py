"""Verifiable presentations: holder-signed (eddsa-rdfc-2022, proof purpose authentication) with
the verifier's challenge and domain; every refusal says why in plain words."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from skillpass.credentials.keys import generate_private_key
from skillpass.credentials.presentations import (
    ENVELOPED_TYPE,
    build_presentation,
    enveloped_credential,
    sign_presentation,
    verify_presentation,
)
from skillpass.credentials.proofs.data_integrity import sign_data_integrity
from skillpass.credentials.proofs.jades import seal_jades
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.credentials.signer import LocalSigner
from skillpass.credentials.verify import VerificationContext, verify_credential
from skillpass.errors import InvalidInput

from .conftest import load_json

CHALLENGE = "c0ffee-4711"
DOMAIN = "employer.example"


def _did(signer: LocalSigner) -> str:
    return signer.verification_method.partition("#")[0]


def _credential(issuer: LocalSigner, number: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"urn:uuid:0f6a2a5e-7c55-4d7a-9d7f-6c1a2b3c4d5{number}",
        "type": ["VerifiableCredential"],
        "issuer": _did(issuer),
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        **extra,
    }


@pytest.fixture(scope="module")
def issuer() -> LocalSigner:
    return LocalSigner(generate_private_key())


@pytest.fixture(scope="module")
def holder() -> LocalSigner:
    return LocalSigner(generate_private_key())


@pytest.fixture(scope="module")
def credentials(issuer: LocalSigner) -> list[Any]:
    """One credential in each shape a passport holds: RDF and JCS Data Integrity (as parsed
    JSON and as text), VC-JWT, a JAdES-sealed JSON credential."""
    return [
        sign_data_integrity(_credential(issuer, 1), issuer),
        json.dumps(
            sign_data_integrity(_credential(issuer, 2), issuer, cryptosuite="eddsa-jcs-2022")
        ),
        sign_vc_jwt(_credential(issuer, 3), issuer),
        json.dumps(seal_jades(_credential(issuer, 4), issuer)),
    ]


@pytest.fixture(scope="module")
def signed(credentials: list[Any], holder: LocalSigner) -> dict[str, Any]:
    vp = build_presentation(credentials, _did(holder))
    return sign_presentation(vp, holder, challenge=CHALLENGE, domain=DOMAIN)


def _checks(report) -> dict[str, bool | None]:
    return {c.name: c.ok for c in report.checks}


def _verify(vp: dict[str, Any], **kwargs: Any):
    return verify_presentation(vp, VerificationContext(), **kwargs)


def test_signed_presentation_verifies_with_its_challenge_and_domain(signed) -> None:
    report = _verify(signed, challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, report.to_dict()
    assert report.format == "vp"
    assert _checks(report) == {
        "well_formed": True,
        "contexts": True,
        "proof": True,
        "holder": True,
        "challenge": True,
        "domain": True,
        "credentials": True,
    }
    data = report.to_dict()
    assert data["presentation"]["holder"] == signed["holder"]
    assert data["presentation"]["challenge"] == CHALLENGE
    assert [r["verified"] for r in data["presentation"]["credentials"]] == [True] * 4
    json.dumps(data)


def test_presentation_shape_follows_vc_2_0(signed) -> None:
    assert signed["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert signed["type"] == ["VerifiablePresentation"]
    assert signed["id"].startswith("urn:uuid:")
    proof = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "authentication"
    assert (proof["challenge"], proof["domain"]) == (CHALLENGE, DOMAIN)
    assert proof["verificationMethod"].startswith(signed["holder"] + "#")
    embedded = signed["verifiableCredential"]
    # JSON-LD credentials travel as objects; the JWT and the JAdES seal as enveloped data: URLs.
    assert embedded[0]["type"] == ["VerifiableCredential"]
    assert embedded[1]["type"] == ["VerifiableCredential"]
    assert embedded[2]["type"] == ENVELOPED_TYPE
    assert embedded[2]["id"].startswith("data:application/vc+jwt,eyJ")
    assert embedded[3]["id"].startswith("data:application/jose+json;base64,")


def test_verify_credential_dispatches_presentations(signed) -> None:
    ctx = VerificationContext(expected_challenge=CHALLENGE, expected_domain=DOMAIN)
    report = verify_credential(json.dumps(signed).encode(), ctx)
    assert report.format == "vp"
    assert report.verified, report.to_dict()
    assert _checks(report)["challenge"] is True
    wrong = VerificationContext(expected_challenge="another", expected_domain=DOMAIN)
    assert not verify_credential(signed, wrong).verified


def test_without_expected_values_the_challenge_is_reported_not_checked(signed) -> None:
    report = verify_credential(signed)
    assert report.verified
    challenge = report.check("challenge")
    assert challenge is not None
    assert challenge.ok is None
    assert CHALLENGE in challenge.detail
    assert "compare" in challenge.detail


def test_wrong_challenge_is_refused(signed) -> None:
    report = _verify(signed, challenge="a-fresh-nonce", domain=DOMAIN)
    assert not report.verified
    assert _checks(report)["challenge"] is False
    assert _checks(report)["proof"] is True
    assert "replay" in report.check("challenge").detail


def test_wrong_domain_is_refused(signed) -> None:
    report = _verify(signed, challenge=CHALLENGE, domain="someone-else.example")
    assert not report.verified
    assert _checks(report)["domain"] is False
    assert "another verifier" in report.check("domain").detail


def test_changing_the_signed_challenge_breaks_the_proof(signed) -> None:
    forged = copy.deepcopy(signed)
    forged["proof"]["challenge"] = "a-fresh-nonce"
    report = _verify(forged, challenge="a-fresh-nonce", domain=DOMAIN)
    assert not report.verified
    assert _checks(report)["proof"] is False
    assert "changed after signing" in report.check("proof").detail


@pytest.mark.parametrize("where", ["presentation", "embedded credential"])
def test_tampered_presentation_is_refused(signed, where: str) -> None:
    tampered = copy.deepcopy(signed)
    if where == "presentation":
        tampered["id"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    else:
        tampered["verifiableCredential"][0]["credentialSubject"]["id"] = "did:example:someone"
    report = _verify(tampered, challenge=CHALLENGE, domain=DOMAIN)
    assert not report.verified
    assert _checks(report)["proof"] is False
    if where == "embedded credential":
        assert _checks(report)["credentials"] is False
        assert report.check("credentials").detail.startswith("1 of 4 credentials do not verify")


def test_holder_mismatch_is_refused(credentials, holder: LocalSigner) -> None:
    intruder = LocalSigner(generate_private_key())
    vp = build_presentation(credentials[:1], _did(holder))
    with pytest.raises(InvalidInput, match="not to the presentation's holder"):
        sign_presentation(vp, intruder, challenge=CHALLENGE, domain=DOMAIN)
    # Signed anyway, bypassing the guard: the verifier still refuses it.
    forged = sign_data_integrity(
        vp, intruder, proof_purpose="authentication", challenge=CHALLENGE, domain=DOMAIN
    )
    report = _verify(forged, challenge=CHALLENGE, domain=DOMAIN)
    assert _checks(report)["proof"] is True
    assert _checks(report)["holder"] is False
    assert "not by its holder" in report.check("holder").detail
    assert not report.verified


def test_a_failing_inner_credential_fails_the_presentation(
    issuer: LocalSigner, holder: LocalSigner
) -> None:
    good = sign_data_integrity(_credential(issuer, 1), issuer)
    expired = sign_data_integrity(_credential(issuer, 2, validUntil="2025-01-01T00:00:00Z"), issuer)
    vp = build_presentation([good, expired], _did(holder))
    signed = sign_presentation(vp, holder, challenge=CHALLENGE, domain=DOMAIN)
    report = _verify(signed, challenge=CHALLENGE, domain=DOMAIN)
    assert _checks(report)["proof"] is True
    assert _checks(report)["credentials"] is False
    assert "#2" in report.check("credentials").detail
    assert "Expired" in report.check("credentials").detail
    assert not report.verified
    assert [r.verified for r in report.presented] == [True, False]


def test_credential_signed_for_assertion_is_not_a_presentation_proof(
    credentials, holder: LocalSigner
) -> None:
    vp = build_presentation(credentials[:1], _did(holder))
    signed = sign_data_integrity(vp, holder, challenge=CHALLENGE, domain=DOMAIN)
    report = _verify(signed, challenge=CHALLENGE, domain=DOMAIN)
    assert _checks(report)["proof"] is False
    assert "'authentication'" in report.check("proof").detail


def test_unsigned_presentation_is_not_verified(credentials, holder: LocalSigner) -> None:
    report = _verify(build_presentation(credentials[:1], _did(holder)))
    assert not report.verified
    assert "no proof" in report.check("proof").detail


def test_enveloped_credential_with_a_broken_data_url_fails(holder: LocalSigner) -> None:
    vp = build_presentation([], _did(holder))
    vp["verifiableCredential"] = [
        {"@context": "https://www.w3.org/ns/credentials/v2", "type": ENVELOPED_TYPE, "id": "data:x"}
    ]
    signed = sign_presentation(vp, holder, challenge=CHALLENGE, domain=DOMAIN)
    report = _verify(signed)
    assert _checks(report)["credentials"] is False
    assert "not a data: URL" in report.check("credentials").detail


def test_presentation_inside_a_presentation_is_refused(signed, holder: LocalSigner) -> None:
    with pytest.raises(InvalidInput, match="is a presentation"):
        build_presentation([signed], _did(holder))
    outer = build_presentation([], _did(holder))
    outer["verifiableCredential"] = [enveloped_credential(json.dumps(signed), "application/vp")]
    report = _verify(sign_presentation(outer, holder, challenge=CHALLENGE, domain=DOMAIN))
    assert _checks(report)["credentials"] is False
    assert "presentation inside a presentation" in report.check("credentials").detail


@pytest.mark.parametrize(
    ("challenge", "domain", "message"),
    [("", DOMAIN, "challenge"), (CHALLENGE, " ", "domain"), ("x" * 513, DOMAIN, "longer")],
)
def test_sign_refuses_empty_or_long_challenge_and_domain(
    holder: LocalSigner, challenge: str, domain: str, message: str
) -> None:
    vp = build_presentation([], _did(holder))
    with pytest.raises(InvalidInput, match=message):
        sign_presentation(vp, holder, challenge=challenge, domain=domain)


@pytest.mark.parametrize("holder_id", ["mailto:ana@example.org", "", "ana"])
def test_build_refuses_a_holder_that_is_not_a_did(holder_id: str) -> None:
    with pytest.raises(InvalidInput, match="must be a DID"):
        build_presentation([], holder_id)


def test_build_refuses_unreadable_credentials(holder: LocalSigner) -> None:
    with pytest.raises(InvalidInput, match="#1 is neither JSON nor a compact JWT"):
        build_presentation(["not a credential"], _did(holder))


def test_credential_with_undefined_members_travels_enveloped(
    issuer: LocalSigner, holder: LocalSigner
) -> None:
    odd = sign_data_integrity(_credential(issuer), issuer, cryptosuite="eddsa-jcs-2022")
    odd["nickname"] = "not in any context"  # JCS proofs cover it, RDF proofs would not
    vp = build_presentation([odd], _did(holder))
    assert vp["verifiableCredential"][0]["id"].startswith("data:application/vc;base64,")
    report = _verify(sign_presentation(vp, holder, challenge=CHALLENGE, domain=DOMAIN))
    # The presentation's proof holds; the credential itself fails (changed after signing).
    assert _checks(report)["proof"] is True
    assert _checks(report)["credentials"] is False


def test_w3c_enveloped_jwt_credentials_verify_inside_our_presentation(
    vector_ctx, holder: LocalSigner
) -> None:
    vector = load_json("w3c-vc-jose-cose", "presentation-multiple.json")
    tokens = [
        entry["id"].partition(",")[2]
        for entry in vector["verifiableCredential"]
        if entry["id"].startswith("data:application/vc+jwt,")
    ]
    assert tokens
    vp = build_presentation(tokens, _did(holder))
    signed = sign_presentation(vp, holder, challenge=CHALLENGE, domain=DOMAIN)
    report = verify_presentation(signed, vector_ctx, challenge=CHALLENGE, domain=DOMAIN)
    assert report.verified, report.to_dict()
    assert all(r.format == "vc-jwt" for r in report.presented)


def test_malformed_presentations_never_raise() -> None:
    for bad in (
        {"type": "VerifiablePresentation"},
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiablePresentation",
            "proof": "nonsense",
        },
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiablePresentation",
            "holder": "did:example:1",
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofPurpose": "authentication",
                "verificationMethod": "did:example:1#k",
                "proofValue": "z!!",
            },
        },
    ):
        report = verify_credential(json.dumps(bad))
        assert not report.verified
        assert report.errors


def test_cli_verify_checks_a_presentation_with_challenge_and_domain(
    signed, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from skillpass.cli.main import run

    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    path = tmp_path / "presentation.json"
    path.write_text(json.dumps(signed), encoding="utf-8")
    assert run(["verify", str(path), "--challenge", CHALLENGE, "--domain", DOMAIN]) == 0
    out = capsys.readouterr().out
    assert "Verified" in out
    assert f"holder: {signed['holder']}" in out
    assert "credential #4" in out
    assert run(["verify", str(path), "--domain", "other.example", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "vp"
    assert len(report["presentation"]["credentials"]) == 4
    assert any(c["name"] == "domain" and c["ok"] is False for c in report["checks"])
