# ruff: noqa: E501 - expected Chinese messages are long
"""The import's dry run and its all-or-nothing write, against the database."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.companies import importing
from kiosk.companies.reading import read_table
from kiosk.extensions import db
from kiosk.models import Company, Organisation, UnionStatusChange
from kiosk.scoping import descendant_ids
from tests.companies.codes import DIDI_FLEET, MEITUAN_STATION, SF_DEPOT, code
from tests.companies.conftest import add_company
from tests.companies.sample import HEADINGS, ROWS, csv_text, xlsx_bytes
from tests.conftest import World


def _plan(
    data: bytes, filename: str, scope, org_id: int | None = None, *, update: bool = False
) -> importing.Plan:
    headings, rows = read_table(data, filename)
    org = db.session.get(Organisation, org_id) if org_id else None
    return importing.plan(
        rows, importing.guess_mapping(headings), scope, organisation=org, update_existing=update
    )


def test_a_clean_list_is_planned_then_written(app: Flask, world: World) -> None:
    with app.app_context():
        plan = _plan(xlsx_bytes(), "名单.xlsx", None, world.town_id)
        assert plan.summary() == {"rows": 4, "valid": 4, "errors": [], "create": 4, "update": 0}
        assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0  # a dry run
        importing.apply(plan, None)
        db.session.commit()
        companies = {c.name: c for c in db.session.scalars(sa.select(Company))}
        assert set(companies) == {row[0] for row in ROWS}
        station = companies["美团瀛海配送站"]
        assert (station.credit_code, station.industry, station.gig_workers) == (
            MEITUAN_STATION,
            "food_delivery",
            86,
        )
        assert station.contact_phone == "13912345678"
        assert companies["顺丰瀛海营业部"].contact_phone == "13923456789"
        assert companies["顺丰瀛海营业部"].union_status == "preparing"
        housekeeping = companies["瀛海家政服务部"]
        assert (housekeeping.union_status, housekeeping.union_status_on) == (
            "established",
            date(2025, 6, 18),
        )
        steps = db.session.scalars(
            sa.select(UnionStatusChange).where(UnionStatusChange.company_id == housekeeping.id)
        ).all()
        assert [(s.status, s.reached_on) for s in steps] == [("established", date(2025, 6, 18))]


def test_every_rows_errors_with_their_row_numbers(app: Flask, world: World) -> None:
    rows = [
        [
            "美团瀛海配送站",
            MEITUAN_STATION,
            "外卖",
            "",
            "",
            "十二",
            "",
            "",
            "",
            "1391234567",
            "",
            "",
        ],
        ["", "", "", "", "", "", "", "", "", "", "", ""],  # an empty row is skipped, not an error
        ["顺丰瀛海营业部", MEITUAN_STATION, "快递", "", "", "", "", "", "", "", "", ""],
        [
            "滴滴瀛海车队服务站",
            DIDI_FLEET[:17] + "1",
            "网约车",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "建了",
            "",
        ],
        ["美团瀛海配送站", SF_DEPOT, "快递", "", "", "", "", "", "", "", "", ""],
    ]
    with app.app_context():
        plan = _plan(csv_text(rows=rows).encode("gbk"), "名单.csv", None, world.town_id)
    assert plan.rows == 4
    assert [p.as_json() for p in plan.problems] == [
        {
            "row": 2,
            "field": "industry",
            "message": "行业应为：快递、外卖配送、网约车、货运、家政、其他（现在是“外卖”）",
        },
        {"row": 2, "field": "headcount", "message": "职工人数应为整数（现在是“十二”）"},
        {
            "row": 2,
            "field": "contact_phone",
            "message": "联系人手机：手机号应为11位数字，现在是10位",
        },
        {"row": 4, "field": "credit_code", "message": "与第2行的统一社会信用代码重复"},
        {"row": 5, "field": "credit_code", "message": "第18位（校验码）与前17位不符，请逐位核对"},
        {
            "row": 5,
            "field": "union_status",
            "message": "建会状态应为：未建会、筹建中、已建会（现在是“建了”）",
        },
        {"row": 6, "field": "name", "message": "与第2行的企业名称重复"},
    ]
    assert (plan.valid, plan.create) == (0, 0)


def test_missing_columns_are_reported_on_the_heading_row(app: Flask, world: World) -> None:
    with app.app_context():
        plan = _plan("名称,地址\r\n某公司,某地\r\n".encode(), "a.csv", None)
    assert [p.as_json() for p in plan.problems] == [
        {"row": 1, "field": "credit_code", "message": "文件中没有对应“统一社会信用代码”的列"},
        {"row": 1, "field": "industry", "message": "文件中没有对应“行业”的列"},
        {
            "row": 1,
            "field": "organisation",
            "message": "请选定导入到哪个工会，或在文件中加一列“所属工会”",
        },
    ]


def test_a_plan_with_errors_is_never_applied(app: Flask, world: World) -> None:
    with app.app_context():
        plan = _plan("名称,地址\r\n某公司,某地\r\n".encode(), "a.csv", None)
        with pytest.raises(ValueError, match="cannot be applied"):
            importing.apply(plan, None)


def test_existing_codes_update_only_when_chosen(app: Flask, world: World) -> None:
    company_id = add_company(app, world.town_id, name="美团配送站（旧名）", headcount=3)
    data = xlsx_bytes()
    with app.app_context():
        refused = _plan(data, "a.xlsx", None, world.town_id)
        assert refused.problems[0].as_json() == {
            "row": 2,
            "field": "credit_code",
            "message": "已有这家企业（美团配送站（旧名））；如要用本行更新它，请选择“更新已有企业”",
        }
        plan = _plan(data, "a.xlsx", None, world.town_id, update=True)
        assert (plan.create, plan.update, plan.problems) == (3, 1, [])
        importing.apply(plan, None)
        db.session.commit()
        company = db.session.get(Company, company_id)
        assert (company.name, company.headcount) == ("美团瀛海配送站", 12)


def test_an_empty_cell_leaves_the_existing_value(app: Flask, world: World) -> None:
    company_id = add_company(app, world.town_id, credit_code=DIDI_FLEET, name="滴滴瀛海车队服务站")
    rows = [
        ["滴滴瀛海车队服务站", DIDI_FLEET, "网约车", "", "", "", "130", "", "", "", "筹建中", ""]
    ]
    with app.app_context():
        plan = _plan(csv_text(rows=rows).encode(), "a.csv", None, world.town_id, update=True)
        importing.apply(plan, None)
        db.session.commit()
        company = db.session.get(Company, company_id)
        assert (company.gig_workers, company.contact_name, company.address) == (
            130,
            "王站长",
            "北京市大兴区瀛海镇",
        )
        # The status moved, and the step is in the history, dated today.
        assert company.union_status == "preparing"
        steps = db.session.scalars(
            sa.select(UnionStatusChange.status)
            .where(UnionStatusChange.company_id == company_id)
            .order_by(UnionStatusChange.id)
        ).all()
        assert steps == ["none", "preparing"]


def test_another_unions_code_is_refused_without_naming_it(app: Flask, world: World) -> None:
    add_company(app, world.other_town_id, name="西红门某公司")
    with app.app_context():
        plan = _plan(xlsx_bytes(), "a.xlsx", None, world.town_id, update=True)
    assert plan.problems[0].as_json() == {
        "row": 2,
        "field": "credit_code",
        "message": "这个统一社会信用代码已由其他工会登记",
    }
    assert "西红门" not in plan.problems[0].message


def test_the_organisation_column_within_scope(app: Flask, world: World) -> None:
    headings = ["所属工会", *HEADINGS]
    rows = [
        ["瀛海镇总工会", *ROWS[0]],
        ["西红门镇总工会", *ROWS[1]],
        ["", *ROWS[2]],
        ["朝阳区总工会", *ROWS[3]],
    ]
    with app.app_context():
        scope = descendant_ids(world.town_id)  # staff of 瀛海镇 see only 瀛海镇
        plan = _plan(csv_text(headings, rows).encode(), "a.csv", scope)
    assert [p.as_json() for p in plan.problems] == [
        {
            "row": 3,
            "field": "organisation",
            "message": "找不到工会“西红门镇总工会”，或您无权管理它",
        },
        {"row": 4, "field": "organisation", "message": "请填写所属工会"},
        {"row": 5, "field": "organisation", "message": "找不到工会“朝阳区总工会”，或您无权管理它"},
    ]
    assert [p.organisation.id for p in plan.planned] == [world.town_id]


def test_sites_are_found_by_name_within_the_organisation(app: Flask, world: World) -> None:
    headings = ["企业名称", "统一社会信用代码", "行业", "点位"]
    rows = [
        ["美团瀛海配送站", MEITUAN_STATION, "外卖配送", "首航超市"],
        ["顺丰瀛海营业部", SF_DEPOT, "快递", "不存在的点位"],
    ]
    with app.app_context():
        plan = _plan(csv_text(headings, rows).encode(), "a.csv", None, world.town_id)
    assert plan.planned[0].site.id == world.site_id
    assert plan.problems[0].as_json() == {
        "row": 3,
        "field": "site",
        "message": "瀛海镇总工会没有名为“不存在的点位”的点位",
    }


def test_same_name_with_another_code_is_refused(app: Flask, world: World) -> None:
    add_company(app, world.town_id, credit_code=code("91110115", "MA0998XY"))
    with app.app_context():
        plan = _plan(xlsx_bytes(), "a.xlsx", None, world.town_id, update=True)
    assert plan.problems[0].as_json() == {
        "row": 2,
        "field": "name",
        "message": "本工会已有名为“美团瀛海配送站”的企业，统一社会信用代码却不同",
    }


def test_headings_are_matched_loosely() -> None:
    mapping = importing.guess_mapping(["序号", "企业名称*", "信用代码", "行业（必填）", "手机号"])
    assert (mapping["name"], mapping["credit_code"], mapping["contact_phone"]) == (1, 2, 4)
    assert mapping["industry"] == 3  # "行业（必填）": the mark is not part of the name
    assert importing.mapping_from({"map_name": "0", "map_industry": "9"}, ["a", "b"]) | {} == {
        **dict.fromkeys((f.name for f in importing.IMPORT_FIELDS), None),
        "name": 0,
    }
