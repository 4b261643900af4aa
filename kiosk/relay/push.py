"""On the laptop: forward local sessions and every sign-up, and record each acknowledgement.

Exactly once, end to end: a sign-up keeps its UUID, and the city server stores
an id at most once (INSERT … ON CONFLICT DO NOTHING, as for tablets). The
laptop records a receipt only for an answer it actually got, so a push cut
short (a restart, a 503, an answer lost after the city committed) is simply sent
again and answered 200 with the first receipt. Nothing is deleted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.extensions import db
from kiosk.models import OutreachSession, RelayReceipt, Signup, utcnow
from kiosk.relay.client import UpstreamError, call

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
ACKED = {200, 201}
RETRY = {503}  # the city's database was busy: same ids next time


@dataclass
class Pushed:
    """What one push did."""

    sessions: int = 0
    acked: int = 0
    attention: int = 0
    retry: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sessions_to_push() -> list[OutreachSession]:
    """Local sessions the city has not taken yet, and pulled ones the booth opened."""
    return list(
        db.session.scalars(
            sa.select(OutreachSession).where(
                OutreachSession.status != "cancelled",
                sa.or_(
                    sa.and_(
                        OutreachSession.upstream_pulled_at.is_(None),
                        OutreachSession.upstream_pushed_at.is_(None),
                    ),
                    sa.and_(
                        OutreachSession.upstream_pulled_at.is_not(None),
                        OutreachSession.status == "open",
                    ),
                ),
            )
        )
    )


def push_sessions(pushed: Pushed) -> None:
    sessions = sessions_to_push()
    if not sessions:
        return
    body = {
        "sessions": [
            {
                "code": s.code,
                "title": s.title,
                "kind": s.kind,
                "status": s.status,
                "organisation": s.organisation.name,
                "starts_at": _iso(s.starts_at),
                "ends_at": _iso(s.ends_at),
                "closed_at": _iso(s.closed_at),
            }
            for s in sessions
        ]
    }
    results = call("POST", "/api/relay/sessions", body)["results"]
    now = utcnow()
    for session, result in zip(sessions, results, strict=True):
        if result["status"] in ACKED and session.upstream_pulled_at is None:
            session.upstream_pushed_at = now  # pushed once: never again
            pushed.sessions += 1
        elif result["status"] not in ACKED:
            pushed.errors.append(f"沟通会 {session.code} 上传被拒（{result['status']}）")
    db.session.commit()


def _upstream_known() -> sa.ColumnElement[bool]:
    """Sign-ups whose session the city server knows: pulled from it, or pushed to it."""
    return sa.or_(
        OutreachSession.upstream_pulled_at.is_not(None),
        OutreachSession.upstream_pushed_at.is_not(None),
    )


def pending_batch(limit: int) -> list[tuple[Signup, str]]:
    """The oldest sign-ups with no receipt, with their session codes."""
    statement = (
        sa.select(Signup, OutreachSession.code)
        .join(OutreachSession)
        .where(~sa.exists().where(RelayReceipt.signup_id == Signup.id), _upstream_known())
        .order_by(Signup.created_at, Signup.id)
        .limit(limit)
    )
    return [(signup, code) for signup, code in db.session.execute(statement)]


def wire(signup: Signup, code: str) -> dict[str, Any]:
    """A stored sign-up as POST /api/relay/signups takes it: the person's fields as stored."""
    return {
        "id": str(signup.id),
        "session": code,
        "name": signup.name,
        "phone": signup.phone,
        "occupation": signup.occupation,
        "occupation_other": signup.occupation_other,
        "employer": signup.employer,
        "area": signup.area,
        "interests": list(signup.interests or []),
        "consent": True,
        "consent_version": signup.consent_version,
        "consented_at": _iso(signup.consented_at),
        "client_time": _iso(signup.client_time),
        "source": signup.source,
        "tablet": str(signup.tablet_id) if signup.tablet_id else None,
        "received_at": _iso(signup.created_at),
    }


def _record(receipts: list[dict[str, Any]]) -> None:
    if not receipts:
        return
    insert = _INSERTS[db.engine.dialect.name](RelayReceipt.__table__)
    # The timer, the button and the CLI may race on one id: the first receipt stays.
    db.session.execute(insert.on_conflict_do_nothing(index_elements=["signup_id"]), receipts)
    db.session.commit()


def push_batch(batch: list[tuple[Signup, str]], pushed: Pushed) -> bool:
    """Send one batch; record a receipt for every definite answer. True if all got one."""
    body = {"signups": [wire(signup, code) for signup, code in batch]}
    ids = [signup.id for signup, _code in batch]
    db.session.rollback()  # no read transaction held open (SQLite) while the city answers
    results = call("POST", "/api/relay/signups", body)["results"]
    if len(results) != len(ids):
        raise UpstreamError("上级服务器的回答与上传的条数不符")
    now = utcnow()
    receipts = []
    for signup_id, result in zip(ids, results, strict=True):
        status = int(result["status"])
        if status in RETRY or status >= 500:
            pushed.retry += 1
            continue
        acked = status in ACKED
        pushed.acked += acked
        pushed.attention += not acked
        answer = result.get("body") if isinstance(result.get("body"), dict) else {}
        receipts.append(
            {
                "signup_id": signup_id,
                "outcome": "acked" if acked else "attention",
                "http_status": status,
                "answer": answer,
                "recorded_at": now,
            }
        )
    _record(receipts)
    pushed.batches += 1
    return len(receipts) == len(ids)


def push_signups(pushed: Pushed, *, max_batches: int | None = None) -> None:
    """Push batches until nothing is pending, a batch is only partly answered, or the cap."""
    size = current_app.config["RELAY_BATCH_SIZE"]
    while max_batches is None or pushed.batches < max_batches:
        batch = pending_batch(size)
        if not batch:
            return
        if not push_batch(batch, pushed):
            return  # some were not answered now (503): the timer tries again later
