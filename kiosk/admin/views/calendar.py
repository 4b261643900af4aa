"""日历: the month's sessions in scope as a grid (a list on phones), coloured by kind."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk.admin.access import visible
from kiosk.admin.blueprint import bp
from kiosk.admin.months import month_arg, org_or_404
from kiosk.cadence import tally
from kiosk.cadence.months import Month, local_date
from kiosk.extensions import db
from kiosk.models import OutreachSession, utcnow
from kiosk.scoping import organisation_choices, scoped


def grid(month: Month) -> list[list[date | None]]:
    """Monday-first weeks of the month; days outside it are None."""
    first = month.first_day - timedelta(days=month.first_day.weekday())
    weeks = []
    day = first
    while day <= month.last_day:
        weeks.append(
            [
                d if d.month == month.month else None
                for d in (day + timedelta(days=n) for n in range(7))
            ]
        )
        day += timedelta(days=7)
    return weeks


@bp.get("/calendar")
@login_required
def calendar() -> ResponseReturnValue:
    month = month_arg()
    scope = visible()
    org_id = request.args.get("org", "")
    org = org_or_404(int(org_id)) if org_id.isdigit() else None
    statement = scoped(sa.select(OutreachSession), OutreachSession.organisation_id, scope).where(
        OutreachSession.starts_at >= month.starts_at,
        OutreachSession.starts_at < month.ends_at,
    )
    if org is not None:
        statement = statement.where(OutreachSession.organisation_id.in_(tally.Tree().below(org.id)))
    sessions = db.session.scalars(
        statement.order_by(OutreachSession.starts_at, OutreachSession.id)
    ).all()
    by_day: dict[date, list[OutreachSession]] = defaultdict(list)
    for session in sessions:
        by_day[local_date(session.starts_at)].append(session)
    return render_template(
        "admin/cadence/calendar.html",
        month=month,
        weeks=grid(month),
        by_day=by_day,
        days=sorted(by_day),
        org=org,
        orgs=organisation_choices(scope),
        today=local_date(utcnow()),
    )
