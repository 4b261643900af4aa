"""Sign-ups the server refused from a tablet's offline queue, kept for staff to fix."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.choices import ATTENTION_RESOLUTIONS
from kiosk.models.base import Model, UTCDateTime, one_of, utcnow
from kiosk.models.outreach import OutreachSession


class AttentionItem(Model):
    __tablename__ = "attention_item"

    # The queued sign-up's own client-made id, so a re-report is recognisable.
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outreach_session.id", ondelete="CASCADE"), index=True
    )
    tablet_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    http_status: Mapped[int] = mapped_column()
    reason: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The queued sign-up as submitted; emptied once the item is resolved.
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Digits of the submitted phone, so delete-by-phone finds the item without JSON queries.
    phone: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    resolution: Mapped[str | None] = mapped_column(sa.String(10))

    session: Mapped[OutreachSession | None] = relationship()

    __table_args__ = (
        one_of("resolution", ATTENTION_RESOLUTIONS, name="resolution", nullable=True),
    )
