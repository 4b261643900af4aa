"""Sign-ups collected at sessions, and the per-person follow-up record."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.choices import FOLLOW_UP_STATUSES, SOURCES
from kiosk.models.base import Model, UTCDateTime, one_of, utcnow
from kiosk.models.organisation import Organisation
from kiosk.models.outreach import OutreachSession


class Signup(Model):
    __tablename__ = "signup"

    # Made by the client before it queues the sign-up, so a retry is recognisable.
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outreach_session.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(40))
    phone: Mapped[str] = mapped_column(sa.String(11), index=True)
    occupation: Mapped[str] = mapped_column(sa.String(20))
    occupation_other: Mapped[str | None] = mapped_column(sa.String(40))
    employer: Mapped[str | None] = mapped_column(sa.String(60))
    area: Mapped[str | None] = mapped_column(sa.String(60))
    interests: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    consent_version: Mapped[str] = mapped_column(sa.String(32))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(sa.String(10))
    tablet_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    client_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Fingerprint of the submitted content: a re-post with the same id must match it.
    content_hash: Mapped[str] = mapped_column(sa.String(64))

    session: Mapped[OutreachSession] = relationship()

    __table_args__ = (
        one_of("source", SOURCES, name="source"),
        sa.Index("ix_signup_session_phone", "session_id", "phone"),
        # A session's sign-ups in a date range (the sign-up list's date filter, scoped).
        sa.Index("ix_signup_session_created", "session_id", "created_at"),
    )


class FollowUp(Model):
    """One row per person (phone number) per organisation: staff follow-up state."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    phone: Mapped[str] = mapped_column(sa.String(11))
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    note: Mapped[str | None] = mapped_column(sa.Text)
    # The day the person joined through 北京工会i会员 (status "joined"): from the union's
    # member list (/admin/joined/import), or the day staff set the status by hand.
    joined_on: Mapped[date | None] = mapped_column(sa.Date)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "phone"),
        one_of("status", FOLLOW_UP_STATUSES, name="status"),
        # The monthly report's "joined this month", per union.
        sa.Index("ix_follow_up_org_joined", "organisation_id", "joined_on"),
    )
