"""Relay mode: the credentials a city server issues to booth laptops, and each forwarded receipt."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.choices import RELAY_OUTCOMES
from kiosk.models.base import Model, UTCDateTime, one_of, utcnow
from kiosk.models.organisation import Organisation


class RelayCredential(Model):
    """On the city server: a laptop's token, bound to one organisation and everything below it."""

    __tablename__ = "relay_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(60))
    # SHA-256 of the token: the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()


class RelayReceipt(Model):
    """On a laptop: what the city server answered for one forwarded sign-up.

    A sign-up with no receipt is still to be forwarded. The receipt goes with the
    sign-up when retention deletes it; forwarding never deletes anything.
    """

    __tablename__ = "relay_receipt"

    signup_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("signup.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(sa.String(10))
    http_status: Mapped[int] = mapped_column()
    # The city server's answer: its receipt, or why it refused (no personal data).
    answer: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (one_of("outcome", RELAY_OUTCOMES, name="outcome"),)
