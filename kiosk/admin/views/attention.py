"""待处理: refused tablet sign-ups, fixed and stored by staff or dismissed."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin import queries
from kiosk.admin.access import attention_or_404, staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import AttentionFixForm
from kiosk.admin.people import mask_phone
from kiosk.extensions import db
from kiosk.models import AttentionItem
from kiosk.relay.state import counts
from kiosk.signups import attention
from kiosk.signups.fields import FIELDS

# Why the server refused the item, in words staff understand.
REASONS = {
    "session_closed": "沟通会已结束",
    "session_not_open": "沟通会还没开始",
    "tablet_bound_to_other_session": "平板已换到别的沟通会",
    "id_reused": "登记编号重复但内容不同",
    "unknown_session": "找不到沟通会",
}


def describe(item: AttentionItem) -> str:
    reason = item.reason or {}
    if isinstance(reason.get("errors"), dict):
        return "；".join(f"{value}" for value in reason["errors"].values())[:200]
    error = str(reason.get("error", ""))
    return REASONS.get(error, error or f"HTTP {item.http_status}")


def _form_for(item: AttentionItem) -> AttentionFixForm:
    values: dict[str, Any] = {}
    for field in FIELDS:
        raw = item.payload.get(field.name)
        if field.kind == "choices":
            values[field.name] = raw if isinstance(raw, list) else []
        else:
            values[field.name] = str(raw or "")
    return AttentionFixForm(formdata=None, **values)


def _render(item: AttentionItem, form: AttentionFixForm, errors: dict[str, str], status: int = 200):
    return render_template(
        "admin/attention/detail.html",
        item=item,
        form=form,
        errors=errors,
        reason=describe(item),
    ), status


@bp.get("/attention")
@login_required
def attention_list() -> ResponseReturnValue:
    items = db.session.scalars(queries.unresolved_attention(visible()).limit(200)).all()
    # On a relay laptop, sign-ups the city server refused are listed under 上报.
    relay_refused = counts(visible()).attention if current_app.config.get("UPSTREAM_URL") else 0
    return render_template(
        "admin/attention/list.html",
        items=items,
        describe=describe,
        mask_phone=mask_phone,
        relay_refused=relay_refused,
    )


@bp.get("/attention/<uuid:item_id>")
@login_required
def attention_item(item_id: uuid.UUID) -> ResponseReturnValue:
    item = attention_or_404(item_id)
    return _render(item, _form_for(item), {})


@bp.post("/attention/<uuid:item_id>/store")
@login_required
def attention_store(item_id: uuid.UUID) -> ResponseReturnValue:
    item = attention_or_404(item_id)
    if item.resolved_at is not None:
        flash("这条记录已经处理过了", "info")
        return redirect(url_for("admin.attention_list"))
    form = AttentionFixForm()
    fields: dict[str, Any] = {
        field.name: request.form.getlist(field.name)
        if field.kind == "choices"
        else request.form.get(field.name, "")
        for field in FIELDS
    }
    errors, outcome = attention.store(item, attention.fix_payload(item, fields), staff())
    if errors:
        return _render(item, form, errors, 422)
    if outcome is None or outcome.status not in (200, 201):
        error = outcome.body.get("error", "") if outcome else ""
        flash(f"无法保存：{REASONS.get(error, error)}", "error")
        return _render(item, form, {}, 409)
    org_id = item.session.organisation_id if item.session else None
    audit.record(
        "attention_store", organisation_id=org_id, item=str(item.id), signup=outcome.body.get("id")
    )
    flash("已保存为登记", "success")
    return redirect(url_for("admin.attention_list"))


@bp.post("/attention/<uuid:item_id>/dismiss")
@login_required
def attention_dismiss(item_id: uuid.UUID) -> ResponseReturnValue:
    item = attention_or_404(item_id)
    if item.resolved_at is None:
        attention.resolve(item, "dismissed", staff())
        org_id = item.session.organisation_id if item.session else None
        audit.record("attention_dismiss", organisation_id=org_id, item=str(item.id))
    flash("已忽略这条记录", "success")
    return redirect(url_for("admin.attention_list"))
