"""月度达标: each union's month against its quota, and the sessions behind each figure."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk.admin.access import visible
from kiosk.admin.blueprint import bp
from kiosk.admin.months import month_arg, org_or_404
from kiosk.cadence import tally
from kiosk.extensions import db
from kiosk.models import OutreachSession

FIGURES = {"worker": "职工沟通会", "enterprise": "企业沟通会", "district": "区级沟通会"}


@bp.get("/cadence")
@login_required
def cadence() -> ResponseReturnValue:
    month = month_arg()
    rows = tally.month_rows(month, visible())
    return render_template("admin/cadence/month.html", month=month, rows=rows)


@bp.get("/cadence/<int:org_id>/<figure>")
@login_required
def cadence_figure(org_id: int, figure: str) -> ResponseReturnValue:
    """The sessions behind one figure: counted, still planned, and cancelled (not counted)."""
    if figure not in FIGURES:
        abort(404)
    org = org_or_404(org_id)
    month = month_arg()
    [row] = [r for r in tally.month_rows(month, {org.id}) if r.organisation_id == org.id]
    chosen = getattr(row, figure)
    codes = chosen.held + chosen.planned + chosen.cancelled
    sessions = {
        s.code: s
        for s in db.session.scalars(
            sa.select(OutreachSession).where(OutreachSession.code.in_(codes))
        )
    }
    scope = visible()
    groups = [
        ("计入（已召开）", [sessions[c] for c in chosen.held]),
        ("尚未召开", [sessions[c] for c in chosen.planned]),
        ("已取消（不计入）", [sessions[c] for c in chosen.cancelled]),
    ]
    return render_template(
        "admin/cadence/figure.html",
        org=org,
        month=month,
        row=row,
        figure=figure,
        figure_label=FIGURES[figure],
        required=chosen.required,
        groups=groups,
        # The district session may be another union's (the district's): shown, not linked.
        linkable=lambda s: scope is None or s.organisation_id in scope,
    )
