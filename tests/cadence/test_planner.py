"""Planning a month: preview, idempotent creation, past slots, quota warnings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.cadence import planner
from kiosk.cadence.months import Month
from kiosk.cadence.pattern import PatternError, parse
from kiosk.extensions import db
from kiosk.models import AuditEvent, Organisation, OutreachSession
from tests.cadence.conftest import add_session
from tests.conftest import World

# Far from the `world`'s own session (today), so only these sessions are in the month.
MAR = Month(2027, 3)
BEFORE = datetime(2027, 2, 20, tzinfo=UTC)
WORKER = {"kind": "worker", "weekday": 2, "start": "14:00", "end": "17:00", "site": "首航超市"}
ENTERPRISE = {"kind": "enterprise", "weekday": 3, "weeks": [2, 4], "start": "9:30", "end": "11:30"}


def _plan(app: Flask, org_id: int, *entries: dict, now: datetime = BEFORE) -> planner.Plan:
    org = db.session.get(Organisation, org_id)
    return planner.prepare(org, MAR, parse({"sessions": list(entries)}), now)


def _count(org_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(OutreachSession.organisation_id == org_id)
    )


def test_planning_twice_creates_nothing_twice(app: Flask, world: World) -> None:
    with app.app_context():
        before = _count(world.town_id)
        plan = _plan(app, world.town_id, WORKER, ENTERPRISE)
        assert [line.state for line in plan.lines] == ["new"] * 7
        assert plan.warnings == []
        created = planner.create(plan, None)
        db.session.commit()
        assert len(created) == 7 and _count(world.town_id) == before + 7
        assert created[0].title == "瀛海镇总工会职工沟通会"
        assert created[0].site_id == world.site_id and created[0].status == "planned"
        again = _plan(app, world.town_id, WORKER, ENTERPRISE)
        assert {line.state for line in again.lines} == {"exists"}
        assert planner.create(again, None) == []
        db.session.commit()
        assert _count(world.town_id) == before + 7
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "plan_month"))
        assert [e.detail["created"] for e in events] == [7, 0]


def test_a_cancelled_slot_is_not_planned_again(app: Flask, world: World) -> None:
    add_session(
        app, world.town_id, "worker", datetime(2027, 3, 2, 14), status="cancelled", reason="雨"
    )
    with app.app_context():
        plan = _plan(app, world.town_id, WORKER)
        assert [line.state for line in plan.lines][:2] == ["exists", "new"]


def test_slots_already_started_are_not_created(app: Flask, world: World) -> None:
    with app.app_context():
        plan = _plan(app, world.town_id, WORKER, now=datetime(2027, 3, 10, tzinfo=UTC))
        assert [line.state for line in plan.lines] == ["past", "past", "new", "new", "new"]


def test_warns_below_quota(app: Flask, world: World) -> None:
    entry = dict(WORKER, weeks=[1, 2])
    with app.app_context():
        plan = _plan(app, world.town_id, entry)
    assert plan.warnings == [
        "按此排期，2027年3月职工沟通会共 2 场，少于要求的 4 场",
        "按此排期，2027年3月企业沟通会共 0 场，少于要求的 2 场",
    ]


def test_district_session_warnings(app: Flask, world: World) -> None:
    wrong_day = {"kind": "district", "weekday": 4, "weeks": [2], "start": "14:00", "end": "16:00"}
    with app.app_context():
        plan = _plan(app, world.district_id, wrong_day)
    assert plan.warnings == [
        "按此排期，2027年3月第三个周四（3月18日）没有区级沟通会",
        "3月11日的区级沟通会不在第三个周四，不计入达标",
    ]


def test_a_site_of_another_union_is_refused(app: Flask, world: World) -> None:
    with (
        app.app_context(),
        pytest.raises(PatternError, match="西红门镇总工会没有这些点位：首航超市"),
    ):
        _plan(app, world.other_town_id, WORKER)


def test_dry_run_json(app: Flask, world: World) -> None:
    with app.app_context():
        first = _plan(app, world.town_id, WORKER).as_json()[0]
    assert first == {
        "kind": "worker",
        "title": "瀛海镇总工会职工沟通会",
        "site": "首航超市",
        "start": "2027-03-02T14:00:00+08:00",
        "end": "2027-03-02T17:00:00+08:00",
    }
