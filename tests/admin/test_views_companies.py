# ruff: noqa: E501 - expected Chinese messages are long
"""企业 pages: the list and its funnel, creating and editing, the company file, reveal, export."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.companies import records
from kiosk.extensions import db
from kiosk.models import Company, CompanyContact, Need, UnionStatusChange
from tests.admin.conftest import audit_events, phone_ref
from tests.companies.codes import DIDI_FLEET, MEITUAN_STATION, SF_DEPOT
from tests.companies.conftest import add_company, add_need, need_status
from tests.conftest import World

FORM = {
    "organisation_id": "",  # set per test: the world's ids differ per backend
    "name": "美团瀛海配送站",
    "credit_code": MEITUAN_STATION.lower(),
    "industry": "food_delivery",
    "platform_relation": "franchise",
    "site_id": "",
    "address": "北京市大兴区瀛海镇兴海路",
    "headcount": "12",
    "gig_workers": "86",
    "contact_name": "王站长",
    "contact_position": "站长",
    "contact_phone": "139 1234 5678",
    "union_status": "none",
    "union_status_on": "2026-11-02",
    "notes": "晨会 8:30",
}


def _company(app: Flask, company_id: int) -> Company:
    with app.app_context():
        company = db.session.get(Company, company_id)
        db.session.expunge(company)
        return company


def test_create_a_company(app: Flask, staff_client: FlaskClient, world: World):
    assert staff_client.get("/admin/companies/new").status_code == 200
    response = staff_client.post(
        "/admin/companies/new",
        data={**FORM, "organisation_id": world.town_id, "site_id": world.site_id},
    )
    assert response.status_code == 302
    with app.app_context():
        company = db.session.scalar(sa.select(Company))
        assert response.headers["Location"] == f"/admin/companies/{company.id}"
        assert (company.credit_code, company.contact_phone, company.headcount) == (
            MEITUAN_STATION,
            "13912345678",
            12,
        )
        assert company.site_id == world.site_id
        steps = db.session.scalars(sa.select(UnionStatusChange)).all()
        assert [(s.status, s.reached_on, s.note) for s in steps] == [
            ("none", date(2026, 11, 2), "建档")
        ]
    [event] = audit_events(app, "company_create")
    assert event.detail == {"company": company.id}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credit_code": MEITUAN_STATION[:-1] + "0"}, "第18位（校验码）与前17位不符，请逐位核对"),
        ({"credit_code": "91110115MA01AB2"}, "统一社会信用代码应为18位，现在是15位"),
        (
            {"credit_code": "91I10115MA01AB2C3Y"},
            "第3位是“I”：统一社会信用代码不使用字母 I、O、Z、S、V",
        ),
        ({"name": ""}, "请填写企业名称"),
        ({"industry": ""}, "请填写行业"),
        ({"contact_phone": "1391234567"}, "联系人手机：手机号应为11位数字，现在是10位"),
        ({"headcount": "十二"}, "职工人数应为整数（现在是“十二”）"),
        ({"union_status_on": "昨天"}, "建会状态日期应为日期，例如 2026-11-21（现在是“昨天”）"),
        ({"organisation_id": "999"}, "请选择所属工会"),
        ({"site_id": "999"}, "请选择点位"),
    ],
)
def test_create_refuses_bad_input_in_chinese(
    app: Flask, staff_client: FlaskClient, world: World, changes: dict, message: str
):
    data = {**FORM, "organisation_id": world.town_id, **changes}
    response = staff_client.post("/admin/companies/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0


def test_another_unions_organisation_cannot_be_chosen(
    app: Flask, staff_client: FlaskClient, world: World
):
    response = staff_client.post(
        "/admin/companies/new", data={**FORM, "organisation_id": world.other_town_id}
    )
    assert response.status_code == 422
    assert "请选择所属工会" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("existing_org", "changes", "message"),
    [
        ("town", {}, "这个统一社会信用代码已登记为“美团瀛海配送站”"),
        ("other", {}, "这个统一社会信用代码已由其他工会登记"),
        ("town", {"credit_code": SF_DEPOT}, "本工会已有名为“美团瀛海配送站”的企业"),
    ],
)
def test_duplicates_are_refused(
    app: Flask,
    staff_client: FlaskClient,
    world: World,
    existing_org: str,
    changes: dict,
    message: str,
):
    add_company(app, world.town_id if existing_org == "town" else world.other_town_id)
    response = staff_client.post(
        "/admin/companies/new", data={**FORM, "organisation_id": world.town_id, **changes}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "西红门" not in html  # another union's company is never named


def test_same_name_in_another_union_is_allowed(app: Flask, admin_client: FlaskClient, world: World):
    add_company(app, world.other_town_id, credit_code=SF_DEPOT)
    response = admin_client.post(
        "/admin/companies/new", data={**FORM, "organisation_id": world.town_id}
    )
    assert response.status_code == 302


def test_edit_a_company(app: Flask, staff_client: FlaskClient, world: World):
    company_id = add_company(app, world.town_id)
    page = staff_client.get(f"/admin/companies/{company_id}/edit").get_data(as_text=True)
    assert 'value="美团瀛海配送站"' in page
    assert "建会状态日期" not in page  # the status changes only through its own form
    data = {key: value for key, value in FORM.items() if not key.startswith("union_status")}
    response = staff_client.post(
        f"/admin/companies/{company_id}/edit",
        data={**data, "organisation_id": world.town_id, "name": "美团瀛海站", "headcount": ""},
    )
    assert response.status_code == 302
    company = _company(app, company_id)
    assert (company.name, company.headcount, company.union_status) == ("美团瀛海站", None, "none")
    # Editing to a code another company has is refused.
    add_company(app, world.town_id, name="顺丰", credit_code=SF_DEPOT)
    refused = staff_client.post(
        f"/admin/companies/{company_id}/edit",
        data={**data, "organisation_id": world.town_id, "credit_code": SF_DEPOT},
    )
    assert refused.status_code == 422
    assert "这个统一社会信用代码已登记为“顺丰”" in refused.get_data(as_text=True)


def test_the_list_funnel_masks_phones_and_marks_overdue(
    app: Flask, staff_client: FlaskClient, world: World
):
    station = add_company(app, world.town_id)
    add_company(app, world.town_id, name="顺丰瀛海营业部", credit_code=SF_DEPOT, status="preparing")
    add_company(
        app,
        world.other_town_id,
        name="滴滴西红门车队",
        credit_code=DIDI_FLEET,
        status="established",
    )
    add_need(app, station, "骑手休息点", due_on=records.today() - timedelta(days=2))
    html = staff_client.get("/admin/companies").get_data(as_text=True)
    assert 'data-funnel="none">1<' in html
    assert 'data-funnel="preparing">1<' in html
    assert 'data-funnel="established">0<' in html
    assert "139****5678" in html and "13912345678" not in html
    assert "1 项逾期" in html
    assert "滴滴西红门车队" not in html
    overdue_only = staff_client.get("/admin/companies?overdue=1").get_data(as_text=True)
    assert "美团瀛海配送站" in overdue_only and "顺丰瀛海营业部" not in overdue_only
    searched = staff_client.get("/admin/companies?q=顺丰&status=preparing").get_data(as_text=True)
    assert "顺丰瀛海营业部" in searched and "美团瀛海配送站" not in searched
    idle = staff_client.get("/admin/companies?idle=30&industry=food_delivery").get_data(
        as_text=True
    )
    assert "美团瀛海配送站" in idle and "从未联系" in idle


def test_dashboard_shows_overdue_needs(app: Flask, staff_client: FlaskClient, world: World):
    company_id = add_company(app, world.town_id)
    add_need(app, company_id, due_on=records.today() - timedelta(days=1))
    add_need(app, company_id, due_on=records.today() + timedelta(days=1))
    html = staff_client.get("/admin/").get_data(as_text=True)
    tile = html.split('id="overdue-needs"', 1)[1].split("</li>", 1)[0]
    assert '<span class="num">1</span>' in tile
    assert "/admin/companies?overdue=1" in tile


def test_the_company_file(app: Flask, staff_client: FlaskClient, world: World):
    company_id = add_company(app, world.town_id)
    late = add_need(app, company_id, "工伤保障", due_on=records.today() - timedelta(days=4))
    html = staff_client.get(f"/admin/companies/{company_id}").get_data(as_text=True)
    assert "1 项诉求已超过办结期限：" in html and "逾期 4 天" in html
    assert "139****5678" in html and "13912345678" not in html
    assert f"/admin/needs/{late}" in html
    assert "建会状态：未建会" in html  # the first step of the timeline


def test_reveal_the_contacts_mobile_is_audited(app: Flask, staff_client: FlaskClient, world: World):
    company_id = add_company(app, world.town_id)
    assert staff_client.get(f"/admin/companies/{company_id}/reveal").status_code == 405
    response = staff_client.post(f"/admin/companies/{company_id}/reveal")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/companies/{company_id}"
    shown = staff_client.get(f"/admin/companies/{company_id}")
    assert shown.headers["Cache-Control"] == "no-store"
    assert 'href="tel:13912345678"' in shown.get_data(as_text=True)
    [event] = audit_events(app, "company_phone_reveal")
    assert event.detail == {"company": company_id, "phone": phone_ref(app, "13912345678")}
    assert event.organisation_id == world.town_id


def test_union_status_step(app: Flask, staff_client: FlaskClient, world: World):
    company_id = add_company(app, world.town_id)
    response = staff_client.post(
        f"/admin/companies/{company_id}/status",
        data={"status": "established", "reached_on": "2026-11-28", "note": "召开会员大会"},
    )
    assert response.status_code == 302
    company = _company(app, company_id)
    assert (company.union_status, company.union_status_on) == ("established", date(2026, 11, 28))
    [event] = audit_events(app, "company_status")
    assert event.detail == {"company": company_id, "before": "none", "after": "established"}
    html = staff_client.get(f"/admin/companies/{company_id}").get_data(as_text=True)
    assert "建会状态：已建会" in html and "召开会员大会" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "established", "reached_on": ""}, "请填写日期，例如 2026-11-21"),
        ({"status": "established", "reached_on": "2026-13-01"}, "日期格式不对"),
        ({"status": "established", "reached_on": "2999-01-01"}, "日期不能晚于今天"),
        ({"status": "dissolved", "reached_on": "2026-11-01"}, "请选择建会状态"),
    ],
)
def test_union_status_refusals(
    app: Flask, staff_client: FlaskClient, world: World, data: dict, message: str
):
    company_id = add_company(app, world.town_id)
    response = staff_client.post(f"/admin/companies/{company_id}/status", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _company(app, company_id).union_status == "none"


def test_record_a_contact_with_needs(app: Flask, staff_client: FlaskClient, world: World):
    company_id = add_company(app, world.town_id)
    response = staff_client.post(
        f"/admin/companies/{company_id}/contacts",
        data={
            "kind": "visit",
            "happened_on": records.today().isoformat(),
            "summary": "与站长面谈",
            "needs": "骑手休息点\n\n 工伤保障 \n",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(sa.select(CompanyContact))
        needs = db.session.scalars(sa.select(Need).order_by(Need.id)).all()
        assert (contact.kind, contact.summary) == ("visit", "与站长面谈")
        assert [(n.title, n.contact_id, n.status) for n in needs] == [
            ("骑手休息点", contact.id, "todo"),
            ("工伤保障", contact.id, "todo"),
        ]
    html = staff_client.get(f"/admin/companies/{company_id}").get_data(as_text=True)
    assert "已记录走访，并记下 2 条诉求" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "session", "happened_on": "2026-11-01"}, "请选择联系方式"),
        ({"kind": "call", "happened_on": ""}, "请填写日期"),
        (
            {"kind": "call", "happened_on": "2026-11-01", "needs": "诉" * 101},
            "每条诉求不能超过100个字",
        ),
        (
            {"kind": "call", "happened_on": "2026-11-01", "summary": "情" * 2001},
            "情况不能超过2000个字，现在是2001个字",
        ),
    ],
)
def test_contact_refusals(
    app: Flask, staff_client: FlaskClient, world: World, data: dict, message: str
):
    company_id = add_company(app, world.town_id)
    response = staff_client.post(f"/admin/companies/{company_id}/contacts", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CompanyContact.id))) == 0


def test_follow_up_a_need_to_resolved(app: Flask, staff_client: FlaskClient, world: World):
    company_id = add_company(app, world.town_id)
    need_id = add_need(app, company_id, due_on=date(2026, 11, 1))
    assert "骑手休息点" in staff_client.get(f"/admin/needs/{need_id}").get_data(as_text=True)
    response = staff_client.post(
        f"/admin/needs/{need_id}",
        data={
            "title": "骑手休息点",
            "response": "协调镇党群服务中心设暖心驿站",
            "owner": "李干事",
            "due_on": "2026-12-15",
            "status": "done",
        },
    )
    assert response.headers["Location"] == f"/admin/companies/{company_id}"
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert (need.status, need.resolved_on, need.due_on) == (
            "done",
            records.today(),
            date(2026, 12, 15),
        )
    [event] = audit_events(app, "need_update")
    assert event.detail == {
        "company": company_id,
        "need": need_id,
        "before": "todo",
        "after": "done",
    }
    refused = staff_client.post(
        f"/admin/needs/{need_id}", data={"title": "", "status": "doing", "due_on": "明天"}
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "请填写诉求" in html and "办结期限格式不对" in html
    assert need_status(app, need_id) == "done"


def test_export_csv_and_xlsx_are_audited_and_scoped(
    app: Flask, staff_client: FlaskClient, world: World
):
    add_company(app, world.town_id)
    add_company(app, world.other_town_id, name="滴滴西红门车队", credit_code=DIDI_FLEET)
    response = staff_client.post(
        "/admin/companies/export", data={"format": "csv", "industry": "food_delivery"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="companies-')
    assert response.headers["Cache-Control"] == "no-store"
    text = response.data.decode("utf-8-sig")
    assert "美团瀛海配送站" in text and "13912345678" in text and "滴滴" not in text
    xlsx = staff_client.post("/admin/companies/export", data={"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 2
    assert staff_client.post("/admin/companies/export", data={"format": "pdf"}).status_code == 400
    assert [e.detail for e in audit_events(app, "company_export")] == [
        {"format": "csv", "filter": {"industry": "food_delivery"}, "rows": 1},
        {"format": "xlsx", "filter": {}, "rows": 1},
    ]


def test_delete_by_phone_clears_the_company_contact(
    app: Flask, staff_client: FlaskClient, world: World
):
    mine = add_company(app, world.town_id)
    theirs = add_company(app, world.other_town_id, name="西红门某公司", credit_code=SF_DEPOT)
    response = staff_client.post("/admin/delete", data={"phone": "139-1234-5678", "confirm": "y"})
    assert response.status_code == 302
    cleared, kept = _company(app, mine), _company(app, theirs)
    assert (cleared.contact_name, cleared.contact_position, cleared.contact_phone) == (
        None,
        None,
        None,
    )
    assert cleared.name == "美团瀛海配送站"  # the company stays
    assert kept.contact_phone == "13912345678"  # another union's: not staff's to clear
    [event] = audit_events(app, "person_delete")
    assert event.detail["company_contacts"] == 1
    assert "13912345678" not in str(event.detail)
    html = staff_client.get("/admin/delete").get_data(as_text=True)
    assert "并清除了 1 家企业档案中的联系人信息" in html


def test_a_clash_at_the_last_moment_is_a_chinese_409(
    app: Flask, staff_client: FlaskClient, world: World, monkeypatch
):
    """Another staff member saves the same code between the check and the insert."""
    add_company(app, world.town_id)
    monkeypatch.setattr(records, "duplicate", lambda *args, **kwargs: None)
    response = staff_client.post(
        "/admin/companies/new", data={**FORM, "organisation_id": world.town_id}
    )
    assert response.status_code == 409
    assert "刚有人登记了同一统一社会信用代码或同名的企业" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(UnionStatusChange.id))) == 1
