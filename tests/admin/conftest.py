"""Admin test helpers: logged-in clients and sign-ups with fixed, visible values."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from kiosk import accounts, audit
from kiosk.extensions import db
from kiosk.models import AuditEvent, Signup
from tests.conftest import AuthActions, World

FIXED = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)  # 11:00 Beijing time


def add_signup(
    app: Flask,
    session_id: int,
    *,
    phone: str = "13800138000",
    name: str = "张三",
    created_at: datetime = FIXED,
    **fields: object,
) -> uuid.UUID:
    """Insert a sign-up row directly, with a fixed time so exports are predictable."""
    values: dict[str, object] = {
        "occupation": "courier",
        "employer": "顺丰",
        "area": "瀛海镇",
        "interests": ["health_check", "legal"],
        "consent_version": "2026-11-21",
        "consented_at": created_at,
        "source": "kiosk",
        "content_hash": "0" * 64,
    }
    values.update(fields)
    with app.app_context():
        signup = Signup(
            id=uuid.uuid4(),
            session_id=session_id,
            name=name,
            phone=phone,
            created_at=created_at,
            **values,
        )
        db.session.add(signup)
        db.session.commit()
        return signup.id


def audit_events(app: Flask, action: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        statement = sa.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            statement = statement.where(AuditEvent.action == action)
        return list(db.session.scalars(statement))


def phone_ref(app: Flask, phone: str) -> str:
    """What the audit log keeps for a phone number: its keyed hash under the app's secret."""
    with app.app_context():
        return audit.phone_ref(phone)


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scrypt with a small work factor: the same code path, a fraction of the time.

    Each fixture world creates four accounts and most tests log in; at the
    production cost (N=32768) that alone took most of the suite's time.
    """
    monkeypatch.setattr(
        accounts,
        "generate_password_hash",
        lambda password, method="scrypt": generate_password_hash(password, "scrypt:1024:8:1"),
    )


@pytest.fixture
def staff_client(client: FlaskClient, auth: AuthActions, world: World) -> FlaskClient:
    """`client` logged in as staff of 瀛海镇总工会."""
    assert auth.login("staff").status_code == 302
    return client


@pytest.fixture
def admin_client(client: FlaskClient, auth: AuthActions, world: World) -> FlaskClient:
    assert auth.login("admin").status_code == 302
    return client
