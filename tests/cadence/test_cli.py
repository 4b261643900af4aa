"""The stable commands: cadence, report month, plan month, session create/cancel."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.models import AuditEvent, OutreachSession
from tests.cadence.conftest import add_session
from tests.conftest import World

KEYS = [
    "org",
    "level",
    "worker_held",
    "worker_required",
    "enterprise_held",
    "enterprise_required",
    "district_session",
    "status",
]


def run(runner, *args: str):
    return runner.invoke(args=list(args))


def test_cadence_json(app: Flask, runner, world: World) -> None:
    code = add_session(app, world.town_id, "worker", datetime(2026, 3, 3, 14), status="closed")
    result = run(runner, "cadence", "--month", "2026-03", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["org"]: row for row in json.loads(result.output)}
    town = rows["瀛海镇总工会"]
    assert list(town)[:8] == KEYS
    assert (town["worker_held"], town["worker_required"], town["status"]) == (1, 4, "missed")
    assert town["district_session"] is None and town["sessions"]["worker"] == [code]
    assert rows["大兴区总工会"]["district_session"] is False
    # Shortfalls first: every union missed March 2026; the bigger gaps come first.
    assert [r["status"] for r in json.loads(result.output)] == ["missed"] * 3


def test_cadence_for_one_union_and_its_subtree(app: Flask, runner, world: World) -> None:
    result = run(
        runner, "cadence", "--month", "2026-03", "--org", "大兴区总工会", "--format", "json"
    )
    assert len(json.loads(result.output)) == 3
    result = run(runner, "cadence", "--month", "2026-03", "--org", "瀛海镇总工会")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "2026年3月 月度达标",
        "瀛海镇总工会\t职工 0/4\t企业 0/2\t区级 不要求\t未达标",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cadence", "--month", "2026-13"], "月份格式应为 YYYY-MM"),
        (["cadence", "--month", "2026-03", "--org", "无此工会"], "找不到工会组织：无此工会"),
        (["report", "month", "--org", "瀛海镇总工会", "--month", "2026-03", "--format", "xlsx"],
         "需要 --output"),
    ],
)  # fmt: skip
def test_bad_arguments(runner, world: World, args: list[str], message: str) -> None:
    result = run(runner, *args)
    assert result.exit_code != 0 and message in result.output


def test_report_month_formats(app: Flask, runner, world: World, tmp_path: Path) -> None:
    base = ["report", "month", "--org", "大兴区总工会", "--month", "2026-03"]
    data = json.loads(run(runner, *base, "--subtree").output)
    assert data["org"] == "大兴区总工会" and data["subtree"] is True and len(data["unions"]) == 3
    assert data["summary"].startswith("2026年3月，大兴区总工会及下属2个工会已召开0场")
    xlsx = tmp_path / "r.xlsx"
    assert run(runner, *base, "--format", "xlsx", "--output", str(xlsx)).exit_code == 0
    assert load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames[0] == "概况"
    html = tmp_path / "r.html"
    assert run(runner, *base, "--format", "html", "--output", str(html)).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "@page { size: A4" in text


PATTERN = """\
sessions:
  - kind: worker
    weekday: 2
    start: "14:00"
    end: "17:00"
    site: 首航超市
  - kind: enterprise
    weekday: 3
    weeks: [2, 4]
    start: "09:30"
    end: "11:30"
"""


def test_plan_month(app: Flask, runner, world: World, tmp_path: Path) -> None:
    pattern = tmp_path / "plan.yml"
    pattern.write_text(PATTERN, encoding="utf-8")
    base = [
        "plan",
        "month",
        "--org",
        "瀛海镇总工会",
        "--month",
        "2031-04",
        "--pattern",
        str(pattern),
    ]
    dry = run(runner, *base, "--dry-run")
    assert dry.exit_code == 0, dry.output
    planned = json.loads(dry.output)
    assert [p["start"] for p in planned][:2] == [
        "2031-04-01T14:00:00+08:00",
        "2031-04-08T14:00:00+08:00",
    ]
    assert len(planned) == 7
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutreachSession.id))) == 2  # dry run
    first = run(runner, *base)
    assert first.output.splitlines()[0] == "已创建 7 场，已有 0 场未重复创建"
    second = run(runner, *base)
    assert second.output.splitlines() == ["已创建 0 场，已有 7 场未重复创建"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutreachSession.id))) == 9


def test_plan_month_refuses_a_bad_pattern(runner, world: World, tmp_path: Path) -> None:
    pattern = tmp_path / "plan.yml"
    pattern.write_text(PATTERN.replace("weekday: 2", "weekday: 9"), encoding="utf-8")
    plan = [
        "plan",
        "month",
        "--org",
        "瀛海镇总工会",
        "--month",
        "2031-04",
        "--pattern",
        str(pattern),
    ]
    result = run(runner, *plan)
    assert result.exit_code == 1 and "排期模板有误：第 1 条：星期应为 1–7" in result.output
    pattern.write_text("sessions: [unclosed", encoding="utf-8")
    result = run(runner, *plan)
    assert result.exit_code == 1 and "排期模板有误" in result.output


def _create(runner, *extra: str):
    return run(
        runner,
        "session", "create", "瀛海镇职工沟通会", "--org", "瀛海镇总工会",
        "--start", "2031-04-01T14:00", "--end", "2031-04-01T16:00", *extra,
    )  # fmt: skip


def test_session_create_cancelled_with_a_reason(app: Flask, runner, world: World) -> None:
    result = _create(runner, "--status", "cancelled", "--reason", "暴雨停办")
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == result.output.strip())
        )
        assert (session.status, session.cancel_reason) == ("cancelled", "暴雨停办")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--status", "cancelled"], "--reason 只能、也必须与 --status cancelled 一起使用"),
        (["--reason", "雨"], "--reason 只能、也必须与 --status cancelled 一起使用"),
        (["--status", "cancelled", "--reason", "  "], "请填写取消原因"),
        (["--status", "planned", "--open"], "--open 与 --status 不能同时使用"),
    ],
)
def test_session_create_refuses(runner, world: World, extra: list[str], message: str) -> None:
    result = _create(runner, *extra)
    assert result.exit_code == 2 and message in result.output


def test_session_cancel(app: Flask, runner, world: World) -> None:
    result = run(runner, "session", "cancel", world.session_code, "--reason", "场地临时不能用")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"已取消：瀛海镇职工沟通会（{world.session_code}）"
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        assert session.status == "cancelled" and session.closed_at is not None
        assert db.session.scalar(
            sa.select(AuditEvent.detail).where(AuditEvent.action == "session_cancel")
        ) == {"session": world.session_code}
    again = run(runner, "session", "cancel", world.session_code, "--reason", "再取消")
    assert again.exit_code == 1 and "这场沟通会已经取消了" in again.output
    missing = run(runner, "session", "cancel", "nosuchcode", "--reason", "x")
    assert missing.exit_code == 1 and "找不到沟通会：nosuchcode" in missing.output
