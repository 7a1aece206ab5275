"""organisation_members: which users may act for which organisation

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role_in_org", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_members_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_organisation_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_members")),
        sa.UniqueConstraint(
            "organisation_id",
            "user_id",
            name=op.f("uq_organisation_members_organisation_id"),
        ),
    )
    with op.batch_alter_table("organisation_members", schema=None) as batch_op:
        batch_op.create_index("ix_organisation_members_user", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("organisation_members", schema=None) as batch_op:
        batch_op.drop_index("ix_organisation_members_user")
    op.drop_table("organisation_members")
