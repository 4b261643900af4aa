"""Companies (企业) and their file (一企一档): union status history, contacts, needs (诉求)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.choices import (
    COMPANY_INDUSTRIES,
    CONTACT_KINDS,
    NEED_STATUSES,
    PLATFORM_RELATIONS,
    UNION_STATUSES,
)
from kiosk.models.base import Model, UTCDateTime, one_of, utcnow
from kiosk.models.organisation import Organisation, Site
from kiosk.models.outreach import OutreachSession


class Company(Model):
    """A company the union reaches out to; it belongs to the union responsible for it."""

    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    # 统一社会信用代码 (GB 32100-2015), stored normalised: 18 upper-case characters.
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    industry: Mapped[str] = mapped_column(sa.String(20))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    site_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("site.id", ondelete="SET NULL"), index=True
    )
    headcount: Mapped[int | None] = mapped_column()
    gig_workers: Mapped[int | None] = mapped_column()  # 新就业形态劳动者人数
    platform_relation: Mapped[str | None] = mapped_column(sa.String(20))
    contact_name: Mapped[str | None] = mapped_column(sa.String(40))
    contact_position: Mapped[str | None] = mapped_column(sa.String(40))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(11), index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    union_status: Mapped[str] = mapped_column(sa.String(20), default="none")
    # The day (Beijing) the current status was reached; the history has every step.
    union_status_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    site: Mapped[Site | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "name"),
        one_of("industry", COMPANY_INDUSTRIES, name="industry"),
        one_of("platform_relation", PLATFORM_RELATIONS, name="platform_relation", nullable=True),
        one_of("union_status", UNION_STATUSES, name="union_status"),
        sa.CheckConstraint(
            "(headcount IS NULL OR headcount >= 0) AND (gig_workers IS NULL OR gig_workers >= 0)",
            name="counts_not_negative",
        ),
    )


class UnionStatusChange(Model):
    """One step of a company's union status (未建会, 筹建中, 已建会) and the day it was reached."""

    __tablename__ = "union_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(20))
    reached_on: Mapped[date] = mapped_column(sa.Date, index=True)  # a Beijing date
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (one_of("status", UNION_STATUSES, name="status"),)


class CompanyContact(Model):
    """One entry in a company's timeline: a 企业沟通会 attended, a visit, a call, a union step."""

    __tablename__ = "company_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    happened_on: Mapped[date] = mapped_column(sa.Date, index=True)  # a Beijing date
    # Set for kind "session": the 企业沟通会 attended (its minutes are the session's).
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outreach_session.id", ondelete="CASCADE"), index=True
    )
    attendees: Mapped[str | None] = mapped_column(sa.String(200))  # who came for the company
    summary: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[OutreachSession | None] = relationship()

    __table_args__ = (
        one_of("kind", CONTACT_KINDS, name="kind"),
        sa.UniqueConstraint("company_id", "session_id"),  # one attendance per session
    )


class Need(Model):
    """A need (诉求) a company raised, and how the union follows it up."""

    __tablename__ = "company_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("company_contact.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(100))
    response: Mapped[str | None] = mapped_column(sa.Text)  # the union's answer
    owner: Mapped[str | None] = mapped_column(sa.String(40))  # who at the union follows it up
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="todo")
    resolved_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped[Company] = relationship()
    contact: Mapped[CompanyContact | None] = relationship()

    __table_args__ = (one_of("status", NEED_STATUSES, name="status"),)


class SessionMinutes(Model):
    """The minutes (纪要) of a 企业沟通会; a table of its own so sessions stay as they are."""

    __tablename__ = "session_minutes"

    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outreach_session.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportDraft(Model):
    """An uploaded company list awaiting the staff member's go-ahead (the preview's data).

    Kept in the database, not on disk, so any server process can show the preview
    and apply it. Deleted when applied or cancelled, and after a day in any case.
    """

    __tablename__ = "company_import_draft"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    created_by_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    headers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    rows: Mapped[list[list[Any]]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
