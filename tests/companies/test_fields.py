"""The one validation path for a company: the form's input and every imported row."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from kiosk.companies.fields import clean, parse_date
from tests.companies.codes import MEITUAN_STATION

GOOD = {"name": "美团瀛海配送站", "credit_code": MEITUAN_STATION, "industry": "外卖配送"}


def test_a_good_row_is_cleaned(app: Flask) -> None:
    raw = {
        **GOOD,
        "credit_code": MEITUAN_STATION.lower(),
        "platform_relation": "加盟商/配送站",
        "headcount": "1,200",
        "gig_workers": 80.0,
        "contact_name": " 王 站长 ",
        "contact_phone": "+86 139-1234-5678",
        "union_status": "筹建中",
        "union_status_on": "2026年11月3日",
    }
    with app.test_request_context():
        values, errors = clean(raw)
    assert errors == {}
    assert values["credit_code"] == MEITUAN_STATION
    assert values["industry"] == "food_delivery"
    assert values["platform_relation"] == "franchise"
    assert (values["headcount"], values["gig_workers"]) == (1200, 80)
    assert values["contact_phone"] == "13912345678"
    assert values["union_status"] == "preparing"
    assert values["union_status_on"] == date(2026, 11, 3)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "请填写企业名称"),
        ("name", "企" * 101, "企业名称不能超过100个字，现在是101个字"),
        ("credit_code", "", "请填写统一社会信用代码"),
        ("credit_code", "9111011", "统一社会信用代码应为18位，现在是7位"),
        (
            "credit_code",
            9.11101156e17,
            "统一社会信用代码被 Excel 存成了数字，末几位可能已丢失：请把这一列设为“文本”后重新填写",
        ),
        ("industry", "", "请填写行业"),
        ("industry", "餐饮", "行业应为：快递、外卖配送、网约车、货运、家政、其他（现在是“餐饮”）"),
        (
            "platform_relation",
            "直营",
            "与平台关系应为：平台企业、加盟商/配送站、劳务外包、其他（现在是“直营”）",
        ),
        ("headcount", "十二", "职工人数应为整数（现在是“十二”）"),
        ("headcount", "-3", "职工人数不能是负数"),
        ("gig_workers", 2.5, "新就业形态劳动者人数应为整数（现在是“2.5”）"),
        ("contact_phone", "1391234567", "联系人手机：手机号应为11位数字，现在是10位"),
        ("contact_phone", "010-12345678", "联系人手机：这不是大陆手机号，手机号以13至19开头"),
        ("contact_phone", "23912345678", "联系人手机：这不是大陆手机号，手机号以13至19开头"),
        ("contact_name", "王站长123", "联系人：姓名只能包含文字和间隔号 ·"),
        ("union_status", "已经建了", "建会状态应为：未建会、筹建中、已建会（现在是“已经建了”）"),
        ("union_status_on", "下个月", "建会状态日期应为日期，例如 2026-11-21（现在是“下个月”）"),
        (
            "union_status_on",
            "2026-02-30",
            "建会状态日期应为日期，例如 2026-11-21（现在是“2026-02-30”）",
        ),
        ("notes", "备" * 2001, "备注不能超过2000个字，现在是2001个字"),
    ],
)
def test_each_problem_has_a_chinese_message(
    app: Flask, field: str, value: object, message: str
) -> None:
    with app.test_request_context():
        _values, errors = clean({**GOOD, field: value})
    assert errors == {field: message}


def test_the_phone_uses_the_sign_up_normalisation(app: Flask) -> None:
    """The same function as the kiosk's form: a number typed either way is the same number."""
    from kiosk.signups.validation import normalise_phone

    with app.test_request_context():
        for typed in ("139 1234 5678", "+8613912345678", "0086-139-1234-5678", 13912345678):
            values, errors = clean({**GOOD, "contact_phone": typed})
            assert errors == {}
            assert values["contact_phone"] == normalise_phone("13912345678")[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-21", date(2026, 11, 21)),
        ("2026/1/5", date(2026, 1, 5)),
        ("2026.01.05", date(2026, 1, 5)),
        ("2026年1月5日", date(2026, 1, 5)),
        ("２０２６－１－５", date(2026, 1, 5)),
        ("21/11/2026", None),
        ("", None),
    ],
)
def test_dates_as_people_write_them(raw: str, expected: date | None) -> None:
    assert parse_date(raw) == expected
