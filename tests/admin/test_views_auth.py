"""Login, logout, throttling, idle expiry and password changes."""

from __future__ import annotations

import time

import itsdangerous.timed
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import StaffUser
from tests.admin.conftest import audit_events
from tests.conftest import PASSWORD, AuthActions, World


def test_login_page(client: FlaskClient):
    assert client.get("/admin/login").status_code == 200


def test_login_success_is_audited_and_redirects(app: Flask, auth: AuthActions, world: World):
    response = auth.login("staff")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    [event] = audit_events(app, "login")
    assert event.actor_name == "staff"
    assert event.organisation_id == world.town_id
    assert event.remote_addr == "127.0.0.1"


@pytest.mark.parametrize(
    ("username", "password"),
    [("staff", "wrong-password-123"), ("nobody", PASSWORD), ("staff", "")],
)
def test_failed_login_is_audited(
    app: Flask, client: FlaskClient, world: World, username: str, password: str
):
    response = client.post("/admin/login", data={"username": username, "password": password})
    assert response.status_code == 200
    assert "/admin/" not in response.headers.get("Location", "")
    with client.session_transaction() as session:
        assert "_user_id" not in session
    if password:
        [event] = audit_events(app, "login_failed")
        assert event.actor_name == username
        assert event.detail == {"via": "admin_login"}  # never the password


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/admin/signups", "/admin/signups"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/admin", "/admin/"),
        ("/kiosk/", "/admin/"),
    ],
)
def test_login_next_is_only_followed_inside_admin(
    client: FlaskClient, world: World, next_url: str, expected: str
):
    response = client.post(
        "/admin/login",
        query_string={"next": next_url},
        data={"username": "staff", "password": PASSWORD},
    )
    assert response.headers["Location"] == expected


def test_disabled_account_cannot_log_in(app: Flask, auth: AuthActions, world: World):
    with app.app_context():
        user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        user.active = False
        db.session.commit()
    assert auth.login("staff").status_code == 200
    assert audit_events(app, "login_failed")


def test_logout(app: Flask, client: FlaskClient, auth: AuthActions, world: World):
    auth.login("staff")
    response = auth.logout()
    assert response.headers["Location"] == "/admin/login"
    assert client.get("/admin/").status_code == 302
    assert audit_events(app, "logout")


def test_session_expires_when_idle(
    client: FlaskClient, auth: AuthActions, world: World, monkeypatch: pytest.MonkeyPatch
):
    auth.login("staff")
    start = time.time()
    clock = {"now": start}
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: int(clock["now"])
    )
    # Active use keeps the session alive past 30 minutes in total...
    for minutes in (20, 40):
        clock["now"] = start + minutes * 60
        assert client.get("/admin/").status_code == 200
    # ...but 31 idle minutes end it.
    clock["now"] += 31 * 60
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong-password", "another-good-password", "another-good-password", "当前密码不正确"),
        (PASSWORD, "short", "short", "新密码至少需要 10 位"),
        (PASSWORD, "another-good-password", "different-password", "两次输入的新密码不一致"),
        ("", "another-good-password", "another-good-password", "请填写当前密码"),
    ],
)
def test_password_change_validation(
    staff_client: FlaskClient, current: str, new: str, confirm: str, message: str
):
    response = staff_client.post(
        "/admin/password", data={"current": current, "new": new, "confirm": confirm}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_password_change(app: Flask, staff_client: FlaskClient, auth: AuthActions):
    response = staff_client.post(
        "/admin/password",
        data={"current": PASSWORD, "new": "a-new-long-password", "confirm": "a-new-long-password"},
    )
    assert response.status_code == 302
    assert audit_events(app, "password_change")
    auth.logout()
    assert auth.login("staff", PASSWORD).status_code == 200
    assert auth.login("staff", "a-new-long-password").status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        assert user.password_hash.startswith("scrypt:")
