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
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "api_tokens",
    "capability_members",
    "concept_collections",
    "concept_labels",
    "concept_relations",
    "concepts",
    "metadata",
    "occupation_skills",
    "organisations",
    "skill_skills",
    "taxonomy_imports",
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
    UniqueConstraint("legal_name", "country"),
)
