"""capability_members.tier: core or enabling membership

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("capability_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tier", sa.String(length=16), server_default="core", nullable=False)
        )
    # Members stored before this revision carried the tier as a "[enabling] " reason prefix.
    op.execute(
        "UPDATE capability_members SET tier = 'enabling', reason = substr(reason, 13) "
        "WHERE reason LIKE '[enabling] %'"
    )
    op.execute(
        "UPDATE capability_members SET reason = substr(reason, 8) WHERE reason LIKE '[core] %'"
    )


def downgrade() -> None:
    with op.batch_alter_table("capability_members", schema=None) as batch_op:
        batch_op.drop_column("tier")
