"""网站内容 · data files: stations and local details through forms, checked by the rules
`kb check` uses; nothing is written until they pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.kb import files
from tests.admin.content_support import copy_docs, make_content_editor, revisions_of
from tests.conftest import AuthActions, World

STATION = {
    "s-0-name": "瀛海镇小哥户外暖心驿站",
    "s-0-organisation": "瀛海镇总工会",
    "s-0-address": "",
    "s-0-hours": "每天 8:00–20:00",
    "s-0-map_url": "",
    "s-0-note": "",
}


@pytest.fixture
def docs(app: Flask, tmp_path: Path) -> Path:
    return copy_docs(app, tmp_path)


@pytest.fixture
def editor(app: Flask, client: FlaskClient, auth: AuthActions, world: World, docs: Path):
    make_content_editor(app)
    assert auth.login("staff").status_code == 302
    return client


def _base(docs: Path, name: str) -> str:
    return files.sha((docs / "data" / name).read_text(encoding="utf-8"))


def test_adding_a_station_keeps_the_file_comments(app, editor, docs):
    data = {
        **STATION,
        "base_sha": _base(docs, "stations.yml"),
        "s-0-facilities": ["休息区", "饮用水"],
    }
    response = editor.post("/admin/content/data/stations", data=data)
    assert response.status_code == 302
    text = (docs / "data" / "stations.yml").read_text(encoding="utf-8")
    assert text.startswith("# 服务站点：暖心驿站、工会服务站、职工书屋等可以去的地方。\n")
    assert text.endswith(
        "stations:\n"
        "  - name: 瀛海镇小哥户外暖心驿站\n"
        "    organisation: 瀛海镇总工会\n"
        "    hours: 每天 8:00–20:00\n"
        "    facilities: [休息区, 饮用水]\n"
    )
    assert [r.action for r in revisions_of(app, "data/stations.yml")] == ["baseline", "edit"]
    page = editor.get("/admin/content/data/stations").get_data(as_text=True)
    assert 'value="瀛海镇小哥户外暖心驿站"' in page and "第 1 个站点" in page


def test_deleting_a_station(editor, docs):
    editor.post(
        "/admin/content/data/stations", data={**STATION, "base_sha": _base(docs, "stations.yml")}
    )
    data = {**STATION, "s-0-delete": "1", "base_sha": _base(docs, "stations.yml")}
    assert editor.post("/admin/content/data/stations", data=data).status_code == 302
    assert (docs / "data" / "stations.yml").read_text(encoding="utf-8").endswith("\nstations: []\n")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"s-0-hours": ""}, "s-0-hours", "站点“瀛海镇小哥户外暖心驿站”没有开放时间（hours）"),
        ({"s-0-organisation": ""}, "s-0-organisation", "第 1 个站点缺少所属单位（organisation）"),
        ({"s-0-name": ""}, "s-0-name", "第 1 个站点缺少名称（name）"),
        (
            {"s-0-map_url": "amap.com/x"},
            "s-0-map_url",
            "站点“瀛海镇小哥户外暖心驿站”的地图链接要以 http:// 或 https:// 开头",
        ),
    ],
)
def test_station_errors_are_shown_on_their_field(app, editor, docs, changes, field, message):
    before = (docs / "data" / "stations.yml").read_text(encoding="utf-8")
    data = {**STATION, **changes, "base_sha": _base(docs, "stations.yml")}
    response = editor.post("/admin/content/data/stations", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # The message sits inside the field it concerns, and what was typed is still there.
    field_html = html.split(f'id="{field}"', 1)[1].split("</div>", 1)[0]
    assert f'<p class="error">{message}</p>' in field_html
    assert "还没有保存" in html
    assert (docs / "data" / "stations.yml").read_text(encoding="utf-8") == before
    assert revisions_of(app, "data/stations.yml") == []


LOCAL = {
    "union_name": "瀛海镇总工会",
    "phone": "",
    "address": "",
    "hours": "",
    "wechat": "",
    "deletion_contact": "",
    "retention_days": "365",
}


@pytest.mark.parametrize(
    "phone", ["010-12345678", "13800138000", "12351", "400-810-1234", "(010) 6512 3456"]
)
def test_local_details_accept_real_phone_numbers(editor, docs, phone):
    data = {**LOCAL, "phone": phone, "base_sha": _base(docs, "local.yml")}
    assert editor.post("/admin/content/data/local", data=data).status_code == 302
    text = (docs / "data" / "local.yml").read_text(encoding="utf-8")
    assert "# 咨询电话，读者可以直接拨打的号码。\n" in text  # comments stay
    assert "union_name: 瀛海镇总工会\n" in text
    assert f"phone: {phone}\n" in text or f"phone: '{phone}'\n" in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "123"}, "phone", "咨询电话“123”不像能拨打的号码"),
        ({"phone": "请打热线"}, "phone", "咨询电话“请打热线”不像能拨打的号码"),
        ({"phone": "1380013800"}, "phone", "不像能拨打的号码"),
        (
            {"retention_days": "一年"},
            "retention_days",
            "retention_days 必须是正整数（天数），例如 365",
        ),
        ({"retention_days": "0"}, "retention_days", "retention_days 必须是正整数"),
    ],
)
def test_local_detail_errors(editor, docs, changes, field, message):
    before = (docs / "data" / "local.yml").read_text(encoding="utf-8")
    data = {**LOCAL, **changes, "base_sha": _base(docs, "local.yml")}
    response = editor.post("/admin/content/data/local", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html.split(f'id="{field}"', 1)[1].split("</div>", 1)[0]
    assert f'value="{changes[field]}"' in html
    assert (docs / "data" / "local.yml").read_text(encoding="utf-8") == before


def test_a_data_file_changed_meanwhile_is_a_conflict(editor, docs):
    base = _base(docs, "local.yml")
    assert (
        editor.post("/admin/content/data/local", data={**LOCAL, "base_sha": base}).status_code
        == 302
    )
    saved = (docs / "data" / "local.yml").read_text(encoding="utf-8")
    response = editor.post(
        "/admin/content/data/local",
        data={**LOCAL, "union_name": "西红门镇总工会", "base_sha": base},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert '<span class="del">-union_name: 瀛海镇总工会</span>' in html
    assert 'value="西红门镇总工会"' in html
    assert (docs / "data" / "local.yml").read_text(encoding="utf-8") == saved


def test_data_file_history_and_restore(app, editor, docs):
    original = (docs / "data" / "local.yml").read_text(encoding="utf-8")
    editor.post("/admin/content/data/local", data={**LOCAL, "base_sha": _base(docs, "local.yml")})
    baseline = revisions_of(app, "data/local.yml")[0]
    assert "原有内容" in editor.get("/admin/content/history/data/local.yml").get_data(as_text=True)
    response = editor.post(f"/admin/content/revisions/{baseline.id}/restore")
    assert response.headers["Location"] == "/admin/content/history/data/local.yml"
    assert (docs / "data" / "local.yml").read_text(encoding="utf-8") == original


def _groups(docs: Path) -> tuple[list[str], str]:
    from kiosk.kb.data_files import synonyms_rows

    groups, ignore = synonyms_rows((docs / "data" / "synonyms.yml").read_text(encoding="utf-8"))
    return ["、".join(g) for g in groups], "、".join(ignore)


def test_synonyms_round_trip_unchanged_and_a_new_group(app, editor, docs):
    original = (docs / "data" / "synonyms.yml").read_text(encoding="utf-8")
    groups, ignore = _groups(docs)
    assert 'value="互助卡、京卡、工会卡' in editor.get("/admin/content/data/synonyms").get_data(
        as_text=True
    )
    data = {"group": [*groups, "外卖箱，餐箱 保温箱", ""], "ignore": ignore}
    data["base_sha"] = _base(docs, "synonyms.yml")
    assert editor.post("/admin/content/data/synonyms", data=data).status_code == 302
    text = (docs / "data" / "synonyms.yml").read_text(encoding="utf-8")
    assert text == original.replace(
        "  - [法律咨询, 律师, 法律援助, 法律帮助]\n",
        "  - [法律咨询, 律师, 法律援助, 法律帮助]\n  - [外卖箱, 餐箱, 保温箱]\n",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("车祸、交通事故", "“车祸”已经在第 2 组里，同一个词只能写一次"),
        ("孤词", "第 19 组只有 1 个词，每组至少两个"),
    ],
)
def test_synonym_errors_are_shown_on_their_group(editor, docs, line, message):
    before = (docs / "data" / "synonyms.yml").read_text(encoding="utf-8")
    groups, ignore = _groups(docs)
    data = {"group": [*groups, line], "ignore": ignore, "base_sha": _base(docs, "synonyms.yml")}
    response = editor.post("/admin/content/data/synonyms", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html.split('id="group-18"', 1)[1].split("</div>", 1)[0]
    assert (docs / "data" / "synonyms.yml").read_text(encoding="utf-8") == before
