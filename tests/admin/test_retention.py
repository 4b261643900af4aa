"""`flask --app kiosk purge`: retention by age, dry run, orphans, audit."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from kiosk import create_app, leases, periodic
from kiosk.admin import retention
from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, Signup, utcnow
from tests.admin.conftest import add_signup, audit_events
from tests.conftest import World, base_config


def _setup(app: Flask, world: World) -> None:
    now = utcnow()
    add_signup(app, world.session_id, phone="13800138000", created_at=now - timedelta(days=400))
    add_signup(app, world.session_id, phone="13900139000", created_at=now - timedelta(days=400))
    add_signup(app, world.session_id, phone="13900139000", created_at=now - timedelta(days=10))
    with app.app_context():
        db.session.add_all(
            [
                FollowUp(organisation_id=world.town_id, phone="13800138000"),  # orphaned
                FollowUp(organisation_id=world.town_id, phone="13900139000"),  # still signed up
                AttentionItem(
                    id=uuid.uuid4(),
                    session_id=world.session_id,
                    http_status=422,
                    reason={},
                    payload={},
                    created_at=now - timedelta(days=400),
                ),
            ]
        )
        db.session.commit()


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Signup, FollowUp, AttentionItem)
        )


def test_dry_run_deletes_nothing(app: Flask, runner, world: World):
    _setup(app, world)
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "试运行" in result.output
    assert "2 条登记、1 条跟进记录、1 条待处理记录（早于 365 天）" in result.output
    assert _counts(app) == (3, 2, 1)
    assert audit_events(app, "purge") == []


def test_purge_default_retention(app: Flask, runner, world: World):
    _setup(app, world)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert _counts(app) == (1, 1, 0)
    [event] = audit_events(app, "purge")
    assert event.detail == {
        "days": 365,
        "by": "command",
        "signups": 2,
        "follow_ups": 1,
        "attention_items": 1,
    }


def test_purge_older_than(app: Flask, runner, world: World):
    _setup(app, world)
    assert runner.invoke(args=["purge", "--older-than", "5"]).exit_code == 0
    assert _counts(app) == (0, 0, 0)


def test_purge_rejects_zero_days(runner, world: World):
    assert runner.invoke(args=["purge", "--older-than", "0"]).exit_code == 2


# --- serve runs it: daily by default, once across several servers -------------------------


def test_serve_registers_the_daily_purge(app: Flask) -> None:
    [job] = [job for job in periodic.jobs_of(app) if job.name == retention.JOB]
    assert app.config["PURGE_EVERY_HOURS"] == 24
    assert job.run is retention.scheduled_purge


def test_no_purge_job_when_turned_off(database_url: str, tmp_path) -> None:
    app = create_app(base_config(database_url, PURGE_EVERY_HOURS=0))
    assert retention.JOB not in [job.name for job in periodic.jobs_of(app)]


def test_the_scheduled_purge_runs_once_per_period_and_is_audited(
    app: Flask, world: World, caplog
) -> None:
    _setup(app, world)
    caplog.set_level("INFO", logger="kiosk.admin.retention")
    job = next(job for job in periodic.jobs_of(app) if job.name == retention.JOB)
    assert periodic.run_job(app, job)
    assert _counts(app) == (1, 1, 0)
    assert "retention purge (older than 365 days): 2 sign-ups" in caplog.text
    # Not due again for a day: another tick (this server's or another's) does nothing.
    assert periodic.run_job(app, job)
    [event] = audit_events(app, "purge")
    assert event.detail["by"] == "schedule" and event.detail["signups"] == 2


def test_of_several_servers_one_wins_the_lease(app: Flask, database_url: str) -> None:
    """Servers racing for the same period: exactly one claim succeeds."""
    others = [create_app(base_config(database_url)) for _ in range(3)]
    now = utcnow()
    wins: list[bool] = []
    barrier = threading.Barrier(len(others))

    def claim(server: Flask) -> None:
        with server.app_context():
            with db.engine.connect() as connection:
                barrier.wait()
                with connection.begin():
                    wins.append(leases.claim(connection, "test_job", timedelta(hours=24), now))

    threads = [threading.Thread(target=claim, args=(server,)) for server in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for server in others:
        with server.app_context():
            db.engine.dispose()
    assert sorted(wins) == [False, False, True]
