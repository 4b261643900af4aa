"""Which month and which union an admin page is about, read leniently from the query string."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request

from kiosk.admin.access import staff
from kiosk.cadence.months import Month
from kiosk.extensions import db
from kiosk.models import Organisation
from kiosk.scoping import can_see_org


def month_arg() -> Month:
    """?month=YYYY-MM, or this month (Beijing time) when it is missing or malformed."""
    try:
        return Month.parse(request.args.get("month", ""))
    except ValueError:
        return Month.current()


def org_or_404(org_id: int | None) -> Organisation:
    """An organisation the staff member may see; 404 otherwise, as for any other row."""
    org = db.session.get(Organisation, org_id) if org_id else None
    if org is None or not can_see_org(staff(), org.id):
        abort(404)
    return org


def default_org() -> Organisation | None:
    """The staff member's own union, or (admins) the first one at the top of the tree."""
    user = staff()
    if user.organisation is not None:
        return user.organisation
    return db.session.scalar(
        sa.select(Organisation).where(Organisation.parent_id.is_(None)).order_by(Organisation.id)
    )
