"""概览: counts for the staff member's organisations at a glance."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk.admin import queries
from kiosk.admin.access import visible
from kiosk.admin.blueprint import bp
from kiosk.companies import queries as companies
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, utcnow
from kiosk.scoping import scoped


def _count(statement: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0


@bp.get("/")
@login_required
def dashboard() -> ResponseReturnValue:
    scope = visible()
    filters = queries.Filters()
    upcoming = db.session.scalars(
        scoped(sa.select(OutreachSession), OutreachSession.organisation_id, scope)
        .where(OutreachSession.status != "closed", OutreachSession.ends_at > utcnow())
        .order_by(OutreachSession.starts_at)
        .limit(8)
    ).all()
    per_org = []
    orgs = db.session.scalars(
        scoped(sa.select(Organisation), Organisation.id, scope).order_by(Organisation.id)
    ).all()
    if len(orgs) > 1:
        per_org = [(org, queries.counts(queries.Filters(org_id=org.id), scope)) for org in orgs]
    return render_template(
        "admin/dashboard.html",
        counts=queries.counts(filters, scope),
        statuses=queries.status_counts(filters, scope),
        upcoming=upcoming,
        per_org=per_org,
        attention=_count(queries.unresolved_attention(scope)),
        overdue_needs=companies.overdue_count(scope),
    )
