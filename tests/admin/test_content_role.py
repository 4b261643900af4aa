"""内容编辑: admins grant and take away the role in the account pages and the CLI."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from kiosk.extensions import db
from kiosk.models import StaffUser
from tests.admin.conftest import audit_events
from tests.conftest import World


def _is_editor(app: Flask, username: str) -> bool:
    with app.app_context():
        return db.session.scalar(
            sa.select(StaffUser.is_content_editor).where(StaffUser.username == username)
        )


def _id(app: Flask, username: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == username))


def test_admin_grants_and_revokes(app, admin_client, world: World):
    staff_id = _id(app, "staff")
    assert "设为内容编辑" in admin_client.get("/admin/users").get_data(as_text=True)
    response = admin_client.post(f"/admin/users/{staff_id}/content-editor")
    assert response.headers["Location"] == "/admin/users"
    assert _is_editor(app, "staff")
    assert "取消内容编辑" in admin_client.get("/admin/users").get_data(as_text=True)
    admin_client.post(f"/admin/users/{staff_id}/content-editor/revoke")
    assert not _is_editor(app, "staff")
    assert [e.action for e in audit_events(app) if e.action.startswith("content_editor")] == [
        "content_editor_grant",
        "content_editor_revoke",
    ]


def test_staff_cannot_grant_themselves(app, staff_client, world: World):
    response = staff_client.post(f"/admin/users/{_id(app, 'staff')}/content-editor")
    assert response.status_code == 403
    assert not _is_editor(app, "staff")


def test_granted_on_creation(app, admin_client, world: World):
    data = {
        "username": "wang",
        "organisation_id": world.town_id,
        "password": "a-good-password",
        "is_content_editor": "y",
    }
    assert admin_client.post("/admin/users/new", data=data).status_code == 302
    assert _is_editor(app, "wang")


def test_revoked_editor_is_refused_at_once(app, client, auth, staff_client, world: World):
    with app.app_context():
        user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        user.is_content_editor = True
        db.session.commit()
    assert staff_client.get("/admin/content/").status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        user.is_content_editor = False
        db.session.commit()
    assert staff_client.get("/admin/content/").status_code == 403


def test_cli_grants_and_revokes(app, runner, world: World):
    result = runner.invoke(args=["user", "content-editor", "staff"])
    assert result.exit_code == 0, result.output
    assert result.output == "已授予 staff 的内容编辑角色\n"
    assert _is_editor(app, "staff")
    result = runner.invoke(args=["user", "content-editor", "staff", "--revoke"])
    assert result.output == "已取消 staff 的内容编辑角色\n"
    assert not _is_editor(app, "staff")
    result = runner.invoke(args=["user", "content-editor", "nobody"])
    assert result.exit_code == 1
    assert "没有用户名为 nobody 的账号" in result.output


def test_cli_creates_a_content_editor(app, runner, world: World):
    result = runner.invoke(
        args=["user", "create", "li", "--org", "瀛海镇总工会", "--content-editor"],
        input="a-good-password\na-good-password\n",
    )
    assert result.exit_code == 0, result.output
    assert _is_editor(app, "li")
