"""Storing a sign-up exactly once, whoever sends it and however often."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from kiosk import privacy
from kiosk.extensions import db
from kiosk.models import OutreachSession, Signup, TabletBinding, utcnow
from kiosk.validation import CleanSignup

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]


def content_hash(clean: CleanSignup) -> str:
    """A fingerprint of what the person submitted; server-side fields are left out."""
    fields = {
        "session": clean.session,
        "name": clean.name,
        "phone": clean.phone,
        "occupation": clean.occupation,
        "occupation_other": clean.occupation_other,
        "employer": clean.employer,
        "area": clean.area,
        "interests": clean.interests,
        "consent_version": clean.consent_version,
        "client_time": clean.client_time.isoformat() if clean.client_time else None,
    }
    encoded = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def receipt(signup: Signup, session_code: str) -> dict[str, Any]:
    """What the client is told; identical for the first post and every replay."""
    return {
        "id": str(signup.id),
        "session": session_code,
        "received_at": signup.created_at.astimezone(UTC).isoformat(),
    }


def refusal(session: OutreachSession, clean: CleanSignup, source: str) -> str | None:
    """Why this session cannot take the sign-up now, or None if it can."""
    if session.status == "open":
        return None
    if session.status == "planned":
        return "session_not_open"
    # A tablet that was offline may deliver its queue after the session closed:
    # accept what was collected before closing, within the grace period.
    grace = timedelta(hours=current_app.config["SYNC_GRACE_HOURS"])
    closed_at = session.closed_at
    if (
        source == "kiosk"
        and closed_at is not None
        and clean.client_time is not None
        and clean.client_time <= closed_at + CLOCK_SKEW
        and utcnow() <= closed_at + grace
    ):
        return None
    return "session_closed"


def _replay(existing: Signup, clean: CleanSignup, digest: str) -> Outcome:
    if existing.content_hash != digest:
        return Outcome(409, {"error": "id_reused", "id": str(existing.id)})
    return Outcome(200, receipt(existing, clean.session))


def _consent_time(clean: CleanSignup, now: datetime) -> datetime:
    if clean.client_time is None or clean.client_time > now + CLOCK_SKEW:
        return now
    return clean.client_time


def store(clean: CleanSignup, *, source: str, tablet: TabletBinding | None = None) -> Outcome:
    """Validate against the session and insert once; replays get the original receipt."""
    session = db.session.scalar(
        sa.select(OutreachSession).where(OutreachSession.code == clean.session)
    )
    if session is None:
        return Outcome(404, {"error": "unknown_session"})
    if tablet is not None and tablet.session_id != session.id:
        return Outcome(403, {"error": "tablet_bound_to_other_session"})

    digest = content_hash(clean)
    existing = db.session.get(Signup, clean.id)
    if existing is not None:
        return _replay(existing, clean, digest)
    reason = refusal(session, clean, source)
    if reason:
        return Outcome(403, {"error": reason})

    now = utcnow()
    signup = Signup(
        id=clean.id,
        session_id=session.id,
        name=clean.name,
        phone=clean.phone,
        occupation=clean.occupation,
        occupation_other=clean.occupation_other,
        employer=clean.employer,
        area=clean.area,
        interests=clean.interests,
        consent_version=clean.consent_version or privacy.notice_version(),
        consented_at=_consent_time(clean, now),
        source=source,
        tablet_id=tablet.id if tablet else None,
        client_time=clean.client_time,
        created_at=now,
        content_hash=digest,
    )
    db.session.add(signup)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request with the same id committed between our lookup and our
        # insert (a retry racing the original). The primary key kept one row;
        # answer as a replay of whatever won.
        db.session.rollback()
        existing = db.session.get(Signup, clean.id, populate_existing=True)
        if existing is None:
            raise
        return _replay(existing, clean, digest)
    return Outcome(201, receipt(signup, session.code))
