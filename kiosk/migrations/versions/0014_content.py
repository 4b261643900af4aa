"""content: the 内容编辑 role and revisions of knowledge-base files edited in the admin area

Revision ID: 0014_content
Revises: 0011_cadence
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.models.base

revision = "0014_content"
down_revision = "0011_cadence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_content_editor", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "content_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("is_draft", sa.Boolean(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=60), nullable=True),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("restored_from_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "action IN ('edit', 'create', 'restore', 'baseline')",
            name=op.f("ck_content_revision_action"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_user.id"],
            name=op.f("fk_content_revision_author_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["restored_from_id"],
            ["content_revision.id"],
            name=op.f("fk_content_revision_restored_from_id_content_revision"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_revision")),
    )
    with op.batch_alter_table("content_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_revision_path"), ["path"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_revision_path"))
    op.drop_table("content_revision")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("is_content_editor")
