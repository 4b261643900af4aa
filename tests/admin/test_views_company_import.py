# ruff: noqa: E501 - expected Chinese messages are long
"""导入企业 in the browser's terms: upload, map columns, preview every row, import all or nothing."""

from __future__ import annotations

import io
import re
import uuid

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.admin.views.company_import import MAX_UPLOAD_BYTES
from kiosk.extensions import db
from kiosk.models import Company, ImportDraft
from tests.admin.conftest import audit_events
from tests.companies.codes import MEITUAN_STATION
from tests.companies.conftest import add_company
from tests.companies.sample import HEADINGS, ROWS, csv_text, xlsx_bytes
from tests.conftest import World


def _preview_url(response) -> str:
    """The preview's own address (the upload's redirect adds the chosen organisation)."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].split("?", 1)[0]


def _preview(client: FlaskClient, url: str, org: int) -> str:
    return client.get(f"{url}?org={org}").get_data(as_text=True)


def _upload(client: FlaskClient, data: bytes, filename: str, org: object = ""):
    return client.post(
        "/admin/companies/import",
        data={"file": (io.BytesIO(data), filename), "org": str(org)},
        content_type="multipart/form-data",
    )


def _count(app: Flask, model=Company) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _hidden(html: str) -> dict[str, str]:
    form = html.split('/apply"', 1)[1].split("</form>", 1)[0]  # the import button's form
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def test_upload_preview_then_import(app: Flask, staff_client: FlaskClient, world: World):
    assert "导入企业名单" in staff_client.get("/admin/companies/import").get_data(as_text=True)
    response = _upload(staff_client, xlsx_bytes(), "名单.xlsx", world.town_id)
    assert response.headers["Location"].endswith(f"?org={world.town_id}")
    preview_url = _preview_url(response)
    assert preview_url.startswith("/admin/companies/import/")
    html = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "这是试运行，还没有导入任何企业" in html
    assert 'data-count="create">4<' in html and 'data-count="errors">0<' in html
    assert _count(app) == 0
    # Updating companies on file is off unless chosen, in the options and in the import.
    assert 'name="update" value="1" checked' not in html
    assert "update" not in _hidden(html)
    response = staff_client.post(preview_url + "/apply", data=_hidden(html))
    assert response.headers["Location"] == "/admin/companies"
    assert _count(app) == 4
    assert _count(app, ImportDraft) == 0  # the upload is gone once imported
    [event] = audit_events(app, "company_import")
    assert event.detail == {"file": "名单.xlsx", "rows": 4, "created": 4, "updated": 0}
    assert event.organisation_id == world.town_id
    listing = staff_client.get("/admin/companies").get_data(as_text=True)
    assert "导入完成：新建 4 家企业，更新 0 家" in listing


def test_every_rows_errors_in_the_preview_and_nothing_imported(
    app: Flask, staff_client: FlaskClient, world: World
):
    rows = [list(row) for row in ROWS]
    rows[1][1] = rows[1][1][:-1] + "0"
    rows[3][9] = "137000011"
    preview_url = _preview_url(
        _upload(staff_client, csv_text(rows=rows).encode("gbk"), "名单.csv", world.town_id)
    )
    html = _preview(staff_client, preview_url, world.town_id)
    assert "错误（2 处）：改正后才能导入" in html
    assert "第3行" in html and "第18位（校验码）与前17位不符，请逐位核对" in html
    assert "第5行" in html and "联系人手机：手机号应为11位数字，现在是9位" in html
    assert '/apply"' not in html  # no import button while anything is wrong
    # Forcing the import anyway writes nothing.
    response = staff_client.post(preview_url + "/apply", data={"org": str(world.town_id)})
    assert response.status_code == 422
    assert "有 2 处错误，没有导入任何企业。" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_mapping_columns_by_hand(app: Flask, staff_client: FlaskClient, world: World):
    headings = ["单位", "代码", "类别"]
    rows = [["美团瀛海配送站", MEITUAN_STATION, "外卖配送"]]
    preview_url = _preview_url(
        _upload(staff_client, csv_text(headings, rows).encode("utf-8-sig"), "a.csv", world.town_id)
    )
    guessed = _preview(staff_client, preview_url, world.town_id)
    assert "文件中没有对应“企业名称”的列" in guessed
    chosen = f"{preview_url}?org={world.town_id}&map_name=0&map_credit_code=1&map_industry=2"
    html = staff_client.get(chosen).get_data(as_text=True)
    assert 'data-count="create">1<' in html
    response = staff_client.post(preview_url + "/apply", data=_hidden(html))
    assert response.status_code == 302
    assert _count(app) == 1


def test_updating_existing_companies_is_a_choice(
    app: Flask, staff_client: FlaskClient, world: World
):
    add_company(app, world.town_id, name="旧名字")
    preview_url = _preview_url(_upload(staff_client, xlsx_bytes(), "名单.xlsx", world.town_id))
    html = _preview(staff_client, preview_url, world.town_id)
    assert "已有这家企业（旧名字）；如要用本行更新它，请选择“更新已有企业”" in html
    html = staff_client.get(f"{preview_url}?org={world.town_id}&update=1").get_data(as_text=True)
    assert 'data-count="update">1<' in html and 'data-count="create">3<' in html
    assert _hidden(html)["update"] == "1"
    staff_client.post(preview_url + "/apply", data=_hidden(html))
    with app.app_context():
        names = set(db.session.scalars(sa.select(Company.name)))
    assert names == {row[0] for row in ROWS}


def test_uploads_that_cannot_be_read(app: Flask, staff_client: FlaskClient, world: World):
    response = _upload(staff_client, b"\xd0\xcf\x11\xe0", "a.xls")
    assert response.status_code == 422
    assert "不支持旧版 Excel（.xls）文件" in response.get_data(as_text=True)
    response = staff_client.post("/admin/companies/import", data={"org": ""})
    assert response.status_code == 422
    assert "请选择要导入的文件" in response.get_data(as_text=True)
    too_big = _upload(staff_client, b"x" * (MAX_UPLOAD_BYTES + 1), "a.csv")
    assert too_big.status_code == 413
    assert "文件太大了，最大 4 MB" in too_big.get_data(as_text=True)
    assert _count(app, ImportDraft) == 0


def test_a_larger_list_than_the_app_wide_limit_uploads(
    app: Flask, staff_client: FlaskClient, world: World
):
    """The app refuses bodies over 16 KB; a company list of a few hundred rows is more."""
    from tests.companies.codes import code

    rows = [
        [f"测试配送站{i:03d}", code("91110115", f"MA{i:06d}"), "外卖配送", *[""] * 9]
        for i in range(600)
    ]
    data = csv_text(HEADINGS, rows).encode("gbk")
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    preview_url = _preview_url(_upload(staff_client, data, "名单.csv", world.town_id))
    html = _preview(staff_client, preview_url, world.town_id)
    assert 'data-count="create">600<' in html


def test_a_draft_is_its_uploaders_alone(app: Flask, client: FlaskClient, auth, world: World):
    auth.login("staff")
    preview_url = _preview_url(_upload(client, xlsx_bytes(), "名单.xlsx", world.town_id))
    auth.logout()
    auth.login("district")  # sees 瀛海镇's data, but not a colleague's upload
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url + "/apply", data={}).status_code == 404
    assert client.post(preview_url + "/cancel").status_code == 404
    assert client.get(f"/admin/companies/import/{uuid.uuid4()}").status_code == 404
    auth.logout()
    auth.login("staff")
    assert client.post(preview_url + "/cancel").headers["Location"] == "/admin/companies"
    assert _count(app, ImportDraft) == 0
