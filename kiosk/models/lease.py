"""Leases: which server runs a shared job this time, when several serve one database."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Model, UTCDateTime


class JobLease(Model):
    """One row per job; a server runs the job only if it moved `due_at` on first."""

    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_holder: Mapped[str | None] = mapped_column(sa.String(100))  # host:pid, for the log
