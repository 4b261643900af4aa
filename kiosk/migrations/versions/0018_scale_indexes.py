"""scale indexes: what the staff pages need at city scale (700,000 sign-ups)

Revision ID: 0018_scale_indexes
Revises: 0017_relay

Found by profiling `scripts/bench_admin.py` on the city demo (`demo --scale city`):
- signup (session_id, created_at): the sign-up list filtered by dates, for a
  district's staff, reads only its sessions' sign-ups in the date range instead
  of every sign-up of a year of its sessions;
- outreach_session (starts_at): the sessions of a day or a month city-wide (the
  district session on the third Thursday, the session filter's newest 300);
- follow_up (organisation_id, joined_on): the report's "joined this month".
"""

from __future__ import annotations

from alembic import op

revision = "0018_scale_indexes"
down_revision = "0017_relay"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_signup_session_created", "signup", ["session_id", "created_at"]),
    ("ix_outreach_session_starts_at", "outreach_session", ["starts_at"]),
    ("ix_follow_up_org_joined", "follow_up", ["organisation_id", "joined_on"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
