"""Reading an uploaded company list (XLSX or CSV) into a heading row and data rows.

CSV files saved by Excel on Chinese Windows are GBK (GB18030), not UTF-8.
charset-normalizer detects the encoding and the bytes are then decoded explicitly
with it, strictly, so a wrong guess fails loudly instead of filling the preview
with mojibake. Cells keep only JSON types (the preview is stored as JSON).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from charset_normalizer import from_bytes
from openpyxl import load_workbook

MAX_ROWS = 5000
MAX_COLUMNS = 60
# GB2312 and GBK are subsets of GB18030: decode with the superset so a rare
# character in a company's name (a GBK extension) still reads.
CHINESE_ENCODINGS = {"gb2312", "gbk", "cp936", "hz", "gb18030"}

Cell = str | int | float | None
Table = tuple[list[str], list[list[Cell]]]


class UnreadableFile(ValueError):
    """The file cannot be read as a company list; the message says why, in Chinese."""


def read_table(data: bytes, filename: str) -> Table:
    """The first row's headings and the rows below it (trailing empty rows dropped)."""
    suffix = PurePath(filename).suffix.lower()
    if not data:
        raise UnreadableFile("文件是空的")
    if suffix == ".xlsx":
        rows = _xlsx_rows(data)
    elif suffix == ".csv":
        rows = _csv_rows(decode_csv(data))
    elif suffix == ".xls":
        raise UnreadableFile("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    else:
        raise UnreadableFile("只能导入 Excel（.xlsx）或 CSV 文件")
    while rows and all(cell in (None, "") for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise UnreadableFile("文件里没有内容")
    if len(rows) - 1 > MAX_ROWS:
        raise UnreadableFile(f"一次最多导入{MAX_ROWS}行，这个文件有{len(rows) - 1}行，请分批导入")
    headings = [" ".join(str(cell or "").split()) for cell in rows[0]]
    if len(headings) > MAX_COLUMNS:
        raise UnreadableFile(f"列太多了（{len(headings)}列），最多{MAX_COLUMNS}列")
    width = len(headings)
    body = [(row + [None] * width)[:width] for row in rows[1:]]
    return headings, body


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        best = from_bytes(data).best()
        if best is None:
            raise UnreadableFile("认不出文件的编码，请在 Excel 中另存为“CSV UTF-8”后再导入")
        encoding = best.encoding.lower().replace("-", "_")
        if encoding in CHINESE_ENCODINGS:
            encoding = "gb18030"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise UnreadableFile("文件编码无法识别，请在 Excel 中另存为“CSV UTF-8”后再导入") from error


def _csv_rows(text: str) -> list[list[Cell]]:
    try:
        return [[cell.strip() or None for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise UnreadableFile(f"CSV 文件格式有误：{error}") from error


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile("这不是一个能打开的 Excel（.xlsx）文件") from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Cell]] = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + 1:
                break  # read_table says the file is too long
            rows.append([_cell(value) for value in row[: MAX_COLUMNS + 1]])
        return rows
    finally:
        workbook.close()


def _cell(value: Any) -> Cell:
    """A spreadsheet value as a JSON value: dates become 2026-11-21, text is stripped."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return str(value).strip() or None
