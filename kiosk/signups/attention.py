"""Needs attention: sign-ups the server refused from a tablet's offline queue.

The kiosk reports each refused item to POST /api/attention; staff later fix the
fields and store it as a real sign-up, or dismiss it. Once resolved, the item's
copy of the personal data is emptied: the sign-up (if any) now holds it.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kiosk.extensions import db
from kiosk.models import AttentionItem, OutreachSession, Signup, StaffUser, TabletBinding, utcnow
from kiosk.signups import store as signup_store
from kiosk.signups.validation import phone_form, validate_signup

MAX_REASON_KEYS = 40


def phone_key(raw: object) -> str | None:
    """The submitted phone in the kiosk's one normal form, so delete-by-phone finds the item.

    Kept even when it is not a valid number (that may be why the sign-up was refused);
    a number typed with an extra 86 in front is read as a mainland number, as the
    form reads "+86".
    """
    if not isinstance(raw, str):
        return None
    text = phone_form(raw)
    if text.isascii() and text.isdigit() and len(text) == 13 and text.startswith("86"):
        text = text[2:]
    return text[:20] or None


def _session_for(payload: dict[str, Any], binding: TabletBinding) -> int:
    """The payload's session if it belongs to the tablet's organisation, else the tablet's.

    A tablet may be re-bound after it queued a sign-up, but it must never file an
    item into another organisation's queue.
    """
    code = payload.get("session")
    if isinstance(code, str):
        named = db.session.scalar(sa.select(OutreachSession).where(OutreachSession.code == code))
        if named is not None and named.organisation_id == binding.session.organisation_id:
            return named.id
    return binding.session_id


def parse_report(body: object) -> tuple[dict[str, Any] | None, str | None]:
    """Check the report's shape; return it cleaned, or an error code.

    Two shapes are accepted. The kiosk's sender.js posts the queued sign-up's own
    fields with `status` and `response` (the refusal body) added; the nested form
    `{id, status, reason, payload}` is clearer for other clients.
    """
    if not isinstance(body, dict):
        return None, "malformed_json"
    if isinstance(body.get("payload"), dict):
        payload, reason = body["payload"], body.get("reason")
    else:
        payload = {k: v for k, v in body.items() if k not in ("status", "response", "reason")}
        reason = body.get("response", body.get("reason"))
    try:
        item_id = uuid.UUID(str(body.get("id")))
    except ValueError:
        return None, "invalid_id"
    status = body.get("status")
    if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status < 500:
        return None, "invalid_status"
    reason = {} if reason is None else reason  # the refusal may have had no JSON body
    if not isinstance(reason, dict) or len(reason) > MAX_REASON_KEYS:
        return None, "invalid_reason"
    return {"id": item_id, "status": status, "reason": reason, "payload": payload}, None


def report(body: object, binding: TabletBinding) -> tuple[dict[str, Any], int]:
    """Store a refused sign-up once; a repeat report of the same id answers 200."""
    clean, error = parse_report(body)
    if clean is None:
        return {"error": error}, 422
    existing = db.session.get(AttentionItem, clean["id"])
    if existing is not None:
        return {"id": str(existing.id), "status": "known"}, 200
    item = AttentionItem(
        id=clean["id"],
        session_id=_session_for(clean["payload"], binding),
        tablet_id=binding.id,
        http_status=clean["status"],
        reason=clean["reason"],
        payload=clean["payload"],
        phone=phone_key(clean["payload"].get("phone")),
    )
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:
        # The same report raced itself (a retry while the first was in flight).
        db.session.rollback()
        return {"id": str(clean["id"]), "status": "known"}, 200
    return {"id": str(item.id), "status": "recorded"}, 201


def fix_payload(item: AttentionItem, fields: dict[str, Any]) -> dict[str, Any]:
    """The original submission with the staff's corrections laid over it."""
    merged = dict(item.payload)
    merged.update(fields)
    merged["id"] = str(item.id)
    if item.session is not None:
        merged["session"] = item.session.code
    return merged


def store(
    item: AttentionItem, data: dict[str, Any], by: StaffUser
) -> tuple[dict[str, Any], signup_store.Outcome | None]:
    """Validate and store as a real sign-up; resolve the item if the store succeeded."""
    clean, errors = validate_signup(data)
    if errors:
        return {field: str(message) for field, message in errors.items()}, None
    if clean.id is not None and db.session.get(Signup, clean.id) is not None:
        # The client's id is already taken by different content (a 409): a new id.
        clean.id = uuid.uuid4()
    outcome = signup_store.store(clean, source="kiosk")
    if outcome.status == 422:  # the database refused the row itself
        return outcome.body["errors"], None
    if outcome.status in (200, 201):
        resolve(item, "stored", by)
    return {}, outcome


def resolve(item: AttentionItem, resolution: str, by: StaffUser) -> None:
    item.resolution = resolution
    item.resolved_at = utcnow()
    item.resolved_by_id = by.id
    item.payload = {}  # data minimisation: the sign-up, if stored, holds it now
    item.phone = None
    db.session.commit()
