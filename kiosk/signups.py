"""Storing a sign-up exactly once, whoever sends it and however often."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from kiosk import privacy, signup_writer
from kiosk.extensions import db
from kiosk.models import Signup, utcnow
from kiosk.tablets import BoundSession, session_by_code
from kiosk.validation import CleanSignup

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]


def _person_fields(clean: CleanSignup) -> dict[str, Any]:
    """What the person typed, as stored; the fingerprint and the row both start from it."""
    return {
        "name": clean.name,
        "phone": clean.phone,
        "occupation": clean.occupation,
        "occupation_other": clean.occupation_other,
        "employer": clean.employer,
        "area": clean.area,
        "interests": clean.interests,
    }


def content_hash(clean: CleanSignup) -> str:
    """A fingerprint of what the person submitted; server-side fields are left out."""
    fields = {
        "session": clean.session,
        **_person_fields(clean),
        "consent_version": clean.consent_version,
        "client_time": clean.client_time.isoformat() if clean.client_time else None,
    }
    encoded = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def receipt(signup_id: uuid.UUID, received_at: datetime, session_code: str) -> dict[str, Any]:
    """What the client is told; identical for the first post and every replay."""
    return {
        "id": str(signup_id),
        "session": session_code,
        "received_at": received_at.astimezone(UTC).isoformat(),
    }


class SessionState(Protocol):
    status: str
    closed_at: datetime | None


def refusal(session: SessionState, clean: CleanSignup, source: str) -> str | None:
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


def _replay(clean: CleanSignup, digest: str) -> Outcome | None:
    """The answer for an id that is already stored, or None if it is not."""
    existing = db.session.execute(
        sa.select(Signup.content_hash, Signup.created_at).where(Signup.id == clean.id)
    ).one_or_none()
    if existing is None:
        return None
    if existing.content_hash != digest:
        return Outcome(409, {"error": "id_reused", "id": str(clean.id)})
    return Outcome(200, receipt(clean.id, existing.created_at, clean.session))


def _consent_time(clean: CleanSignup, now: datetime) -> datetime:
    if clean.client_time is None or clean.client_time > now + CLOCK_SKEW:
        return now
    return clean.client_time


def store(clean: CleanSignup, *, source: str, tablet: BoundSession | None = None) -> Outcome:
    """Check the sign-up against its session and store it once; replays get the first receipt."""
    session = tablet if tablet and tablet.code == clean.session else session_by_code(clean.session)
    if session is None:
        return Outcome(404, {"error": "unknown_session"})
    if tablet is not None and session is not tablet:
        return Outcome(403, {"error": "tablet_bound_to_other_session"})

    digest = content_hash(clean)
    reason = refusal(session, clean, source)
    if reason:
        # A tablet whose first answer was lost must get its receipt, not a 403,
        # even after the session closed.
        return _replay(clean, digest) or Outcome(403, {"error": reason})

    now = utcnow()
    values = {
        "id": clean.id,
        "session_id": session.id,
        **_person_fields(clean),
        "consent_version": clean.consent_version or privacy.notice_version(),
        "consented_at": _consent_time(clean, now),
        "source": source,
        "tablet_id": tablet.binding_id if tablet else None,
        "client_time": clean.client_time,
        "created_at": now,
        "content_hash": digest,
    }
    # Release this request's read snapshot before waiting on the writer thread.
    db.session.rollback()
    if signup_writer.writer().insert(values):
        return Outcome(201, receipt(clean.id, now, session.code))
    outcome = _replay(clean, digest)
    if outcome is None:  # pragma: no cover - the row that blocked ours cannot vanish
        raise RuntimeError(f"sign-up {clean.id} neither inserted nor found")
    return outcome
