"""Which organisations a staff member may see: their own and every one below it."""

from __future__ import annotations

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Organisation, StaffUser


def descendant_ids(root_id: int) -> set[int]:
    """root_id and all organisations under it (walks the parent links breadth-first)."""
    found = {root_id}
    frontier = {root_id}
    while frontier:
        children = set(
            db.session.scalars(
                sa.select(Organisation.id).where(Organisation.parent_id.in_(frontier))
            )
        )
        frontier = children - found
        found |= frontier
    return found


def visible_org_ids(user: StaffUser) -> set[int] | None:
    """None means every organisation (admins)."""
    if user.is_admin:
        return None
    if user.organisation_id is None:
        return set()
    return descendant_ids(user.organisation_id)


def can_see_org(user: StaffUser, organisation_id: int) -> bool:
    visible = visible_org_ids(user)
    return visible is None or organisation_id in visible
