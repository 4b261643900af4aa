"""登记: the filterable list of people who signed up, and exports of it."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin import downloads, export_progress, exports, queries
from kiosk.admin.access import session_or_404, staff, visible
from kiosk.admin.blueprint import bp
from kiosk.choices import SESSION_KINDS, chinese
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession
from kiosk.scoping import Scope, can_see_org, organisation_choices, scoped

BEIJING = ZoneInfo("Asia/Shanghai")


def _page() -> int:
    raw = request.args.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() else 1


def _session_choices(scope: Scope) -> list[tuple[int, str]]:
    statement = sa.select(OutreachSession.id, OutreachSession.title, OutreachSession.starts_at)
    rows = db.session.execute(
        scoped(statement, OutreachSession.organisation_id, scope)
        .order_by(OutreachSession.starts_at.desc())
        .limit(300)
    )
    return [(r.id, f"{r.starts_at.astimezone(BEIJING):%m-%d} {r.title}") for r in rows]


@bp.get("/signups")
@login_required
def signups() -> ResponseReturnValue:
    scope = visible()
    filters = queries.Filters.parse(request.args)
    page = _page()
    counts = queries.counts(filters, scope)
    return render_template(
        "admin/signups/list.html",
        filters=filters,
        counts=counts,
        people=queries.people_page(filters, scope, page),
        page=page,
        pages=max((counts.people + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE, 1),
        session_choices=_session_choices(scope),
        org_choices=organisation_choices(scope),
    )


@bp.post("/signups/export")
@login_required
def signups_export() -> Response:
    """POST, not GET: an export writes the audit log and carries full phone numbers."""
    scope = visible()
    kind = request.form.get("format", "csv")
    if kind not in exports.FORMATS:
        abort(400)
    filters = queries.Filters.parse(request.form)
    org_id = filters.org_id
    # The audit entry is filed under the organisation filtered by: never one this
    # user may not see (404, as for any row out of scope).
    if org_id is not None and not can_see_org(staff(), org_id):
        abort(404)
    if filters.session_id is not None:
        org_id = session_or_404(filters.session_id).organisation_id
    total = queries.count_signups(filters, scope)
    audit.record(
        "export", organisation_id=org_id, format=kind, filter=filters.for_audit(), rows=total
    )
    progress = export_progress.start(staff().id, kind, total, request.form.get("export_id"))
    write, mimetype = exports.FORMATS[kind]
    chunks = write(
        queries.export_rows(filters, scope),
        lambda written: export_progress.advance(progress.id, written),
    )
    # Streamed with no Content-Length: the browser's download shows it arriving,
    # and 导出进度 (/admin/exports) shows the rows written so far.
    response = downloads.attachment(
        stream_with_context(_tracked(chunks, progress.id)),
        mimetype,
        *_export_names(filters, kind),
    )
    response.headers["X-Export-Id"] = progress.id
    return response


def _export_names(filters: queries.Filters, ext: str) -> tuple[str, str]:
    """瀛海镇总工会-职工沟通会-2026-12-10-登记.xlsx for one session, else the union and today;
    with the ASCII name for old browsers."""
    if filters.session_id is not None:
        session = session_or_404(filters.session_id)
        day = session.starts_at.astimezone(BEIJING).date()
        kind = chinese(SESSION_KINDS.get(session.kind, session.kind))
        name = downloads.file_name(session.organisation.name, kind, day, "登记", ext=ext)
        return name, f"signups-{day}.{ext}"
    org = db.session.get(Organisation, filters.org_id) if filters.org_id is not None else None
    union = org.name if org else staff().organisation.name if staff().organisation else "全部"
    today = downloads.today()
    return downloads.file_name(union, "登记", today, ext=ext), f"signups-{today}.{ext}"


def _tracked(chunks: Iterator[bytes], export_id: str) -> Iterator[bytes]:
    """The file's chunks; the export is marked finished, or stopped if the download ends early."""
    completed = False
    try:
        yield from chunks
        completed = True
    finally:
        export_progress.finish(export_id, completed=completed)


@bp.get("/exports")
@login_required
def export_list() -> ResponseReturnValue:
    """导出进度: this staff member's recent exports, rows written so far."""
    mine = export_progress.of_user(staff().id)
    return render_template(
        "admin/signups/exports.html",
        exports=mine,
        running=any(e.state == "running" for e in mine),
    )


@bp.get("/exports/<export_id>.json")
@login_required
def export_status(export_id: str) -> ResponseReturnValue:
    """One export's progress, polled by the sign-up list while the file downloads."""
    export = export_progress.get(export_id, staff().id)
    if export is None:
        abort(404)
    return {
        "state": export.state,
        "state_label": export.state_label,
        "written": export.written,
        "total": export.total,
        "percent": export.percent,
    }
