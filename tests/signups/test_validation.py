"""Field rules for sign-ups: phone, name, free text, consent."""

from __future__ import annotations

import pytest
from flask import Flask

from kiosk.signups.validation import clean_name, normalise_phone, validate_signup

VALID_PHONES = [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),  # full-width digits
    ("+86 138 0013 8000", "13800138000"),
    ("+8613800138000", "13800138000"),
    ("0086-138-0013-8000", "13800138000"),
    ("＋86 138　0013　8000", "13800138000"),  # full-width plus and ideographic spaces
    ("138\u200b0013\u200b8000", "13800138000"),  # zero-width spaces pasted from chat
    ("19912345678", "19912345678"),
]

INVALID_PHONES = [
    ("", "请填写手机号"),
    ("   ", "请填写手机号"),
    ("1380013800", "手机号应为11位数字，现在是10位"),
    ("138001380001", "手机号应为11位数字，现在是12位"),
    ("12800138000", "这不是大陆手机号，手机号以13至19开头"),
    ("01062345678", "这不是大陆手机号，手机号以13至19开头"),  # a landline
    ("138oo138000", "手机号只能包含数字"),
    ("(138)00138000", "手机号只能包含数字"),
    ("+1 415 555 0100", "手机号只能包含数字"),
    ("٣٨٠٠١٣٨٠٠٠٠", "手机号只能包含数字"),  # Arabic-Indic digits are not ASCII digits
]


@pytest.mark.parametrize(("raw", "expected"), VALID_PHONES)
def test_phone_is_normalised(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == (expected, None)


@pytest.mark.parametrize(("raw", "message"), INVALID_PHONES)
def test_phone_errors_say_what_is_wrong(app: Flask, raw: str, message: str) -> None:
    with app.test_request_context():
        phone, error = normalise_phone(raw)
        assert str(error) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("  王 小 明 ", "王 小 明"),
        ("阿卜杜·热合曼", "阿卜杜·热合曼"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),  # bullet typed for the middle dot
        ("阿卜杜・热合曼", "阿卜杜·热合曼"),  # katakana middle dot
        ("李\u200b四", "李四"),  # zero-width space
        ("李\u202e四", "李四"),  # bidi override
        ("李\x07四", "李四"),  # control character
        ("Anna Müller", "Anna Müller"),
    ],
)
def test_name_is_cleaned(raw: str, expected: str) -> None:
    assert clean_name(raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请填写姓名"),
        ("\u200b\u200b", "请填写姓名"),
        ("张三3", "姓名只能包含文字和间隔号 ·"),
        ("<script>", "姓名只能包含文字和间隔号 ·"),
        ("张" * 31, "姓名不能超过 30 个字"),
    ],
)
def test_name_errors(app: Flask, raw: str, message: str) -> None:
    with app.test_request_context():
        assert str(clean_name(raw)[1]) == message


def test_name_limit_is_inclusive() -> None:
    assert clean_name("张" * 30) == ("张" * 30, None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": False}, "consent", "请阅读并同意隐私说明后再提交"),
        ({"consent": "false"}, "consent", "请阅读并同意隐私说明后再提交"),
        ({"occupation": ""}, "occupation", "请选择职业"),
        ({"occupation": "pilot"}, "occupation", "请从列表中选择职业"),
        ({"occupation": "other"}, "occupation_other", "选择“其他”时请写明职业"),
        ({"interests": ["yoga"]}, "interests", "请从列表中选择"),
        ({"employer": "x" * 61}, "employer", "不能超过 60 个字"),
        ({"client_time": "yesterday"}, "client_time", "时间格式不正确"),
        ({"client_time": "2026-11-21T10:00:00"}, "client_time", "时间需要带时区"),
        ({"id": "not-a-uuid"}, "id", "缺少有效的登记编号"),
    ],
)
def test_signup_field_errors(app: Flask, overrides: dict, field: str, message: str) -> None:
    from tests.conftest import signup_payload

    with app.test_request_context():
        _, errors = validate_signup(signup_payload("abc", **overrides))
        assert {k: str(v) for k, v in errors.items()} == {field: message}


def test_other_occupation_keeps_its_text_and_others_drop_it() -> None:
    from tests.conftest import signup_payload

    clean, errors = validate_signup(
        signup_payload("abc", occupation="other", occupation_other="  保洁员 ")
    )
    assert errors == {} and clean.person["occupation_other"] == "保洁员"
    clean, _ = validate_signup(signup_payload("abc", occupation_other="保洁员"))
    assert clean.person["occupation_other"] is None


def test_interests_are_deduplicated_in_a_stable_order() -> None:
    from tests.conftest import signup_payload

    clean, errors = validate_signup(
        signup_payload("abc", interests=["legal", "health_check", "legal"])
    )
    assert errors == {} and clean.person["interests"] == ["health_check", "legal"]


@pytest.mark.parametrize(
    "value",
    ["http://example.org", "=HYPERLINK(1)", "＝１＋１"],
    ids=["url", "formula", "fullwidth"],
)
def test_free_text_is_kept_verbatim_apart_from_width(value: str) -> None:
    """Exports neutralise formulas; validation must not silently rewrite what people typed."""
    from tests.conftest import signup_payload

    clean, errors = validate_signup(signup_payload("abc", area=value))
    assert errors == {}
    assert clean.person["area"] is not None and len(clean.person["area"]) == len(value)
