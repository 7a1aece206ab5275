"""Open Badges 3.0: schema, JSON-LD expansion against local contexts, content, golden file."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest
from pyld import jsonld

from skillpass.credentials.formats.openbadges import (
    build_openbadge_credential,
    ob3_schema_problems,
)
from skillpass.credentials.models import Achievement, IssuerProfile, LearnerRef, StatusEntry
from skillpass.errors import InvalidInput

from .conftest import EXTENSION_CONTEXT, assert_matches_golden, fixed_args


@pytest.fixture
def credential(
    example: Achievement, issuer: IssuerProfile, learner: LearnerRef, status: StatusEntry
) -> dict[str, Any]:
    return build_openbadge_credential(example, issuer, learner, **fixed_args(status), grade="1.3")


def test_unsigned_credential_passes_the_ob3_json_schema(
    credential: dict[str, Any], ob3_schema: dict[str, Any]
) -> None:
    # The schema does not require `proof`, so the unsigned document validates as it is.
    assert ob3_schema_problems(credential, ob3_schema) == []


def test_schema_accepts_a_proof_array_and_rejects_a_single_proof_object(
    credential: dict[str, Any], ob3_schema: dict[str, Any]
) -> None:
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-03-01T09:30:00Z",
        "verificationMethod": credential["issuer"]["id"] + "#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": "z" + "1" * 86,
    }
    assert ob3_schema_problems({**credential, "proof": [proof]}, ob3_schema) == []
    problems = ob3_schema_problems({**credential, "proof": proof}, ob3_schema)
    assert problems
    assert problems[0].startswith("$.proof")


def test_schema_check_catches_a_missing_achievement_name(
    credential: dict[str, Any], ob3_schema: dict[str, Any]
) -> None:
    broken = copy.deepcopy(credential)
    del broken["credentialSubject"]["achievement"]["name"]
    assert any(
        "'name' is a required property" in p for p in ob3_schema_problems(broken, ob3_schema)
    )


def _count_terms(node: Any) -> int:
    """Properties in a compacted document (keywords and @context excluded)."""
    if isinstance(node, list):
        return sum(_count_terms(item) for item in node)
    if isinstance(node, dict):
        return sum(
            1 + _count_terms(value)
            for key, value in node.items()
            if key not in ("@context", "id", "type")
        )
    return 0


def _count_expanded(node: Any) -> int:
    """Properties in an expanded document (JSON-LD keywords excluded)."""
    if isinstance(node, list):
        return sum(_count_expanded(item) for item in node)
    if isinstance(node, dict):
        return sum(
            (0 if key.startswith("@") else 1) + _count_expanded(value)
            for key, value in node.items()
            if key not in ("@value", "@language")
        )
    return 0


def test_json_ld_expansion_keeps_every_term(
    credential: dict[str, Any], document_loader: Any
) -> None:
    expanded = jsonld.expand(credential, {"documentLoader": document_loader})
    assert _count_expanded(expanded) == _count_terms(credential)
    text = str(expanded)
    # A VC 2.0 context with @vocab maps undefined terms to issuer-dependent IRIs: none may.
    assert "issuer-dependent#" not in text
    terms = json.loads(EXTENSION_CONTEXT.read_text(encoding="utf-8"))["@context"]
    for term in ("ectsCredits", "qualityAssurance", "supervisionAndIdentityVerification"):
        assert terms[term]["@id"] in text


def _relative_iris(node: Any) -> list[str]:
    """Property and type IRIs that are not absolute (an undefined term or type)."""
    found: list[str] = []
    if isinstance(node, list):
        for item in node:
            found += _relative_iris(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@") and not key.startswith(("http://", "https://")):
                found.append(key)
            if key == "@type" and isinstance(value, list):
                found += [t for t in value if not t.startswith(("http://", "https://"))]
            if key not in ("@value", "@type"):
                found += _relative_iris(value)
    return found


def test_every_type_and_property_expands_to_an_absolute_iri(
    credential: dict[str, Any], document_loader: Any
) -> None:
    expanded = jsonld.expand(credential, {"documentLoader": document_loader, "base": None})
    assert _relative_iris(expanded) == []


def test_undefined_term_would_be_detected(credential: dict[str, Any], document_loader: Any) -> None:
    credential["credentialSubject"]["achievement"]["colour"] = "blue"
    expanded = jsonld.expand(credential, {"documentLoader": document_loader})
    # Dropped (no @vocab) or mapped to VC 2.0's issuer-dependent vocabulary: both are caught.
    dropped = _count_expanded(expanded) < _count_terms(credential)
    assert dropped or "issuer-dependent#colour" in str(expanded)


def test_canonicalises_with_urdna2015(credential: dict[str, Any], document_loader: Any) -> None:
    nquads = jsonld.normalize(
        credential,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType>" in nquads


def test_micro_credential_with_esco_and_eqf_alignments(
    credential: dict[str, Any], example: Achievement
) -> None:
    achievement = credential["credentialSubject"]["achievement"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert achievement["achievementType"] == "MicroCredential"
    esco = [a for a in achievement["alignment"] if a["targetFramework"] == "ESCO"]
    assert [a["targetUrl"] for a in esco] == [s.uri for s in example.esco_skills]
    eqf = [a for a in achievement["alignment"] if a["targetFramework"] == "EQF"]
    assert eqf == [
        {
            "type": ["Alignment"],
            "targetName": "EQF level 6",
            "targetUrl": "http://data.europa.eu/snb/eqf/6",
            "targetCode": "6",
            "targetFramework": "EQF",
            "targetType": "ext:EQFLevel",
        }
    ]
    assert achievement["creditsAvailable"] == 5
    assert achievement["ectsCredits"] == 5
    assert achievement["workloadHours"] == 125
    assert achievement["supervisionAndIdentityVerification"] == "supervised_identity_verified"


def test_learner_is_a_salted_hash_not_an_email(credential: dict[str, Any]) -> None:
    subject = credential["credentialSubject"]
    assert "id" not in subject
    hashed, name = subject["identifier"]
    assert hashed["hashed"] is True
    assert hashed["identityHash"].startswith("sha256$")
    assert hashed["salt"] == "d4f1a2"
    assert name == {
        "type": "IdentityObject",
        "hashed": False,
        "identityHash": "Ana Example",
        "identityType": "name",
    }
    assert "ana.example@example.org" not in str(credential)


def test_learner_did_becomes_the_subject_id(example: Achievement, issuer: IssuerProfile) -> None:
    did = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
    doc = build_openbadge_credential(example, issuer, LearnerRef(did=did), **fixed_args())
    assert doc["credentialSubject"]["id"] == did
    assert "identifier" not in doc["credentialSubject"]
    assert "credentialStatus" not in doc


def test_status_entry_is_a_bitstring_status_list_entry(credential: dict[str, Any]) -> None:
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert credential["credentialStatus"]["statusListIndex"] == "4711"


def test_naive_issue_date_is_refused(
    example: Achievement, issuer: IssuerProfile, learner: LearnerRef
) -> None:
    args = {**fixed_args(), "issued_at": datetime(2025, 3, 1, 9, 30), "valid_until": None}
    with pytest.raises(InvalidInput, match="no time zone"):
        build_openbadge_credential(example, issuer, learner, **args)


def test_matches_golden_file(credential: dict[str, Any]) -> None:
    assert_matches_golden(credential, "ob3-example.json")
