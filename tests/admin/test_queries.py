"""The sign-up list: filters, search, pages of 50, masked numbers, people vs sign-ups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.admin import queries
from kiosk.admin.people import mask_phone, set_follow_up
from kiosk.extensions import db
from kiosk.models import StaffUser
from tests.admin.conftest import add_signup
from tests.conftest import World


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13800138000", "138****8000"), ("1380013", "*****13"), ("", ""), (None, "")],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.fixture
def people(app: Flask, world: World) -> World:
    """张三 twice (two sessions), 李四 once, 王五 (other town) once, 赵六 at 8 November."""
    add_signup(app, world.session_id, phone="13800138000", name="张三")
    add_signup(
        app,
        world.session_id,
        phone="13800138000",
        name="张三",
        created_at=datetime(2026, 11, 21, 5, 0, tzinfo=UTC),
    )
    add_signup(
        app,
        world.session_id,
        phone="13900139000",
        name="李四",
        occupation="food_delivery",
        employer="美团",
    )
    add_signup(app, world.other_session_id, phone="13700137000", name="王五")
    add_signup(
        app,
        world.session_id,
        phone="13600136000",
        name="赵六",
        created_at=datetime(2026, 11, 8, 2, 0, tzinfo=UTC),
    )
    return world


@pytest.mark.parametrize(
    ("args", "names", "signups"),
    [
        ({}, ["张三", "李四", "王五", "赵六"], 5),
        ({"occupation": "food_delivery"}, ["李四"], 1),
        ({"employer": "美"}, ["李四"], 1),
        ({"employer": "%"}, [], 0),
        ({"q": "张"}, ["张三"], 2),
        ({"q": "8000"}, ["张三"], 2),
        ({"from": "2026-11-08", "to": "2026-11-08"}, ["赵六"], 1),
        ({"from": "2026-11-21"}, ["张三", "李四", "王五"], 4),
        ({"status": "joined"}, ["李四"], 1),
        ({"status": "pending"}, ["张三", "王五", "赵六"], 4),
        ({"to": "not-a-date", "occupation": "astronaut"}, ["张三", "李四", "王五", "赵六"], 5),
    ],
)
def test_filters(app: Flask, people: World, args: dict, names: list[str], signups: int):
    with app.test_request_context():
        admin = db.session.get(StaffUser, 1)
        set_follow_up(people.town_id, "13900139000", "joined", None, admin)
        filters = queries.Filters.parse(args)
        found = queries.people_page(filters, None, 1)
        assert sorted(p.latest.name for p in found) == sorted(names)
        assert queries.counts(filters, None) == queries.Counts(signups=signups, people=len(names))


def test_filter_by_session_and_org(app: Flask, people: World):
    with app.app_context():
        by_session = queries.Filters(session_id=people.other_session_id)
        assert [p.latest.name for p in queries.people_page(by_session, None, 1)] == ["王五"]
        by_org = queries.Filters(org_id=people.town_id)
        assert queries.counts(by_org, None).people == 3
        # A staff member's scope wins over any filter they set.
        assert (
            queries.counts(queries.Filters(org_id=people.other_town_id), {people.town_id}).people
            == 0
        )


def test_one_person_with_several_signups(app: Flask, people: World):
    with app.app_context():
        [zhang] = queries.people_page(queries.Filters(q="张三"), None, 1)
        assert zhang.signups_total == 2
        assert zhang.latest.created_at == datetime(2026, 11, 21, 5, 0, tzinfo=UTC)


def test_status_counts(app: Flask, people: World):
    with app.test_request_context():
        set_follow_up(
            people.town_id, "13900139000", "joined", "已入会", db.session.get(StaffUser, 1)
        )
        counts = queries.status_counts(queries.Filters(org_id=people.town_id), None)
        assert counts == {
            "pending": 2,
            "contacted": 0,
            "joined": 1,
            "unreachable": 0,
            "declined": 0,
        }


def test_list_page_masks_numbers_and_counts(staff_client: FlaskClient, people: World):
    html = staff_client.get("/admin/signups").get_data(as_text=True)
    assert "<strong>3</strong> 人 · <strong>4</strong> 次登记" in html
    assert "138****8000" in html
    assert "13800138000" not in html
    assert "王五" not in html  # another union's sign-up


def test_pages_of_fifty(app: Flask, staff_client: FlaskClient, world: World):
    start = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    for n in range(51):
        add_signup(
            app,
            world.session_id,
            phone=f"135{n:08d}",
            name=f"工人{n}",
            created_at=start + timedelta(minutes=n),
        )
    first = staff_client.get("/admin/signups").get_data(as_text=True)
    assert first.count('data-label="姓名"') == 50
    assert "工人50" in first and "工人0<" not in first
    second = staff_client.get("/admin/signups?page=2").get_data(as_text=True)
    assert second.count('data-label="姓名"') == 1
    assert "工人0<" in second
    assert "第 2 / 2 页" in second
