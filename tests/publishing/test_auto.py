"""The schedule publishes itself once sessions have stopped changing for the set delay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from kiosk import periodic
from kiosk.extensions import db
from kiosk.models import OutreachSession
from kiosk.publishing import auto, progress, sites
from kiosk.publishing.publisher import schedule_data
from tests.conftest import World
from tests.publishing.conftest import make_build

CALENDAR = "http://kiosk.test/calendar/sessions.ics"


def serve_with_fingerprint(app: Flask) -> None:
    """A served build that shows the schedule as the database holds it now."""
    folder = Path(app.config["SITES_DIR"])
    with app.app_context():
        fingerprint = schedule_data(CALENDAR).fingerprint
    build = make_build(folder, "20261201T010000-aaaaaa", "站", fingerprint=fingerprint)
    sites.switch(folder, build)


def is_due(app: Flask, pending: auto.Pending, at: float) -> bool:
    with app.app_context():
        return auto.due(app, pending, at)


def change_note(app: Flask, world: World, note: str) -> None:
    with app.app_context():
        db.session.get(OutreachSession, world.session_id).public_note = note
        db.session.commit()


def test_nothing_happens_before_the_first_publish(app: Flask, world: World) -> None:
    assert not is_due(app, auto.Pending(), 1000.0)


def test_a_change_publishes_once_it_has_held_still(app: Flask, world: World) -> None:
    serve_with_fingerprint(app)
    pending = auto.Pending()
    delay = app.config["SCHEDULE_PUBLISH_DELAY_SECONDS"]
    assert not is_due(app, pending, 0.0)  # unchanged
    change_note(app, world, "北京银行工作人员到场办卡")
    assert not is_due(app, pending, 10.0)  # seen: the wait starts
    change_note(app, world, "北京银行工作人员到场办卡，请带身份证")
    assert not is_due(app, pending, 10.0 + delay)  # changed again: waits again
    assert not is_due(app, pending, 10.0 + 2 * delay - 1)
    assert is_due(app, pending, 10.0 + 2 * delay)


@pytest.mark.parametrize("change", ["create", "cancel", "close", "start"])
def test_every_kind_of_session_change_moves_the_fingerprint(
    app: Flask, world: World, change: str
) -> None:
    with app.app_context():
        before = schedule_data(CALENDAR).fingerprint
        session = db.session.get(OutreachSession, world.session_id)
        if change == "create":
            db.session.add(
                OutreachSession(
                    title="新的一场",
                    kind="worker",
                    organisation_id=world.town_id,
                    starts_at=session.starts_at + timedelta(days=3),
                    ends_at=session.ends_at + timedelta(days=3),
                )
            )
        elif change == "cancel":
            session.status, session.cancel_reason = "cancelled", "暴雨"
        elif change == "close":
            session.status = "closed"
        else:  # a planned session whose start time comes: now in progress
            session.status = "planned"
            session.starts_at += timedelta(hours=2)
        db.session.commit()
        after = schedule_data(CALENDAR).fingerprint
        if change == "start":
            assert before != after  # planned and not started is not open and started
            later = db.session.get(OutreachSession, world.session_id).starts_at + timedelta(
                minutes=1
            )
            assert schedule_data(CALENDAR, now=later).fingerprint != after
        else:
            assert before != after


def test_a_failed_publish_is_not_retried_for_the_same_schedule(app: Flask, world: World) -> None:
    serve_with_fingerprint(app)
    change_note(app, world, "新的说明")
    with app.app_context():
        fingerprint = schedule_data(CALENDAR).fingerprint
    run = progress.Progress(trigger="schedule", fingerprint=fingerprint)
    tracker = progress.Tracker(Path(app.config["SITES_DIR"]), run)
    tracker.finish(progress.FAILED)
    pending = auto.Pending()
    assert not is_due(app, pending, 0.0)
    assert not is_due(app, pending, 10_000.0)


def test_the_job_is_registered_unless_turned_off(app: Flask) -> None:
    assert auto.JOB in [job.name for job in periodic.jobs_of(app)]
    from kiosk import create_app
    from tests.conftest import base_config

    off = create_app(base_config("sqlite://", SCHEDULE_PUBLISH_DELAY_SECONDS=0))
    assert auto.JOB not in [job.name for job in periodic.jobs_of(off)]
