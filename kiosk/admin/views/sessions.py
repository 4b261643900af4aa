"""沟通会: list, create, edit, copy, open and close sessions; the session page."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit, links, qr, tablets
from kiosk.admin import queries
from kiosk.admin.access import session_or_404, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import CancelForm, SessionForm
from kiosk.admin.sessions import apply_form, fill_from, prepare_form
from kiosk.admin.views import enterprise
from kiosk.cadence.cancel import CancelError, cancel
from kiosk.extensions import db
from kiosk.models import OutreachSession, StaffUser, TabletBinding, utcnow
from kiosk.scoping import scoped

COPY_SHIFT = timedelta(days=7)  # sessions recur weekly at the same spot


@bp.get("/sessions")
@login_required
def sessions() -> ResponseReturnValue:
    show = request.args.get("show", "current")
    statement = scoped(sa.select(OutreachSession), OutreachSession.organisation_id, visible())
    if show == "closed":
        statement = statement.where(OutreachSession.status == "closed").order_by(
            OutreachSession.starts_at.desc()
        )
    else:
        statement = statement.where(OutreachSession.status != "closed").order_by(
            OutreachSession.starts_at
        )
    rows = db.session.scalars(statement.limit(200)).all()
    return render_template("admin/sessions/list.html", sessions=rows, show=show)


@bp.get("/sessions/new")
@login_required
def session_new() -> ResponseReturnValue:
    form = prepare_form(SessionForm(formdata=None), visible())
    source_id = request.args.get("copy", "")
    if source_id.isdigit():
        fill_from(form, session_or_404(int(source_id)), shift=COPY_SHIFT)
    return render_template("admin/sessions/form.html", form=form, session=None)


@bp.post("/sessions/new")
@login_required
def session_create() -> ResponseReturnValue:
    form = prepare_form(SessionForm(), visible())
    if not form.validate():
        return render_template("admin/sessions/form.html", form=form, session=None), 422
    session = OutreachSession(status="planned")
    apply_form(form, session)
    db.session.add(session)
    db.session.commit()
    audit.record("session_create", organisation_id=session.organisation_id, session=session.code)
    flash("沟通会已创建", "success")
    return redirect(url_for("admin.session_detail", session_id=session.id))


@bp.get("/sessions/<int:session_id>/edit")
@login_required
def session_edit(session_id: int) -> ResponseReturnValue:
    session = session_or_404(session_id)
    form = prepare_form(SessionForm(formdata=None), visible())
    fill_from(form, session, shift=timedelta(0))
    return render_template("admin/sessions/form.html", form=form, session=session)


@bp.post("/sessions/<int:session_id>/edit")
@login_required
def session_update(session_id: int) -> ResponseReturnValue:
    session = session_or_404(session_id)
    form = prepare_form(SessionForm(), visible())
    if not form.validate():
        return render_template("admin/sessions/form.html", form=form, session=session), 422
    apply_form(form, session)
    db.session.commit()
    audit.record("session_update", organisation_id=session.organisation_id, session=session.code)
    flash("已保存", "success")
    return redirect(url_for("admin.session_detail", session_id=session.id))


@bp.post("/sessions/<int:session_id>/open")
@login_required
def session_open(session_id: int) -> ResponseReturnValue:
    session = session_or_404(session_id)
    if session.status == "cancelled":
        flash("这场沟通会已经取消，不能开始登记", "error")
        return redirect(url_for("admin.session_detail", session_id=session.id))
    session.status, session.closed_at = "open", None
    db.session.commit()
    audit.record("session_open", organisation_id=session.organisation_id, session=session.code)
    flash("沟通会已开始，可以登记了", "success")
    return redirect(url_for("admin.session_detail", session_id=session.id))


@bp.post("/sessions/<int:session_id>/close")
@login_required
def session_close(session_id: int) -> ResponseReturnValue:
    session = session_or_404(session_id)
    if session.status == "cancelled":
        flash("这场沟通会已经取消", "error")
        return redirect(url_for("admin.session_detail", session_id=session.id))
    # closed_at lets tablets that were offline still deliver what they collected before it.
    session.status, session.closed_at = "closed", utcnow()
    db.session.commit()
    audit.record("session_close", organisation_id=session.organisation_id, session=session.code)
    flash("沟通会已结束", "success")
    return redirect(url_for("admin.session_detail", session_id=session.id))


@bp.post("/sessions/<int:session_id>/cancel")
@login_required
def session_cancel(session_id: int) -> ResponseReturnValue:
    """Cancel a session that will not take place: kept and shown, never counted."""
    session = session_or_404(session_id)
    form = CancelForm()
    try:
        if not form.validate():
            raise CancelError("请填写取消原因")
        cancel(session, form.reason.data)
    except CancelError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.session_detail", session_id=session.id))
    audit.record("session_cancel", organisation_id=session.organisation_id, session=session.code)
    flash("沟通会已取消，保留显示但不计入月度达标", "success")
    return redirect(url_for("admin.session_detail", session_id=session.id))


@bp.get("/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int) -> ResponseReturnValue:
    session = session_or_404(session_id)
    scope = visible()
    filters = queries.Filters(session_id=session.id)
    page = request.args.get("page", "1")
    bindings = db.session.execute(
        sa.select(TabletBinding, StaffUser.username)
        .outerjoin(StaffUser, TabletBinding.bound_by_id == StaffUser.id)
        .where(TabletBinding.session_id == session.id)
        .order_by(TabletBinding.revoked_at.is_not(None), TabletBinding.bound_at.desc())
    ).all()
    return render_template(
        "admin/sessions/detail.html",
        session=session,
        counts=queries.counts(filters, scope),
        statuses=queries.status_counts(filters, scope),
        people=queries.people_page(filters, scope, int(page) if page.isdigit() else 1),
        filters=filters,
        bindings=bindings,
        cancel_form=CancelForm(formdata=None),
        phone_url=links.phone_signup_url(session),
        setup_url=url_for("kiosk.setup", code=session.code),
        enterprise=enterprise.panel(session) if session.kind == "enterprise" else None,
    )


@bp.get("/sessions/<int:session_id>/stats.json")
@login_required
def session_stats(session_id: int) -> Response:
    """Polled by static/admin/session.js for the live count on the session page."""
    session = session_or_404(session_id)
    filters = queries.Filters(session_id=session.id)
    counts = queries.counts(filters, visible())
    response = jsonify(
        signups=counts.signups,
        people=counts.people,
        statuses=queries.status_counts(filters, visible()),
        status=session.status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sessions/<int:session_id>/qr.svg")
@login_required
def session_qr(session_id: int) -> Response:
    session = session_or_404(session_id)
    return Response(qr.svg(links.phone_signup_url(session)), mimetype="image/svg+xml")


@bp.post("/sessions/<int:session_id>/tablets/<uuid:binding_id>/revoke")
@login_required
def tablet_revoke(session_id: int, binding_id: uuid.UUID) -> ResponseReturnValue:
    session = session_or_404(session_id)
    binding = db.session.get(TabletBinding, binding_id)
    if binding is None or binding.session_id != session.id:
        abort(404)
    if binding.revoked_at is None:
        tablets.revoke(binding)
        audit.record(
            "tablet_revoke",
            organisation_id=session.organisation_id,
            session=session.code,
            tablet=str(binding.id),
        )
    flash("已停用这台平板", "success")
    return redirect(url_for("admin.session_detail", session_id=session.id))
