"""What each union must hold in a month, and where an admin's changes are kept.

The defaults follow 大兴区's 双沟通 rules: every 镇, 街道 and 产业基地 union holds
at least four 职工沟通会 and two 企业沟通会 a month; the district holds the
区级职工沟通会 on the month's third Thursday. An admin can change the figures for
a whole level, or for one union (an override); the most specific one applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Organisation, Quota, StaffUser, utcnow


@dataclass(frozen=True)
class Required:
    worker: int
    enterprise: int
    district_session: bool
    source: str = "default"  # "default", "level" or "organisation": where it comes from


STREET = Required(worker=4, enterprise=2, district_session=False)
DEFAULTS: dict[str, Required] = {
    "district": Required(worker=0, enterprise=0, district_session=True),
    "subdistrict": STREET,
    "industrial_park": STREET,
}


def for_level(level: str) -> Required:
    """The figures every union of `level` must reach, unless it has an override."""
    row = db.session.scalar(sa.select(Quota).where(Quota.level == level))
    return _from_row(row, "level") if row else DEFAULTS[level]


def for_organisations(orgs: Iterable[Organisation]) -> dict[int, Required]:
    """Each organisation's quota: its override, else its level's, else the default."""
    rows = db.session.scalars(sa.select(Quota)).all()
    levels = {row.level: _from_row(row, "level") for row in rows if row.level}
    overrides = {
        row.organisation_id: _from_row(row, "organisation") for row in rows if row.organisation_id
    }
    return {
        org.id: overrides.get(org.id) or levels.get(org.level) or DEFAULTS[org.level]
        for org in orgs
    }


def _from_row(row: Quota, source: str) -> Required:
    return Required(row.worker_required, row.enterprise_required, row.district_required, source)


def save(
    required: Required,
    by: StaffUser,
    *,
    level: str | None = None,
    organisation_id: int | None = None,
) -> Quota:
    """Set a level's quota or one organisation's override (not committed)."""
    column = Quota.level == level if level else Quota.organisation_id == organisation_id
    row = db.session.scalar(sa.select(Quota).where(column))
    if row is None:
        row = Quota(level=level, organisation_id=organisation_id)
        db.session.add(row)
    row.worker_required = required.worker
    row.enterprise_required = required.enterprise
    row.district_required = required.district_session
    row.updated_by_id = by.id
    row.updated_at = utcnow()
    return row


def remove_override(organisation_id: int) -> bool:
    """Drop one organisation's override (not committed); whether there was one."""
    result = db.session.execute(sa.delete(Quota).where(Quota.organisation_id == organisation_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]
