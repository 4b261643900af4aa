"""One way to write the audit log, so every entry has the same shape."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user

from kiosk.extensions import db
from kiosk.models import AuditEvent, StaffUser


def phone_ref(phone: str | None) -> str:
    """A keyed hash of the number: the log can tell two entries apart, and nobody can read it back.

    A masked number (139****9999) keeps 7 of 11 digits, which with the prefix and a
    name is often enough to find the person; without the secret key, a hash of a
    number from a space of 10⁹ could simply be tried for every number.
    """
    if not phone:
        return ""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return "hmac:" + hmac.new(key, phone.encode(), hashlib.sha256).hexdigest()[:32]


def record(
    action: str,
    *,
    actor: StaffUser | None = None,
    organisation_id: int | None = None,
    commit: bool = True,
    **detail: Any,
) -> AuditEvent:
    """Append an audit event. `detail` must never contain a name or a full phone number."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user  # type: ignore[assignment]
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else detail.pop("username", None),
        organisation_id=organisation_id,
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event
