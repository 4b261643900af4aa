"""The worker's own phone: /s/<code>, the privacy notice, the language toggle."""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app, privacy
from kiosk.extensions import db
from kiosk.models import OutreachSession, Signup
from tests.conftest import World, base_config

ROOT = Path(__file__).resolve().parents[2]


def form_data(client: FlaskClient, code: str, **overrides: object) -> dict:
    page = client.get(f"/s/{code}").text
    data = {
        "id": re.search(r'name="id" value="([^"]+)"', page).group(1),
        "name": "李四",
        "phone": "139 1234 5678",
        "occupation": "food_delivery",
        "employer": "美团",
        "area": "高米店街道",
        "interests": ["legal", "counselling"],
        "consent": "on",
        "consent_version": "2026-11-21",
    }
    data.update(overrides)
    return data


def test_phone_signup_is_stored_once(app: Flask, client: FlaskClient, world: World) -> None:
    data = form_data(client, world.session_code)
    first = client.post(f"/s/{world.session_code}", data=data)
    assert first.status_code == 302
    assert first.headers["Location"] == f"/s/{world.session_code}/thanks"
    # A double tap re-sends the same form, with the same id.
    assert client.post(f"/s/{world.session_code}", data=data).status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(Signup)).all()
        assert len(rows) == 1
        assert rows[0].phone == "13912345678" and rows[0].source == "phone"
        assert rows[0].interests == ["legal", "counselling"]
        assert rows[0].tablet_id is None


def test_errors_are_inline_and_keep_what_was_typed(client: FlaskClient, world: World) -> None:
    data = form_data(client, world.session_code, phone="12345", consent="")
    response = client.post(f"/s/{world.session_code}", data=data)
    assert response.status_code == 422
    assert "手机号应为11位数字，现在是5位" in response.text
    assert "请阅读并同意隐私说明后再提交" in response.text
    assert 'value="李四"' in response.text and 'value="12345"' in response.text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("status", ["closed"])
def test_session_not_open_says_so(
    app: Flask, client: FlaskClient, world: World, status: str
) -> None:
    data = form_data(client, world.session_code)
    with app.app_context():
        db.session.get(OutreachSession, world.session_id).status = status
        db.session.commit()
    page = client.get(f"/s/{world.session_code}")
    assert page.status_code == 403
    assert "这场沟通会现在不接受登记" in page.text and "/kb/" in page.text
    assert client.post(f"/s/{world.session_code}", data=data).status_code == 403


def test_a_session_still_to_come_says_when_and_where(
    app: Flask, client: FlaskClient, world: World
) -> None:
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.status = "planned"
        session.starts_at = datetime(2099, 12, 10, 6, 0, tzinfo=UTC)  # 14:00 in Beijing
        session.ends_at = datetime(2099, 12, 10, 9, 0, tzinfo=UTC)
        session.site.address = "瀛海镇南大红门路1号"
        db.session.commit()
    page = client.get(f"/s/{world.session_code}")
    assert page.status_code == 403
    assert "这场沟通会还没有开始，开始后就可以在这里登记。" in page.text
    assert "2099-12-10 14:00–17:00（北京时间）" in page.text
    assert "首航超市（瀛海镇南大红门路1号）" in page.text


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.upper(),
        lambda code: f" {code[:4]} {code[4:]} ",
        lambda code: "".join(chr(ord(ch) + 0xFEE0) for ch in code.upper()),  # full width: ＫＭ７
        lambda code: f"{code[:5]}-{code[5:]}",
    ],
    ids=["capitals", "spaces", "full-width", "dash"],
)
def test_a_code_is_found_however_it_was_typed(client: FlaskClient, world: World, typed) -> None:
    page = client.get(f"/s/{quote(typed(world.session_code))}")
    assert page.status_code == 200
    assert "提交登记" in page.text


def test_unknown_session_is_404(client: FlaskClient, world: World) -> None:
    assert client.get("/s/doesnotexist").status_code == 404


