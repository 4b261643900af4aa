"""上报: relay credentials on the city server (admins), and the laptop's upstream status (staff)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin.access import admin_required, staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import RelayCredentialForm, options
from kiosk.admin.views.attention import REASONS
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, RelayCredential, RelayReceipt, Signup
from kiosk.relay import client, credentials, cycle
from kiosk.relay.state import counts, link
from kiosk.scoping import can_see_org, in_scope, organisation_choices


def _credential_form(**kwargs: object) -> RelayCredentialForm:
    form = RelayCredentialForm(**kwargs)
    form.organisation_id.choices = options(organisation_choices(None))
    return form


def _credentials_page(form: RelayCredentialForm, token: str | None = None, status: int = 200):
    rows = db.session.execute(
        sa.select(RelayCredential, Organisation.name)
        .join(Organisation)
        .order_by(RelayCredential.revoked_at.is_not(None), RelayCredential.id.desc())
    ).all()
    return render_template(
        "admin/relay/credentials.html", rows=rows, form=form, token=token
    ), status


@bp.get("/relay/credentials")
@admin_required
def relay_credentials() -> ResponseReturnValue:
    return _credentials_page(_credential_form(formdata=None))


@bp.post("/relay/credentials")
@admin_required
def relay_credential_issue() -> ResponseReturnValue:
    form = _credential_form()
    if not form.validate():
        return _credentials_page(form, status=422)
    organisation = db.session.get(Organisation, form.organisation_id.data)
    if organisation is None:
        abort(404)
    credential, token = credentials.issue(organisation, form.label.data or "", staff())
    audit.record(
        "relay_credential_issue",
        organisation_id=organisation.id,
        credential=credential.id,
        label=credential.label,
    )
    # Shown in this answer only: never flashed (the session cookie) and never stored.
    return _credentials_page(_credential_form(formdata=None), token=token, status=201)


@bp.post("/relay/credentials/<int:credential_id>/revoke")
@admin_required
def relay_credential_revoke(credential_id: int) -> ResponseReturnValue:
    credential = db.session.get(RelayCredential, credential_id) or abort(404)
    if credential.revoked_at is None:
        credentials.revoke(credential)
        audit.record(
            "relay_credential_revoke",
            organisation_id=credential.organisation_id,
            credential=credential.id,
            label=credential.label,
        )
    flash(f"已停用上报凭证：{credential.label}", "success")
    return redirect(url_for("admin.relay_credentials"))


def _refused_rows() -> list:
    statement = (
        sa.select(RelayReceipt, Signup, OutreachSession.title)
        .join(Signup, Signup.id == RelayReceipt.signup_id)
        .join(OutreachSession)
        .where(
            RelayReceipt.outcome == "attention",
            in_scope(OutreachSession.organisation_id, visible()),
        )
        .order_by(RelayReceipt.recorded_at.desc())
        .limit(200)
    )
    return list(db.session.execute(statement))


def describe(receipt: RelayReceipt) -> str:
    answer = receipt.answer or {}
    if isinstance(answer.get("errors"), dict):
        return "；".join(str(value) for value in answer["errors"].values())[:200]
    error = str(answer.get("error", ""))
    return REASONS.get(error, error or f"HTTP {receipt.http_status}")


@bp.get("/relay")
@login_required
def relay_status() -> ResponseReturnValue:
    return render_template(
        "admin/relay/status.html",
        configured=client.configured(),
        upstream_url=current_app.config.get("UPSTREAM_URL"),
        link=link(),
        counts=counts(visible()),
        refused=_refused_rows(),
        describe=describe,
    )


@bp.post("/relay/push")
@login_required
def relay_push_now() -> ResponseReturnValue:
    if not client.configured():
        flash("未配置上级服务器", "error")
        return redirect(url_for("admin.relay_status"))
    # A few batches at most, so the page answers; the timer forwards the rest.
    pushed = cycle.run_now(wait_seconds=5, max_batches=10)
    if pushed is None:
        flash("正在上传中，请稍后刷新查看", "info")
    elif pushed.errors:
        flash("上传未完成：" + "；".join(pushed.errors[:3]), "error")
    else:
        flash(f"已上传：确认 {pushed.acked} 条，被拒 {pushed.attention} 条", "success")
    return redirect(url_for("admin.relay_status"))


def _receipt_in_scope(signup_id: uuid.UUID) -> RelayReceipt:
    receipt = db.session.get(RelayReceipt, signup_id)
    signup = db.session.get(Signup, signup_id)
    if (
        receipt is None
        or signup is None
        or not can_see_org(staff(), signup.session.organisation_id)
    ):
        abort(404)
    return receipt


@bp.post("/relay/refused/<uuid:signup_id>/retry")
@login_required
def relay_refused_retry(signup_id: uuid.UUID) -> ResponseReturnValue:
    """Send it again (once the session is fixed upstream, say): no receipt means pending."""
    receipt = _receipt_in_scope(signup_id)
    db.session.delete(receipt)
    db.session.commit()
    audit.record("relay_retry", signup=str(signup_id))
    flash("这条登记将重新上传", "success")
    return redirect(url_for("admin.relay_status"))


@bp.post("/relay/refused/<uuid:signup_id>/dismiss")
@login_required
def relay_refused_dismiss(signup_id: uuid.UUID) -> ResponseReturnValue:
    """Keep it on the laptop only; it is no longer counted as needing attention."""
    receipt = _receipt_in_scope(signup_id)
    receipt.outcome = "dismissed"
    db.session.commit()
    audit.record("relay_dismiss", signup=str(signup_id))
    flash("已忽略：这条登记只保留在本机", "success")
    return redirect(url_for("admin.relay_status"))
