"""Retention: delete sign-ups older than the retention period, and what they leave orphaned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, OutreachSession, Signup, utcnow


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
