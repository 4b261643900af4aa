"""打印: a session's poster (A4, A3) and table tent, and a union's month schedule sheet.

Each is a print-CSS page to preview and print in the browser, and a PDF to download
(kiosk.printing).
"""

from __future__ import annotations

from flask import abort, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk.admin import downloads
from kiosk.admin.access import session_or_404, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.months import default_org, month_arg, org_or_404
from kiosk.choices import SESSION_KINDS, chinese
from kiosk.models import OutreachSession
from kiosk.printing import drawn, html, material, pdf

POSTER_SIZES = {"a4": "A4", "a3": "A3"}
PDF = "application/pdf"


def _size() -> str:
    size = request.args.get("size", "a4")
    if size not in POSTER_SIZES:
        abort(404)
    return size


def _name(session: OutreachSession, *what: str) -> str:
    """瀛海镇总工会-职工沟通会-2026-12-10-海报-A3.pdf"""
    day = material.local(session.starts_at).date()
    kind = chinese(SESSION_KINDS.get(session.kind, session.kind))
    return downloads.file_name(session.organisation.name, kind, day, *what, ext="pdf")


@bp.get("/print/sessions/<int:session_id>/poster")
@login_required
def print_poster(session_id: int) -> ResponseReturnValue:
    session, size = session_or_404(session_id), _size()
    return _poster_page(session, size, for_pdf=False)


def _poster_page(session: OutreachSession, size: str, *, for_pdf: bool) -> str:
    return html.render(
        "poster",
        for_pdf=for_pdf,
        sheet=material.session_sheet(session),
        size=size,
        back_url=url_for("admin.session_detail", session_id=session.id),
        pdf_url=url_for("admin.print_poster_pdf", session_id=session.id, size=size),
        variants=[
            (
                f"{label} 海报",
                url_for("admin.print_poster", session_id=session.id, size=key),
                key == size,
            )
            for key, label in POSTER_SIZES.items()
        ],
    )


@bp.get("/print/sessions/<int:session_id>/poster.pdf")
@login_required
def print_poster_pdf(session_id: int) -> ResponseReturnValue:
    session, size = session_or_404(session_id), _size()
    body = pdf.make(
        lambda: _poster_page(session, size, for_pdf=True),
        lambda: drawn.poster(material.session_sheet(session), size),
    )
    name = _name(session, "海报", POSTER_SIZES[size])
    return downloads.attachment(body, PDF, name, f"poster-{size}-{session.code}.pdf")


def _tent_page(session: OutreachSession, *, for_pdf: bool) -> str:
    return html.render(
        "tent",
        for_pdf=for_pdf,
        sheet=material.session_sheet(session, with_join=False),
        back_url=url_for("admin.session_detail", session_id=session.id),
        pdf_url=url_for("admin.print_tent_pdf", session_id=session.id),
        variants=[],
    )


@bp.get("/print/sessions/<int:session_id>/tent")
@login_required
def print_tent(session_id: int) -> ResponseReturnValue:
    return _tent_page(session_or_404(session_id), for_pdf=False)


@bp.get("/print/sessions/<int:session_id>/tent.pdf")
@login_required
def print_tent_pdf(session_id: int) -> ResponseReturnValue:
    session = session_or_404(session_id)
    body = pdf.make(
        lambda: _tent_page(session, for_pdf=True),
        lambda: drawn.tent(material.session_sheet(session, with_join=False)),
    )
    return downloads.attachment(body, PDF, _name(session, "桌牌"), f"tent-{session.code}.pdf")


def _schedule_sheet() -> tuple[material.ScheduleSheet, dict[str, str]]:
    """?org=&month=: a union the staff member may see (their own by default), this month."""
    raw = request.args.get("org", "")
    org = org_or_404(int(raw)) if raw.isdigit() else default_org()
    if org is None:
        abort(404)
    month = month_arg()
    return material.schedule_sheet(org, month, visible()), {"org": str(org.id), "month": str(month)}


@bp.get("/print/schedule")
@login_required
def print_schedule() -> ResponseReturnValue:
    sheet, args = _schedule_sheet()
    return _schedule_page(sheet, args, for_pdf=False)


def _schedule_page(sheet: material.ScheduleSheet, args: dict[str, str], *, for_pdf: bool) -> str:
    return html.render(
        "schedule",
        for_pdf=for_pdf,
        sheet=sheet,
        back_url=url_for("admin.calendar", month=args["month"]),
        pdf_url=url_for("admin.print_schedule_pdf", **args),
        variants=[],
    )


@bp.get("/print/schedule.pdf")
@login_required
def print_schedule_pdf() -> ResponseReturnValue:
    sheet, args = _schedule_sheet()
    body = pdf.make(
        lambda: _schedule_page(sheet, args, for_pdf=True), lambda: drawn.schedule(sheet)
    )
    name = downloads.file_name(sheet.union, args["month"], "沟通会安排", ext="pdf")
    return downloads.attachment(body, PDF, name, f"schedule-{args['month']}.pdf")
