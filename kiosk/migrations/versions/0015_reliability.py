"""reliability: a lease per shared job, so one of several servers runs the daily purge

Revision ID: 0015_reliability
Revises: 0014_publish
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.models.base

revision = "0015_reliability"
down_revision = "0014_publish"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("due_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_run_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_holder", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_lease")),
    )


def downgrade() -> None:
    op.drop_table("job_lease")
