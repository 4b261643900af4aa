"""A person: follow-up status, revealing the number (logged), and deletion on request."""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, Signup
from tests.admin.conftest import add_signup, audit_events
from tests.conftest import World


@pytest.fixture
def zhang(app: Flask, world: World) -> uuid.UUID:
    add_signup(app, world.session_id)
    return add_signup(app, world.other_session_id)  # the same phone at 西红门镇 too


def test_person_page_shows_consent_and_masks(staff_client: FlaskClient, app: Flask, world: World):
    signup_id = add_signup(app, world.session_id)
    html = staff_client.get(f"/admin/people/{signup_id}").get_data(as_text=True)
    assert "138****8000" in html and "13800138000" not in html
    assert "版本 2026-11-21" in html
    assert "2026-11-21 11:00" in html  # consent time in Beijing time


def test_follow_up(app: Flask, staff_client: FlaskClient, world: World):
    signup_id = add_signup(app, world.session_id)
    response = staff_client.post(
        f"/admin/people/{signup_id}/follow-up", data={"status": "joined", "note": "周六来站点入会"}
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(sa.select(FollowUp))
        assert (row.organisation_id, row.phone, row.status, row.note) == (
            world.town_id,
            "13800138000",
            "joined",
            "周六来站点入会",
        )
        assert row.updated_by_id is not None
    html = staff_client.get(f"/admin/people/{signup_id}").get_data(as_text=True)
    assert "最后更新" in html and "staff" in html
    [event] = audit_events(app, "follow_up")
    assert event.detail == {"phone": "138****8000", "status": "joined"}


def test_follow_up_rejects_unknown_status(app: Flask, staff_client: FlaskClient, world: World):
    signup_id = add_signup(app, world.session_id)
    response = staff_client.post(f"/admin/people/{signup_id}/follow-up", data={"status": "x"})
    assert response.status_code == 422


def test_reveal_is_a_logged_post_then_a_redirect(
    app: Flask, staff_client: FlaskClient, world: World
):
    signup_id = add_signup(app, world.session_id)
    page = f"/admin/people/{signup_id}"
    assert "13800138000" not in staff_client.get(page).get_data(as_text=True)
    assert staff_client.get(f"{page}/reveal").status_code == 405
    response = staff_client.post(f"{page}/reveal")
    assert response.status_code == 302
    assert response.headers["Location"] == page
    assert "13800138000" not in response.get_data(as_text=True)
    [event] = audit_events(app, "phone_reveal")
    assert event.actor_name == "staff"
    assert event.detail == {"phone": "138****8000", "signup": str(signup_id)}
    # The GET shows the number as a link to call; reloading it logs nothing more.
    for _ in range(2):
        shown = staff_client.get(page)
        assert shown.headers["Cache-Control"] == "no-store"
        assert 'href="tel:13800138000"' in shown.get_data(as_text=True)
    assert len(audit_events(app, "phone_reveal")) == 1


def test_a_reveal_is_shown_only_to_the_login_that_asked(
    app: Flask, staff_client: FlaskClient, client: FlaskClient, auth, world: World
):
    signup_id = add_signup(app, world.session_id)
    staff_client.post(f"/admin/people/{signup_id}/reveal")
    auth.login()  # the same account, another browser
    assert "13800138000" not in client.get(f"/admin/people/{signup_id}").get_data(as_text=True)


def _remaining(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Signup, FollowUp, AttentionItem)
        )


def _attention(app: Flask, session_id: int | None, phone: str = "13800138000") -> None:
    with app.app_context():
        db.session.add(
            AttentionItem(
                id=uuid.uuid4(),
                session_id=session_id,
                http_status=422,
                reason={},
                payload={"name": "张三", "phone": phone},
                phone=phone,
            )
        )
        db.session.commit()


def test_delete_on_request_within_scope(app: Flask, staff_client: FlaskClient, world: World, zhang):
    add_signup(app, world.session_id, phone="13900139000", name="李四")
    _attention(app, world.session_id)
    _attention(app, world.other_session_id)
    with app.app_context():
        db.session.add_all(
            [
                FollowUp(organisation_id=world.town_id, phone="13800138000"),
                FollowUp(organisation_id=world.other_town_id, phone="13800138000"),
            ]
        )
        db.session.commit()
    response = staff_client.post("/admin/delete", data={"phone": "138 0013 8000", "confirm": "y"})
    assert response.status_code == 302
    # 瀛海镇's rows are gone; 西红门镇's copy and 李四 are not staff's to delete.
    assert _remaining(app) == (2, 1, 1)
    [event] = audit_events(app, "person_delete")
    assert event.detail == {
        "phone": "138****8000",
        "signups": 1,
        "follow_ups": 1,
        "attention_items": 1,
        "company_contacts": 0,
    }
    assert "13800138000" not in json.dumps([e.detail for e in audit_events(app)])


def test_admin_deletes_everywhere_from_the_person_page(
    app: Flask, admin_client: FlaskClient, world: World, zhang
):
    _attention(app, world.other_session_id)
    response = admin_client.post(f"/admin/people/{zhang}/delete", data={"confirm": "y"})
    assert response.headers["Location"] == "/admin/signups"
    assert _remaining(app) == (0, 0, 0)


@pytest.mark.parametrize(("username", "remaining"), [("district", 1), ("admin", 0)])
def test_an_item_of_no_session_is_only_an_admins_to_delete(
    app: Flask, client: FlaskClient, auth, world: World, username: str, remaining: int
):
    _attention(app, None)
    auth.login(username)
    client.post("/admin/delete", data={"phone": "13800138000", "confirm": "y"})
    assert _remaining(app)[2] == remaining


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "138001380", "confirm": "y"}, "手机号应为11位数字"),
        ({"phone": "13800138000"}, "请勾选确认"),
        ({"phone": "", "confirm": "y"}, "请填写手机号"),
    ],
)
def test_delete_validation(app: Flask, staff_client: FlaskClient, zhang, data: dict, message: str):
    response = staff_client.post("/admin/delete", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _remaining(app)[0] == 2


def test_person_delete_needs_confirmation(app: Flask, staff_client: FlaskClient, world, zhang):
    staff_client.post(f"/admin/people/{add_signup(app, world.session_id)}/delete")
    assert _remaining(app)[0] == 3
