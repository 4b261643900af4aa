"""One way to write the audit log, so every entry has the same shape."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from kiosk.extensions import db
from kiosk.models import AuditEvent, StaffUser


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
