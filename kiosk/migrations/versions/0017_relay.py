"""relay: credentials for booth laptops, per-sign-up receipts, local and pulled sessions

Revision ID: 0017_relay
Revises: 0015_reliability
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.models.base

revision = "0017_relay"
down_revision = "0015_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relay_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_user.id"],
            name=op.f("fk_relay_credential_created_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_relay_credential_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relay_credential")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_relay_credential_token_hash")),
    )
    with op.batch_alter_table("relay_credential", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relay_credential_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "relay_receipt",
        sa.Column("signup_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("recorded_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('acked', 'attention', 'dismissed')", name=op.f("ck_relay_receipt_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["signup_id"],
            ["signup.id"],
            name=op.f("fk_relay_receipt_signup_id_signup"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("signup_id", name=op.f("pk_relay_receipt")),
    )
    with op.batch_alter_table("relay_receipt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relay_receipt_recorded_at"), ["recorded_at"], unique=False
        )

    # Plain ADD COLUMN: no table copy on SQLite, so no cascade to worry about.
    op.add_column(
        "outreach_session",
        sa.Column(
            "upstream_pulled_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True
        ),
    )
    op.add_column(
        "outreach_session",
        sa.Column(
            "upstream_pushed_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("outreach_session", schema=None) as batch_op:
        batch_op.drop_column("upstream_pushed_at")
        batch_op.drop_column("upstream_pulled_at")
    with op.batch_alter_table("relay_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relay_receipt_recorded_at"))
    op.drop_table("relay_receipt")
    with op.batch_alter_table("relay_credential", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relay_credential_organisation_id"))
    op.drop_table("relay_credential")
