"""CSV and XLSX exports of sign-ups, with an explicit allowlist of columns.

Full phone numbers are included on purpose: exports exist for follow-up calls.
Every export is written to the audit log by the view that serves it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from kiosk.choices import FOLLOW_UP_STATUSES, INTERESTS, OCCUPATIONS, SOURCES
from kiosk.models import Signup

BEIJING = ZoneInfo("Asia/Shanghai")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _occupation(signup: Signup) -> str:
    label = str(OCCUPATIONS.get(signup.occupation, signup.occupation))
    return f"{label}（{signup.occupation_other}）" if signup.occupation_other else label


def _local(fmt: str) -> Callable[[Signup, str], str]:
    return lambda s, _status: s.created_at.astimezone(BEIJING).strftime(fmt)


# The allowlist: (header, how to read the cell). A column not listed here can
# never reach a file, whatever is added to the Signup model later.
COLUMNS: tuple[tuple[str, Callable[[Signup, str], str]], ...] = (
    ("沟通会", lambda s, _status: s.session.title),
    ("日期", _local("%Y-%m-%d")),
    ("姓名", lambda s, _status: s.name),
    ("手机号", lambda s, _status: s.phone),
    ("职业", lambda s, _status: _occupation(s)),
    ("所在平台/单位", lambda s, _status: s.employer or ""),
    ("工作区域", lambda s, _status: s.area or ""),
    ("想了解的服务", lambda s, _status: "、".join(str(INTERESTS.get(i, i)) for i in s.interests)),
    ("来源", lambda s, _status: str(SOURCES.get(s.source, s.source))),
    ("跟进状态", lambda _s, status: str(FOLLOW_UP_STATUSES.get(status, status))),
    ("同意版本", lambda s, _status: s.consent_version),
    ("同意时间", lambda s, _status: s.consented_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")),
)
HEADERS = [header for header, _ in COLUMNS]
COLUMN_WIDTHS = (24, 12, 10, 14, 14, 16, 14, 28, 10, 14, 12, 18)  # in characters, for XLSX


def neutralise(value: str) -> str:
    """Stop spreadsheets from running a cell as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def table(rows: Iterable[tuple[Signup, str]]) -> list[list[str]]:
    return [[neutralise(read(signup, status)) for _, read in COLUMNS] for signup, status in rows]


def to_csv(rows: Iterable[tuple[Signup, str]]) -> bytes:
    """UTF-8 with a BOM so Excel on Windows reads Chinese; CRLF line endings."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(table(rows))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[tuple[Signup, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "登记"
    sheet.append(HEADERS)
    for row in table(rows):
        sheet.append(row)
    for letter, width in zip("ABCDEFGHIJKL", COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMATS: dict[str, tuple[Callable[[Iterable[tuple[Signup, str]]], bytes], str]] = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
