"""SQL tables (SQLAlchemy Core metadata), shared by every repository and by Alembic.

Storage rows live here and nowhere else; domain models never import this module.
Each schema change comes with an Alembic migration in ``storage/migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "achievements",
    "api_tokens",
    "capability_members",
    "concept_collections",
    "concept_labels",
    "concept_relations",
    "concepts",
    "issued_credentials",
    "metadata",
    "occupation_skills",
    "organisation_members",
    "organisations",
    "signing_keys",
    "skill_skills",
    "status_lists",
    "taxonomy_imports",
    "trusted_issuers",
    "trusted_keys",
    "users",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# --- taxonomy ---------------------------------------------------------------------------------

#: One row per import run (base download or extra language), newest last.
taxonomy_imports = Table(
    "taxonomy_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(32), nullable=False),
    Column("language", String(8), nullable=False),
    Column("kind", String(16), nullable=False),  # "base" | "labels"
    Column("source", Text, nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("counts", Text, nullable=False),  # JSON object of what was written
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

#: Every ESCO concept: skills, occupations, skill groups, ISCO groups.
concepts = Table(
    "concepts",
    metadata,
    Column("uri", String(255), primary_key=True),
    Column(
        "type", String(16), nullable=False, index=True
    ),  # skill|occupation|skill_group|isco_group
    Column("preferred_label", Text, nullable=False),  # English preferred label
    Column("description", Text, nullable=False, default=""),
    Column("code", String(64), nullable=True, index=True),  # ISCO code, skill group code
    Column("skill_type", String(32), nullable=True),  # knowledge | skill/competence
    Column("reuse_level", String(32), nullable=True),
    Column("isco_group", String(8), nullable=True, index=True),  # occupations: ISCO-08 unit code
    Column("regulated_note", Text, nullable=True),
    Column("status", String(16), nullable=True),
    Column("version", String(32), nullable=False),
)

#: Preferred, alternative and hidden labels in every imported language, plus descriptions.
concept_labels = Table(
    "concept_labels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "concept_uri",
        String(255),
        ForeignKey("concepts.uri", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("lang", String(8), nullable=False),
    Column("kind", String(16), nullable=False),  # preferred | alt | hidden | description
    Column("text", Text, nullable=False),
    Index("ix_concept_labels_concept_lang", "concept_uri", "lang"),
)

#: Broader/narrower hierarchy of both pillars (skill groups, ISCO groups).
concept_relations = Table(
    "concept_relations",
    metadata,
    Column("concept_uri", String(255), primary_key=True),
    Column("broader_uri", String(255), primary_key=True),
    Index("ix_concept_relations_broader", "broader_uri"),
)

#: Collection membership: digital, green, research, transversal, language, digcomp, research_occ.
concept_collections = Table(
    "concept_collections",
    metadata,
    Column("concept_uri", String(255), primary_key=True),
    Column("collection", String(32), primary_key=True),
    Index("ix_concept_collections_collection", "collection"),
)

occupation_skills = Table(
    "occupation_skills",
    metadata,
    Column("occupation_uri", String(255), primary_key=True),
    Column("skill_uri", String(255), primary_key=True),
    Column("relation_type", String(16), nullable=False),  # essential | optional
    Index("ix_occupation_skills_skill", "skill_uri"),
)

skill_skills = Table(
    "skill_skills",
    metadata,
    Column("skill_uri", String(255), primary_key=True),
    Column("related_uri", String(255), primary_key=True),
    Column("relation_type", String(16), nullable=False),
    Index("ix_skill_skills_related", "related_uri"),
)

#: Resolved members of each capability area, with the rule that put them there.
capability_members = Table(
    "capability_members",
    metadata,
    Column("area_id", String(64), primary_key=True),
    Column("concept_uri", String(255), primary_key=True),
    Column("concept_type", String(16), nullable=False),
    Column("rule", String(32), nullable=False),  # seed | group | collection | isco | pattern
    Column("tier", String(16), nullable=False, server_default="core"),  # core | enabling
    Column("reason", Text, nullable=False),
    Column("framework_version", String(32), nullable=False),
    Column("taxonomy_version", String(32), nullable=False),
    Index("ix_capability_members_concept", "concept_uri"),
)

# --- users and organisations -----------------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("email", String(320), nullable=False, unique=True),  # personal data
    Column("display_name", String(200), nullable=False),  # personal data
    Column("password_hash", String(255), nullable=False),
    Column("roles", String(200), nullable=False),  # comma-separated role names
    Column("is_active", Boolean, nullable=False, default=True),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the secret
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("revoked", Boolean, nullable=False, default=False),
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("legal_name", String(300), nullable=False),
    Column("country", String(2), nullable=False),
    Column("region", String(16), nullable=True),  # NUTS code
    Column("kind", String(32), nullable=False),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # issuer details (issue 3); all optional so the demo seed keeps working
    Column("registration_ids", Text, nullable=True),  # JSON object: scheme -> identifier
    Column("contact_email", String(320), nullable=True),
    Column("url", Text, nullable=True),
    Column("logo_url", Text, nullable=True),
    Column("did_web", String(500), nullable=True, unique=True),
    UniqueConstraint("legal_name", "country"),
)

#: Who may act for an organisation (define, issue, revoke, rotate keys). ``role_in_org`` is
#: ``issuer`` or ``manager``; administrators act for every organisation without a row here.
organisation_members = Table(
    "organisation_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("role_in_org", String(16), nullable=False),  # issuer | manager
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("organisation_id", "user_id"),
    Index("ix_organisation_members_user", "user_id"),
)

# --- credentials (issue 3) ---------------------------------------------------------------------

#: Issuers' signing keys. The private key is stored only encrypted (``credentials.keys``); retired
#: keys stay so that credentials they signed still verify.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("fragment", String(32), nullable=False),  # did:web verification method: #key-1, …
    Column("algorithm", String(16), nullable=False),  # Ed25519 | P-256
    Column("public_key_multibase", String(128), nullable=False, unique=True),
    Column("private_key_encrypted", LargeBinary, nullable=False),  # SPK1 blob, never in clear
    Column("status", String(16), nullable=False),  # active | retired
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("organisation_id", "fragment"),
)

#: Micro-credential definitions (Annex I ``Achievement`` as JSON), one row per version.
achievements = Table(
    "achievements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(64), nullable=False, unique=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    ),
    Column("title", String(500), nullable=False),
    Column("definition", Text, nullable=False),  # JSON of credentials.models.Achievement
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: Bitstring Status Lists (W3C), per issuer and purpose; ``sequence`` numbers an issuer's lists.
status_lists = Table(
    "status_lists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(64), nullable=False, unique=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("purpose", String(16), nullable=False),  # revocation | suspension
    Column("sequence", Integer, nullable=False),
    Column("size", Integer, nullable=False),  # bits
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("organisation_id", "purpose", "sequence"),
)

#: Issued credentials. The row holds its status list index: UNIQUE(list, index) is what makes
#: random allocation safe under concurrency (a clash is retried with a new index).
issued_credentials = Table(
    "issued_credentials",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(64), nullable=False, unique=True),  # urn:uuid:…
    Column(
        "achievement_id",
        Integer,
        ForeignKey("achievements.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("learner_key", String(64), nullable=False),  # HMAC of the learner's email or DID
    Column("learner_email_hash", String(100), nullable=True),  # salted, as in the IdentityObject
    Column("learner_email_salt", String(64), nullable=True),
    Column("learner_email", String(320), nullable=True),  # personal data (delivery only)
    Column("learner_name", String(300), nullable=True),  # personal data
    Column("learner_did", String(500), nullable=True),  # personal data
    Column("format", String(16), nullable=False),  # ob3 | ob3-jwt | elm
    Column("document", Text, nullable=False),  # the signed credential as issued
    Column(
        "status_list_id",
        Integer,
        ForeignKey("status_lists.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("status_index", Integer, nullable=False),
    Column("external_id", String(200), nullable=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("revocation_reason", Text, nullable=True),
    UniqueConstraint("status_list_id", "status_index"),
    # idempotency: one credential per (definition, learner, format, external id); an OB3 and an
    # ELM copy of the same award are two credentials (revision 0005)
    UniqueConstraint("achievement_id", "learner_key", "format", "external_id"),
    Index("ix_issued_credentials_achievement", "achievement_id"),
)

#: Operator's key registry: pinned verification methods and keys from imported documents.
trusted_keys = Table(
    "trusted_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("verification_method", String(500), nullable=False, unique=True),
    Column("controller", String(500), nullable=False),
    Column("public_key_multibase", String(200), nullable=True),
    Column("public_key_jwk", Text, nullable=True),  # JSON
    Column("source", String(200), nullable=False),  # "pinned" or the imported file/document id
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: Trusted-issuer registry: accredited issuers per country, kept by administrators.
trusted_issuers = Table(
    "trusted_issuers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("did", String(500), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("country", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
