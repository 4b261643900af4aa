"""Retention: delete sign-ups older than the retention period, and what they leave orphaned.

`serve` runs the purge itself (every PURGE_EVERY_HOURS, daily by default) through
`kiosk.periodic`; several servers on one database agree through a lease
(`kiosk.leases`), so one of them runs it each time. `flask --app kiosk purge`
runs it by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from kiosk import audit, database, leases, periodic
from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, OutreachSession, Signup, utcnow

log = logging.getLogger(__name__)

JOB = "retention_purge"
CHECK_EVERY_SECONDS = 600  # how often each server asks whether the purge is due
FIRST_CHECK_SECONDS = 60  # after start, once the server is answering


@dataclass(frozen=True)
class PurgeCounts:
    signups: int
    follow_ups: int
    attention_items: int


def _old_signups(cutoff: datetime) -> sa.ColumnElement[bool]:
    return Signup.created_at < cutoff


def _orphaned_follow_ups(cutoff: datetime) -> sa.ColumnElement[bool]:
    """Follow-ups with no sign-up left after the purge in their organisation.

    Written as "no recent sign-up" so the same test counts (dry run) and deletes.
    """
    recent = (
        sa.select(Signup.id)
        .join(OutreachSession, Signup.session_id == OutreachSession.id)
        .where(
            OutreachSession.organisation_id == FollowUp.organisation_id,
            Signup.phone == FollowUp.phone,
            Signup.created_at >= cutoff,
        )
    )
    return ~sa.exists(recent)


def _old_attention(cutoff: datetime) -> sa.ColumnElement[bool]:
    return AttentionItem.created_at < cutoff


def _count(model: type, where: sa.ColumnElement[bool]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(where)) or 0


def purge(days: int, *, dry_run: bool, now: datetime | None = None) -> PurgeCounts:
    """Count (dry run) or delete everything past `days`; the caller commits and logs."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    counts = PurgeCounts(
        signups=_count(Signup, _old_signups(cutoff)),
        follow_ups=_count(FollowUp, _orphaned_follow_ups(cutoff)),
        attention_items=_count(AttentionItem, _old_attention(cutoff)),
    )
    if not dry_run:
        options = {"synchronize_session": False}
        db.session.execute(sa.delete(Signup).where(_old_signups(cutoff)), execution_options=options)
        db.session.execute(
            sa.delete(FollowUp).where(_orphaned_follow_ups(cutoff)), execution_options=options
        )
        db.session.execute(
            sa.delete(AttentionItem).where(_old_attention(cutoff)), execution_options=options
        )
    return counts


def purge_and_record(days: int, *, by: str) -> PurgeCounts:
    """Purge, audit and commit together, then empty SQLite's log of the deleted pages."""
    counts = purge(days, dry_run=False)
    audit.record(
        "purge",
        days=days,
        by=by,
        signups=counts.signups,
        follow_ups=counts.follow_ups,
        attention_items=counts.attention_items,
    )
    database.truncate_wal()
    return counts


def scheduled_purge(app: Flask) -> None:
    """The periodic job: purge if this server wins the lease for this period."""
    every = timedelta(hours=app.config["PURGE_EVERY_HOURS"])
    days = int(app.config["RETENTION_DAYS"])
    connection = db.session.connection()
    database.unbounded(connection)  # a year's first purge may delete many rows
    if not leases.claim(connection, JOB, every, utcnow()):
        db.session.rollback()
        log.debug("retention purge not due, or run by another server")
        return
    counts = purge_and_record(days, by="schedule")
    log.info(
        "retention purge (older than %d days): %d sign-ups, %d follow-ups, %d attention items",
        days,
        counts.signups,
        counts.follow_ups,
        counts.attention_items,
    )


def init_app(app: Flask) -> None:
    if app.config["PURGE_EVERY_HOURS"] > 0:
        periodic.register(
            app,
            periodic.Job(
                JOB,
                every_seconds=CHECK_EVERY_SECONDS,
                run=scheduled_purge,
                first_after_seconds=FIRST_CHECK_SECONDS,
            ),
        )
