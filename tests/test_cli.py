"""The operations commands: organisations, sites, sessions, staff accounts, demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Site, StaffUser
from kiosk.models.outreach import CODE_ALPHABET, CODE_LENGTH


def invoke(runner, *args: str):
    return runner.invoke(args=list(args))


def test_org_site_session_create(app: Flask, runner) -> None:
    assert invoke(runner, "org", "create", "大兴区总工会", "--level", "district").exit_code == 0
    result = invoke(
        runner,
        "org",
        "create",
        "高米店街道总工会",
        "--level",
        "subdistrict",
        "--parent",
        "大兴区总工会",
    )
    assert result.exit_code == 0 and "高米店街道总工会" in result.output
    assert invoke(runner, "site", "create", "首航超市", "--org", "高米店街道总工会").exit_code == 0

    result = invoke(
        runner,
        "session", "create", "高米店街道职工沟通会",
        "--org", "高米店街道总工会",
        "--site", "首航超市",
        "--start", "2026-11-26T11:00",
        "--end", "2026-11-26T13:00",
        "--open",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)

    with app.app_context():
        town = db.session.scalar(sa.select(Organisation).where(Organisation.level == "subdistrict"))
        assert town is not None and town.parent is not None and town.parent.name == "大兴区总工会"
        session = db.session.scalar(sa.select(OutreachSession).where(OutreachSession.code == code))
        assert session is not None and session.status == "open" and session.kind == "worker"
        assert session.site is not None and session.site.name == "首航超市"
        # Staff type Beijing time; it is stored as UTC.
        assert session.starts_at == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("org", "create", "某工会", "--level", "district", "--parent", "无"), "找不到工会组织"),
        (("site", "create", "某点位", "--org", "不存在"), "找不到工会组织"),
        (
            ("session", "create", "T", "--org", "大兴区总工会", "--start", "2026-11-26T13:00",
             "--end", "2026-11-26T11:00"),
            "结束时间必须晚于开始时间",
        ),
        (
            ("session", "create", "T", "--org", "大兴区总工会", "--start", "tomorrow",
             "--end", "2026-11-26T11:00"),
            "时间格式应为",
        ),
        (
            ("session", "create", "T", "--org", "大兴区总工会", "--site", "不存在",
             "--start", "2026-11-26T11:00", "--end", "2026-11-26T13:00"),
            "找不到点位",
        ),
    ],
)  # fmt: skip
def test_clear_errors(runner, args: tuple[str, ...], message: str) -> None:
    invoke(runner, "org", "create", "大兴区总工会", "--level", "district")
    result = invoke(runner, *args)
    assert result.exit_code != 0
    assert message in result.output


def test_demo_is_idempotent_and_prints_what_to_type(app: Flask, runner) -> None:
    first = invoke(runner, "demo")
    second = invoke(runner, "demo")
    assert first.exit_code == 0 and second.exit_code == 0
    assert "编号" in first.output and "admin / " in first.output and "yinghai / " in first.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutreachSession.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(Site.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(StaffUser.id))) == 2
        session = db.session.scalar(sa.select(OutreachSession))
        assert session is not None and session.status == "open"


def test_console_script_is_the_flask_cli() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["union-kiosk"] == "kiosk.cli:main"


def test_console_script_loads_the_app(tmp_path: Path) -> None:
    """`union-kiosk` finds create_app by its import path and lists the app's own commands."""
    script = Path(sys.executable).with_name("union-kiosk")
    result = subprocess.run(
        [script, "--help"],
        env={**os.environ, "KIOSK_INSTANCE_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line}
    assert listed >= {"serve", "demo", "org", "site", "user", "session", "schedule", "purge"}
