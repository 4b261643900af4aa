"""Binding a tablet to one session: a signed cookie that names a TabletBinding row."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from kiosk.extensions import db
from kiosk.models import OutreachSession, StaffUser, TabletBinding, utcnow

COOKIE = "kiosk_tablet"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tablet-binding")


def _max_age() -> int:
    return int(timedelta(days=current_app.config["TABLET_BINDING_DAYS"]).total_seconds())


def bind(session: OutreachSession, staff: StaffUser, label: str | None = None) -> TabletBinding:
    binding = TabletBinding(session_id=session.id, bound_by_id=staff.id, label=label)
    db.session.add(binding)
    db.session.commit()
    return binding


def token_for(binding: TabletBinding) -> str:
    return _serializer().dumps(str(binding.id))


def set_cookie(response: Response, binding: TabletBinding) -> None:
    # SameSite=Strict: a cross-site page can never post sign-ups with this cookie.
    response.set_cookie(
        COOKIE,
        token_for(binding),
        max_age=_max_age(),
        httponly=True,
        samesite="Strict",
        secure=current_app.config["SECURE_COOKIES"],
        path="/",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", samesite="Strict")


def current_binding() -> TabletBinding | None:
    """The live binding named by this request's cookie, or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        binding_id = uuid.UUID(_serializer().loads(token, max_age=_max_age()))
    except (BadSignature, ValueError, TypeError):
        return None
    binding = db.session.get(TabletBinding, binding_id)
    if binding is None or binding.revoked_at is not None:
        return None
    return binding


def revoke(binding: TabletBinding) -> None:
    binding.revoked_at = utcnow()
    db.session.commit()
