"""The company list's filters and funnel, overdue needs, the timeline, and 本月新建会企业."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask

from kiosk.companies import queries, records
from kiosk.extensions import db
from kiosk.models import Company
from kiosk.scoping import descendant_ids
from tests.companies.codes import DIDI_FLEET, HOUSEKEEPING, SF_DEPOT
from tests.companies.conftest import add_company, add_need
from tests.conftest import World


@pytest.fixture
def three(app: Flask, world: World) -> dict[str, int]:
    """Two companies in 瀛海镇 (未建会, 筹建中) and one in 西红门镇 (已建会)."""
    return {
        "station": add_company(app, world.town_id),
        "depot": add_company(
            app,
            world.town_id,
            name="顺丰瀛海营业部",
            credit_code=SF_DEPOT,
            industry="express",
            status="preparing",
        ),
        "fleet": add_company(
            app,
            world.other_town_id,
            name="滴滴西红门车队",
            credit_code=DIDI_FLEET,
            industry="ride_hailing",
            status="established",
            status_on=date(2026, 11, 5),
        ),
    }


def _names(filters: queries.Filters, scope) -> list[str]:
    return [row.company.name for row in queries.page(filters, scope, 1)]


def test_funnel_and_filters_keep_to_scope(app: Flask, world: World, three) -> None:
    with app.app_context():
        town = descendant_ids(world.town_id)
        assert queries.funnel(queries.Filters(), town) == {
            "none": 1,
            "preparing": 1,
            "established": 0,
        }
        assert queries.funnel(queries.Filters(), None) == {
            "none": 1,
            "preparing": 1,
            "established": 1,
        }
        # The funnel ignores the status filter, so it still shows every step.
        assert queries.funnel(queries.Filters(status="preparing"), town)["none"] == 1
        assert _names(queries.Filters(status="preparing"), town) == ["顺丰瀛海营业部"]
        assert _names(queries.Filters(industry="express"), None) == ["顺丰瀛海营业部"]
        assert _names(queries.Filters(org_id=world.other_town_id), town) == []
        assert _names(queries.Filters(q="滴滴"), town) == []
        assert _names(queries.Filters(q="滴滴"), None) == ["滴滴西红门车队"]
        assert _names(queries.Filters(q=SF_DEPOT[8:14].lower()), None) == ["顺丰瀛海营业部"]
        assert queries.count(queries.Filters(), town) == 2


def test_overdue_needs(app: Flask, world: World, three) -> None:
    today = records.today()
    late = add_need(app, three["depot"], "工伤保障", due_on=today - timedelta(days=3))
    add_need(app, three["depot"], "骑手休息点", due_on=today)  # due today: not late yet
    add_need(app, three["station"], "建会流程咨询", due_on=today - timedelta(days=9), status="done")
    add_need(app, three["fleet"], "司机之家", due_on=today - timedelta(days=1), status="doing")
    with app.app_context():
        town = descendant_ids(world.town_id)
        assert _names(queries.Filters(overdue=True), town) == ["顺丰瀛海营业部"]
        assert queries.overdue_count(town) == 1
        assert queries.overdue_count(None) == 2
        [row] = [r for r in queries.page(queries.Filters(), town, 1) if r.overdue]
        assert (row.overdue, row.open_needs) == (1, 2)
        needs = queries.needs_of(db.session.get(Company, three["depot"]))
        assert needs[0].id == late  # the overdue one first


def test_not_contacted_for_n_days(app: Flask, world: World, three) -> None:
    today = records.today()
    with app.app_context():
        station = db.session.get(Company, three["station"])
        depot = db.session.get(Company, three["depot"])
        records.add_contact(station, "visit", today - timedelta(days=40), "走访", None)
        records.add_contact(depot, "call", today - timedelta(days=2), "电话", None)
        db.session.commit()
        town = descendant_ids(world.town_id)
        assert _names(queries.Filters(idle_days=30), town) == ["美团瀛海配送站"]
        assert _names(queries.Filters(idle_days=1), town) == ["美团瀛海配送站", "顺丰瀛海营业部"]
        # Never contacted counts as not contacted.
        assert _names(queries.Filters(idle_days=30), None) == ["滴滴西红门车队", "美团瀛海配送站"]


def test_filters_parse_leniently() -> None:
    parsed = queries.Filters.parse(
        {"org": "x", "industry": "餐饮", "status": "established", "overdue": "1", "idle": "99999"}
    )
    assert parsed == queries.Filters(status="established", overdue=True, idle_days=3650)
    assert parsed.as_args() == {"status": "established", "overdue": "1", "idle": "3650"}


def test_timeline_newest_first_with_status_steps(app: Flask, world: World, three) -> None:
    with app.app_context():
        station = db.session.get(Company, three["station"])
        contact = records.add_contact(station, "visit", date(2026, 11, 10), "面谈", None)
        records.add_need(station, "骑手休息点", contact=contact)
        records.set_status(station, "preparing", date(2026, 11, 20), "成立筹备组", None)
        db.session.commit()
        entries = queries.timeline(station)
        assert [(e.day, e.kind) for e in entries] == [
            (date(2026, 11, 20), "status"),
            (date(2026, 11, 10), "visit"),
            (date(2026, 10, 9), "status"),
        ]
        assert [n.title for n in entries[1].needs] == ["骑手休息点"]


def test_established_in_month_counts_each_company_once(app: Flask, world: World, three) -> None:
    """For the monthly report: 本月新建会企业 N 家, by Beijing date, within the given unions."""
    extra = add_company(
        app, world.town_id, name="瀛海家政服务部", credit_code=HOUSEKEEPING, industry="domestic"
    )
    with app.app_context():
        company = db.session.get(Company, extra)
        records.set_status(company, "established", date(2026, 11, 30), None, None)
        records.set_status(company, "preparing", date(2026, 11, 30), "更正", None)
        records.set_status(company, "established", date(2026, 11, 30), None, None)
        depot = db.session.get(Company, three["depot"])
        records.set_status(depot, "established", date(2026, 12, 1), None, None)
        db.session.commit()
        town, everyone = descendant_ids(world.town_id), None
        district = descendant_ids(world.district_id)
        assert queries.established_in_month(2026, 11, town) == 1
        assert queries.established_in_month(2026, 11, district) == 2  # with 西红门镇's fleet
        assert queries.established_in_month(2026, 11, everyone) == 2
        assert queries.established_in_month(2026, 12, town) == 1
        assert queries.established_in_month(2026, 10, everyone) == 0
        assert queries.established_in_month(2026, 11, {world.other_town_id}) == 1
        assert queries.established_in_month(2026, 11, set()) == 0
