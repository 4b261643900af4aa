"""Cadence helpers: sessions at fixed Beijing times, and the `world`'s unions by name."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from kiosk.cadence.months import BEIJING
from kiosk.extensions import db
from kiosk.models import OutreachSession, utcnow
from tests.admin.conftest import cheap_scrypt  # noqa: F401 - autouse: fast password hashing


def add_session(
    app: Flask,
    org_id: int,
    kind: str,
    starts: datetime,
    *,
    hours: float = 2,
    status: str = "planned",
    reason: str | None = None,
    site_id: int | None = None,
    title: str | None = None,
) -> str:
    """A session starting at `starts` (naive: Beijing time); returns its code."""
    if starts.tzinfo is None:
        starts = starts.replace(tzinfo=BEIJING)
    with app.app_context():
        session = OutreachSession(
            title=title or f"{kind}-{starts:%m%d%H%M}",
            kind=kind,
            organisation_id=org_id,
            site_id=site_id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            status=status,
            cancel_reason=reason,
            cancelled_at=utcnow() if status == "cancelled" else None,
            closed_at=utcnow() if status == "closed" else None,
        )
        db.session.add(session)
        db.session.commit()
        return session.code
