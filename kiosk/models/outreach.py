"""Outreach sessions (沟通会) and the tablets bound to them."""

from __future__ import annotations

import secrets
import unicodedata
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.choices import SESSION_KINDS, SESSION_STATUSES
from kiosk.models.base import Model, UTCDateTime, one_of, utcnow
from kiosk.models.organisation import Organisation, Site

# No 0/O/1/I/L: codes are read aloud and typed from paper at the booth.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 10  # 31**10 ≈ 8e14: not guessable at any rate-limited speed


def new_session_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """A session code as stored, from however someone typed it.

    Codes are read off paper and typed on phones with a Chinese keyboard: full-width
    letters (ｋ７ｍ), capitals, and spaces or dashes between groups all mean the same
    code. Every place a person types a code looks it up through this function.
    """
    folded = unicodedata.normalize("NFKC", typed or "")
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-_·.").lower()


class OutreachSession(Model):
    __tablename__ = "outreach_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True, default=new_session_code)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(100))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("site.id", ondelete="RESTRICT"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(10), default="planned")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # Shown to the public on the knowledge base's schedule; notes are for staff only.
    public_note: Mapped[str | None] = mapped_column(sa.String(200))
    # Why it did not take place (status "cancelled"); kept and shown, never counted.
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(200))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Relay mode, on a booth laptop: when this session was last copied from the city
    # server. None means it was created here (a local session), and then
    # `upstream_pushed_at` says when the city server took it.
    upstream_pulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    upstream_pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    site: Mapped[Site | None] = relationship()

    __table_args__ = (
        one_of("kind", SESSION_KINDS, name="kind"),
        one_of("status", SESSION_STATUSES, name="status"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(
            "status <> 'cancelled' OR cancel_reason IS NOT NULL", name="cancel_has_reason"
        ),
        # The month views read sessions by organisation and start time.
        sa.Index("ix_outreach_session_org_starts", "organisation_id", "starts_at"),
        # City-wide by time: a day's district sessions, the newest sessions first.
        sa.Index("ix_outreach_session_starts_at", "starts_at"),
    )


class TabletBinding(Model):
    """A tablet set to one session by a staff member; the cookie carries only its id."""

    __tablename__ = "tablet_binding"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outreach_session.id", ondelete="CASCADE"), index=True
    )
    bound_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    label: Mapped[str | None] = mapped_column(sa.String(60))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[OutreachSession] = relationship()
