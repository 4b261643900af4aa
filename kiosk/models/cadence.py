"""The month's quotas (per organisation level, or for one organisation) and calendar feeds."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.choices import ORG_LEVELS
from kiosk.models.base import Model, UTCDateTime, one_of, utcnow
from kiosk.models.organisation import Organisation


class Quota(Model):
    """What a union must hold in a month: for every union of a level, or for one union.

    A row names either a level or an organisation, never both. Levels with no row
    use the defaults in kiosk.cadence.quotas.
    """

    __tablename__ = "cadence_quota"

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    worker_required: Mapped[int] = mapped_column()
    enterprise_required: Mapped[int] = mapped_column()
    district_required: Mapped[bool] = mapped_column()
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        one_of("level", ORG_LEVELS, name="level", nullable=True),
        sa.CheckConstraint(
            "(level IS NULL) <> (organisation_id IS NULL)", name="level_or_organisation"
        ),
        sa.CheckConstraint(
            "worker_required >= 0 AND enterprise_required >= 0", name="not_negative"
        ),
    )


class CalendarFeed(Model):
    """A private .ics address for one organisation's sessions; only its hash is stored."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(60))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
