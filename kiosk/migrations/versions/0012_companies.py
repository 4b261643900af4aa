"""companies: 一企一档 with union status history, contacts and needs; minutes; import drafts

Revision ID: 0012_companies
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.models.base

revision = "0012_companies"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("industry", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=True),
        sa.Column("gig_workers", sa.Integer(), nullable=True),
        sa.Column("platform_relation", sa.String(length=20), nullable=True),
        sa.Column("contact_name", sa.String(length=40), nullable=True),
        sa.Column("contact_position", sa.String(length=40), nullable=True),
        sa.Column("contact_phone", sa.String(length=11), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("union_status", sa.String(length=20), nullable=False),
        sa.Column("union_status_on", sa.Date(), nullable=True),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "industry IN ('express', 'food_delivery', 'ride_hailing', 'freight', "
            "'domestic', 'other')",
            name=op.f("ck_company_industry"),
        ),
        sa.CheckConstraint(
            "platform_relation IS NULL OR platform_relation IN "
            "('platform', 'franchise', 'outsourcing', 'other')",
            name=op.f("ck_company_platform_relation"),
        ),
        sa.CheckConstraint(
            "union_status IN ('none', 'preparing', 'established')",
            name=op.f("ck_company_union_status"),
        ),
        sa.CheckConstraint(
            "(headcount IS NULL OR headcount >= 0) AND (gig_workers IS NULL OR gig_workers >= 0)",
            name=op.f("ck_company_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_company_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_company_site_id_site"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_company_credit_code")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_company_organisation_id_name")
        ),
    )
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_contact_phone"), ["contact_phone"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_company_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_company_site_id"), ["site_id"], unique=False)

    op.create_table(
        "company_import_draft",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_user.id"],
            name=op.f("fk_company_import_draft_created_by_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_import_draft")),
    )
    with op.batch_alter_table("company_import_draft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_import_draft_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_company_import_draft_created_by_id"), ["created_by_id"], unique=False
        )

    op.create_table(
        "company_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("attendees", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('session', 'visit', 'call', 'union_step')",
            name=op.f("ck_company_contact_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_contact_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_user.id"],
            name=op.f("fk_company_contact_recorded_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["outreach_session.id"],
            name=op.f("fk_company_contact_session_id_outreach_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_contact")),
        sa.UniqueConstraint(
            "company_id", "session_id", name=op.f("uq_company_contact_company_id_session_id")
        ),
    )
    with op.batch_alter_table("company_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_contact_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_company_contact_happened_on"), ["happened_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_company_contact_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "session_minutes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["outreach_session.id"],
            name=op.f("fk_session_minutes_session_id_outreach_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_user.id"],
            name=op.f("fk_session_minutes_updated_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_minutes")),
    )
    op.create_table(
        "union_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('none', 'preparing', 'established')",
            name=op.f("ck_union_status_change_status"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_union_status_change_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_user.id"],
            name=op.f("fk_union_status_change_recorded_by_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_union_status_change")),
    )
    with op.batch_alter_table("union_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_union_status_change_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_union_status_change_reached_on"), ["reached_on"], unique=False
        )

    op.create_table(
        "company_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=40), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("created_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kiosk.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('todo', 'doing', 'done')", name=op.f("ck_company_need_status")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["company.id"],
            name=op.f("fk_company_need_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["company_contact.id"],
            name=op.f("fk_company_need_contact_id_company_contact"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_need")),
    )
    with op.batch_alter_table("company_need", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_need_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_company_need_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_company_need_due_on"), ["due_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("company_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_need_due_on"))
        batch_op.drop_index(batch_op.f("ix_company_need_contact_id"))
        batch_op.drop_index(batch_op.f("ix_company_need_company_id"))

    op.drop_table("company_need")
    with op.batch_alter_table("union_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_union_status_change_reached_on"))
        batch_op.drop_index(batch_op.f("ix_union_status_change_company_id"))

    op.drop_table("union_status_change")
    op.drop_table("session_minutes")
    with op.batch_alter_table("company_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_contact_session_id"))
        batch_op.drop_index(batch_op.f("ix_company_contact_happened_on"))
        batch_op.drop_index(batch_op.f("ix_company_contact_company_id"))

    op.drop_table("company_contact")
    with op.batch_alter_table("company_import_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_import_draft_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_company_import_draft_created_at"))

    op.drop_table("company_import_draft")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_site_id"))
        batch_op.drop_index(batch_op.f("ix_company_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_company_contact_phone"))

    op.drop_table("company")
