"""Personal data operations on one person: mask, follow up, and delete on request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from kiosk.cadence.months import local_date
from kiosk.extensions import db
from kiosk.models import (
    AttentionItem,
    Company,
    FollowUp,
    ImportDraft,
    OutreachSession,
    Signup,
    StaffUser,
    utcnow,
)
from kiosk.scoping import Scope, in_scope, scoped
from kiosk.signups.attention import phone_key


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
    if status != "joined":
        row.joined_on = None
    elif row.status != "joined" or row.joined_on is None:
        # Set by hand: the person joined today, as far as staff know (Beijing date).
        row.joined_on = local_date(utcnow())
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
    company_contacts: int  # companies whose contact person this was: name, post, mobile cleared
    import_drafts: int = 0  # uploaded company lists awaiting their preview that held the number

    @property
    def total(self) -> int:
        return (
            self.signups
            + self.follow_ups
            + self.attention_items
            + self.company_contacts
            + self.import_drafts
        )


def _session_ids(visible: Scope) -> sa.Select[tuple[int]]:
    return scoped(sa.select(OutreachSession.id), OutreachSession.organisation_id, visible)


def _attention_ids(visible: Scope) -> sa.Select[tuple[uuid.UUID]]:
    # An outer join: an item whose session is gone has no organisation, so only an
    # admin's request reaches it.
    statement = sa.select(AttentionItem.id).outerjoin(
        OutreachSession, AttentionItem.session_id == OutreachSession.id
    )
    return scoped(statement, OutreachSession.organisation_id, visible)


def _attention_ids_by_payload(phone: str, visible: Scope) -> list[uuid.UUID]:
    """Unresolved items whose submitted phone, normalised now, is this one.

    The phone column is only an index: an item filed before every phone was
    normalised the same way (full-width digits, 0086) holds the number in its
    payload alone. The queue is short, so the payloads are read and compared here.
    """
    statement = sa.select(AttentionItem.id, AttentionItem.payload).where(
        AttentionItem.id.in_(_attention_ids(visible)), AttentionItem.resolved_at.is_(None)
    )
    return [
        item_id
        for item_id, payload in db.session.execute(statement)
        if isinstance(payload, dict) and phone_key(payload.get("phone")) == phone
    ]


def _draft_ids_holding(phone: str, visible: Scope) -> list[uuid.UUID]:
    """Company-list uploads, not yet applied, by staff in scope, with the number in a cell."""
    statement = scoped(
        sa.select(ImportDraft.id, ImportDraft.rows).join(
            StaffUser, ImportDraft.created_by_id == StaffUser.id
        ),
        StaffUser.organisation_id,
        visible,
    )
    return [
        draft_id
        for draft_id, rows in db.session.execute(statement)
        if any(
            isinstance(cell, str | int) and phone_key(str(cell)) == phone
            for row in rows or []
            for cell in row
        )
    ]


def delete_person(phone: str, visible: Scope) -> Deleted:
    """Delete every sign-up, follow-up, attention item and company-list upload holding
    `phone` within `visible`, and clear it (with the name and post beside it) where it
    is a company's contact.

    One transaction: either the whole request is honoured or nothing changes.
    """
    signups = sa.delete(Signup).where(
        Signup.phone == phone, Signup.session_id.in_(_session_ids(visible))
    )
    follow_ups = sa.delete(FollowUp).where(
        FollowUp.phone == phone, in_scope(FollowUp.organisation_id, visible)
    )
    attention = sa.delete(AttentionItem).where(
        AttentionItem.id.in_(_attention_ids(visible)),
        sa.or_(
            AttentionItem.phone == phone,
            AttentionItem.id.in_(_attention_ids_by_payload(phone, visible)),
        ),
    )
    # The company stays: only its contact person, who asked to be forgotten, goes.
    contacts = (
        sa.update(Company)
        .where(Company.contact_phone == phone, in_scope(Company.organisation_id, visible))
        .values(contact_name=None, contact_position=None, contact_phone=None, updated_at=utcnow())
    )
    # The whole upload goes: the staff member uploads the list again, without the person.
    drafts = sa.delete(ImportDraft).where(ImportDraft.id.in_(_draft_ids_holding(phone, visible)))
    # No ORM session sync: nothing deleted here is held in memory by the caller.
    options = {"synchronize_session": False}
    return Deleted(
        signups=_rowcount(db.session.execute(signups, execution_options=options)),
        follow_ups=_rowcount(db.session.execute(follow_ups, execution_options=options)),
        attention_items=_rowcount(db.session.execute(attention, execution_options=options)),
        company_contacts=_rowcount(db.session.execute(contacts, execution_options=options)),
        import_drafts=_rowcount(db.session.execute(drafts, execution_options=options)),
    )


def _rowcount(result: sa.Result) -> int:
    return result.rowcount  # type: ignore[attr-defined]
