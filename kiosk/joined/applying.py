"""Marking the matched people 已通过i会员入会, in one transaction, each change audited."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from kiosk import audit
from kiosk.extensions import db
from kiosk.joined.matching import Preview
from kiosk.models import FollowUp, StaffUser, utcnow


def apply(preview: Preview, by: StaffUser) -> int:
    """Mark every matched person joined with the row's date; returns how many changed.

    Nothing is committed here: the caller commits the changes and their audit
    entries together, so a failure leaves nothing half-applied.
    """
    wanted: dict[tuple[int, str], date] = {}
    for line in preview.lines:
        if line.state == "matched" and line.joined_on is not None:
            for target in line.targets:
                wanted[target] = line.joined_on
    changed = 0
    for (org_id, phone), joined_on in sorted(wanted.items()):
        row = db.session.scalar(
            sa.select(FollowUp).where(FollowUp.organisation_id == org_id, FollowUp.phone == phone)
        )
        if row is None:
            row = FollowUp(organisation_id=org_id, phone=phone, status="pending")
            db.session.add(row)
        if row.status == "joined" and row.joined_on == joined_on:
            continue
        previous = row.status
        row.status, row.joined_on = "joined", joined_on
        row.updated_by_id, row.updated_at = by.id, utcnow()
        audit.record(
            "joined_import",
            actor=by,
            organisation_id=org_id,
            phone=audit.phone_ref(phone),
            previous=previous,
            joined_on=joined_on.isoformat(),
            commit=False,
        )
        changed += 1
    return changed
