# ruff: noqa: E501 - expected Chinese messages and exports are long
"""`flask --app kiosk company import|export`: the JSON shape, exit codes, exact exports."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from flask import Flask

from kiosk.companies.exporting import HEADERS
from kiosk.extensions import db
from kiosk.models import AuditEvent, Company
from tests.companies.codes import MEITUAN_STATION, SF_DEPOT, code
from tests.companies.conftest import add_company
from tests.companies.sample import csv_text, xlsx_bytes
from tests.conftest import World


def _companies(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Company.id))) or 0


def _audit(app: Flask, action: str) -> list[dict]:
    with app.app_context():
        return [
            {"actor": e.actor_name, **e.detail}
            for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action))
        ]


def test_import_checks_by_default_and_prints_json(app: Flask, runner, world: World, tmp_path: Path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx_bytes())
    result = runner.invoke(args=["company", "import", str(path), "--org", "瀛海镇总工会"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "rows": 4,
        "valid": 4,
        "errors": [],
        "create": 4,
        "update": 0,
    }
    assert _companies(app) == 0  # a dry run


def test_import_apply_writes_and_is_audited(app: Flask, runner, world: World, tmp_path: Path):
    path = tmp_path / "名单.csv"
    path.write_bytes(csv_text().encode("gbk"))
    result = runner.invoke(
        args=["company", "import", str(path), "--org", "瀛海镇总工会", "--apply"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["create"] == 4
    assert _companies(app) == 4
    assert _audit(app, "company_import") == [
        {"actor": "cli", "file": "名单.csv", "rows": 4, "created": 4, "updated": 0}
    ]
    # Again: the same codes now update the same companies.
    again = runner.invoke(args=["company", "import", str(path), "--org", "瀛海镇总工会"])
    assert json.loads(again.stdout) == {
        "rows": 4,
        "valid": 4,
        "errors": [],
        "create": 0,
        "update": 4,
    }


def test_import_with_errors_exits_non_zero_and_writes_nothing(
    app: Flask, runner, world: World, tmp_path: Path
):
    rows = [
        ["美团瀛海配送站", MEITUAN_STATION, "外卖配送", "", "", "", "", "", "", "", "", ""],
        ["顺丰瀛海营业部", SF_DEPOT[:-1] + "Z", "快递", "", "", "", "", "", "", "", "", ""],
    ]
    path = tmp_path / "名单.csv"
    path.write_text(csv_text(rows=rows), encoding="utf-8-sig")
    result = runner.invoke(
        args=["company", "import", str(path), "--org", "瀛海镇总工会", "--apply"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "rows": 2,
        "valid": 1,
        "errors": [
            {
                "row": 3,
                "field": "credit_code",
                "message": "第18位是“Z”：统一社会信用代码不使用字母 I、O、Z、S、V",
            }
        ],
        "create": 1,
        "update": 0,
    }
    assert _companies(app) == 0  # all or nothing


def test_import_needs_an_organisation(app: Flask, runner, world: World, tmp_path: Path):
    path = tmp_path / "名单.csv"
    path.write_text(csv_text(), encoding="utf-8")
    result = runner.invoke(args=["company", "import", str(path)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"] == [
        {
            "row": 1,
            "field": "organisation",
            "message": "请选定导入到哪个工会，或在文件中加一列“所属工会”",
        }
    ]
    unknown = runner.invoke(args=["company", "import", str(path), "--org", "不存在的工会"])
    assert unknown.exit_code == 1
    assert "找不到工会组织：不存在的工会" in unknown.output


def test_import_of_an_unreadable_file(app: Flask, runner, world: World, tmp_path: Path):
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(args=["company", "import", str(path), "--org", "瀛海镇总工会"])
    assert result.exit_code == 1
    assert "不支持旧版 Excel（.xls）文件" in result.output


EXPECTED_CSV = (
    "\ufeff"
    "所属工会,企业名称,统一社会信用代码,行业,与平台关系,地址,点位,职工人数,新就业形态劳动者人数,联系人,联系人职务,联系人手机,建会状态,建会状态日期,备注,最近联系日期\r\n"
    f"瀛海镇总工会,美团瀛海配送站,{MEITUAN_STATION},外卖配送,加盟商/配送站,北京市大兴区瀛海镇,,12,80,王站长,站长,13912345678,未建会,2026-10-09,,\r\n"
    f'瀛海镇总工会,"\'=HYPERLINK(""x"")",{SF_DEPOT},快递,,,首航超市,,,,,,筹建中,2026-11-03,\'-1,\r\n'
).encode()


def _two(app: Flask, world: World) -> None:
    add_company(app, world.town_id)
    add_company(
        app,
        world.town_id,
        name='=HYPERLINK("x")',
        credit_code=SF_DEPOT,
        industry="express",
        platform_relation=None,
        address=None,
        headcount=None,
        gig_workers=None,
        contact_name=None,
        contact_position=None,
        contact_phone=None,
        notes="-1",
        status="preparing",
        status_on=date(2026, 11, 3),
    )
    with app.app_context():
        company = db.session.scalar(sa.select(Company).where(Company.credit_code == SF_DEPOT))
        company.site_id = world.site_id
        db.session.commit()
    add_company(
        app, world.other_town_id, name="西红门某公司", credit_code=code("91110115", "MA0998XY")
    )


def test_export_csv_exact_bytes(app: Flask, runner, world: World, tmp_path: Path):
    _two(app, world)
    out = tmp_path / "companies.csv"
    result = runner.invoke(
        args=["company", "export", "--format", "csv", "--org", "瀛海镇总工会", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == EXPECTED_CSV
    assert _audit(app, "company_export") == [{"actor": "cli", "format": "csv", "rows": 2}]


def test_export_xlsx_reads_back(app: Flask, runner, world: World, tmp_path: Path):
    _two(app, world)
    out = tmp_path / "companies.xlsx"
    result = runner.invoke(args=["company", "export", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert len(rows) == 4  # every organisation without --org
    assert rows[2][1] == '\'=HYPERLINK("x")'
    assert sheet["B3"].data_type == "s"  # text, not a formula
    assert "已导出 3 家企业" in result.output
