"""issued_credentials: idempotency per (definition, learner, format, external id)

Before this revision a repeat with the same external id but another format returned the first
credential, so an OB3 and an ELM copy of one award could not both be issued.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NAME = "uq_issued_credentials_achievement_id"


def upgrade() -> None:
    with op.batch_alter_table("issued_credentials", schema=None) as batch_op:
        batch_op.drop_constraint(_NAME, type_="unique")
        batch_op.create_unique_constraint(
            _NAME, ["achievement_id", "learner_key", "format", "external_id"]
        )


def downgrade() -> None:
    # Refuses (UNIQUE violation) when one award was issued in two formats with the same
    # external id: delete or renumber the extra copies first.
    with op.batch_alter_table("issued_credentials", schema=None) as batch_op:
        batch_op.drop_constraint(_NAME, type_="unique")
        batch_op.create_unique_constraint(_NAME, ["achievement_id", "learner_key", "external_id"])
