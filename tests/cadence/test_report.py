"""The monthly report: every figure, the summary paragraph, and its Excel file."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from openpyxl import load_workbook

from kiosk.cadence import formats, report, workbook
from kiosk.cadence.months import BEIJING, Month
from kiosk.cadence.summary import paragraph
from kiosk.companies import records
from kiosk.extensions import db
from kiosk.models import Company, FollowUp, Organisation, OutreachSession
from tests.admin.conftest import add_signup
from tests.cadence.conftest import add_session
from tests.companies.codes import DIDI_FLEET, HOUSEKEEPING, MEITUAN_STATION, SF_DEPOT
from tests.companies.conftest import add_company
from tests.conftest import World

MAR = Month(2027, 3)
APRIL = datetime(2027, 4, 2, tzinfo=UTC)  # March is over
SUMMARY = (
    "2027年3月，瀛海镇总工会已召开5场“双沟通”活动，其中职工沟通会4场、企业沟通会1场；"
    "登记4人次、3人，已联系2人；本月2人通过“北京工会i会员”加入工会组织。"
    "另有1场沟通会因故取消，未计入。职工沟通会要求4场、企业沟通会要求2场，本月未达标。"
)


def _id(app: Flask, code: str) -> int:
    with app.app_context():
        return db.session.query(OutreachSession).filter_by(code=code).one().id


@pytest.fixture
def march(app: Flask, world: World) -> World:
    """瀛海镇's March 2027: four worker sessions, one enterprise, one cancelled; four sign-ups."""
    codes = [
        add_session(app, world.town_id, "worker", datetime(2027, 3, day, 14), status="closed")
        for day in (2, 9, 16, 23)
    ]
    add_session(app, world.town_id, "enterprise", datetime(2027, 3, 10, 10), status="closed")
    add_session(
        app,
        world.town_id,
        "enterprise",
        datetime(2027, 3, 24, 10),
        status="cancelled",
        reason="暴雨",
    )
    first, second = _id(app, codes[0]), _id(app, codes[1])
    at = datetime(2027, 3, 2, 15, tzinfo=BEIJING)
    add_signup(app, first, phone="13800138000", name="张三", created_at=at)
    meituan = {"occupation": "food_delivery", "employer": "美团"}
    add_signup(app, first, phone="13900139000", name="李四", created_at=at, **meituan)
    add_signup(app, second, phone="13800138000", name="张三", created_at=at)
    add_signup(app, second, phone="13700137000", name="王五", employer="", created_at=at)
    # Elsewhere: another union's sign-up, and a sign-up in February.
    feb = add_session(app, world.town_id, "worker", datetime(2027, 2, 23, 14), status="closed")
    add_signup(app, _id(app, feb), phone="13500135000", created_at=at)
    with app.app_context():
        db.session.add_all(
            [
                FollowUp(
                    organisation_id=world.town_id,
                    phone="13800138000",
                    status="joined",
                    joined_on=date(2027, 3, 5),
                ),  # fmt: skip
                FollowUp(organisation_id=world.town_id, phone="13900139000", status="contacted"),
                # Signed up in February, joined in March: counted as joined this month.
                FollowUp(
                    organisation_id=world.town_id,
                    phone="13500135000",
                    status="joined",
                    joined_on=date(2027, 3, 20),
                ),  # fmt: skip
                FollowUp(
                    organisation_id=world.other_town_id,
                    phone="13600136000",
                    status="joined",
                    joined_on=date(2027, 3, 20),
                ),  # fmt: skip
            ]
        )
        db.session.commit()
    return world


def _build(app: Flask, org_id: int, subtree: bool = False) -> report.Report:
    org = db.session.get(Organisation, org_id)
    return report.build(org, MAR, subtree=subtree, now=APRIL)


def test_one_union(app: Flask, march: World) -> None:
    with app.app_context():
        built = _build(app, march.town_id)
        assert [(k.kind, k.held, k.required, k.planned, k.cancelled) for k in built.kinds] == [
            ("worker", 4, 4, 0, 0),
            ("enterprise", 1, 2, 0, 1),
            ("district", 0, 0, 0, 0),
        ]
        assert (built.signups, built.people, built.contacted, built.joined) == (4, 3, 2, 1)
        assert built.joined_in_month == 2
        assert built.funnel == [("登记", 3), ("已联系", 2), ("已入会", 1)]
        assert built.occupations == [("快递员", 2), ("外卖送餐员", 1)]
        assert built.employers == [("美团", 1), ("顺丰", 1), ("未填写", 1)]
        assert [(w.week.number, w.held, w.signups) for w in built.weeks] == [
            (1, 1, 2),
            (2, 2, 2),
            (3, 1, 0),
            (4, 1, 0),
            (5, 0, 0),
        ]
        assert paragraph(built) == SUMMARY


