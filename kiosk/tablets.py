"""Binding a tablet to one session: a signed cookie that names a TabletBinding row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

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


@dataclass(frozen=True)
class BoundSession:
    """What the sign-up API needs to know about a tablet's session: one Core query, no ORM."""

    binding_id: uuid.UUID | None  # None when looked up by code (the phone form)
    id: int
    code: str
    status: str
    closed_at: datetime | None


# Built once: the sign-up API runs these on every request, and building and
# compiling a statement costs more than the SQLite lookup itself.
_SESSION_STATE = sa.select(
    OutreachSession.id, OutreachSession.code, OutreachSession.status, OutreachSession.closed_at
)
_BY_BINDING = _SESSION_STATE.join(
    TabletBinding, TabletBinding.session_id == OutreachSession.id
).where(
    TabletBinding.id == sa.bindparam("binding_id", type_=sa.Uuid),
    TabletBinding.revoked_at.is_(None),
)
_BY_CODE = _SESSION_STATE.where(OutreachSession.code == sa.bindparam("code"))


def _session_row(statement: sa.Select, **params: object) -> sa.Row | None:
    # A plain connection, not the ORM session: no unit of work to set up for a read.
    with db.engine.connect() as connection:
        return connection.execute(statement, params).one_or_none()


def _binding_id_from_cookie() -> uuid.UUID | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return uuid.UUID(_serializer().loads(token, max_age=_max_age()))
    except (BadSignature, ValueError, TypeError):
        return None


def current_session() -> BoundSession | None:
    """The session of this request's live tablet binding, for the sign-up hot path."""
    binding_id = _binding_id_from_cookie()
    if binding_id is None:
        return None
    row = _session_row(_BY_BINDING, binding_id=binding_id)
    return BoundSession(binding_id, *row) if row else None


def session_by_code(code: str) -> BoundSession | None:
    """The same facts for a session named by its code (the phone form, staff fixes)."""
    row = _session_row(_BY_CODE, code=code)
    return BoundSession(None, *row) if row else None


def current_binding() -> TabletBinding | None:
    """The live binding named by this request's cookie, or None."""
    binding_id = _binding_id_from_cookie()
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
