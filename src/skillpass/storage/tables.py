"""SQL tables (SQLAlchemy Core metadata), shared by every repository and by Alembic.

Storage rows live here and nowhere else; domain models never import this module.
Each schema change comes with an Alembic migration in ``storage/migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
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
    "attestations",
    "capability_members",
    "commitment_progress",
    "commitments",
    "community_posts",
    "community_profiles",
    "concept_collections",
    "concept_labels",
    "concept_relations",
    "concepts",
    "contact_requests",
    "dp_budgets",
    "dp_releases",
    "evidence_files",
    "funding_programmes",
    "holder_keys",
    "issued_credentials",
    "metadata",
    "mobility_consents",
    "mobility_events",
    "mobility_moves",
    "occupation_skills",
    "official_flows",
    "opportunities",
    "opportunity_skills",
    "organisation_members",
    "organisations",
    "partnership_members",
    "partnerships",
    "passport_items",
    "practices",
    "recognition_decisions",
    "recognition_reports",
    "rpl_cases",
    "rpl_events",
    "share_accesses",
    "shares",
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

# --- passport (issue 5) ------------------------------------------------------------------------

#: A learner's holder keys (did:key), private key encrypted at rest like issuers' keys. The
#: platform signs presentations with it on the learner's behalf (custodial wallet).
holder_keys = Table(
    "holder_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("did", String(500), nullable=False, unique=True),
    Column("private_key_encrypted", LargeBinary, nullable=False),
    Column("status", String(16), nullable=False),  # active | retired
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_holder_keys_user", "user_id"),
)

#: Everything in a learner's passport: credentials (claimed or imported), employer attestations
#: and self-declared experience. ``document`` keeps a credential exactly as issued.
passport_items = Table(
    "passport_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("owner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # credential | attestation | experience
    Column("source", String(16), nullable=False),  # claimed | imported | attested | rpl | self
    Column("category", String(32), nullable=True),  # experience: volunteering | project | …
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=False, default=""),  # personal data (free text)
    Column("issuer_name", String(300), nullable=True),
    Column("issuer_id", String(500), nullable=True),  # issuer DID / URL as in the credential
    Column("issuer_country", String(2), nullable=True),
    Column("format", String(16), nullable=True),  # ob3 | ob3-jwt | elm | vc-jwt | ob2 | clr
    Column("document", Text, nullable=True),  # personal data: the credential as issued
    Column("credential_id", String(500), nullable=True),  # the credential's own id
    Column("verified", Boolean, nullable=True),  # None: nothing to verify (self-declared)
    Column("verification", Text, nullable=True),  # JSON: the last verification report
    Column("checked_at", DateTime(timezone=True), nullable=True),
    Column("issued_at", DateTime(timezone=True), nullable=True),
    Column("valid_until", DateTime(timezone=True), nullable=True),
    Column("period_start", Date, nullable=True),
    Column("period_end", Date, nullable=True),
    Column("skills", Text, nullable=False, default="[]"),  # JSON: [{"uri", "label"}]
    Column("eqf", Integer, nullable=True),
    Column("ects", Float, nullable=True),
    Column("hours", Float, nullable=True),
    Column(
        "issued_credential_id",
        Integer,
        ForeignKey("issued_credentials.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("owner_id", "credential_id"),
    Index("ix_passport_items_owner", "owner_id"),
)

#: Employer attestations of workplace learning: requested by the learner, confirmed and signed
#: by a member of the employer organisation (or declined).
attestations = Table(
    "attestations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("learner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("role_title", String(300), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=True),  # None: still employed
    Column("tasks", Text, nullable=False),  # personal data (free text)
    Column("lang", String(8), nullable=True),
    Column("suggested_skills", Text, nullable=False, default="[]"),  # JSON from matching
    Column("confirmed_skills", Text, nullable=False, default="[]"),  # JSON: [{"uri", "label"}]
    Column("status", String(16), nullable=False),  # requested | attested | declined
    Column("note", Text, nullable=True),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("credential_id", String(200), nullable=True),
    Column("document", Text, nullable=True),  # the signed attestation credential
    Column("item_id", Integer, ForeignKey("passport_items.id", ondelete="SET NULL"), nullable=True),
    Index("ix_attestations_organisation", "organisation_id", "status"),
    Index("ix_attestations_learner", "learner_id"),
)

#: Recognition of prior learning: one case per request, with its full audit trail in
#: ``rpl_events``.
rpl_cases = Table(
    "rpl_cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("learner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column(
        "achievement_id",
        Integer,
        ForeignKey("achievements.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("skills", Text, nullable=False, default="[]"),  # JSON: the skills to validate
    Column("statement", Text, nullable=False),  # personal data (free text)
    Column("status", String(24), nullable=False),
    Column("assessor_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("method", String(32), nullable=True),  # interview | test | simulation | portfolio | …
    Column("decision_note", Text, nullable=True),
    Column(
        "issued_credential_id",
        Integer,
        ForeignKey("issued_credentials.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_rpl_cases_learner", "learner_id"),
    Index("ix_rpl_cases_assessor", "assessor_id"),
)

rpl_events = Table(
    "rpl_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("rpl_cases.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("actor_role", String(16), nullable=False),  # learner | assessor | admin | system
    Column("action", String(32), nullable=False),
    Column("note", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_rpl_events_case", "case_id"),
)

#: Evidence files of self-declared items and RPL cases (bounded size, type-checked on upload).
evidence_files = Table(
    "evidence_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("owner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("passport_items.id", ondelete="CASCADE"), nullable=True),
    Column("rpl_case_id", Integer, ForeignKey("rpl_cases.id", ondelete="CASCADE"), nullable=True),
    Column("filename", String(255), nullable=False),  # personal data
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),  # personal data
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_evidence_files_item", "item_id"),
    Index("ix_evidence_files_rpl_case", "rpl_case_id"),
)

#: Share links: the learner's choice of items, with an expiry and a revocation. ``token`` is the
#: unguessable secret in the link; only its SHA-256 is stored.
shares = Table(
    "shares",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("owner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(200), nullable=False),
    Column("item_ids", Text, nullable=False),  # JSON: passport item public ids
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_shares_owner", "owner_id"),
)

#: Who opened a share and when (shown to the learner). No IP address is kept.
share_accesses = Table(
    "share_accesses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("share_id", Integer, ForeignKey("shares.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # page | presentation | download
    Column("client", String(200), nullable=True),  # browser family / API client, coarse
    Column("domain", String(300), nullable=True),  # the verifier's domain for presentations
    Column("accessed_at", DateTime(timezone=True), nullable=False),
    Index("ix_share_accesses_share", "share_id"),
)

# --- pathways and recognition (issue 6) ----------------------------------------------------------

#: Learning opportunities of the catalogue. ``document`` is the full ``OpportunityCreate`` JSON;
#: the filter columns are copies for indexing.
opportunities = Table(
    "opportunities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("title", String(300), nullable=False),
    Column("provider", String(300), nullable=False),
    Column("country", String(2), nullable=False),
    Column("region", String(16), nullable=True),
    Column("languages", String(100), nullable=False),  # comma-separated ISO 639-1
    Column("mode", String(16), nullable=False),
    Column("course_type", String(32), nullable=False),
    Column("cost_eur", Float, nullable=False),
    Column("hours", Float, nullable=False),
    Column("eqf", Integer, nullable=True),
    Column("capability_areas", String(500), nullable=False, default=""),  # comma-separated
    Column("document", Text, nullable=False),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_opportunities_country_mode", "country", "mode"),
)

#: Outcome and prerequisite skills of each opportunity (for search by skill and the planner).
opportunity_skills = Table(
    "opportunity_skills",
    metadata,
    Column(
        "opportunity_id",
        Integer,
        ForeignKey("opportunities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("skill_uri", String(255), primary_key=True),
    Column("kind", String(16), primary_key=True),  # outcome | prerequisite
    Index("ix_opportunity_skills_skill", "skill_uri", "kind"),
)

#: The funding directory (shared by the pathway planner and the community portal). ``document``
#: is the ``FundingProgramme`` JSON; ``origin`` says whether it came from the shipped examples or
#: from the operator's import.
funding_programmes = Table(
    "funding_programmes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("level", String(16), nullable=False),
    Column("country", String(8), nullable=False),
    Column("document", Text, nullable=False),
    Column("origin", String(16), nullable=False),  # seed | import | api
    Column("example", Boolean, nullable=False, default=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

#: Recognition reports as generated (kept so that decisions refer to what the officer saw).
recognition_reports = Table(
    "recognition_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("learner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("target_kind", String(24), nullable=False),
    Column("target_id", String(255), nullable=False),
    Column("report", Text, nullable=False),  # JSON of RecognitionReport; personal data
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_recognition_reports_learner", "learner_id"),
)

#: Recognition officers' decisions: full / partial / no recognition, with conditions; auditable.
recognition_decisions = Table(
    "recognition_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column(
        "report_id",
        Integer,
        ForeignKey("recognition_reports.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("decision", String(16), nullable=False),
    Column("conditions", Text, nullable=True),
    Column("officer_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("officer_name", String(200), nullable=True),  # personal data (kept for the audit)
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("credential_id", String(200), nullable=True),
    Column("document", Text, nullable=True),
    Index("ix_recognition_decisions_report", "report_id"),
)

# --- mobility (issue 8) --------------------------------------------------------------------------

#: A learner's consent to count their declared moves in mobility statistics (withdrawable).
mobility_consents = Table(
    "mobility_consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True
    ),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
)

#: Moves a learner declares in their passport (origin → destination). Counted only while the
#: learner's consent stands.
mobility_moves = Table(
    "mobility_moves",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("origin", String(2), nullable=False),
    Column("destination", String(2), nullable=False),
    Column("moved_on", Date, nullable=False),
    Column("occupation_uri", String(255), nullable=True),
    Column("area_id", String(64), nullable=True),
    Column("eqf", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_mobility_moves_user", "user_id"),
)

#: Individual-level mobility events (never released as such): a credential issued in one country
#: verified or recognised in another, or a consented move. ``person_key`` is a keyed pseudonym used
#: only to bound each person's contribution per period.
mobility_events = Table(
    "mobility_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # verification | recognition | move
    Column("person_key", String(64), nullable=False),
    Column("origin", String(2), nullable=False),
    Column("destination", String(2), nullable=False),
    Column("area_id", String(64), nullable=False),
    Column("eqf", Integer, nullable=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("source", String(16), nullable=False),  # platform | synthetic
    Column("synthetic", Boolean, nullable=False, default=False),
    # keyed hash of what makes a platform event unique (credential, organisation): recorded once
    Column("dedup_key", String(64), nullable=True),
    Index("ix_mobility_events_occurred", "occurred_at"),
    Index("ux_mobility_events_dedup_key", "dedup_key", unique=True),
)

#: Differential-privacy release cycles: the zCDP budget caps per year and per quarter.
dp_budgets = Table(
    "dp_budgets",
    metadata,
    Column("cycle", String(8), primary_key=True),  # year, e.g. "2026"
    Column("rho_cap_year", Float, nullable=False),
    Column("rho_cap_quarter", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: Every release (audit): what was released, with which parameters and budget.
dp_releases = Table(
    "dp_releases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("cycle", String(8), nullable=False),
    Column("period", String(8), nullable=False),  # 2026Q3
    Column("query", String(64), nullable=False),  # which predefined table
    Column("mechanism", String(32), nullable=False),
    Column("rho", Float, nullable=False),
    Column("contribution_bound", Integer, nullable=False),
    Column("parameters", Text, nullable=False),  # JSON
    Column("released", Text, nullable=False),  # JSON: the noisy table as published
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_dp_releases_cycle_period", "cycle", "period"),
)

#: Official aggregate statistics imported to sit beside the platform's (e.g. Eurostat tables).
official_flows = Table(
    "official_flows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(200), nullable=False),
    Column("origin", String(8), nullable=False),
    Column("destination", String(8), nullable=False),
    Column("field", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("count", Float, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source", "origin", "destination", "field", "year"),
)

# --- Pact for Skills community (issue 9) ----------------------------------------------------------

#: An organisation's community profile: who it is in the Pact, what it offers and needs.
community_profiles = Table(
    "community_profiles",
    metadata,
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("role", String(32), nullable=False),  # employer | vet_provider | university | …
    Column("description", Text, nullable=False, default=""),
    Column("sectors", String(200), nullable=False, default=""),  # comma-separated NACE
    Column("regions", String(200), nullable=False, default=""),  # comma-separated NUTS
    Column("offers", Text, nullable=False, default="{}"),  # JSON: areas, skills, services
    Column("needs", Text, nullable=False, default="{}"),  # JSON: areas, skills, services
    Column("contact_email", String(320), nullable=True),  # shared only after acceptance
    Column("website", Text, nullable=True),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("synthetic", Boolean, nullable=False, default=False),
)

#: Skills partnerships: large-scale (sectoral, EU-wide) and regional.
partnerships = Table(
    "partnerships",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # large_scale | regional
    Column("sector", String(100), nullable=True),
    Column("region", String(16), nullable=True),
    Column("description", Text, nullable=False, default=""),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

partnership_members = Table(
    "partnership_members",
    metadata,
    Column(
        "partnership_id",
        Integer,
        ForeignKey("partnerships.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("role", String(16), nullable=False),  # coordinator | member
    Column("joined_at", DateTime(timezone=True), nullable=False),
)

#: Commitments an organisation (or a partnership, shared) makes, and their targets.
commitments = Table(
    "commitments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "partnership_id",
        Integer,
        ForeignKey("partnerships.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("title", String(300), nullable=False),
    Column("capability_area", String(64), nullable=True),
    Column("target_people", Integer, nullable=True),
    Column("target_investment_eur", Float, nullable=True),
    Column("target_training_places", Integer, nullable=True),
    Column("target_year", Integer, nullable=False),
    Column("sectors", String(200), nullable=False, default=""),
    Column("regions", String(200), nullable=False, default=""),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_commitments_organisation", "organisation_id"),
)

#: Yearly progress on a commitment (the member survey).
commitment_progress = Table(
    "commitment_progress",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "commitment_id",
        Integer,
        ForeignKey("commitments.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("year", Integer, nullable=False),
    Column("people_reached", Integer, nullable=False, default=0),
    Column("investment_eur", Float, nullable=False, default=0),
    Column("courses_delivered", Integer, nullable=False, default=0),
    Column("note", Text, nullable=True),
    Column("reported_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("commitment_id", "year"),
)

#: Partner-finding contact requests: details are shared only after the other side accepts.
contact_requests = Table(
    "contact_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column(
        "from_organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "to_organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("message", Text, nullable=False),
    Column("status", String(16), nullable=False),  # pending | accepted | declined
    Column("requested_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("decided_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Index("ix_contact_requests_to", "to_organisation_id", "status"),
)

#: The best-practice library: organisations submit, moderators publish.
practices = Table(
    "practices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("title", String(300), nullable=False),
    Column("summary", Text, nullable=False),
    Column("what", Text, nullable=False),
    Column("who", Text, nullable=False),
    Column("where", String(200), nullable=False),
    Column("results", Text, nullable=False),
    Column("contact", String(320), nullable=True),
    Column("practice_type", String(32), nullable=False),
    Column("sectors", String(200), nullable=False, default=""),
    Column("countries", String(200), nullable=False, default=""),
    Column("capability_areas", String(500), nullable=False, default=""),
    Column("status", String(16), nullable=False),  # submitted | published | rejected
    Column("moderation_note", Text, nullable=True),
    Column("submitted_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("moderated_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Index("ix_practices_status", "status"),
)

#: News and events, so the community page is alive.
community_posts = Table(
    "community_posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # news | event
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=True),
    Column("location", String(200), nullable=True),
    Column("registration_url", Text, nullable=True),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("published_at", DateTime(timezone=True), nullable=False),
)