def test_phone_signups_are_rate_limited_per_address(database_url: str, world: World) -> None:
    from kiosk import create_app
    from kiosk.extensions import limiter
    from tests.conftest import base_config

    limited = create_app(base_config(database_url, RATELIMIT_ENABLED=True))
    limiter.reset()
    client = limited.test_client()
    statuses = [
        client.post(f"/s/{world.session_code}", data={"name": ""}).status_code for _ in range(11)
    ]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
    other_address = client.post(
        f"/s/{world.session_code}", data={"name": ""}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert other_address.status_code == 422


def test_phone_form_needs_a_csrf_token(app: Flask, world: World) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    data = form_data(client, world.session_code)
    assert client.post(f"/s/{world.session_code}", data=data).status_code == 400


def test_privacy_notice_renders_with_its_version(client: FlaskClient, app: Flask) -> None:
    response = client.get("/privacy")
    assert response.status_code == 200
    with app.app_context():
        assert privacy.notice_version() in response.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/privacy", "/privacy"),
        ("//evil.example/", "/kiosk/"),
        ("https://evil.example/", "/kiosk/"),
    ],
)
def test_language_toggle_stays_on_site(client: FlaskClient, target: str, expected: str) -> None:
    response = client.get("/lang/en", query_string={"next": target})
    assert response.headers["Location"] == expected
    assert client.get_cookie("lang").value == "en"


def test_english_locale_translates_the_form(client: FlaskClient, world: World) -> None:
    client.set_cookie("lang", "en")
    page = client.get(f"/s/{world.session_code}").text
    assert "Phone" in page or "phone" in page.lower()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A copy of the notice and its local details, for a union to fill in."""
    docs = tmp_path / "docs"
    (docs / "data").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "privacy.md", docs / "privacy.md")
    shutil.copy(ROOT / "docs" / "data" / "local.yml", docs / "data" / "local.yml")
    return docs


def privacy_page(docs: Path) -> str:
    """/privacy, as tablets and phones show it; it reads files only, never the database."""
    app = create_app(base_config("sqlite://", DOCS_DIR=str(docs)))
    return app.test_client().get("/privacy").text


def test_privacy_notice_names_the_union_and_the_deletion_contact(docs: Path) -> None:
    local = docs / "data" / "local.yml"
    text = local.read_text(encoding="utf-8")
    local.write_text(
        text.replace("union_name: null", "union_name: 某镇总工会").replace(
            "deletion_contact: null", "deletion_contact: 某镇总工会服务站，电话 010-00000000"
        ),
        encoding="utf-8",
    )
    page = privacy_page(docs)
    assert "<li><strong>负责处理登记信息的工会</strong>：某镇总工会</li>" in page
    assert (
        "<li><strong>删除和查询请求请联系</strong>：某镇总工会服务站，电话 010-00000000</li>"
        in page
    )
    assert "kb:" not in page  # every marker was filled in
    assert "本页内容核对日期：2026-12-02" in page  # the sources, as on the site


def test_privacy_notice_without_local_details_says_whom_to_ask(docs: Path) -> None:
    page = privacy_page(docs)
    assert "负责处理登记信息的工会</strong>" not in page
    assert "<strong>删除和查询请求</strong>：请告诉沟通会现场的工会工作人员，或拨打 12351。" in page
    assert "kb:" not in page


def test_privacy_notice_shows_an_edit_of_the_local_details_at_once(docs: Path) -> None:
    app = create_app(base_config("sqlite://", DOCS_DIR=str(docs)))
    client = app.test_client()
    assert "某镇总工会" not in client.get("/privacy").text
    local = docs / "data" / "local.yml"
    local.write_text("union_name: 某镇总工会\n", encoding="utf-8")
    os.utime(local, (1, 1))  # a different modification time, however fast the test runs
    assert "某镇总工会" in client.get("/privacy").text


def test_the_favicon_is_served(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/x-icon" and response.data[:4] == b"\0\0\1\0"
    page = client.get("/privacy").text
    assert '<link rel="icon" href="/static/favicon.svg"' in page
