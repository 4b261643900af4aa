"""Needs attention: the kiosk reports refused sign-ups; staff store or dismiss them."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import AttentionItem, OutreachSession, Signup
from tests.admin.conftest import audit_events
from tests.conftest import World, bind_tablet, refuse_name_in_database, signup_payload


def _report(world: World, **overrides: object) -> dict:
    payload = signup_payload(world.session_code, phone="138-0013-8000", name="张三3")
    body = {
        "id": payload["id"],
        "status": 422,
        "reason": {"errors": {"name": "姓名只能包含文字和间隔号 ·"}},
        "payload": payload,
    }
    body.update(overrides)
    return body


def _item(app: Flask, item_id: str) -> AttentionItem | None:
    with app.app_context():
        item = db.session.get(AttentionItem, uuid.UUID(item_id))
        if item is not None:
            db.session.expunge(item)
        return item


def test_report_is_stored_once(app: Flask, tablet: FlaskClient, world: World):
    body = _report(world)
    first = tablet.post("/api/attention", json=body)
    assert (first.status_code, first.json) == (201, {"id": body["id"], "status": "recorded"})
    again = tablet.post("/api/attention", json=body)
    assert (again.status_code, again.json["status"]) == (200, "known")
    item = _item(app, body["id"])
    assert item.session_id == world.session_id
    assert item.http_status == 422
    assert item.phone == "13800138000"
    assert item.payload["name"] == "张三3"


def test_report_in_the_kiosk_senders_shape(app: Flask, tablet: FlaskClient, world: World):
    """kiosk/static/js/sender.js posts {...payload, status, response}."""
    payload = signup_payload(world.session_code)
    body = {**payload, "status": 403, "response": {"error": "session_closed"}}
    assert tablet.post("/api/attention", json=body).status_code == 201
    item = _item(app, payload["id"])
    assert item.reason == {"error": "session_closed"}
    assert item.payload == payload
    assert item.http_status == 403


def test_report_needs_a_bound_tablet(client: FlaskClient, world: World):
    response = client.post("/api/attention", json=_report(world))
    assert (response.status_code, response.json) == (403, {"error": "tablet_not_bound"})


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"id": "not-a-uuid"}, "invalid_id"),
        ({"status": 500}, "invalid_status"),
        ({"status": True}, "invalid_status"),
        ({"status": 200}, "invalid_status"),
        ({"reason": "x"}, "invalid_reason"),
    ],
)
def test_report_validation(tablet: FlaskClient, world: World, overrides: dict, error: str):
    response = tablet.post("/api/attention", json=_report(world, **overrides))
    assert (response.status_code, response.json) == (422, {"error": error})


def test_report_must_be_json(tablet: FlaskClient):
    assert tablet.post("/api/attention", data="x").status_code == 415


def test_report_cannot_target_another_unions_session(app: Flask, client: FlaskClient, world: World):
    bind_tablet(app, client, world.session_code)
    body = _report(world)
    body["payload"]["session"] = world.other_session_code
    client.post("/api/attention", json=body)
    assert _item(app, body["id"]).session_id == world.session_id


@pytest.fixture
def reported(tablet: FlaskClient, world: World) -> str:
    body = _report(world)
    assert tablet.post("/api/attention", json=body).status_code == 201
    tablet.delete_cookie("kiosk_tablet")
    return body["id"]


def test_list_is_scoped(client: FlaskClient, auth, reported: str):
    auth.login("staff")
    assert "138****8000" in client.get("/admin/attention").get_data(as_text=True)
    auth.logout()
    auth.login("outsider")
    assert "138****8000" not in client.get("/admin/attention").get_data(as_text=True)


@pytest.mark.parametrize(("username", "count"), [("staff", 1), ("outsider", 0), ("admin", 2)])
def test_dashboard_counts_unresolved_items_in_scope(
    app: Flask, client: FlaskClient, auth, reported: str, username: str, count: int
):
    with app.app_context():  # an item whose session is gone counts for admins only
        db.session.add(AttentionItem(id=uuid.uuid4(), http_status=422, reason={}, payload={}))
        db.session.commit()
    auth.login(username)
    page = client.get("/admin/").get_data(as_text=True)
    assert f'<span class="num">{count}</span><span class="lbl">待处理</span>' in page


def _fix(name: str = "张三") -> dict:
    return {
        "name": name,
        "phone": "13800138000",
        "occupation": "courier",
        "employer": "顺丰",
        "area": "",
        "interests": ["legal"],
    }


def test_store_fixed_item(app: Flask, client: FlaskClient, auth, reported: str):
    auth.login("staff")
    page = client.get(f"/admin/attention/{reported}").get_data(as_text=True)
    assert 'value="张三3"' in page and "姓名只能包含文字" in page
    bad = client.post(f"/admin/attention/{reported}/store", data=_fix("张三3"))
    assert bad.status_code == 422
    response = client.post(f"/admin/attention/{reported}/store", data=_fix())
    assert response.status_code == 302
    with app.app_context():
        signup = db.session.scalar(sa.select(Signup))
        assert (signup.id, signup.name, signup.source) == (uuid.UUID(reported), "张三", "kiosk")
        assert signup.interests == ["legal"]
        assert signup.consent_version == "2026-11-21"
    item = _item(app, reported)
    assert (item.resolution, item.payload, item.phone) == ("stored", {}, None)
    assert audit_events(app, "attention_store")


def test_store_refused_when_session_closed_long_ago(
    app: Flask, client: FlaskClient, auth, reported: str, world: World
):
    from datetime import timedelta

    from kiosk.models import utcnow

    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.status, session.closed_at = "closed", utcnow() - timedelta(days=10)
        db.session.commit()
    auth.login("staff")
    response = client.post(f"/admin/attention/{reported}/store", data=_fix())
    assert response.status_code == 409
    assert "沟通会已结束" in response.get_data(as_text=True)
    assert _item(app, reported).resolved_at is None


def test_dismiss(app: Flask, client: FlaskClient, auth, reported: str):
    auth.login("staff")
    client.post(f"/admin/attention/{reported}/dismiss")
    item = _item(app, reported)
    assert (item.resolution, item.payload) == ("dismissed", {})
    assert "138****8000" not in client.get("/admin/attention").get_data(as_text=True)
    assert audit_events(app, "attention_dismiss")


def test_store_says_so_when_the_database_refuses_the_row(
    app: Flask, client: FlaskClient, auth, reported: str
):
    remove = refuse_name_in_database(app, "李四")
    try:
        auth.login("staff")
        response = client.post(f"/admin/attention/{reported}/store", data=_fix("李四"))
    finally:
        remove()
    assert response.status_code == 422
    assert "这条登记无法保存，请检查填写的内容。" in response.get_data(as_text=True)
    assert _item(app, reported).resolved_at is None
