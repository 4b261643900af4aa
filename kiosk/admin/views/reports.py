"""月度报告: one union's month, or rolled up over the unions under it; on screen, print, Excel."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin import downloads
from kiosk.admin.access import visible
from kiosk.admin.blueprint import bp
from kiosk.admin.months import default_org, month_arg, org_or_404
from kiosk.cadence import report, workbook
from kiosk.cadence.formats import panels
from kiosk.cadence.summary import paragraph
from kiosk.scoping import organisation_choices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report() -> report.Report:
    org_id = request.args.get("org", "")
    org = org_or_404(int(org_id)) if org_id.isdigit() else default_org()
    if org is None:
        org = org_or_404(None)
    return report.build(org, month_arg(), subtree=request.args.get("subtree") == "1")


@bp.get("/reports/month")
@login_required
def report_month() -> ResponseReturnValue:
    built = _report()
    return render_template(
        "admin/reports/month.html",
        report=built,
        summary=paragraph(built),
        panels=panels(built),
        orgs=organisation_choices(visible()),
        standalone=False,
    )


@bp.get("/reports/month.xlsx")
@login_required
def report_month_xlsx() -> ResponseReturnValue:
    built = _report()
    audit.record(
        "report_export",
        organisation_id=built.organisation.id,
        month=str(built.month),
        subtree=built.subtree,
    )
    scope = "及下级工会" if built.subtree else None
    name = downloads.file_name(
        built.organisation.name, scope, f"{built.month}", "月度报告", ext="xlsx"
    )
    fallback = f"monthly-report-{built.month}.xlsx"
    return downloads.attachment(workbook.to_xlsx(built), XLSX, name, fallback)