def test_rolled_up_over_the_district(app: Flask, march: World) -> None:
    with app.app_context():
        built = _build(app, march.district_id, subtree=True)
        assert {row.org for row in built.rows} == {"大兴区总工会", "瀛海镇总工会", "西红门镇总工会"}
        worker, enterprise, district = built.kinds
        assert (worker.held, worker.required) == (4, 8)
        assert (enterprise.held, enterprise.required) == (1, 4)
        assert (district.held, district.required) == (0, 1)  # one shared session, required once
        assert built.joined_in_month == 3
        text = paragraph(built)
        assert text.startswith("2027年3月，大兴区总工会及下属2个工会已召开5场“双沟通”活动")
        assert text.endswith("3个工会中，3个未达标。")


def test_json_and_html_formats(app: Flask, march: World) -> None:
    with app.app_context():
        built = _build(app, march.town_id)
        data = formats.as_json(built)
        assert data["sessions"]["enterprise"] == {
            "held": 1,
            "required": 2,
            "planned": 0,
            "cancelled": 1,
        }
        assert data["funnel"] == {"登记": 3, "已联系": 2, "已入会": 1}
        assert data["summary"] == SUMMARY
        html = formats.html(built)
    assert SUMMARY in html and html.count("<svg") == 5 and html.count("<table") >= 5
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "13800138000" not in html and "张三" not in html  # no personal data in a report


def test_workbook(app: Flask, march: World) -> None:
    with app.app_context():
        data = workbook.to_xlsx(_build(app, march.town_id))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["概况", "沟通会", "转化", "每周", "职业", "平台单位", "各工会达标"]
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["召开沟通会（场）"] == 5 and summary["登记（人）"] == 3
    assert summary["本月通过北京工会i会员入会（人）"] == 2 and summary["小结"] == SUMMARY
    assert list(book["沟通会"].iter_rows(values_only=True)) == [
        ("类型", "已召开", "要求", "尚未召开", "已取消"),
        ("职工沟通会", 4, 4, 0, 0),
        ("企业沟通会", 1, 2, 0, 1),
        ("区级沟通会", 0, 0, 0, 0),
    ]
    assert list(book["各工会达标"].iter_rows(values_only=True))[1] == (
        "瀛海镇总工会", "街道/镇", 4, 4, 1, 2, "不要求", "未达标",
    )  # fmt: skip


@pytest.fixture
def companies(app: Flask, march: World) -> World:
    """Company-file steps around March 2027: two in 瀛海镇 that month, one before, one elsewhere."""
    march_ids = [
        add_company(app, march.town_id, name="美团瀛海配送站", credit_code=MEITUAN_STATION),
        add_company(app, march.town_id, name="顺丰瀛海营业部", credit_code=SF_DEPOT),
    ]
    february = add_company(app, march.town_id, name="瀛海家政服务部", credit_code=HOUSEKEEPING)
    elsewhere = add_company(app, march.other_town_id, name="滴滴西红门车队", credit_code=DIDI_FLEET)
    with app.app_context():
        for company_id, day in (
            (march_ids[0], date(2027, 3, 1)),
            (march_ids[1], date(2027, 3, 31)),
            (february, date(2027, 2, 28)),
            (elsewhere, date(2027, 3, 15)),
        ):
            records.set_status(db.session.get(Company, company_id), "established", day, None, None)
        db.session.commit()
    return march


def test_companies_established_this_month(app: Flask, companies: World) -> None:
    """本月新建会企业 N 家: from the company file, by Beijing date, within the report's unions."""
    with app.app_context():
        one = _build(app, companies.town_id)
        rolled = _build(app, companies.district_id, subtree=True)
        assert (one.companies_established, rolled.companies_established) == (2, 3)
        assert formats.as_json(one)["companies_established"] == 2
        html = formats.html(one)
        xlsx = workbook.to_xlsx(rolled)
    assert '<p class="report-line" id="companies-established">本月新建会企业 2 家</p>' in html
    summary = {row[0]: row[1] for row in load_workbook(io.BytesIO(xlsx))["概况"].iter_rows(
        min_row=2, values_only=True
    )}  # fmt: skip
    assert summary["本月新建会企业（家）"] == 3
