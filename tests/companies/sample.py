"""A small company list as union staff keep it in Excel, for the import tests."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook

from tests.companies.codes import DIDI_FLEET, HOUSEKEEPING, MEITUAN_STATION, SF_DEPOT

HEADINGS = [
    "企业名称",
    "统一社会信用代码",
    "行业",
    "与平台关系",
    "地址",
    "职工人数",
    "新就业形态劳动者人数",
    "联系人",
    "联系人职务",
    "联系人手机",
    "建会状态",
    "备注",
]
ROWS = [
    [
        "美团瀛海配送站",
        MEITUAN_STATION,
        "外卖配送",
        "加盟商/配送站",
        "北京市大兴区瀛海镇兴海路",
        "12",
        "86",
        "王站长",
        "站长",
        "13912345678",
        "未建会",
        "晨会 8:30",
    ],
    [
        "顺丰瀛海营业部",
        SF_DEPOT,
        "快递",
        "平台企业",
        "北京市大兴区瀛海镇南海子",
        "40",
        "35",
        "刘经理",
        "经理",
        "139 2345 6789",
        "筹建中",
        "",
    ],
    ["滴滴瀛海车队服务站", DIDI_FLEET, "网约车", "劳务外包", "", "", "120", "", "", "", "", ""],
    [
        "瀛海家政服务部",
        HOUSEKEEPING,
        "家政",
        "其他",
        "",
        "5",
        "5",
        "张女士",
        "负责人",
        "+86 137 0000 1111",
        "已建会",
        "2025 年已建会",
    ],
]


def csv_text(headings: list[str] = HEADINGS, rows: list[list[str]] = ROWS) -> str:
    lines = [",".join(headings)] + [",".join(row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def xlsx_bytes(headings: list[str] = HEADINGS, rows: list[list[object]] = ROWS) -> bytes:
    """The same list in a workbook; numbers as numbers, as Excel keeps them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append(
            [int(c) if isinstance(c, str) and c.isdigit() and len(c) < 6 else c for c in row]
        )
    sheet.append([])  # a trailing empty row, as Excel often leaves
    sheet["M1"] = "建会状态日期"
    sheet["M5"] = datetime(2025, 6, 18)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
