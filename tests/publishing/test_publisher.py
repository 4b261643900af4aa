"""A whole publish: check, build into a new folder, switch; failures leave the served site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from kiosk.extensions import db
from kiosk.models import OutreachSession
from kiosk.publishing import progress, sites
from kiosk.publishing.lock import Busy, PublishLock
from kiosk.publishing.progress import STEPS
from kiosk.publishing.publisher import publish
from tests.conftest import World
from tests.publishing.conftest import make_build

SERVED = "20261201T010000-aaaaaa"


def sites_dir(app: Flask) -> Path:
    return Path(app.config["SITES_DIR"])


def serve_fake(app: Flask) -> Path:
    build = make_build(sites_dir(app), SERVED, "原来的网站")
    sites.switch(sites_dir(app), build)
    return build


def test_publish_then_roll_back_from_the_command_line(
    app: Flask, runner, world: World, content: Path
) -> None:
    with app.app_context():
        db.session.get(OutreachSession, world.session_id).public_note = "北京银行工作人员到场办卡"
        db.session.commit()
    client = app.test_client()
    assert client.get("/kb/").status_code == 404

    first = runner.invoke(args=["kb", "publish"])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    steps = [line.split("：")[0] for line in lines if line.split("：")[0] in STEPS.values()]
    assert steps == ["检查内容", "生成网站", "切换网站"]
    assert lines[-1].startswith("已发布：") and lines[-1].endswith("/kb/ 现在是新网站。")
    schedule = client.get("/kb/schedule/").text
    assert "瀛海镇职工沟通会（正在进行）" in schedule
    assert "<strong>现场说明</strong>：北京银行工作人员到场办卡" in schedule
    assert "http://kiosk.test/calendar/sessions.ics" in schedule
    assert '<link rel="canonical" href="http://kiosk.test/kb/schedule/">' in schedule
    # The schedule went into the build's staging folder, not into the content folder.
    assert not (content / "data" / "schedule.yml").exists()

    faq = content / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n新加的一段话。\n", encoding="utf-8")
    second = runner.invoke(args=["kb", "publish"])
    assert second.exit_code == 0, second.output
    assert "新加的一段话。" in client.get("/kb/faq/").text
    assert len(sites.builds(sites_dir(app))) == 2

    back = runner.invoke(args=["kb", "rollback"])
    assert back.exit_code == 0, back.output
    assert "新加的一段话。" not in client.get("/kb/faq/").text
    listed = runner.invoke(args=["kb", "sites"]).output.splitlines()
    assert len(listed) == 2 and listed[1].split()[0].endswith("（正在使用）")
    assert runner.invoke(args=["kb", "rollback"]).output.endswith("没有可以换回的上一版网站\n")


def test_a_failed_build_leaves_the_old_site_and_says_why(
    app: Flask, world: World, content: Path
) -> None:
    """The checker passes it; the theme override has a template error only the build meets."""
    serve_fake(app)
    theme = content / "overrides" / "main.html"
    theme.write_text(theme.read_text(encoding="utf-8") + "{% endblock %}\n", encoding="utf-8")

    result = publish(app, trigger="cli")

    assert result.state == progress.FAILED
    assert [step["name"] for step in result.steps] == ["checking", "building"]
    assert result.errors[-1].startswith("网站没有生成：")
    assert "endblock" in result.errors[-1]
    assert sites.current(sites_dir(app)).id == SERVED
    assert [b.id for b in sites.builds(sites_dir(app))] == [SERVED]
    assert app.test_client().get("/kb/").text == "<h1>原来的网站</h1>"
    status = json.loads((sites_dir(app) / "status.json").read_text(encoding="utf-8"))
    assert status["state"] == "failed" and status["errors"] == result.errors


def test_content_errors_stop_before_building(app: Flask, world: World, content: Path) -> None:
    serve_fake(app)
    page = content / "benefits" / "health-check.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("type: benefit", "type: 权益"), encoding="utf-8")

    result = publish(app, trigger="cli")

    assert result.state == progress.FAILED
    assert [step["name"] for step in result.steps] == ["checking"]
    assert result.errors and result.errors[0].startswith("benefits/health-check.md:")
    assert sites.current(sites_dir(app)).id == SERVED


@pytest.mark.parametrize(
    ("base", "message"),
    [
        (None, "没有设置网站的公开网址"),
        ("http://127.0.0.1:8000", "是本机或内网地址"),
    ],
)
def test_production_refuses_an_address_phones_cannot_open(
    app: Flask, world: World, base: str | None, message: str
) -> None:
    serve_fake(app)
    app.config.update(ENV="production", PUBLIC_BASE_URL=base)
    result = publish(app, trigger="cli")
    assert result.state == progress.FAILED
    assert message in result.errors[0]
    assert sites.current(sites_dir(app)).id == SERVED


def test_a_publish_while_another_runs_is_refused(app: Flask, runner, world: World) -> None:
    serve_fake(app)
    with PublishLock(sites_dir(app)):
        with pytest.raises(Busy):
            publish(app, trigger="cli")
        result = runner.invoke(args=["kb", "publish"])
    assert result.exit_code == 1
    assert "正在发布，请等这一次完成后再试" in result.output
    assert progress.latest(sites_dir(app)) is None
