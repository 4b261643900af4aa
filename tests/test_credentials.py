"""Every staff password check (admin login, tablet setup and exit, password change) goes
through the same limits, answers a wrong password the same way whatever else was right,
and audits each failure as a failed login."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import tablets
from kiosk.extensions import db
from kiosk.models import AuditEvent, TabletBinding
from tests.conftest import PASSWORD, World, bind_tablet

WRONG = "wrong-password-123"


def failed_logins(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.action == "login_failed")
                .order_by(AuditEvent.id)
            )
        )


def _page(response) -> str:
    """The page a person sees, without what they typed echoed back."""
    return re.sub(r'value="[^"]*"', 'value=""', response.get_data(as_text=True))


# --- the answer does not tell a right password from a wrong one ----------------------


def setup_form(code: str, password: str, username: str = "staff") -> dict:
    return {"username": username, "password": password, "code": code, "label": ""}


@pytest.mark.parametrize("which", ["unknown", "other_union"])
def test_setup_answers_a_wrong_code_like_a_wrong_password(
    client: FlaskClient, world: World, which: str
) -> None:
    code = "zzzzzzzzzz" if which == "unknown" else world.other_session_code
    right = client.post("/kiosk/setup", data=setup_form(code, PASSWORD))
    wrong = client.post("/kiosk/setup", data=setup_form(code, WRONG))
    assert (right.status_code, _page(right)) == (wrong.status_code, _page(wrong))
    assert client.get_cookie(tablets.COOKIE) is None
    # And it is the same answer as for a wrong password with the right code.
    good_code = client.post("/kiosk/setup", data=setup_form(world.session_code, WRONG))
    assert _page(good_code) == _page(wrong)


def test_exit_without_a_binding_does_not_check_the_password(
    app: Flask, client: FlaskClient, world: World
) -> None:
    right = client.post("/kiosk/exit", data={"username": "staff", "password": PASSWORD})
    wrong = client.post("/kiosk/exit", data={"username": "staff", "password": WRONG})
    assert right.status_code == wrong.status_code == 302
    assert right.headers["Location"] == wrong.headers["Location"] == "/kiosk/setup"
    assert failed_logins(app) == []  # nothing was checked, so nothing failed


def test_exit_answers_another_unions_right_password_like_a_wrong_one(
    app: Flask, client: FlaskClient, world: World
) -> None:
    bind_tablet(app, client, world.session_code)
    right = client.post("/kiosk/exit", data={"username": "outsider", "password": PASSWORD})
    wrong = client.post("/kiosk/exit", data={"username": "outsider", "password": WRONG})
    assert (right.status_code, _page(right)) == (wrong.status_code, _page(wrong))
    assert right.status_code == 200 and "用户名或密码不正确" in right.text
    with app.app_context():
        assert db.session.scalar(sa.select(TabletBinding.revoked_at)) is None


@pytest.mark.parametrize(
    ("path", "data", "via"),
    [
        ("/admin/login", {"username": "staff", "password": WRONG}, "admin_login"),
        ("/kiosk/setup", setup_form("zzzzzzzzzz", WRONG), "kiosk_setup"),
        ("/kiosk/setup", setup_form("zzzzzzzzzz", PASSWORD), "kiosk_setup"),
        ("/kiosk/exit", {"username": "staff", "password": WRONG}, "kiosk_exit"),
    ],
)
def test_each_failure_is_audited_as_a_failed_login(
    app: Flask, client: FlaskClient, world: World, path: str, data: dict, via: str
) -> None:
    if path == "/kiosk/exit":
        bind_tablet(app, client, world.session_code)
    client.post(path, data=data)
    [event] = failed_logins(app)
    assert event.actor_name == "staff" and event.detail["via"] == via
    assert PASSWORD not in str(event.detail) and WRONG not in str(event.detail)


def test_a_wrong_current_password_is_a_failed_login(
    app: Flask, client: FlaskClient, auth, world: World
) -> None:
    auth.login("staff")
    response = client.post(
        "/admin/password", data={"current": WRONG, "new": "n" * 12, "confirm": "n" * 12}
    )
    assert "当前密码不正确" in response.text
    [event] = failed_logins(app)
    assert event.actor_name == "staff" and event.detail["via"] == "password_change"
