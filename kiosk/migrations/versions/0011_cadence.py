"""cadence: cancelled sessions, quotas, calendar feeds, join dates

Revision ID: 0011_cadence
Revises: 0002

On SQLite, changing outreach_session's CHECK constraints recreates the table
(Alembic's batch mode); kiosk.database.upgrade turns foreign keys off around
migrations so dropping the old table cannot cascade to its sign-ups.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import kiosk.models.base

revision = "0011_cadence"
down_revision = "0015_security"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('planned', 'open', 'closed')"
NEW_STATUSES = "status IN ('planned', 'open', 'closed', 'cancelled')"


def upgrade() -> None:
    op.create_table(
        "cadence_quota",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("worker_required", sa.Integer(), nullable=False),
        sa.Column("enterprise_required", sa.Integer(), nullable=False),
        sa.Column("district_required", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "level IS NULL OR level IN ('district', 'subdistrict', 'industrial_park')",
            name=op.f("ck_cadence_quota_level"),
        ),
        sa.CheckConstraint(
            "(level IS NULL) <> (organisation_id IS NULL)",
            name=op.f("ck_cadence_quota_level_or_organisation"),
        ),
        sa.CheckConstraint(
            "worker_required >= 0 AND enterprise_required >= 0",
            name=op.f("ck_cadence_quota_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_cadence_quota_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_user.id"],
            name=op.f("fk_cadence_quota_updated_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence_quota")),
        sa.UniqueConstraint("level", name=op.f("uq_cadence_quota_level")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_cadence_quota_organisation_id")),
    )
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_user.id"],
            name=op.f("fk_calendar_feed_created_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_calendar_feed_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_hash")),
    )
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_feed_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("joined_on", sa.Date(), nullable=True))
    _backfill_join_dates()

    with op.batch_alter_table("outreach_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("cancelled_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_constraint(op.f("ck_outreach_session_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_outreach_session_status"), NEW_STATUSES)
        batch_op.create_check_constraint(
            op.f("ck_outreach_session_cancel_has_reason"),
            "status <> 'cancelled' OR cancel_reason IS NOT NULL",
        )
        batch_op.create_index(
            "ix_outreach_session_org_starts", ["organisation_id", "starts_at"], unique=False
        )


def _backfill_join_dates() -> None:
    """People marked joined before join dates existed: the day the status was last saved."""
    follow_up = sa.table(
        "follow_up",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("updated_at", kiosk.models.base.UTCDateTime(timezone=True)),
        sa.column("joined_on", sa.Date()),
    )
    connection = op.get_bind()
    beijing = ZoneInfo("Asia/Shanghai")
    rows = connection.execute(
        sa.select(follow_up.c.id, follow_up.c.updated_at).where(follow_up.c.status == "joined")
    ).all()
    for row_id, updated_at in rows:
        day = (updated_at or datetime.now(beijing)).astimezone(beijing).date()
        connection.execute(follow_up.update().where(follow_up.c.id == row_id).values(joined_on=day))


def downgrade() -> None:
    # The old schema has no cancelled status; keep the rows (and their sign-ups) as closed.
    op.execute("UPDATE outreach_session SET status = 'closed' WHERE status = 'cancelled'")
    with op.batch_alter_table("outreach_session", schema=None) as batch_op:
        batch_op.drop_index("ix_outreach_session_org_starts")
        batch_op.drop_constraint(op.f("ck_outreach_session_cancel_has_reason"), type_="check")
        batch_op.drop_constraint(op.f("ck_outreach_session_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_outreach_session_status"), OLD_STATUSES)
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("cancel_reason")

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("joined_on")

    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feed_organisation_id"))

    op.drop_table("calendar_feed")
    op.drop_table("cadence_quota")
