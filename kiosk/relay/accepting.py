"""On the city server: what a relay credential may read and store, inside its own subtree.

A laptop sends what it stored, as it stored it: each sign-up goes through the
same validation and the same writer as POST /api/signups, so the answers mean
the same (201 stored, 200 the same content again, 409 the id used for other
content, 403/404 refused, 422 invalid, 503 try again). A credential can never
read a sign-up back.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from kiosk.choices import SESSION_KINDS, SOURCES
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, RelayCredential, Site, utcnow
from kiosk.scoping import descendant_ids
from kiosk.signups import store as signup_store
from kiosk.signups.refusal import CLOCK_SKEW, Submission
from kiosk.signups.validation import parse_client_time, validate_signup

MAX_SIGNUPS = 1000  # per request; a laptop sends RELAY_BATCH_SIZE (500) at most


def subtree(credential: RelayCredential) -> set[int]:
    return descendant_ids(credential.organisation_id)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def organisations(credential: RelayCredential) -> list[dict[str, Any]]:
    """The credential's organisation and those below it, parents first."""
    rows = db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(subtree(credential)))
    ).all()
    by_id = {org.id: org for org in rows}

    def depth(org: Organisation) -> int:
        return 0 if org.parent_id not in by_id else 1 + depth(by_id[org.parent_id])

    return [
        {
            "name": org.name,
            "level": org.level,
            "parent": by_id[org.parent_id].name if org.parent_id in by_id else None,
        }
        for org in sorted(rows, key=lambda org: (depth(org), org.id))
    ]


def sessions(credential: RelayCredential) -> list[dict[str, Any]]:
    """Upcoming, open and recently closed sessions of the subtree (closed within the grace)."""
    since = utcnow() - timedelta(hours=current_app.config["SYNC_GRACE_HOURS"])
    statement = (
        sa.select(OutreachSession, Organisation.name, Site.name)
        .join(Organisation, OutreachSession.organisation_id == Organisation.id)
        .outerjoin(Site, OutreachSession.site_id == Site.id)
        .where(
            OutreachSession.organisation_id.in_(subtree(credential)),
            sa.or_(
                OutreachSession.status.in_(["planned", "open"]),
                sa.and_(OutreachSession.status == "closed", OutreachSession.closed_at >= since),
            ),
        )
        .order_by(OutreachSession.starts_at)
    )
    return [
        {
            "code": session.code,
            "title": session.title,
            "kind": session.kind,
            "status": session.status,
            "organisation": org_name,
            "site": site_name,
            "starts_at": _iso(session.starts_at),
            "ends_at": _iso(session.ends_at),
            "closed_at": _iso(session.closed_at),
        }
        for session, org_name, site_name in db.session.execute(statement)
    ]


def _time(raw: object) -> datetime | None:
    value, error = parse_client_time(raw)
    return None if error else value


def take_session(credential: RelayCredential, item: object) -> tuple[int, dict[str, Any]]:
    """Create a session the laptop made offline (once), or open one the booth opened.

    Nothing else about a session can be changed by a relay credential, and never
    outside its subtree: a code that exists elsewhere is 404, as if unknown.
    """
    if not isinstance(item, dict) or not isinstance(item.get("code"), str):
        return 422, {"error": "malformed"}
    code = item["code"]
    allowed = subtree(credential)
    existing = db.session.scalar(sa.select(OutreachSession).where(OutreachSession.code == code))
    if existing is not None:
        if existing.organisation_id not in allowed:
            return 404, {"error": "unknown_session"}
        if existing.status == "planned" and item.get("status") == "open":
            existing.status = "open"  # the booth opened it while the city had it planned
            db.session.commit()
        return 200, {"code": code, "status": existing.status}
    starts_at, ends_at = _time(item.get("starts_at")), _time(item.get("ends_at"))
    status = item.get("status")
    if (
        not 0 < len(code) <= 16
        or not code.isascii()
        or not code.isalnum()
        or item.get("kind") not in SESSION_KINDS
        or status not in ("planned", "open", "closed")
        or not isinstance(item.get("title"), str)
        or not 0 < len(item["title"]) <= 100
        or starts_at is None
        or ends_at is None
        or ends_at <= starts_at
    ):
        return 422, {"error": "invalid_session"}
    organisation_id = db.session.scalar(
        sa.select(Organisation.id).where(
            Organisation.name == item.get("organisation"), Organisation.id.in_(allowed)
        )
    )
    session = OutreachSession(
        code=code,
        title=item["title"],
        kind=item["kind"],
        organisation_id=organisation_id or credential.organisation_id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        closed_at=(_time(item.get("closed_at")) or utcnow()) if status == "closed" else None,
        notes="由现场笔记本电脑创建并上传",
    )
    db.session.add(session)
    db.session.commit()
    return 201, {"code": code, "status": status}


def _prepare(item: object, now: datetime) -> Submission | signup_store.Outcome:
    """The submission to store for one pushed sign-up, or the answer that refuses it."""
    if not isinstance(item, dict):
        return signup_store.Outcome(422, {"error": "malformed"})
    clean, errors = validate_signup(item)
    source = item.get("source")
    if source not in SOURCES:
        errors["source"] = "unknown"
    try:
        tablet = uuid.UUID(item["tablet"]) if item.get("tablet") else None
    except (TypeError, ValueError, AttributeError):
        errors["tablet"] = "invalid"
    if errors:
        return signup_store.Outcome(
            422, {"errors": {field: str(message) for field, message in errors.items()}}
        )
    pending = signup_store.submission(clean, source=source, binding_id=None, now=now)
    row = {**pending.row, "tablet_id": tablet}
    consented_at = _time(item.get("consented_at"))
    if consented_at is not None and consented_at <= now + CLOCK_SKEW:
        row["consented_at"] = consented_at  # the consent the person gave at the booth
    received_at = _time(item.get("received_at"))
    collected = min(received_at, now) if received_at else None
    return dataclasses.replace(pending, row=row, collected_at=collected)


def take_signups(
    credential: RelayCredential, items: Sequence[object]
) -> list[tuple[str | None, signup_store.Outcome]]:
    """Store each pushed sign-up at most once: (its id, its answer), in order."""
    now = utcnow()
    prepared = [_prepare(item, now) for item in items]
    submissions = [p for p in prepared if isinstance(p, Submission)]
    codes = sorted({s.session_code for s in submissions})
    ours = set(
        db.session.scalars(
            sa.select(OutreachSession.code).where(
                OutreachSession.code.in_(codes),
                OutreachSession.organisation_id.in_(subtree(credential)),
            )
        )
    )
    db.session.rollback()  # end the read transaction before the writer takes the batch
    to_store = [s for s in submissions if s.session_code in ours]
    stored = iter(signup_store.store_many(to_store))
    answers: list[tuple[str | None, signup_store.Outcome]] = []
    for item, prep in zip(items, prepared, strict=True):
        id_ = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
        if not isinstance(prep, Submission):
            answers.append((id_, prep))
        elif prep.session_code not in ours:
            # Another union's session answers as an unknown one: nothing is revealed.
            answers.append((id_, signup_store.Outcome(404, {"error": "unknown_session"})))
        else:
            outcome = next(stored)
            if isinstance(outcome, signup_store.Unavailable):
                outcome = signup_store.Outcome(503, {"error": "try_again"})
            answers.append((id_, outcome))
    return answers
