"""`flask --app kiosk purge`: retention by age, dry run, orphans, audit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, Signup, utcnow
from tests.admin.conftest import add_signup, audit_events
from tests.conftest import World


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
