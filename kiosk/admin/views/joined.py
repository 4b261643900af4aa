"""导入入会名单: mark the people who joined through 北京工会i会员 from the union's member list.

Upload, map the columns, see the dry run, confirm. Only people in the staff
member's scope are ever matched or changed; each change is audited.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from sqlalchemy.exc import SQLAlchemyError

from kiosk.admin.access import staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.joined_forms import NONE, MappingForm, UploadForm
from kiosk.extensions import db
from kiosk.joined import applying, matching, uploads
from kiosk.joined.reading import MAX_BYTES, MAX_ROWS, ImportFileError, Table, read
from kiosk.uploads import allow_upload

SAMPLE_ROWS = 5


@bp.get("/joined/import")
@login_required
def joined_import() -> ResponseReturnValue:
    return render_template(
        "admin/joined/upload.html", form=UploadForm(formdata=None), max_rows=MAX_ROWS
    )


@bp.post("/joined/import")
@allow_upload(MAX_BYTES + 64 * 1024)  # the file, and the form around it
@login_required
def joined_upload() -> ResponseReturnValue:
    form = UploadForm()
    upload = form.file.data
    error = None
    if not form.validate() or upload is None or not upload.filename:
        error = "请先选择要导入的文件"
    else:
        try:
            table = read(upload.read(MAX_BYTES + 1))
        except ImportFileError as refused:
            error = str(refused)
    if error:
        flash(error, "error")
        return render_template("admin/joined/upload.html", form=form, max_rows=MAX_ROWS), 422
    token = uploads.save(table, staff().id, upload.filename)
    return redirect(url_for("admin.joined_map", token=token))


def _upload(token: str) -> tuple[Table, str]:
    found = uploads.load(token, staff().id)
    if found is None:
        abort(404)
    return found


def _mapping_form(table: Table, **kwargs: object) -> MappingForm:
    return MappingForm(**kwargs).set_columns(table.headers)


@bp.get("/joined/import/<token>")
@login_required
def joined_map(token: str) -> ResponseReturnValue:
    table, filename = _upload(token)
    guessed = matching.guess(table.headers)
    form = _mapping_form(
        table,
        formdata=None,
        phone=guessed.phone if guessed else 0,
        name=guessed.name if guessed and guessed.name is not None else NONE,
        joined_on=guessed.joined_on if guessed and guessed.joined_on is not None else NONE,
    )
    return _page(token, table, filename, form, None)


@bp.post("/joined/import/<token>/preview")
@login_required
def joined_preview(token: str) -> ResponseReturnValue:
    """The dry run: nothing is written."""
    table, filename = _upload(token)
    form = _mapping_form(table)
    if not form.validate():
        return _page(token, table, filename, form, None), 422
    result = matching.preview(table, form.mapping(), visible())
    return _page(token, table, filename, form, result)


@bp.post("/joined/import/<token>/apply")
@login_required
def joined_apply(token: str) -> ResponseReturnValue:
    table, filename = _upload(token)
    form = _mapping_form(table)
    if not form.validate() or not form.confirm.data:
        flash("请先核对预览，并勾选“确认导入”", "error")
        result = matching.preview(table, form.mapping(), visible()) if form.validate() else None
        return _page(token, table, filename, form, result), 422
    # Matched again now, in this transaction: the preview may be minutes old.
    result = matching.preview(table, form.mapping(), visible())
    try:
        changed = applying.apply(result, staff())
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("joined import failed; rolled back")
        flash("导入没有完成，没有修改任何数据。请稍后再试。", "error")
        return _page(token, table, filename, form, result), 503
    uploads.delete(token)
    flash(
        f"已导入：{changed} 人标记为“已通过i会员入会”"
        f"（未找到 {result.count('unmatched')} 行，需核对 {result.count('ambiguous')} 行，"
        f"无效 {result.count('invalid')} 行，均未改动）",
        "success",
    )
    return redirect(url_for("admin.signups", status="joined"))


def _page(
    token: str,
    table: Table,
    filename: str,
    form: MappingForm,
    result: matching.Preview | None,
) -> str:
    return render_template(
        "admin/joined/map.html",
        token=token,
        table=table,
        filename=filename,
        sample=table.rows[:SAMPLE_ROWS],
        form=form,
        preview=result,
        states=matching.STATES,
    )
