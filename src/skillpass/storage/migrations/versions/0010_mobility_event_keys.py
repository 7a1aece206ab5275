"""Mobility: platform events recorded once per credential and organisation (``dedup_key``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mobility_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dedup_key", sa.String(length=64), nullable=True))
        batch_op.create_index("ux_mobility_events_dedup_key", ["dedup_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("mobility_events", schema=None) as batch_op:
        batch_op.drop_index("ux_mobility_events_dedup_key")
        batch_op.drop_column("dedup_key")
