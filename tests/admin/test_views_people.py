"""A person: follow-up status, revealing the number (logged), and deletion on request."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, ImportDraft, Signup, StaffUser
from tests.admin.conftest import add_signup, audit_events, phone_ref
from tests.conftest import World, bind_tablet


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
    assert event.detail == {"phone": phone_ref(app, "13800138000"), "status": "joined"}


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
    assert event.detail == {"phone": phone_ref(app, "13800138000"), "signup": str(signup_id)}
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
        "phone": phone_ref(app, "13800138000"),
        "signups": 1,
        "follow_ups": 1,
        "attention_items": 1,
        "company_contacts": 0,
        "import_drafts": 0,
        "joined_uploads": 0,
    }
    logged = json.dumps([e.detail for e in audit_events(app)])
    assert "13800138000" not in logged and "8000" not in logged  # not even a masked number


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


# --- every stored copy of a number is found, however it was typed ----------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "１３８００１３８０００",  # full-width digits, as a Chinese input method types them
        "0086 138 0013 8000",
        "+86-138-0013-8000",
        "8613800138000",
        "138\u200b0013\u200b8000",  # invisible spaces pasted from a chat
    ],
)
def test_an_attention_item_is_stored_and_deleted_under_the_normal_number(
    app: Flask, client: FlaskClient, auth, world: World, typed: str
):
    tablet = app.test_client()
    bind_tablet(app, tablet, world.session_code)
    item = {"id": str(uuid.uuid4()), "status": 422, "payload": {"name": "张三", "phone": typed}}
    assert tablet.post("/api/attention", json=item).status_code == 201
    with app.app_context():
        assert db.session.get(AttentionItem, uuid.UUID(item["id"])).phone == "13800138000"

    assert auth.login("staff").status_code == 302
    client.post("/admin/delete", data={"phone": "13800138000", "confirm": "y"})
    assert _remaining(app) == (0, 0, 0)


def test_delete_reads_attention_payloads_filed_before_normalisation(
    app: Flask, staff_client: FlaskClient, world: World
):
    """Items filed earlier kept the number as typed (or none): their payload is searched."""
    with app.app_context():
        for phone_column, typed in [
            (None, "１３８００１３８０００"),
            ("008613800138000", "0086 13800138000"),
        ]:
            db.session.add(
                AttentionItem(
                    id=uuid.uuid4(),
                    session_id=world.session_id,
                    http_status=422,
                    payload={"name": "张三", "phone": typed},
                    phone=phone_column,
                )
            )
        db.session.commit()
    _attention(app, world.session_id, phone="13900139000")  # someone else's
    staff_client.post("/admin/delete", data={"phone": "138 0013 8000", "confirm": "y"})
    assert _remaining(app) == (0, 0, 1)


def test_delete_removes_a_company_list_upload_holding_the_number(
    app: Flask, staff_client: FlaskClient, world: World
):
    with app.app_context():
        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        for cell in ("138-0013-8000", "13900139000"):
            db.session.add(
                ImportDraft(
                    created_by_id=staff.id,
                    filename="企业名单.xlsx",
                    headers=["企业名称", "联系人手机"],
                    rows=[["顺丰速运瀛海站", cell]],
                )
            )
        db.session.commit()
    staff_client.post("/admin/delete", data={"phone": "13800138000", "confirm": "y"})
    with app.app_context():
        left = db.session.scalars(sa.select(ImportDraft.rows)).all()
    assert left == [[["顺丰速运瀛海站", "13900139000"]]]
    [event] = audit_events(app, "person_delete")
    assert event.detail["import_drafts"] == 1


def test_sqlite_write_ahead_log_is_emptied_after_a_deletion(
    app: Flask, staff_client: FlaskClient, world: World
):
    """secure_delete overwrites the rows in the file; the log's old copies are emptied."""
    add_signup(app, world.session_id)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL has no WAL file of ours to empty; see the README on VACUUM")
        wal = Path(str(db.engine.url.database) + "-wal")
    staff_client.post("/admin/delete", data={"phone": "13800138000", "confirm": "y"})
    assert wal.stat().st_size == 0
    assert b"13800138000" not in Path(str(wal)[: -len("-wal")]).read_bytes()


def test_delete_removes_a_joined_members_upload_holding_the_number(
    app: Flask, staff_client: FlaskClient, world: World
):
    """An uploaded list of members who joined, waiting for its confirmation, is a file."""
    table = "手机号码,姓名\r\n138 0013 8000,张三\r\n".encode()
    response = staff_client.post(
        "/admin/joined/import",
        data={"file": (io.BytesIO(table), "入会名单.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    folder = Path(app.instance_path) / "imports"
    assert len(list(folder.glob("*.json"))) == 1
    staff_client.post("/admin/delete", data={"phone": "13800138000", "confirm": "y"})
    assert list(folder.glob("*.json")) == []
    [event] = audit_events(app, "person_delete")
    assert event.detail["joined_uploads"] == 1
