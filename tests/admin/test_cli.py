"""The first admin is created from the command line."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from kiosk.accounts import authenticate
from kiosk.extensions import db
from kiosk.models import StaffUser


def _user(app: Flask, name: str) -> StaffUser | None:
    with app.app_context():
        return db.session.scalar(sa.select(StaffUser).where(StaffUser.username == name))


def test_create_admin_with_password_option(app: Flask, runner):
    result = runner.invoke(
        args=["user", "create", "boss", "--admin", "--password", "long-enough-pw"]
    )
    assert result.exit_code == 0, result.output
    assert "已创建管理员账号 boss" in result.output
    with app.app_context():
        user = authenticate("boss", "long-enough-pw")
        assert user is not None and user.is_admin
        assert user.password_hash.startswith("scrypt:")


def test_create_admin_with_prompt(app: Flask, runner):
    result = runner.invoke(
        args=["user", "create", "boss", "--admin"], input="long-enough-pw\nlong-enough-pw\n"
    )
    assert result.exit_code == 0, result.output
    assert _user(app, "boss").is_admin


def test_short_password_is_refused(app: Flask, runner):
    result = runner.invoke(args=["user", "create", "boss", "--admin", "--password", "short"])
    assert result.exit_code == 1
    assert "密码至少需要 10 位" in result.output
    assert _user(app, "boss") is None
