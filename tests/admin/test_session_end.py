"""A staff login ends for every copy of its cookie on logout, password change or disabling."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import StaffUser
from tests.conftest import PASSWORD, AuthActions, World

NEW_PASSWORD = "another-long-password"


def logged_in(app: Flask, username: str = "staff") -> FlaskClient:
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 302
    return client


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding the same session cookie (copied, or stolen)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    assert other.get("/admin/").status_code == 200
    return other


def signed_in(client: FlaskClient) -> bool:
    return client.get("/admin/").status_code == 200


def test_logout_ends_a_copied_cookie(app: Flask, world: World) -> None:
    browser = logged_in(app)
    copied = copy_of(app, browser)
    AuthActions(browser).logout()
    assert not signed_in(copied)
    assert not signed_in(browser)


def test_password_change_ends_other_logins_and_keeps_this_one(app: Flask, world: World) -> None:
    laptop, phone = logged_in(app), logged_in(app)
    copied = copy_of(app, laptop)
    response = laptop.post(
        "/admin/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    assert not signed_in(copied)


def test_disabling_ends_the_accounts_logins(app: Flask, world: World) -> None:
    browser = logged_in(app)
    admin = logged_in(app, "admin")
    with app.app_context():
        user_id = db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == "staff"))
    admin.post(f"/admin/users/{user_id}/disable")
    assert not signed_in(browser)
    admin.post(f"/admin/users/{user_id}/enable")
    assert not signed_in(browser)  # enabling again does not bring the old login back
    assert signed_in(logged_in(app))


def test_each_end_bumps_the_session_version(app: Flask, world: World) -> None:
    def version() -> int:
        with app.app_context():
            return db.session.scalar(
                sa.select(StaffUser.session_version).where(StaffUser.username == "staff")
            )

    browser = logged_in(app)
    before = version()
    AuthActions(browser).logout()
    assert version() == before + 1


def test_a_cookie_without_the_version_is_not_a_login(app: Flask, world: World) -> None:
    """Cookies issued before session versions existed name the user id alone."""
    browser = logged_in(app)
    with browser.session_transaction() as session:
        session["_user_id"] = session["_user_id"].split(":")[0]
    assert not signed_in(browser)
