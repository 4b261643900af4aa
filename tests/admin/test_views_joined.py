"""The joined import, through the web: upload, map, dry run, confirm; scope and failures."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import FollowUp
from tests.admin.conftest import add_signup, audit_events, phone_ref
from tests.conftest import World

MEMBERS = (
    "姓名,手机号码,入会日期\r\n"
    "张三,13800138000,2026/11/05\r\n"  # matched
    "李四,13900139000,2026-11-06\r\n"  # 西红门镇's: not in scope
    "王小五,13700137000,2026-11-07\r\n"  # signed up as 王五: check by hand
    "赵六,12345,2026-11-07\r\n"  # not a mobile number
    '钱七,=HYPERLINK("x"),2026-11-07\r\n'  # a formula
    "孙八,13500135000,2026年11月8日\r\n"  # matched (Chinese date)
    "周九,13400134000,下周\r\n"  # a date nobody can read
)


@pytest.fixture
def people(app: Flask, world: World) -> World:
    add_signup(app, world.session_id, phone="13800138000", name="张三")
    add_signup(app, world.session_id, phone="13700137000", name="王五")
    add_signup(app, world.session_id, phone="13500135000", name="孙八")
    add_signup(app, world.session_id, phone="13400134000", name="周九")
    add_signup(app, world.other_session_id, phone="13900139000", name="李四")
    with app.app_context():
        db.session.add(FollowUp(organisation_id=world.other_town_id, phone="13900139000"))
        db.session.commit()
    return world


def _upload(client: FlaskClient, data: bytes, name: str = "会员名单.csv"):
    return client.post(
        "/admin/joined/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


MAPPING = {"phone": "1", "name": "0", "joined_on": "2"}


def _statuses(app: Flask) -> dict[tuple[int, str], tuple[str, date | None]]:
    with app.app_context():
        return {
            (row.organisation_id, row.phone): (row.status, row.joined_on)
            for row in db.session.scalars(sa.select(FollowUp))
        }


def test_upload_map_preview_confirm(app: Flask, staff_client: FlaskClient, people: World):
    response = _upload(staff_client, MEMBERS.encode("gbk"))
    assert response.status_code == 302
    url = response.headers["Location"]
    page = staff_client.get(url).get_data(as_text=True)
    assert "手机号码（第2列）" in page and "138****8000" in page and "13800138000" not in page
    assert re.search(r'<option selected value="1">手机号码', page)  # guessed from the header

    before = _statuses(app)
    preview = staff_client.post(f"{url}/preview", data=MAPPING).get_data(as_text=True)
    counts = dict(re.findall(r'data-state="(\w+)">(\d+)<', preview))
    assert counts == {"matched": "2", "unmatched": "1", "ambiguous": "1", "invalid": "3"}
    assert "姓名不一致，登记的姓名：王五" in preview
    assert "单元格是公式" in preview and "入会日期无法识别：下周" in preview
    assert "确认导入 2 人" in preview
    assert _statuses(app) == before  # a dry run changes nothing

    unconfirmed = staff_client.post(f"{url}/apply", data=MAPPING)
    assert unconfirmed.status_code == 422 and _statuses(app) == before

    done = staff_client.post(f"{url}/apply", data=MAPPING | {"confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/admin/signups?status=joined"
    after = _statuses(app)
    assert after[(people.town_id, "13800138000")] == ("joined", date(2026, 11, 5))
    assert after[(people.town_id, "13500135000")] == ("joined", date(2026, 11, 8))
    assert (people.town_id, "13700137000") not in after  # ambiguous: left alone
    assert after[(people.other_town_id, "13900139000")] == ("pending", None)  # out of scope
    events = audit_events(app, "joined_import")
    assert sorted(e.detail["phone"] for e in events) == sorted(
        phone_ref(app, phone) for phone in ("13500135000", "13800138000")
    )
    assert all(e.organisation_id == people.town_id for e in events)
    assert all("13800138000" not in str(e.detail) and "张三" not in str(e.detail) for e in events)
    assert staff_client.get(url).status_code == 404  # the upload is gone


def test_applying_twice_changes_nothing_more(app: Flask, staff_client: FlaskClient, people: World):
    for _ in range(2):
        url = _upload(staff_client, MEMBERS.encode()).headers["Location"]
        staff_client.post(f"{url}/apply", data=MAPPING | {"confirm": "y"})
    assert len(audit_events(app, "joined_import")) == 2


def test_no_date_column_means_today(app: Flask, staff_client: FlaskClient, people: World):
    from kiosk.cadence.months import local_date
    from kiosk.models import utcnow

    url = _upload(staff_client, "手机\n13800138000\n".encode()).headers["Location"]
    mapping = {"phone": "0", "name": "-1", "joined_on": "-1"}
    staff_client.post(f"{url}/apply", data=mapping | {"confirm": "y"})
    assert _statuses(app)[(people.town_id, "13800138000")] == ("joined", local_date(utcnow()))


def test_a_district_marks_everyone_below(app: Flask, client: FlaskClient, auth, people: World):
    auth.login("district")
    url = _upload(client, MEMBERS.encode()).headers["Location"]
    client.post(f"{url}/apply", data=MAPPING | {"confirm": "y"})
    assert _statuses(app)[(people.other_town_id, "13900139000")] == ("joined", date(2026, 11, 6))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 64, "旧版 Excel（.xls）"),
        (("手机\n" + "13800138000\n" * 100_000).encode(), "一次最多导入 20000 行"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "文件类型不对"),
    ],
    ids=["empty", "xls", "100000-rows", "png"],
)
def test_bad_files(app: Flask, staff_client: FlaskClient, world: World, data: bytes, message: str):
    folder = Path(app.instance_path) / "imports"  # shared by the tests of this worker
    before = set(folder.glob("*.json"))
    response = _upload(staff_client, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert set(folder.glob("*.json")) == before  # nothing kept of a refused file


def test_no_file_chosen(staff_client: FlaskClient, world: World):
    response = staff_client.post(
        "/admin/joined/import", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "请先选择要导入的文件" in response.get_data(as_text=True)


def test_only_the_import_takes_a_large_body(staff_client: FlaskClient, world: World):
    big = ("手机\n" + "13800138000\n" * 4000).encode()  # 48 KB, past the 16 KB default
    assert _upload(staff_client, big).status_code == 302
    assert staff_client.post("/admin/delete", data={"phone": "1" * 20_000}).status_code == 413
    assert _upload(staff_client, b"x" * (6 * 1024 * 1024)).status_code == 413


def test_a_failure_while_applying_changes_nothing(
    app: Flask, staff_client: FlaskClient, people: World
):
    url = _upload(staff_client, MEMBERS.encode()).headers["Location"]
    remove = _refuse_follow_up(app, "13500135000")  # the second of the two people
    try:
        response = staff_client.post(f"{url}/apply", data=MAPPING | {"confirm": "y"})
    finally:
        remove()
    assert response.status_code == 503
    assert "导入没有完成，没有修改任何数据" in response.get_data(as_text=True)
    assert (people.town_id, "13800138000") not in _statuses(app)
    assert audit_events(app, "joined_import") == []


def _refuse_follow_up(app: Flask, phone: str):
    with app.app_context(), db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text(
                    "CREATE FUNCTION refuse_follow_up() RETURNS trigger AS $$ BEGIN"
                    f" IF NEW.phone = '{phone}' THEN RAISE EXCEPTION 'refused'; END IF;"
                    " RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                sa.text(
                    "CREATE TRIGGER refuse_follow_up BEFORE INSERT ON follow_up"
                    " FOR EACH ROW EXECUTE FUNCTION refuse_follow_up()"
                )
            )
        else:
            connection.execute(
                sa.text(
                    "CREATE TRIGGER refuse_follow_up BEFORE INSERT ON follow_up"
                    f" WHEN NEW.phone = '{phone}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )

    def remove() -> None:
        with app.app_context(), db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("DROP TRIGGER refuse_follow_up ON follow_up"))
                connection.execute(sa.text("DROP FUNCTION refuse_follow_up()"))

    return remove
