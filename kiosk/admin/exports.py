"""CSV and XLSX exports of sign-ups, with an explicit allowlist of columns.

Full phone numbers are included on purpose: exports exist for follow-up calls.
Every export is written to the audit log by the view that serves it.

Exports are written as they are read: `chunks` yields the file piece by piece
from an iterator of rows, so a 100,000-row export never holds its rows (or its
file) in memory, and reports how many rows it has written as it goes.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from kiosk.choices import FOLLOW_UP_STATUSES, SOURCES, chinese
from kiosk.signups.fields import FIELDS, Field
from kiosk.text import clean_line

BEIJING = ZoneInfo("Asia/Shanghai")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class FollowUpState(NamedTuple):
    """The person's follow-up, as the export reads it beside each of their sign-ups."""

    status: str
    note: str | None


# A cell, from the sign-up row (Signup's columns and `session_title`, see
# kiosk.admin.queries.export_rows) and the person's follow-up.
Read = Callable[[Any, FollowUpState], str]
Rows = Iterable[tuple[Any, FollowUpState]]
Progress = Callable[[int], None]  # told how many rows are written so far
EVERY = 1000  # rows between progress reports (and CSV chunks)
WIDTHS = {"name": 10, "phone": 14, "choice": 14, "text": 16, "choices": 28}  # in characters


def typed(value: str | None) -> str:
    """What someone typed, cleaned as on the way in, whenever and however it was stored."""
    return clean_line(value) or ""


def _person_column(field: Field) -> tuple[str, int, Read]:
    """A column for a declared sign-up field; a choice's "which other?" text joins its cell."""
    others = [f.name for f in FIELDS if f.other_of == field.name]

    def read(signup: Any, _follow_up: FollowUpState) -> str:
        value = getattr(signup, field.name)
        if field.kind == "choices":
            return "、".join(chinese(field.choices.get(key, key)) for key in value)
        if field.kind == "choice":
            label = chinese(field.choices.get(value, value))
            detail = "".join(
                f"（{typed(getattr(signup, name))}）" for name in others if getattr(signup, name)
            )
            return label + detail
        return typed(value)

    return chinese(field.label), WIDTHS[field.kind], read


def _local(fmt: str, column: str = "created_at") -> Read:
    return lambda s, _f: getattr(s, column).astimezone(BEIJING).strftime(fmt)


# The allowlist: (header, width, how to read the cell). What the person typed comes
# from the field declaration; a column not listed here can never reach a file,
# whatever else is added to the Signup model later.
COLUMNS: tuple[tuple[str, int, Read], ...] = (
    ("沟通会", 24, lambda s, _f: typed(s.session_title)),
    ("日期", 12, _local("%Y-%m-%d")),
    *(_person_column(field) for field in FIELDS if not field.other_of),
    ("来源", 10, lambda s, _f: chinese(SOURCES.get(s.source, s.source))),
    ("跟进状态", 14, lambda _s, f: chinese(FOLLOW_UP_STATUSES.get(f.status, f.status))),
    # Staff's own note on the person, so the caller sees what was said last time.
    ("跟进备注", 30, lambda _s, f: typed(f.note)),
    ("同意版本", 12, lambda s, _f: s.consent_version),
    (
        "同意时间",
        18,
        lambda s, _f: s.consented_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"),
    ),
)
HEADERS = [header for header, _, _ in COLUMNS]


def neutralise(value: str) -> str:
    """Stop spreadsheets from running a cell as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cells(signup: Any, follow_up: FollowUpState) -> list[str]:
    return [neutralise(read(signup, follow_up)) for _, _, read in COLUMNS]


def table(rows: Rows) -> list[list[str]]:
    return [_cells(signup, follow_up) for signup, follow_up in rows]


def _ignore(_written: int) -> None:
    pass


def csv_chunks(rows: Rows, progress: Progress = _ignore) -> Iterator[bytes]:
    """UTF-8 with a BOM so Excel on Windows reads Chinese; CRLF line endings."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    written = 0
    for signup, follow_up in rows:
        writer.writerow(_cells(signup, follow_up))
        written += 1
        if written % EVERY == 0:
            progress(written)
            yield _drain(buffer, first=written == EVERY)
    progress(written)
    yield _drain(buffer, first=written < EVERY)


def _drain(buffer: io.StringIO, *, first: bool) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8-sig" if first else "utf-8")


def xlsx_chunks(rows: Rows, progress: Progress = _ignore) -> Iterator[bytes]:
    """A write-only workbook: openpyxl spools the rows to disk, so memory stays flat.

    A zip cannot be sent before it is finished, so the file is sent once written;
    progress is reported while the rows are written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("登记")
    for number, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(HEADERS)
    written = 0
    for signup, follow_up in rows:
        sheet.append(_cells(signup, follow_up))
        written += 1
        if written % EVERY == 0:
            progress(written)
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        progress(written)
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk


FORMATS: dict[str, tuple[Callable[[Rows, Progress], Iterator[bytes]], str]] = {
    # Flask adds "; charset=utf-8" to a text/* mimetype itself: naming it here doubled it.
    "csv": (csv_chunks, "text/csv"),
    "xlsx": (xlsx_chunks, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
