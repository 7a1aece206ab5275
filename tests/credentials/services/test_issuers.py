"""Issuers and keys: identifiers, validation, encrypted keys, rotation, DID documents, profiles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from skillpass.app import SkillPass, build
from skillpass.config import Settings
from skillpass.credentials.keys import decrypt_private_key, public_key_multibase
from skillpass.credentials.records import Issuer, KeyStatus
from skillpass.demo.repository import OrganisationRepository
from skillpass.errors import ConfigurationError, Conflict, InvalidInput, NotFound
from skillpass.storage.tables import signing_keys


def test_create_gives_did_web_did_key_and_one_active_ed25519_key(issuer: Issuer) -> None:
    assert issuer.did == f"did:web:127.0.0.1%3A8000:issuers:{issuer.id}"
    assert issuer.did_key is not None
    assert issuer.did_key.startswith("did:key:z6Mk")
    assert issuer.kind == "higher_education"
    assert [(k.fragment, k.status, k.algorithm) for k in issuer.keys] == [
        ("key-1", KeyStatus.ACTIVE, "Ed25519")
    ]
    assert issuer.keys[0].id == issuer.did + "#key-1"
    assert issuer.registration_ids == {"eidas": "SE:5560000001"}


@pytest.mark.parametrize(
    ("kind", "stored"),
    [
        ("university", "higher_education"),
        ("higher_education", "higher_education"),
        ("VET", "vet"),
        ("employer", "employer"),
        ("professional_body", "professional_body"),
        ("social_partner", "social_partner"),
        ("public_body", "public_body"),
    ],
)
def test_kinds_and_the_university_alias(skillpass: SkillPass, kind: str, stored: str) -> None:
    assert skillpass.issuers.create(name=f"Org {kind}", country="DE", kind=kind).kind == stored


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"country": "Sweden"}, "country"),
        ({"kind": "school"}, "issuer type"),
        ({"region": "not-nuts"}, "region"),
        ({"name": "   "}, "legal name"),
        ({"contact_email": "nobody"}, "contact email"),
        ({"url": "ftp://x.example"}, "issuer URL"),
    ],
)
def test_bad_values_are_refused_naming_the_field(
    skillpass: SkillPass, values: dict[str, str], named: str
) -> None:
    arguments = {"name": "Some College", "country": "SE", "kind": "vet", **values}
    with pytest.raises(InvalidInput, match=named):
        skillpass.issuers.create(**arguments)  # type: ignore[arg-type]


def test_same_name_in_same_country_is_a_conflict(skillpass: SkillPass, issuer: Issuer) -> None:
    with pytest.raises(Conflict, match="already exists"):
        skillpass.issuers.create(name=issuer.legal_name, country="se", kind="vet")
    # the same name in another country is another organisation
    skillpass.issuers.create(name=issuer.legal_name, country="FI", kind="vet")


def test_private_key_is_stored_encrypted_and_needs_the_right_key_encryption_key(
    skillpass: SkillPass, issuer: Issuer, settings: Settings
) -> None:
    with skillpass.engine.connect() as conn:
        blob = conn.execute(select(signing_keys.c.private_key_encrypted)).scalar_one()
    assert blob.startswith(b"SPK1")
    kek = settings.key_encryption_key.get_secret_value()
    key = decrypt_private_key(blob, kek)
    assert public_key_multibase(key) == issuer.keys[0].public_key_multibase
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert raw not in blob
    with pytest.raises(ConfigurationError, match="KEY_ENCRYPTION_KEY"):
        decrypt_private_key(blob, kek + "-other")


def test_rotation_retires_the_old_key_and_keeps_it_in_the_did_document(
    skillpass: SkillPass, issuer: Issuer
) -> None:
    old = issuer.keys[0]
    rotated = skillpass.issuers.rotate_key(issuer.id)
    assert rotated.active_key is not None
    assert rotated.active_key.fragment == "key-2"
    assert rotated.did_key != issuer.did_key
    assert rotated.did == issuer.did
    retired = next(k for k in rotated.keys if k.fragment == "key-1")
    assert retired.status == KeyStatus.RETIRED
    assert retired.retired_at is not None
    document = skillpass.issuers.did_document(issuer.id)
    assert document["id"] == issuer.did
    methods = {m["id"]: m for m in document["verificationMethod"]}
    assert set(methods) == {issuer.did + "#key-1", issuer.did + "#key-2"}
    assert methods[issuer.did + "#key-1"]["publicKeyMultibase"] == old.public_key_multibase
    assert set(document["assertionMethod"]) == set(methods)
    assert "d" not in methods[issuer.did + "#key-1"]["publicKeyJwk"]
    # a retired key still resolves for verification
    assert skillpass.trust.resolve_key(old.id) is not None
    assert skillpass.trust.resolve_key(old.did_key_verification_method) is not None


def test_p256_issuer_signs_jwts_with_es256(skillpass: SkillPass) -> None:
    issuer = skillpass.issuers.create(
        name="Curve College", country="FR", kind="vet", algorithm="P-256"
    )
    assert issuer.keys[0].algorithm == "P-256"
    assert issuer.did_key is not None
    assert issuer.did_key.startswith("did:key:zDn")
    _, signer = skillpass.issuers.signer(issuer.id)
    assert signer.jose_alg == "ES256"


def test_profile_is_an_ob3_profile_without_private_material(
    skillpass: SkillPass, issuer: Issuer
) -> None:
    profile = skillpass.issuers.profile(issuer.id)
    assert profile["type"] == ["Profile"]
    assert profile["id"] == issuer.did
    assert profile["name"] == issuer.legal_name
    assert profile["address"]["addressCountryCode"] == "SE"
    assert profile["address"]["addressRegion"] == "SE110"
    assert profile["email"] == "credentials@northvale.example"
    identifiers = {entry["identifier"] for entry in profile["otherIdentifier"]}
    assert issuer.did_key in identifiers
    assert "SE:5560000001" in identifiers


def test_unknown_issuer_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound, match="skillpass issuer list"):
        skillpass.issuers.get("nope")
    with pytest.raises(NotFound):
        skillpass.issuers.rotate_key("nope")


def test_demo_organisation_becomes_an_issuer_with_a_key_on_first_use(
    skillpass: SkillPass,
) -> None:
    OrganisationRepository(skillpass.engine).add(
        public_id="demoorg0000000001",
        legal_name="Demo Vocational College (synthetic)",
        country="DE",
        region="DE300",
        kind="vet_provider",
        synthetic=True,
        created_at=datetime.now(UTC),
    )
    listed = {i.id: i for i in skillpass.issuers.list_issuers()}
    demo = listed["demoorg0000000001"]
    assert demo.keys == ()
    assert demo.synthetic
    issuer, signer = skillpass.issuers.signer(demo.id)
    assert issuer.active_key is not None
    assert signer.verification_method == issuer.active_key.did_key_verification_method
    assert skillpass.issuers.find_by_did(issuer.did) is not None


def test_did_web_follows_the_public_base_url(settings: Settings) -> None:
    app = build(settings.model_copy(update={"public_base_url": "https://skills.example.eu/sp/"}))
    try:
        issuer = app.issuers.create(name="X", country="IE", kind="employer")
        assert issuer.did == f"did:web:skills.example.eu:sp:issuers:{issuer.id}"
    finally:
        app.close()
