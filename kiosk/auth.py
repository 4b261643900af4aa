"""Flask-Login wiring: how a staff session is loaded and where anonymous users are sent."""

from __future__ import annotations

from flask import Flask

from kiosk.extensions import db, login_manager
from kiosk.models import StaffUser


@login_manager.user_loader
def load_user(cookie_id: str) -> StaffUser | None:
    """The user a session cookie names, if its session version is still the current one."""
    user_id, _, version = cookie_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(StaffUser, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.login_view = "admin.login"
    login_manager.login_message = "请先登录"
    login_manager.session_protection = "strong"
