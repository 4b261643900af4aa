"""Reading member lists: encodings Excel writes, XLSX cells, and every kind of bad file."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from kiosk.joined.reading import MAX_BYTES, MAX_ROWS, ImportFileError, read

ROWS = "姓名,手机号码,入会日期\r\n张三,13800138000,2026/11/05\r\n欧阳娜娜,13900139000,\r\n"


@pytest.mark.parametrize(
    "encoded",
    [
        ROWS.encode("utf-8"),
        ROWS.encode("utf-8-sig"),  # Excel's "CSV UTF-8"
        ROWS.encode("gbk"),  # Excel's plain "CSV" on Chinese Windows
        ROWS.encode("gb18030"),
        ROWS.replace(",", "\t").encode("utf-16"),  # Excel's "Unicode text"
        ROWS.replace(",", ";").encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16-tabs", "semicolons"],
)
def test_csv_in_the_encodings_excel_writes(encoded: bytes) -> None:
    table = read(encoded)
    assert table.headers == ["姓名", "手机号码", "入会日期"]
    assert table.rows == [["张三", "13800138000", "2026/11/05"], ["欧阳娜娜", "13900139000", ""]]


def test_a_short_gbk_file_is_not_read_as_korean() -> None:
    table = read("姓名,手机号\n欧阳娜娜,13800138000\n".encode("gbk"))
    assert table.rows == [["欧阳娜娜", "13800138000"]]


def test_a_rare_character_only_gb18030_has() -> None:
    table = read("姓名,手机号\n𠀀张,13800138000\n".encode("gb18030"))
    assert table.rows[0][0] == "𠀀张"


def _xlsx(*rows: list[object]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_as_text() -> None:
    data = _xlsx(
        ["姓名", "手机", "入会日期", "备注"],
        ["张三", 13800138000, datetime(2026, 11, 5, 9, 30), None],
        ["李四", 13900139000.0, "2026-11-06", "=1+1"],
    )
    table = read(data)
    assert table.rows == [
        ["张三", "13800138000", "2026-11-05", ""],
        ["李四", "13900139000", "2026-11-06", "=1+1"],  # a formula stays visible as one
    ]


def test_short_rows_are_padded_and_blank_headers_named() -> None:
    table = read("手机,\n13800138000,x,y\n\n,,\n".encode())
    assert table.headers == ["手机", "第2列", "第3列"]
    assert table.rows == [["13800138000", "x", "y"]]


def _many(rows: int) -> bytes:
    return ("手机\n" + "13800138000\n" * rows).encode()


def test_the_row_limit() -> None:
    assert len(read(_many(MAX_ROWS)).rows) == MAX_ROWS


def _docx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b" \r\n", "文件是空的"),
        ("手机号\n".encode(), "文件里只有表头，没有数据行"),
        (b"\n,,\n", "文件里没有任何内容"),
        (_many(100_000), f"文件超过 {MAX_ROWS} 行"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel（.xls）"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "文件类型不对"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "文件类型不对"),
        (_docx_like(), "无法打开这个文件"),
        (b"PK\x03\x04 truncated", "无法打开这个文件"),
        (b"x" * (MAX_BYTES + 1), "文件太大"),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "only-commas",
        "100000-rows",
        "xls",
        "pdf",
        "png",
        "docx",
        "broken-zip",
        "too-big",
    ],
)
def test_bad_files_get_one_chinese_sentence(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read(data)


def test_100000_rows_of_xlsx_are_refused() -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["手机"])
    for _ in range(MAX_ROWS + 5):
        sheet.append([13800138000])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFileError, match="一次最多导入"):
        read(buffer.getvalue())
