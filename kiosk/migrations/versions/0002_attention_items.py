"""attention items: sign-ups refused from a tablet's offline queue

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.models.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attention_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("tablet_id", sa.Uuid(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("reason", sa.JSON(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('stored', 'dismissed')",
            name=op.f("ck_attention_item_resolution"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["staff_user.id"],
            name=op.f("fk_attention_item_resolved_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["outreach_session.id"],
            name=op.f("fk_attention_item_session_id_outreach_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attention_item")),
    )
    with op.batch_alter_table("attention_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attention_item_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attention_item_phone"), ["phone"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attention_item_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("attention_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attention_item_session_id"))
        batch_op.drop_index(batch_op.f("ix_attention_item_phone"))
        batch_op.drop_index(batch_op.f("ix_attention_item_created_at"))

    op.drop_table("attention_item")
