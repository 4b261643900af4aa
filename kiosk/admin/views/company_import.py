"""导入企业: upload a list, map its columns, see every row checked, then import all or nothing.

Uploading only reads the file into a draft (`ImportDraft`); the preview is the dry
run and changes nothing. Importing checks the rows again and writes them in one
transaction, or writes none and shows what is wrong.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge

from kiosk import audit
from kiosk.admin.access import staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.bodies import larger_body
from kiosk.companies import importing
from kiosk.companies.reading import UnreadableFile, read_table
from kiosk.extensions import db
from kiosk.models import ImportDraft, Organisation, utcnow
from kiosk.scoping import organisation_choices

MAX_UPLOAD_BYTES = 4 * 1024 * 1024
DRAFT_LIFETIME = timedelta(days=1)  # an abandoned upload (with contacts' phones) goes after this
PREVIEW_ROWS = 300


def _upload_page(error: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "admin/companies/import.html",
        error=error,
        org_choices=organisation_choices(visible()),
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
    ), status


@bp.get("/companies/import")
@login_required
def company_import() -> ResponseReturnValue:
    return _upload_page()


@bp.post("/companies/import")
@login_required
@larger_body(MAX_UPLOAD_BYTES)
def company_import_upload() -> ResponseReturnValue:
    try:
        upload = request.files.get("file")
        org = request.form.get("org", "")
    except RequestEntityTooLarge:
        return _upload_page(f"文件太大了，最大 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", 413)
    if upload is None or not upload.filename:
        return _upload_page("请选择要导入的文件", 422)
    try:
        headings, rows = read_table(upload.read(), upload.filename)
    except UnreadableFile as error:
        return _upload_page(str(error), 422)
    db.session.execute(
        sa.delete(ImportDraft).where(ImportDraft.created_at < utcnow() - DRAFT_LIFETIME)
    )
    draft = ImportDraft(
        created_by_id=staff().id, filename=upload.filename[:200], headers=headings, rows=rows
    )
    db.session.add(draft)
    db.session.commit()
    return redirect(url_for("admin.company_import_preview", draft_id=draft.id, org=org))


def _draft_or_404(draft_id: uuid.UUID) -> ImportDraft:
    draft = db.session.get(ImportDraft, draft_id)
    if draft is None or draft.created_by_id != staff().id:
        abort(404)  # a draft is its uploader's alone
    return draft


def _options(args: Mapping[str, str], draft: ImportDraft) -> dict[str, Any]:
    """The organisation, the update choice and the column mapping, from a query or a form."""
    scope = visible()
    raw_org = args.get("org", "")
    allowed = {i for i, _ in organisation_choices(scope)}
    org = None
    if raw_org.isdigit() and int(raw_org) in allowed:
        org = db.session.get(Organisation, int(raw_org))
    chosen = any(key.startswith("map_") for key in args)
    mapping = (
        importing.mapping_from(args, draft.headers)
        if chosen
        else importing.guess_mapping(draft.headers)
    )
    return {"org": org, "update_existing": args.get("update") == "1", "mapping": mapping}


def _preview(draft: ImportDraft, chosen: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    plan = importing.plan(
        draft.rows,
        chosen["mapping"],
        visible(),
        organisation=chosen["org"],
        update_existing=chosen["update_existing"],
    )
    planned = {p.row: p for p in plan.planned}
    return render_template(
        "admin/companies/import_preview.html",
        draft=draft,
        plan=plan,
        planned=planned,
        errors=plan.errors_by_row(),
        fields=importing.IMPORT_FIELDS,
        labels={f.name: f.label for f in importing.IMPORT_FIELDS},
        chosen=chosen,
        org_choices=organisation_choices(visible()),
        preview_rows=list(enumerate(draft.rows, start=importing.HEADING_ROW + 1))[:PREVIEW_ROWS],
    ), status


@bp.get("/companies/import/<uuid:draft_id>")
@login_required
def company_import_preview(draft_id: uuid.UUID) -> ResponseReturnValue:
    draft = _draft_or_404(draft_id)
    return _preview(draft, _options(request.args, draft))


@bp.post("/companies/import/<uuid:draft_id>/apply")
@login_required
def company_import_apply(draft_id: uuid.UUID) -> ResponseReturnValue:
    draft = _draft_or_404(draft_id)
    chosen = _options(request.form, draft)
    plan = importing.plan(
        draft.rows,
        chosen["mapping"],
        visible(),
        organisation=chosen["org"],
        update_existing=chosen["update_existing"],
    )
    if plan.problems:
        flash(f"有 {len(plan.problems)} 处错误，没有导入任何企业。请改正文件后重新上传。", "error")
        return _preview(draft, chosen, 422)
    try:
        importing.apply(plan, staff())
    except sa.exc.IntegrityError:
        # Someone added one of these companies since the check: nothing is written.
        db.session.rollback()
        flash("导入时有人同时登记了其中的企业，没有导入任何企业。请再试一次。", "error")
        return _preview(draft, chosen, 409)
    audit.record(
        "company_import",
        organisation_id=chosen["org"].id if chosen["org"] else None,
        file=draft.filename,
        rows=plan.rows,
        created=plan.create,
        updated=plan.update,
        commit=False,
    )
    db.session.delete(draft)
    db.session.commit()
    flash(f"导入完成：新建 {plan.create} 家企业，更新 {plan.update} 家", "success")
    return redirect(url_for("admin.companies"))


@bp.post("/companies/import/<uuid:draft_id>/cancel")
@login_required
def company_import_cancel(draft_id: uuid.UUID) -> ResponseReturnValue:
    db.session.delete(_draft_or_404(draft_id))
    db.session.commit()
    flash("已取消导入，上传的文件已删除", "info")
    return redirect(url_for("admin.companies"))
