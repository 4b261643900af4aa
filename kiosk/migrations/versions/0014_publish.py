"""publish: a session's public note, shown on the knowledge base's schedule

Revision ID: 0014_publish
Revises: 0014_content
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_publish"
down_revision = "0014_content"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outreach_session") as batch:
        batch.add_column(sa.Column("public_note", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outreach_session") as batch:
        batch.drop_column("public_note")
