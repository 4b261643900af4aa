"""The monthly report as an Excel workbook: the same figures as the page, no personal data."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from kiosk.admin.exports import neutralise
from kiosk.cadence.report import Report
from kiosk.cadence.summary import paragraph
from kiosk.choices import CADENCE_STATUSES, ORG_LEVELS, chinese

BOLD = Font(bold=True)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[object]]) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    for column, width in zip("ABCDEFGH", (26, 14, 14, 14, 14, 14, 14, 14), strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return sheet


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    book.remove(book.active)
    scope = "含下属工会" if report.subtree else "本工会"
    _sheet(
        book,
        "概况",
        ["项目", "数值"],
        [
            ["工会", report.organisation.name],
            ["月份", report.month.label],
            ["范围", scope],
            ["召开沟通会（场）", report.held],
            ["取消（场，不计入）", report.cancelled],
            ["登记（人次）", report.signups],
            ["登记（人）", report.people],
            ["已联系（人）", report.contacted],
            ["已入会（本月登记者中，人）", report.joined],
            ["本月通过北京工会i会员入会（人）", report.joined_in_month],
            ["本月新建会企业（家）", report.companies_established],
            ["小结", paragraph(report)],
        ],
    )
    _sheet(
        book,
        "沟通会",
        ["类型", "已召开", "要求", "尚未召开", "已取消"],
        [[k.label, k.held, k.required, k.planned, k.cancelled] for k in report.kinds],
    )
    _sheet(book, "转化", ["环节", "人数"], [list(step) for step in report.funnel])
    _sheet(
        book,
        "每周",
        ["周", "已召开沟通会（场）", "登记（人次）"],
        [[w.week.label, w.held, w.signups] for w in report.weeks],
    )
    _sheet(book, "职业", ["职业", "人数"], [list(pair) for pair in report.occupations])
    _sheet(book, "平台单位", ["平台/单位", "人数"], [list(pair) for pair in report.employers])
    _sheet(
        book,
        "各工会达标",
        ["工会", "层级", "职工沟通会", "要求", "企业沟通会", "要求", "区级沟通会", "状态"],
        [
            [
                row.org,
                chinese(ORG_LEVELS[row.level]),
                len(row.worker.held),
                row.worker.required,
                len(row.enterprise.held),
                row.enterprise.required,
                {None: "不要求", True: "已召开", False: "未召开"}[row.district_session],
                chinese(CADENCE_STATUSES[row.status]),
            ]
            for row in report.rows
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
