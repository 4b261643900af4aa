"""Reading uploaded lists: XLSX, UTF-8 CSV and Excel's GBK CSV, and files that cannot be read."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from kiosk.companies.reading import MAX_ROWS, UnreadableFile, decode_csv, read_table
from tests.companies.sample import HEADINGS, ROWS, csv_text, xlsx_bytes


@pytest.mark.parametrize(
    "encoded",
    [
        csv_text().encode("gbk"),  # Excel's "CSV (逗号分隔)" on Chinese Windows
        csv_text().encode("gb18030"),
        csv_text().encode("utf-8-sig"),  # Excel's "CSV UTF-8"
        csv_text().encode("utf-8"),
    ],
)
def test_csv_in_every_encoding_excel_writes(encoded: bytes) -> None:
    headings, rows = read_table(encoded, "名单.csv")
    assert headings == HEADINGS
    assert rows[0][0] == "美团瀛海配送站"
    assert rows[1][9] == "139 2345 6789"
    assert len(rows) == len(ROWS)


@pytest.mark.parametrize(("name", "encoding"), [("堃喆快递站", "gbk"), ("䶮记快递站", "gb18030")])
def test_characters_beyond_gb2312_read(name: str, encoding: str) -> None:
    """堃 and 喆 are GBK's, not GB2312's; 䶮 only GB18030's: decoding as the superset keeps them."""
    text = csv_text(rows=[[name, *ROWS[0][1:]]])
    assert decode_csv(text.encode(encoding)).splitlines()[1].startswith(name)


def test_xlsx_with_numbers_dates_and_a_trailing_empty_row() -> None:
    headings, rows = read_table(xlsx_bytes(), "名单.xlsx")
    assert headings == [*HEADINGS, "建会状态日期"]
    assert len(rows) == 4  # the empty row is dropped
    assert rows[0][5] == 12  # a number stays a number
    assert rows[3][12] == "2025-06-18"  # a date cell becomes an ISO date
    assert rows[0][12] is None  # short rows are padded to the headings


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "文件是空的"),
        (b"PK\x03\x04 not really", "a.xlsx", "这不是一个能打开的 Excel（.xlsx）文件"),
        (
            b"\xd0\xcf\x11\xe0",
            "a.xls",
            "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入",
        ),
        (b"name\n", "a.txt", "只能导入 Excel（.xlsx）或 CSV 文件"),
        (b"\r\n\r\n", "a.csv", "文件里没有内容"),
        (
            b"\x00\xff\xfe\x00" * 50,
            "a.csv",
            "认不出文件的编码，请在 Excel 中另存为“CSV UTF-8”后再导入",
        ),
    ],
)
def test_unreadable_files_say_why(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_table(data, filename)
    assert str(caught.value) == message


def test_too_many_rows() -> None:
    body = "企业名称\r\n" + "某公司\r\n" * (MAX_ROWS + 1)
    with pytest.raises(
        UnreadableFile, match=f"一次最多导入{MAX_ROWS}行，这个文件有{MAX_ROWS + 1}行"
    ):
        read_table(body.encode(), "a.csv")


def test_only_the_first_sheet_is_read() -> None:
    workbook = Workbook()
    workbook.active.append(["企业名称"])
    workbook.active.append(["第一张表的公司"])
    workbook.create_sheet("其他").append(["别的"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "a.xlsx") == (["企业名称"], [["第一张表的公司"]])
