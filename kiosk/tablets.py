"""Binding a tablet to one session: a signed cookie that names a TabletBinding row."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from kiosk.extensions import db
from kiosk.models import OutreachSession, StaffUser, TabletBinding, utcnow

COOKIE = "kiosk_tablet"
SALT = "tablet-binding"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age() -> int:
    return int(timedelta(days=current_app.config["TABLET_BINDING_DAYS"]).total_seconds())


def bind(session: OutreachSession, staff: StaffUser, label: str | None = None) -> TabletBinding:
    """Bind this tablet to `session`: a new row, or its own row again if it already had one.

    Volunteers set a tablet up again when unsure it worked; that must not list the
    same tablet twice on the session page (nor count it twice).
    """
    binding = _same_tablet(session, label)
    if binding is None:
        binding = TabletBinding(session_id=session.id, bound_by_id=staff.id, label=label)
        db.session.add(binding)
    else:
        binding.bound_by_id, binding.bound_at = staff.id, utcnow()
        binding.label = label or binding.label
    db.session.commit()
    return binding


def _same_tablet(session: OutreachSession, label: str | None) -> TabletBinding | None:
    """This tablet's live binding to `session`: by its cookie, or else by its name.

    A tablet whose browser data was cleared has lost its cookie but keeps its name
    (平板1): a live binding of that name in the same session is the same tablet.
    """
    binding = current_binding()
    if binding is not None and binding.session_id == session.id:
        return binding
    if not label:
        return None
    return db.session.scalar(
        sa.select(TabletBinding)
        .where(
            TabletBinding.session_id == session.id,
            TabletBinding.label == label,
            TabletBinding.revoked_at.is_(None),
        )
        .order_by(TabletBinding.bound_at.desc())
        .limit(1)
    )


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


@lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> tuple[uuid.UUID, datetime] | None:
    """The binding id a cookie names and when it was signed, if the signature holds.

    Cached because every sign-up presents one of a booth's few cookies, and
    checking a signature cost more than validating the whole form. The result is
    a pure function of the key and the token; the age is checked on every call.
    """
    try:
        value, signed_at = URLSafeTimedSerializer(secret, salt=SALT).loads(
            token, return_timestamp=True
        )
        return uuid.UUID(value), signed_at
    except (BadSignature, ValueError, TypeError):
        return None


def binding_id_from_cookie() -> uuid.UUID | None:
    """The binding this request's cookie names, if it is genuine and not expired.

    Whether the binding is still live is for the caller to check: `current_binding`
    reads it, and the sign-up writer checks it with the rest of its batch.
    """
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 200:
        return None
    verified = _verified(current_app.config["SECRET_KEY"], token)
    if verified is None:
        return None
    binding_id, signed_at = verified
    if datetime.now(UTC) - signed_at > timedelta(seconds=_max_age()):
        return None
    return binding_id


def current_binding() -> TabletBinding | None:
    """The live binding named by this request's cookie, or None."""
    binding_id = binding_id_from_cookie()
    if binding_id is None:
        return None
    # Every caller goes on to read binding.session: fetch it in the same query.
    binding = db.session.get(TabletBinding, binding_id, options=[joinedload(TabletBinding.session)])
    if binding is None or binding.revoked_at is not None:
        return None
    return binding


def revoke(binding: TabletBinding) -> None:
    binding.revoked_at = utcnow()
    db.session.commit()
