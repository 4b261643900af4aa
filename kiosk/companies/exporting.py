"""Company lists as CSV (UTF-8 with BOM) and XLSX, with an explicit allowlist of columns.

The headings are the import's own, so an exported list can be corrected in Excel
and imported again. Cells go through the sign-up exports' formula-injection
guard (`kiosk.admin.exports.neutralise`). Every export is audited by its caller.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from kiosk.admin.exports import neutralise
from kiosk.companies.fields import BY_NAME, ORGANISATION
from kiosk.models import Company

Row = tuple[Company, date | None]  # a company and the day it was last contacted
Read = Callable[[Company, date | None], str]


def _plain(name: str) -> Read:
    return lambda c, _last: "" if getattr(c, name) is None else str(getattr(c, name))


def _choice(name: str) -> Read:
    choices = BY_NAME[name].choices
    return lambda c, _last: choices.get(getattr(c, name) or "", "")


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _column(name: str, width: int, read: Read | None = None) -> tuple[str, int, Read]:
    """A declared field's column, under the heading the import knows it by."""
    f = ORGANISATION if name == "organisation" else BY_NAME[name]
    if read is None:
        read = _choice(name) if f.kind == "choice" else _plain(name)
    return f.label, width, read


# The allowlist: (heading, width in characters, how to read the cell). A column not
# listed here can never reach a file, whatever is added to the Company model later.
COLUMNS: tuple[tuple[str, int, Read], ...] = (
    _column("organisation", 18, lambda c, _last: c.organisation.name),
    _column("name", 26),
    _column("credit_code", 22),
    _column("industry", 10),
    _column("platform_relation", 14),
    _column("address", 30),
    _column("site", 16, lambda c, _last: c.site.name if c.site else ""),
    _column("headcount", 10),
    _column("gig_workers", 12),
    _column("contact_name", 10),
    _column("contact_position", 12),
    _column("contact_phone", 14),
    _column("union_status", 10),
    _column("union_status_on", 12, lambda c, _last: _day(c.union_status_on)),
    _column("notes", 30),
    ("最近联系日期", 12, lambda _c, last: _day(last)),
)
HEADERS = [heading for heading, _, _ in COLUMNS]


def table(rows: Iterable[Row]) -> list[list[str]]:
    return [[neutralise(read(company, last)) for _, _, read in COLUMNS] for company, last in rows]


def to_csv(rows: Iterable[Row]) -> bytes:
    """UTF-8 with a BOM so Excel on Windows reads Chinese; CRLF line endings."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(table(rows))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[Row]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业"
    sheet.append(HEADERS)
    for row in table(rows):
        sheet.append(row)
    for number, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMATS: dict[str, tuple[Callable[[Iterable[Row]], bytes], str]] = {
    "csv": (to_csv, "text/csv"),  # Flask adds the charset to text/* itself
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
