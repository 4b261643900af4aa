"""Accounts: admins create staff accounts and disable them; staff cannot."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import StaffUser
from tests.admin.conftest import audit_events
from tests.conftest import PASSWORD, AuthActions, World


def _form(world: World, **overrides: object) -> dict:
    data = {
        "username": "wang",
        "display_name": "王干事",
        "organisation_id": world.town_id,
        "password": "a-good-password",
    }
    data.update(overrides)
    return data


def test_admin_creates_staff(app: Flask, admin_client: FlaskClient, world: World):
    response = admin_client.post("/admin/users/new", data=_form(world))
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "wang"))
        assert (user.organisation_id, user.is_admin, user.display_name) == (
            world.town_id,
            False,
            "王干事",
        )
    [event] = audit_events(app, "user_create")
    assert event.detail == {"user": "wang", "admin": False}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "staff"}, "这个用户名已经有人用了"),
        ({"password": "short"}, "密码至少需要 10 位"),
        ({"organisation_id": 0}, "工作人员账号必须属于一个工会组织"),
        ({"username": ""}, "请填写用户名"),
    ],
)
def test_create_validation(admin_client: FlaskClient, world: World, overrides: dict, message: str):
    response = admin_client.post("/admin/users/new", data=_form(world, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_disable_logs_the_user_out(app: Flask, world: World):
    staff, admin = app.test_client(), app.test_client()
    AuthActions(staff).login("staff")
    AuthActions(admin).login("admin")
    with app.app_context():
        staff_id = db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == "staff"))
    assert admin.post(f"/admin/users/{staff_id}/disable").status_code == 302
    assert staff.get("/admin/").status_code == 302
    assert AuthActions(staff).login("staff", PASSWORD).status_code == 200
    admin.post(f"/admin/users/{staff_id}/enable")
    assert AuthActions(staff).login("staff", PASSWORD).status_code == 302
    assert [e.action for e in audit_events(app) if e.action.startswith("user_")] == [
        "user_disable",
        "user_enable",
    ]


def test_admin_cannot_disable_themselves(app: Flask, admin_client: FlaskClient):
    with app.app_context():
        admin_id = db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == "admin"))
    admin_client.post(f"/admin/users/{admin_id}/disable")
    assert admin_client.get("/admin/").status_code == 200


def test_staff_cannot_manage_accounts(staff_client: FlaskClient, world: World):
    assert staff_client.get("/admin/users").status_code == 403
    assert staff_client.post("/admin/users/new", data=_form(world)).status_code == 403
