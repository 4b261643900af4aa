"""Flask-Login wiring: how a staff session is loaded and where anonymous users are sent."""

from __future__ import annotations

from flask import Flask

from kiosk.extensions import db, login_manager
from kiosk.models import StaffUser


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(StaffUser, int(user_id))
    return user if user is not None and user.active else None


def init_app(app: Flask) -> None:
    login_manager.login_view = "admin.login"
    login_manager.login_message = "请先登录"
    login_manager.session_protection = "strong"
