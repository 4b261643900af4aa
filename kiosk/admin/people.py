"""Personal data operations on one person: mask, follow up, and delete on request."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, OutreachSession, Signup, StaffUser, utcnow


def mask_phone(phone: str | None) -> str:
    """138****8000: enough to tell people apart on a list, not enough to call them."""
    if not phone:
        return ""
    if len(phone) < 8:  # not a mobile number (a typo in a refused sign-up): hide more
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def set_follow_up(
    org_id: int, phone: str, status: str, note: str | None, by: StaffUser
) -> FollowUp:
    row = db.session.scalar(
        sa.select(FollowUp).where(FollowUp.organisation_id == org_id, FollowUp.phone == phone)
    )
    if row is None:
        row = FollowUp(organisation_id=org_id, phone=phone)
        db.session.add(row)
    row.status = status
    row.note = note or None
    row.updated_by_id = by.id
    row.updated_at = utcnow()
    db.session.commit()
    return row


@dataclass(frozen=True)
class Deleted:
    signups: int
    follow_ups: int
    attention_items: int

    @property
    def total(self) -> int:
        return self.signups + self.follow_ups + self.attention_items


def _session_ids(visible: set[int] | None) -> sa.Select:
    statement = sa.select(OutreachSession.id)
    if visible is not None:
        statement = statement.where(OutreachSession.organisation_id.in_(visible or {-1}))
    return statement


def delete_person(phone: str, visible: set[int] | None) -> Deleted:
    """Delete every sign-up, follow-up and attention item for `phone` within `visible`.

    One transaction: either the whole request is honoured or nothing changes.
    """
    signups = sa.delete(Signup).where(
        Signup.phone == phone, Signup.session_id.in_(_session_ids(visible))
    )
    follow_ups = sa.delete(FollowUp).where(FollowUp.phone == phone)
    attention = sa.delete(AttentionItem).where(AttentionItem.phone == phone)
    if visible is not None:
        follow_ups = follow_ups.where(FollowUp.organisation_id.in_(visible or {-1}))
        attention = attention.where(AttentionItem.session_id.in_(_session_ids(visible)))
    # No ORM session sync: nothing deleted here is held in memory by the caller.
    options = {"synchronize_session": False}
    return Deleted(
        signups=_rowcount(db.session.execute(signups, execution_options=options)),
        follow_ups=_rowcount(db.session.execute(follow_ups, execution_options=options)),
        attention_items=_rowcount(db.session.execute(attention, execution_options=options)),
    )


def _rowcount(result: sa.Result) -> int:
    return result.rowcount  # type: ignore[attr-defined]
