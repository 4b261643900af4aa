"""The month's rows from the database: scope, quotas, overrides and the district session."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from kiosk.cadence import quotas, tally
from kiosk.cadence.months import Month
from kiosk.extensions import db
from kiosk.models import Organisation, StaffUser
from tests.cadence.conftest import add_session
from tests.conftest import World

NOV = Month(2026, 11)
AFTER = datetime(2026, 12, 5, tzinfo=UTC)  # November is over
DURING = datetime(2026, 11, 16, 4, tzinfo=UTC)


def rows(app: Flask, scope, now=DURING, month=NOV) -> dict[str, object]:
    with app.app_context():
        return {row.org: row for row in tally.month_rows(month, scope, now)}


def test_every_union_in_scope_with_its_level_quota(app: Flask, world: World) -> None:
    found = rows(app, None)
    assert set(found) == {"大兴区总工会", "瀛海镇总工会", "西红门镇总工会"}
    town = found["瀛海镇总工会"]
    assert (town.worker.required, town.enterprise.required, town.district_session) == (4, 2, None)
    district = found["大兴区总工会"]
    assert (district.worker.required, district.quota.district_session) == (0, True)


def test_a_town_sees_only_itself(app: Flask, world: World) -> None:
    assert list(rows(app, {world.town_id})) == ["瀛海镇总工会"]
    assert rows(app, set()) == {}


def test_held_counts_only_the_unions_own_sessions_in_the_month(app: Flask, world: World) -> None:
    for day in (3, 10, 17, 24):
        add_session(app, world.town_id, "worker", datetime(2026, 11, day, 14), status="closed")
    add_session(app, world.town_id, "worker", datetime(2026, 10, 31, 23, 30))  # October
    add_session(app, world.other_town_id, "worker", datetime(2026, 11, 5, 14))
    add_session(app, world.town_id, "enterprise", datetime(2026, 11, 11, 10), status="closed")
    add_session(
        app,
        world.town_id,
        "enterprise",
        datetime(2026, 11, 25, 10),
        status="cancelled",
        reason="雨",
    )
    town = rows(app, None, AFTER)["瀛海镇总工会"]
    assert len(town.worker.held) == 4
    assert (len(town.enterprise.held), len(town.enterprise.cancelled)) == (1, 1)
    assert town.status == "missed"
    assert rows(app, None, AFTER)["西红门镇总工会"].status == "missed"


def test_district_session_in_the_district_counts_for_the_district(app: Flask, world: World) -> None:
    # Hosted by a town on the third Thursday (19 Nov): the district's session all the same.
    code = add_session(app, world.town_id, "district", datetime(2026, 11, 19, 14), status="closed")
    add_session(app, world.district_id, "district", datetime(2026, 11, 12, 14), status="closed")
    found = rows(app, None)
    assert found["大兴区总工会"].district.held == [code]
    assert found["大兴区总工会"].district_session is True
    assert found["大兴区总工会"].status == "met"


def test_overrides_and_level_quotas(app: Flask, world: World) -> None:
    with app.app_context():
        admin = db.session.query(StaffUser).filter_by(username="admin").one()
        quotas.save(quotas.Required(2, 1, True), admin, level="subdistrict")
        quotas.save(quotas.Required(8, 0, False), admin, organisation_id=world.other_town_id)
        db.session.commit()
        assert quotas.for_level("subdistrict").source == "level"
    found = rows(app, None)
    town, other = found["瀛海镇总工会"], found["西红门镇总工会"]
    assert (town.worker.required, town.enterprise.required, town.quota.district_session) == (
        2,
        1,
        True,
    )
    assert town.district_session is False  # required now, and none held
    assert (other.worker.required, other.quota.source) == (8, "organisation")
    with app.app_context():
        assert quotas.remove_override(world.other_town_id)
        db.session.commit()
    assert rows(app, None)["西红门镇总工会"].worker.required == 2


def test_a_union_without_a_district_looks_in_its_own_subtree(app: Flask, world: World) -> None:
    with app.app_context():
        lone = Organisation(name="某产业基地总工会", level="industrial_park")
        db.session.add(lone)
        db.session.commit()
        tree = tally.Tree()
        assert tree.district_of(lone.id) == lone.id
        assert tree.district_of(world.town_id) == world.district_id
        assert tree.below(world.district_id) == {
            world.district_id,
            world.town_id,
            world.other_town_id,
        }


@pytest.mark.parametrize("status", ["met", "on_track", "at_risk", "missed"])
def test_json_shape(app: Flask, world: World, status: str) -> None:
    town = rows(app, {world.town_id})["瀛海镇总工会"]
    town.status = status
    data = tally.as_json(town)
    assert list(data)[:8] == [
        "org",
        "level",
        "worker_held",
        "worker_required",
        "enterprise_held",
        "enterprise_required",
        "district_session",
        "status",
    ]
    assert data["sessions"] == {"worker": [], "enterprise": [], "district": []}
