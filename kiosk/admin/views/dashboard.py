"""概览: counts for the staff member's organisations at a glance."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk.admin import queries
from kiosk.admin.access import visible
from kiosk.admin.blueprint import bp
from kiosk.extensions import db
from kiosk.models import AttentionItem, Organisation, OutreachSession, utcnow


def in_scope(column: sa.ColumnElement[int], scope: set[int] | None) -> sa.ColumnElement[bool]:
    return sa.true() if scope is None else column.in_(scope or {-1})


def unresolved_attention(scope: set[int] | None) -> int:
    statement = sa.select(sa.func.count(AttentionItem.id)).where(
        AttentionItem.resolved_at.is_(None)
    )
    if scope is not None:
        statement = statement.join(OutreachSession).where(
            in_scope(OutreachSession.organisation_id, scope)
        )
    return db.session.scalar(statement) or 0


@bp.get("/")
@login_required
def dashboard() -> ResponseReturnValue:
    scope = visible()
    filters = queries.Filters()
    upcoming = db.session.scalars(
        sa.select(OutreachSession)
        .where(
            in_scope(OutreachSession.organisation_id, scope),
            OutreachSession.status != "closed",
            OutreachSession.ends_at > utcnow(),
        )
        .order_by(OutreachSession.starts_at)
        .limit(8)
    ).all()
    per_org = []
    orgs = db.session.scalars(
        sa.select(Organisation).where(in_scope(Organisation.id, scope)).order_by(Organisation.id)
    ).all()
    if len(orgs) > 1:
        per_org = [(org, queries.counts(queries.Filters(org_id=org.id), scope)) for org in orgs]
    return render_template(
        "admin/dashboard.html",
        counts=queries.counts(filters, scope),
        statuses=queries.status_counts(filters, scope),
        upcoming=upcoming,
        per_org=per_org,
        attention=unresolved_attention(scope),
    )
