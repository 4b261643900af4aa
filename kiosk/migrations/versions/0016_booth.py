"""booth: what riders get at a session, printed on its poster

Revision ID: 0016_booth
Revises: 0011_cadence
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_booth"
down_revision = "0011_cadence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column: SQLite adds it in place, no batch copy of the table needed.
    op.add_column("outreach_session", sa.Column("offer", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outreach_session") as batch:
        batch.drop_column("offer")
