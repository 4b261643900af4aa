"""Storing a sign-up exactly once, whoever sends it and however often."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from kiosk import privacy, signup_writer
from kiosk.admission import CLOCK_SKEW, Submission, Verdict
from kiosk.extensions import db
from kiosk.models import Signup, utcnow
from kiosk.validation import CleanSignup


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


_STATUS = {
    Verdict.UNKNOWN_SESSION: 404,
    Verdict.TABLET_NOT_BOUND: 403,
    Verdict.TABLET_BOUND_TO_OTHER_SESSION: 403,
    Verdict.SESSION_NOT_OPEN: 403,
    Verdict.SESSION_CLOSED: 403,
}


def submission(
    clean: CleanSignup, *, source: str, binding_id: uuid.UUID | None, now: datetime
) -> Submission:
    """The row to store and what admission needs to know, for the writer."""
    row = {
        "id": clean.id,
        **_person_fields(clean),
        "consent_version": clean.consent_version or privacy.notice_version(),
        "consented_at": _consent_time(clean, now),
        "source": source,
        "tablet_id": binding_id,
        "client_time": clean.client_time,
        "created_at": now,
        "content_hash": content_hash(clean),
    }
    return Submission(
        row=row,
        session_code=clean.session,
        source=source,
        binding_id=binding_id,
        client_time=clean.client_time,
        grace=timedelta(hours=current_app.config["SYNC_GRACE_HOURS"]),
    )


def store(clean: CleanSignup, *, source: str, binding_id: uuid.UUID | None = None) -> Outcome:
    """Store the sign-up once if its session (and tablet) allow; replays get the first receipt.

    `binding_id` names the tablet that sent it: the sign-up is refused unless that
    binding is still live and bound to the sign-up's session.
    """
    now = utcnow()
    pending = submission(clean, source=source, binding_id=binding_id, now=now)
    verdict = signup_writer.writer().submit(pending)
    if verdict is Verdict.INSERTED:
        return Outcome(201, receipt(clean.id, now, clean.session))
    if verdict in (Verdict.DUPLICATE, Verdict.SESSION_NOT_OPEN, Verdict.SESSION_CLOSED):
        # A tablet whose first answer was lost must get its receipt, not a 403,
        # even after the session closed.
        replay = _replay(clean, pending.row["content_hash"])
        if replay is not None:
            return replay
        if verdict is Verdict.DUPLICATE:  # pragma: no cover - the blocking row cannot vanish
            raise RuntimeError(f"sign-up {clean.id} neither inserted nor found")
    return Outcome(_STATUS[verdict], {"error": verdict.value})
