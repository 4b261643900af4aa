"""发布知识库 pages: who may use them, progress, errors, rollback, and the content zip."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import AuditEvent
from kiosk.publishing import lock, sites
from tests.conftest import World
from tests.publishing.conftest import app, content, make_build  # noqa: F401 - fixtures

OLD, NEW = "20261201T010000-aaaaaa", "20261202T010000-bbbbbb"

ROUTES = [
    ("GET", "/admin/content/publish"),
    ("GET", "/admin/content/publish/status.json"),
    ("POST", "/admin/content/publish"),
    ("POST", "/admin/content/publish/rollback"),
    ("POST", f"/admin/content/sites/{OLD}/switch"),
    ("GET", "/admin/content/export.zip"),
    ("POST", "/admin/content/import"),
]


def sites_dir(app: Flask) -> Path:  # noqa: F811
    return Path(app.config["SITES_DIR"])


@pytest.fixture
def two_builds(app: Flask) -> None:  # noqa: F811
    """An older build and the served newer one, made by hand (no generator run)."""
    make_build(sites_dir(app), OLD, "旧的网站", by="admin", site_url="http://kiosk.test/kb/")
    new = make_build(sites_dir(app), NEW, "新的网站", by="admin", site_url="http://kiosk.test/kb/")
    sites.switch(sites_dir(app), new)


def actions(app: Flask) -> list[str]:  # noqa: F811
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_is_sent_to_login(client: FlaskClient, method: str, url: str) -> None:
    response = client.open(url, method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


@pytest.mark.parametrize("username", ["staff", "district", "outsider"])
@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_staff_who_are_not_admins_get_403(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    auth,
    world: World,
    two_builds: None,
    username: str,
    method: str,
    url: str,
) -> None:
    auth.login(username)
    assert client.open(url, method=method).status_code == 403
    assert sites.current(sites_dir(app)).id == NEW
    assert not lock.is_held(sites_dir(app))


def test_the_page_before_anything_is_published(client: FlaskClient, auth, world: World) -> None:
    auth.login("admin")
    page = client.get("/admin/content/publish")
    assert page.status_code == 200
    assert "还没有发布过。点“发布”生成第一版网站。" in page.text
    assert 'id="rollback-button"' not in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get("/admin/content/publish/status.json").json == {}


def test_the_page_lists_builds_and_marks_the_served_one(
    client: FlaskClient, auth, world: World, two_builds: None
) -> None:
    auth.login("admin")
    page = client.get("/admin/content/publish").text
    assert "2026-12-01 10:00 发布（admin）" in page
    assert page.count("正在使用") == 1
    assert f"/admin/content/sites/{OLD}/switch" in page
    assert f"/admin/content/sites/{NEW}/switch" not in page
    assert 'id="rollback-button"' in page


def test_rollback_is_one_action_and_is_audited(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    auth,
    world: World,
    two_builds: None,
) -> None:
    auth.login("admin")
    response = client.post("/admin/content/publish/rollback")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/content/publish"
    assert sites.current(sites_dir(app)).id == OLD
    assert client.get("/kb/").text == "<h1>旧的网站</h1>"
    shown = client.get(response.headers["Location"]).text
    assert "已换回2026-12-01 10:00 发布的那一版网站" in shown
    again = client.post("/admin/content/publish/rollback", follow_redirects=True)
    assert "没有可以换回的上一版网站" in again.text
    assert client.post(f"/admin/content/sites/{NEW}/switch").status_code == 303
    assert client.get("/kb/").text == "<h1>新的网站</h1>"
    missing = client.post("/admin/content/sites/nope/switch", follow_redirects=True)
    assert "找不到这一版网站" in missing.text
    assert actions(app)[-2:] == ["kb_switch", "kb_switch"]


def test_publish_refused_while_another_runs(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    auth,
    world: World,
    two_builds: None,
) -> None:
    auth.login("admin")
    with lock.PublishLock(sites_dir(app)):
        response = client.post("/admin/content/publish", follow_redirects=True)
        assert "正在发布，请等这一次完成后再试" in response.text
        back = client.post("/admin/content/publish/rollback", follow_redirects=True)
        assert "正在发布" in back.text
    assert sites.current(sites_dir(app)).id == NEW
    assert "kb_publish" not in actions(app)


def wait_for_publish(app: Flask, seconds: float = 300) -> None:  # noqa: F811
    deadline = time.monotonic() + seconds
    while lock.is_held(sites_dir(app)) and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_failed_publish_shows_the_errors_in_chinese_and_keeps_the_site(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    auth,
    world: World,
    two_builds: None,
    content: Path,  # noqa: F811
) -> None:
    page = content / "benefits" / "health-check.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("type: benefit", "type: 权益"), encoding="utf-8")
    auth.login("admin")
    response = client.post("/admin/content/publish")
    assert response.status_code == 303
    wait_for_publish(app)
    status = client.get("/admin/content/publish/status.json").json
    assert status["state"] == "failed" and status["by"] == "admin"
    shown = client.get("/admin/content/publish").text
    assert "上次发布没有成功，读者看到的还是原来的网站" in shown
    assert "请先改好这些问题，再发布：" in shown
    assert "benefits/health-check.md:" in shown
    assert '<li class="step failed">检查内容' in shown
    assert sites.current(sites_dir(app)).id == NEW
    assert actions(app)[-1] == "kb_publish"


def test_a_run_left_running_by_a_dead_process_shows_as_interrupted(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    auth,
    world: World,
) -> None:
    from kiosk.publishing import progress

    progress.Tracker(sites_dir(app), progress.Progress(trigger="cli")).begin("building")
    auth.login("admin")
    assert client.get("/admin/content/publish/status.json").json["state"] == "interrupted"
    assert "上次发布中断了" in client.get("/admin/content/publish").text


def test_export_then_import_the_content(
    app: Flask,  # noqa: F811
    client: FlaskClient,
    auth,
    world: World,
    content: Path,  # noqa: F811
) -> None:
    auth.login("admin")
    exported = client.get("/admin/content/export.zip")
    assert exported.status_code == 200
    assert exported.mimetype == "application/zip"
    assert exported.headers["Content-Disposition"].startswith('attachment; filename="kb-content-')
    assert "docs/index.md" in zipfile.ZipFile(io.BytesIO(exported.data)).namelist()
    (content / "faq.md").write_text("改坏了", encoding="utf-8")
    response = client.post(
        "/admin/content/import",
        data={"file": (io.BytesIO(exported.data), "kb-content.zip")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "原来的内容已备份" in response.text
    assert (content / "faq.md").read_text(encoding="utf-8") != "改坏了"
    assert actions(app)[-2:] == ["content_export", "content_import"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "请选择要导入的 zip 压缩包"),
        (b"not a zip", "这不是 zip 压缩包"),
        (b"0" * (21 * 1024 * 1024), "文件太大了，最大 20 MB"),
    ],
)
def test_a_bad_import_changes_nothing(
    client: FlaskClient,
    auth,
    world: World,
    content: Path,  # noqa: F811
    upload: bytes | None,
    message: str,
) -> None:
    before = (content / "faq.md").read_text(encoding="utf-8")
    data = {} if upload is None else {"file": (io.BytesIO(upload), "content.zip")}
    auth.login("admin")
    response = client.post(
        "/admin/content/import",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert message in response.text
    assert (content / "faq.md").read_text(encoding="utf-8") == before
