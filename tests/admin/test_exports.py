"""Exports: exact CSV bytes, XLSX read back, formula injection neutralised, every export logged."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import parse_options_header

from kiosk.admin.exports import HEADERS, neutralise
from kiosk.extensions import db
from kiosk.models import OutreachSession
from tests.admin.conftest import add_signup, audit_events
from tests.conftest import World

EXPECTED_CSV = (
    "\ufeff"
    "沟通会,日期,姓名,手机号,职业,所在平台/单位,工作区域,想了解的服务,来源,跟进状态,跟进备注,"
    "同意版本,同意时间\r\n"
    "瀛海镇职工沟通会,2026-11-21,张三,13800138000,快递员,顺丰,瀛海镇,免费体检、法律咨询,"
    "现场平板,待联系,,2026-11-21,2026-11-21 11:00\r\n"
    "瀛海镇职工沟通会,2026-11-21,李四,13900139000,其他（搬家师傅）,"
    '"\'=HYPERLINK(""x"")","\'-1,2",,本人手机,已联系,周末再打,2026-11-21,2026-11-21 12:30\r\n'
).encode()


@pytest.fixture
def two_signups(app: Flask, world: World) -> World:
    add_signup(app, world.session_id)
    add_signup(
        app,
        world.session_id,
        phone="13900139000",
        name="李四",
        occupation="other",
        occupation_other="搬家师傅",
        employer='=HYPERLINK("x")',
        area="-1,2",
        interests=[],
        source="phone",
        created_at=datetime(2026, 11, 21, 4, 30, tzinfo=UTC),
    )
    return world


def _export(client: FlaskClient, fmt: str, **form: object):
    return client.post("/admin/signups/export", data={"format": fmt, **form})


def test_csv_export_exact_bytes(app: Flask, staff_client: FlaskClient, two_signups: World):
    signup_page = staff_client.get("/admin/signups?q=李四").get_data(as_text=True)
    person_url = signup_page.split('href="/admin/people/')[1].split('"')[0]
    staff_client.post(
        f"/admin/people/{person_url}/follow-up", data={"status": "contacted", "note": "周末再打"}
    )

    response = _export(staff_client, "csv", session=two_signups.session_id)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    assert response.data == EXPECTED_CSV


def test_export_file_names_say_what_is_inside(
    app: Flask, staff_client: FlaskClient, two_signups: World
):
    with app.app_context():
        session = db.session.get(OutreachSession, two_signups.session_id)
        day = session.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).date()
    response = _export(staff_client, "xlsx", session=two_signups.session_id)
    name = f"瀛海镇总工会-职工沟通会-{day}-登记.xlsx"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"signups-{day}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    # What a browser does with the header (RFC 6266 / 5987): the Chinese name wins.
    assert parse_options_header(response.headers["Content-Disposition"])[1]["filename"] == name


def test_xlsx_export_reads_back(app: Flask, staff_client: FlaskClient, two_signups: World):
    response = _export(staff_client, "xlsx", q="李四")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert rows[1][2:7] == ["李四", "13900139000", "其他（搬家师傅）", '\'=HYPERLINK("x")', "'-1,2"]
    assert len(rows) == 2
    assert sheet["F2"].data_type == "s"  # text, not a formula


def test_export_is_logged_without_personal_data(
    app: Flask, staff_client: FlaskClient, two_signups: World
):
    _export(staff_client, "csv", q="13900139000", occupation="other")
    [event] = audit_events(app, "export")
    assert event.actor_name == "staff"
    assert event.detail == {
        "format": "csv",
        "filter": {"occupation": "other", "q": "1**********"},
        "rows": 1,
    }


def test_export_is_scoped(client: FlaskClient, auth, two_signups: World):
    auth.login("outsider")
    response = _export(client, "csv")
    assert response.data.count(b"\r\n") == 1  # the header only
    assert _export(client, "csv", session=two_signups.session_id).status_code == 404


def test_unknown_format_is_refused(staff_client: FlaskClient, two_signups: World):
    assert _export(staff_client, "pdf").status_code == 400


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800138000", "'+8613800138000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value: str, expected: str):
    assert neutralise(value) == expected


def test_an_export_filtered_by_another_unions_id_is_refused_and_not_logged_there(
    app: Flask, client: FlaskClient, auth, two_signups: World
):
    auth.login("outsider")
    response = _export(client, "csv", org=two_signups.town_id)
    assert response.status_code == 404
    assert [e.organisation_id for e in audit_events(app, "export")] == []
    # Its own organisation's id is fine, and logged under it.
    assert _export(client, "csv", org=two_signups.other_town_id).status_code == 200
    [event] = audit_events(app, "export")
    assert event.organisation_id == two_signups.other_town_id


def test_exported_text_is_cleaned_and_guarded_whenever_it_was_stored(
    app: Flask, staff_client: FlaskClient, world: World
):
    """Rows stored before cleaning existed (or by any other path) are cleaned on the way out."""
    with app.app_context():
        from kiosk.extensions import db
        from kiosk.models import OutreachSession

        db.session.get(OutreachSession, world.session_id).title = "\u200b＝HYPERLINK(1)"
        db.session.commit()
    add_signup(app, world.session_id, employer="\u200b=1+1", area="\u3000＋86　瀛海镇")
    row = _export(staff_client, "csv").data.decode("utf-8-sig").splitlines()[1].split(",")
    assert row[0] == "'=HYPERLINK(1)"
    assert row[5:7] == ["'=1+1", "'+86 瀛海镇"]
