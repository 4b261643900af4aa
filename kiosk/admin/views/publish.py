"""发布知识库: publish with progress, roll back, and move the content folder as one zip."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from kiosk import audit
from kiosk.admin.access import content_editor_required, staff
from kiosk.admin.blueprint import bp
from kiosk.admin.bodies import larger_body
from kiosk.publishing import content_zip, lock, progress, sites
from kiosk.publishing.address import AddressRefused, site_address
from kiosk.publishing.publisher import config_file, rollback, sites_dir, start
from kiosk.templating import local_time

# Who may publish: whoever may edit the content (内容编辑 and admins), by the one rule.
content_access = content_editor_required

MAX_ZIP_BYTES = 20 * 1024 * 1024


def _app() -> Flask:
    """The app object itself: the publish thread outlives the request."""
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _status() -> dict | None:
    """The latest run; one that says running with nobody holding the lock was interrupted."""
    folder = sites_dir(_app())
    latest = progress.latest(folder)
    if latest and latest["state"] == progress.RUNNING and not lock.is_held(folder):
        latest = {**latest, "state": "interrupted"}
    return latest


@bp.get("/content/publish")
@content_access
def publish_page() -> ResponseReturnValue:
    app = _app()
    folder = sites_dir(app)
    served = sites.current(folder)
    try:
        address, refusal = site_address(app, config_file(app)), None
    except AddressRefused as error:
        address, refusal = None, str(error)
    kb_dir = Path(app.config["KB_DIR"])
    status = _status()
    return render_template(
        "admin/publish/page.html",
        status=status,
        started=datetime.fromisoformat(status["started_at"]) if status else None,
        steps=progress.STEPS,
        served=served,
        previous=sites.previous(folder),
        builds=sites.builds(folder),
        address=address,
        refusal=refusal,
        kb_dir_elsewhere=kb_dir.absolute() != (folder / sites.CURRENT).absolute(),
        generator=app.config["KB_GENERATOR"],
        delay=app.config["SCHEDULE_PUBLISH_DELAY_SECONDS"],
    )


@bp.get("/content/publish/status.json")
@content_access
def publish_status() -> Response:
    """Polled by the publish page while a publish runs."""
    return jsonify(_status() or {})


@bp.post("/content/publish")
@content_access
def publish_start() -> ResponseReturnValue:
    user = staff()
    try:
        start(_app(), trigger="admin", by=user.username)
    except lock.Busy as error:
        flash(str(error), "error")
        return redirect(url_for("admin.publish_page"), 303)
    audit.record("kb_publish")
    return redirect(url_for("admin.publish_page"), 303)


@bp.post("/content/publish/rollback")
@content_access
def publish_rollback() -> ResponseReturnValue:
    """One action back to the build served before the current one."""
    return _switch(None)


@bp.post("/content/sites/<build_id>/switch")
@content_access
def publish_switch(build_id: str) -> ResponseReturnValue:
    return _switch(build_id)


def _switch(build_id: str | None) -> ResponseReturnValue:
    try:
        build = rollback(_app(), build_id)
    except (lock.Busy, LookupError) as error:
        flash(str(error), "error")
        return redirect(url_for("admin.publish_page"), 303)
    audit.record("kb_switch", build=build.id)
    when = build.published_at
    label = f"{local_time(when)} 发布的" if when else build.id
    flash(f"已换回{label}那一版网站，读者现在看到的就是它", "success")
    return redirect(url_for("admin.publish_page"), 303)


@bp.get("/content/export.zip")
@content_access
def content_export() -> Response:
    app = _app()
    data = content_zip.export_zip(Path(app.config["DOCS_DIR"]), config_file(app))
    audit.record("content_export")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="kb-content-{stamp}.zip"'
    return response


@bp.post("/content/import")
@content_access
@larger_body(MAX_ZIP_BYTES)
def content_import() -> ResponseReturnValue:
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        flash(f"文件太大了，最大 {MAX_ZIP_BYTES // (1024 * 1024)} MB", "error")
        return redirect(url_for("admin.publish_page"), 303)
    if upload is None or not upload.filename:
        flash("请选择要导入的 zip 压缩包", "error")
        return redirect(url_for("admin.publish_page"), 303)
    app = _app()
    try:
        # Not while a publish reads the content folder.
        with lock.PublishLock(sites_dir(app)):
            # mkdocs.yml goes beside the content folder, never over the checkout's.
            result = content_zip.import_zip(upload.read(), Path(app.config["DOCS_DIR"]))
    except (lock.Busy, content_zip.ImportRefused) as error:
        problems = getattr(error, "problems", [])
        flash(str(error) + ("；".join(problems[:10]) if problems else ""), "error")
        return redirect(url_for("admin.publish_page"), 303)
    audit.record("content_import", files=result.files)
    flash(f"已导入 {result.files} 个文件，原来的内容已备份。点“发布”以后读者才看得到。", "success")
    return redirect(url_for("admin.publish_page"), 303)
