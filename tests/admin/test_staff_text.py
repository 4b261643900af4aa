"""What staff type is cleaned like a sign-up field before it is checked and stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import FollowUp, Organisation, OutreachSession, Site, TabletBinding
from kiosk.text import clean_block, clean_line
from tests.admin.conftest import add_signup
from tests.conftest import PASSWORD, World

# Zero-width space, a BOM, a right-to-left override, full-width letters and an
# ideographic space: invisible or look-alike, and all of them end up in exports.
TYPED = "\u200b瀛海镇\ufeff职工沟通会\u202e　ＡＢ１２"
CLEAN = "瀛海镇职工沟通会 AB12"


@pytest.mark.parametrize(
    ("raw", "line", "block"),
    [
        (TYPED, CLEAN, CLEAN),
        ("  a \t b  ", "a b", "a b"),
        # On one line a line break is invisible, as in a sign-up field (and validate.js).
        ("第一行\r\n\u200b第二行\n\n", "第一行第二行", "第一行\n第二行"),
        ("＝SUM(A1)", "=SUM(A1)", "=SUM(A1)"),
        ("㍿", "株式会社", "株式会社"),
        # Chinese punctuation stays full-width; NFKC alone would make it ASCII.
        ("美团（北京）：配送站，好吗？是！～…", "美团（北京）：配送站，好吗？是！～…", None),
        ("ｅ\u0301（注）", "é（注）", None),
        ("", "", ""),
        (None, None, None),
    ],
)
def test_cleaning(raw: str | None, line: str | None, block: str | None) -> None:
    assert clean_line(raw) == line
    assert clean_block(raw) == (line if block is None else block)


def _one(app: Flask, statement):
    with app.app_context():
        return db.session.execute(statement).one()


def test_session_title_and_notes(app: Flask, staff_client: FlaskClient, world: World):
    response = staff_client.post(
        "/admin/sessions/new",
        data={
            "kind": "worker",
            "organisation_id": world.town_id,
            "site_id": world.site_id,
            "title": TYPED,
            "starts_at": "2026-11-26T11:00",
            "ends_at": "2026-11-26T13:00",
            "notes": f"带宣传折页\u200b\n{TYPED}",
        },
    )
    assert response.status_code == 302
    title, notes = _one(
        app,
        sa.select(OutreachSession.title, OutreachSession.notes).where(
            OutreachSession.id > world.other_session_id
        ),
    )
    assert (title, notes) == (CLEAN, f"带宣传折页\n{CLEAN}")


def test_the_length_limit_applies_to_what_is_stored(staff_client: FlaskClient, world: World):
    """ﷺ is one character typed and eighteen stored: the limit must see eighteen."""
    response = staff_client.post(
        "/admin/sessions/new",
        data={
            "kind": "worker",
            "organisation_id": world.town_id,
            "title": "\ufdfa" * 6,
            "starts_at": "2026-11-26T11:00",
            "ends_at": "2026-11-26T13:00",
        },
    )
    assert response.status_code == 422 and "标题不能超过 100 个字" in response.text


def test_site_name_address_and_notes(app: Flask, staff_client: FlaskClient, world: World):
    staff_client.post(
        "/admin/sites/new",
        data={
            "organisation_id": world.town_id,
            "name": TYPED,
            "address": "兴海路\u200b１号",
            "notes": "\ufeff三楼",
        },
    )
    assert _one(app, sa.select(Site.name, Site.address, Site.notes).where(Site.name == CLEAN)) == (
        CLEAN,
        "兴海路1号",
        "三楼",
    )


def test_a_look_alike_site_name_is_the_same_name(staff_client: FlaskClient, world: World):
    response = staff_client.post(
        "/admin/sites/new", data={"organisation_id": world.town_id, "name": "首航\u200b超市"}
    )
    assert "这个工会已经有同名点位" in response.text


def test_organisation_name(app: Flask, admin_client: FlaskClient, world: World):
    admin_client.post(
        "/admin/orgs/new",
        data={"name": "旧宫镇\u200b总工会", "level": "subdistrict", "parent_id": world.district_id},
    )
    assert _one(app, sa.select(Organisation.name).where(Organisation.name == "旧宫镇总工会"))


def test_follow_up_note(app: Flask, staff_client: FlaskClient, world: World):
    signup_id = add_signup(app, world.session_id)
    staff_client.post(
        f"/admin/people/{signup_id}/follow-up",
        data={"status": "contacted", "note": "＠周六\u202e来站点"},
    )
    assert _one(app, sa.select(FollowUp.note)) == ("@周六来站点",)


def test_tablet_label(app: Flask, client: FlaskClient, world: World):
    client.post(
        "/kiosk/setup",
        data={
            "username": "staff",
            "password": PASSWORD,
            "code": world.session_code,
            "label": "一号\u200b平板\x00",
        },
    )
    assert _one(app, sa.select(TabletBinding.label)) == ("一号平板",)
