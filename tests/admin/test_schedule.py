"""`flask --app kiosk schedule export`: the exact YAML the knowledge base reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from flask import Flask

from kiosk.admin.schedule import HEADER, render, scalar, upcoming
from kiosk.extensions import db
from kiosk.models import OutreachSession, Site
from tests.conftest import World


def _plan(app: Flask, world: World) -> None:
    with app.app_context():
        db.session.get(OutreachSession, world.session_id).status = "closed"  # excluded
        db.session.get(Site, world.site_id).address = None
        db.session.add_all(
            [
                OutreachSession(
                    title="瀛海镇总工会职工沟通会",
                    kind="worker",
                    organisation_id=world.town_id,
                    site_id=world.site_id,
                    starts_at=datetime(2099, 11, 26, 3, 0, tzinfo=UTC),
                    ends_at=datetime(2099, 11, 26, 5, 0, tzinfo=UTC),
                ),
                OutreachSession(
                    title="西红门镇: 企业沟通会",
                    kind="enterprise",
                    organisation_id=world.other_town_id,
                    starts_at=datetime(2099, 11, 20, 1, 30, tzinfo=UTC),
                    ends_at=datetime(2099, 11, 20, 3, 0, tzinfo=UTC),
                ),
                OutreachSession(  # ended: excluded
                    title="过去的",
                    kind="worker",
                    organisation_id=world.town_id,
                    starts_at=datetime(2020, 1, 1, tzinfo=UTC),
                    ends_at=datetime(2020, 1, 1, 2, tzinfo=UTC),
                ),
            ]
        )
        # The world's other session ends in three hours: still upcoming, so it is listed.
        db.session.get(OutreachSession, world.other_session_id).status = "closed"
        db.session.commit()


EXPECTED = (
    HEADER
    + """
sessions:
  - kind: 企业沟通会
    title: "西红门镇: 企业沟通会"
    organisation: 西红门镇总工会
    site: null
    address: null
    start: 2099-11-20T09:30:00+08:00
    end: 2099-11-20T11:00:00+08:00
  - kind: 职工沟通会
    title: 瀛海镇总工会职工沟通会
    organisation: 瀛海镇总工会
    site: 首航超市
    address: null
    start: 2099-11-26T11:00:00+08:00
    end: 2099-11-26T13:00:00+08:00
"""
)


def test_export_prints_and_changes_no_file(app: Flask, runner, world: World, tmp_path: Path):
    app.config["DOCS_DIR"] = str(tmp_path / "docs")
    _plan(app, world)
    result = runner.invoke(args=["schedule", "export"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text == EXPECTED
    assert not (tmp_path / "docs").exists()
    data = yaml.safe_load(text)
    assert data["sessions"][1]["start"] == datetime(
        2099, 11, 26, 11, 0, tzinfo=data["sessions"][1]["start"].tzinfo
    )
    assert data["sessions"][1]["start"].utcoffset() == timedelta(hours=8)


def test_open_sessions_public_notes_and_the_calendar(app: Flask, world: World) -> None:
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.public_note = "北京银行工作人员到场办卡"
        db.session.get(OutreachSession, world.other_session_id).status = "closed"
        db.session.commit()
        text = render(upcoming(), "http://kiosk.test/calendar/sessions.ics")
    assert text.startswith(HEADER + '\ncalendar: "http://kiosk.test/calendar/sessions.ics"\n')
    data = yaml.safe_load(text)
    assert data["calendar"] == "http://kiosk.test/calendar/sessions.ics"
    [only] = data["sessions"]
    assert only["open"] is True
    assert only["note"] == "北京银行工作人员到场办卡"
    assert text.endswith("    open: true\n    note: 北京银行工作人员到场办卡\n")


def test_export_to_output_when_nothing_is_planned(app: Flask, runner, world: World, tmp_path):
    with app.app_context():
        for session in db.session.scalars(sa.select(OutreachSession)):
            session.status = "closed"
        db.session.commit()
    target = tmp_path / "out.yml"
    assert runner.invoke(args=["schedule", "export", "--output", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == HEADER + "\nsessions: []\n"
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == {"sessions": []}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("首航超市", "首航超市"),
        ("a: b", '"a: b"'),
        ("null", '"null"'),
        ("- x", '"- x"'),
        ("2026", '"2026"'),
        ("#1", '"#1"'),
        ("", '""'),
        (None, "null"),
    ],
)
def test_scalar_round_trips(value, expected):
    assert scalar(value) == expected
    assert yaml.safe_load(f"k: {scalar(value)}")["k"] == value
