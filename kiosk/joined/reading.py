"""An uploaded member list (XLSX or CSV, including Excel's GBK CSV) as a table of text.

Anything that is not a usable table is refused with one Chinese sentence saying
what to do; nothing here ever touches the database.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from charset_normalizer import from_bytes
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 50
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# Excel on Chinese Windows saves "CSV" in the ANSI code page, GBK; GB18030 decodes all of it.
CHINESE = {"gb2312", "gbk", "gb18030", "hz", "big5", "cp936"}


class ImportFileError(ValueError):
    """The file cannot be used; the message says why, in Chinese."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # each as long as headers


def read(data: bytes) -> Table:
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"文件太大（超过 {MAX_BYTES // 1024 // 1024} MB），请分成几个文件导入"
        )
    if not data.strip():
        raise ImportFileError("文件是空的，请选择导出的会员名单")
    if data.startswith(XLS_MAGIC):
        raise ImportFileError(
            "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入"
        )
    rows = _xlsx(data) if data.startswith(XLSX_MAGIC) else _csv(data)
    return _table(rows)


def _xlsx(data: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            "无法打开这个文件：请上传 Excel（.xlsx）或 CSV 格式的会员名单"
        ) from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            cells = [_cell(value) for value in row[:MAX_COLUMNS]]
            if any(cells):
                rows.append(cells)
            if len(rows) > MAX_ROWS + 1:  # the header and one row too many: enough to refuse
                break
        return rows
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        raise ImportFileError("这个 Excel 文件已损坏，无法读取，请重新导出后再试") from error
    finally:
        book.close()


def _cell(value: object) -> str:
    """A cell as text; numbers without ".0", dates as YYYY-MM-DD. Formulas stay "=…"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("文件类型不对：请上传 Excel（.xlsx）或 CSV 格式的会员名单")
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells = [cell.strip() for cell in row[:MAX_COLUMNS]]
            if any(cells):
                rows.append(cells)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportFileError("CSV 文件格式有误，请用 Excel 打开后重新另存为 CSV") from error
    return rows


def decode(data: bytes) -> str:
    """Detect the encoding with charset-normalizer, then decode explicitly and strictly."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = _detect(data)
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise ImportFileError(
            "无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8”后再导入"
        ) from error


def _detect(data: bytes) -> str:
    """The encoding charset-normalizer finds, preferring a Chinese one when it is a candidate.

    A short GBK file can look just as much like Korean (cp949) to a detector; a
    member list from a Beijing union's system is Chinese, so that reading wins.
    """
    matches = list(from_bytes(data))
    if not matches:
        raise ImportFileError("无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8”后再导入")
    chinese = [m for m in matches if m.encoding.lower().replace("_", "") in CHINESE]
    return "gb18030" if chinese else matches[0].encoding


def _table(rows: list[list[str]]) -> Table:
    # Blank rows were left out while reading; the header and MAX_ROWS rows may remain.
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(f"文件超过 {MAX_ROWS} 行，一次最多导入 {MAX_ROWS} 行，请分成几个文件")
    if not rows:
        raise ImportFileError("文件里没有任何内容，请检查是否选错了文件")
    headers, data = rows[0], rows[1:]
    if not data:
        raise ImportFileError("文件里只有表头，没有数据行")
    width = max(len(row) for row in rows)
    headers = [h or f"第{n}列" for n, h in enumerate(headers + [""] * (width - len(headers)), 1)]
    return Table(headers, [row + [""] * (width - len(row)) for row in data])
