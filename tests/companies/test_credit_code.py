"""统一社会信用代码 (GB 32100-2015): valid codes built by computing their check digits, and
tables of invalid ones, each with the Chinese message staff see."""

from __future__ import annotations

import pytest

from kiosk.companies.credit_code import (
    AUTHORITIES,
    WEIGHTS,
    check_digit,
    clean,
    org_check_digit,
)
from tests.companies.codes import ALPHABET, code, final_check, org_check

VALID = [
    code("91110115", "MA01AB2C"),  # 工商 · 企业, 北京市大兴区
    code("92110115", "L1234567"),  # 工商 · 个体工商户
    code("93110115", "MA0X1Y2B"),  # 工商 · 农民专业合作社
    code("81110105", "MA00UN10"),  # 工会 · 基层工会
    code("51110000", "50000001"),  # 民政 · 社会团体
    code("12100000", "40000000"),  # 机构编制 · 事业单位, 中央
    code("31110000", "E1234567"),  # 司法行政 · 律师执业机构
    code("N2110115", "MA0C3D4E"),  # 农业 · 村级集体经济组织
    code("Y1110000", "MA0F5G6H"),  # 其他
    code("A1110000", "MA0J7K8L"),  # 军委改革和编制办公室 · 军队事业单位
]


@pytest.mark.parametrize("valid", VALID)
def test_codes_with_computed_check_digits_are_valid(valid: str) -> None:
    assert clean(valid) == (valid, None)


def test_weights_are_the_standards() -> None:
    assert list(WEIGHTS) == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.mark.parametrize("valid", VALID)
def test_both_check_digits_agree_with_the_standard(valid: str) -> None:
    assert org_check_digit(valid[8:16]) == org_check(valid[8:16]) == valid[16]
    assert check_digit(valid[:17]) == final_check(valid[:17]) == valid[17]


def test_every_final_check_value_is_reachable() -> None:
    """Sweeping one character of the body hits check digits 0 and Y (the 31 → 0 wrap)."""
    seen = {final_check("9111011500000000" + c) for c in ALPHABET}
    seen |= {final_check("91110115" + c * 8 + "0") for c in ALPHABET}
    assert {"0", "Y"} <= seen


def test_org_check_digits_ten_and_eleven() -> None:
    """GB 11714: a remainder of 10 is written X, of 11 (i.e. 0) is written 0."""
    bodies = [f"{n:08d}" for n in range(200)]
    assert {org_check_digit(b) for b in bodies} >= {"X", "0"}
    for body in bodies:
        assert org_check_digit(body) == org_check(body)


@pytest.mark.parametrize(
    "typed",
    [
        "91110115ma01ab2c3y",  # lower case
        "9111 0115 MA01 AB2C 3Y",  # grouped with spaces
        "９１１１０１１５ＭＡ０１ＡＢ２Ｃ３Ｙ",  # full-width, from a Chinese input method
        "91110115-MA01AB2C-3Y",
    ],
)
def test_what_people_type_is_normalised(typed: str) -> None:
    assert clean(typed) == ("91110115MA01AB2C3Y", None)


GOOD = code("91110115", "MA01AB2C")  # 91110115MA01AB2C3Y


def _with(position: int, char: str, base: str = GOOD) -> str:
    return base[: position - 1] + char + base[position:]


def _wrong_org_check(base: str = GOOD) -> str:
    """Position 17 wrong, position 18 recomputed: only the organisation code's check fails."""
    wrong = next(c for c in "0123456789X" if c != base[16])
    first17 = base[:16] + wrong
    return first17 + final_check(first17)


INVALID = [
    ("", "请填写统一社会信用代码"),
    ("   ", "请填写统一社会信用代码"),
    (GOOD[:17], "统一社会信用代码应为18位，现在是17位"),
    (GOOD + "1", "统一社会信用代码应为18位，现在是19位"),
    ("91110115", "统一社会信用代码应为18位，现在是8位"),
    (_with(9, "I"), "第9位是“I”：统一社会信用代码不使用字母 I、O、Z、S、V"),
    (_with(10, "O"), "第10位是“O”：统一社会信用代码不使用字母 I、O、Z、S、V"),
    (_with(12, "Z"), "第12位是“Z”：统一社会信用代码不使用字母 I、O、Z、S、V"),
    (_with(13, "S"), "第13位是“S”：统一社会信用代码不使用字母 I、O、Z、S、V"),
    (_with(18, "V"), "第18位是“V”：统一社会信用代码不使用字母 I、O、Z、S、V"),
    (_with(11, "#"), "第11位“#”不对：统一社会信用代码只有数字和大写字母"),
    (_with(4, "。"), "第4位“。”不对：统一社会信用代码只有数字和大写字母"),
    (_with(1, "B"), "第1位（登记管理部门代码）不能是“B”"),
    (_with(1, "0"), "第1位（登记管理部门代码）不能是“0”"),
    (_with(2, "4"), "第2位（机构类别代码）“4”不是工商部门登记的机构类别"),
    (_with(2, "9"), "第2位（机构类别代码）“9”不是工商部门登记的机构类别"),
    ("8" + _with(2, "2")[1:], "第2位（机构类别代码）“2”不是工会部门登记的机构类别"),
    ("Y" + _with(2, "9")[1:], "第2位（机构类别代码）“9”不是其他部门登记的机构类别"),
    (_with(3, "A"), "第3位应为数字：第3至8位是登记机关的行政区划代码"),
    (_with(8, "K"), "第8位应为数字：第3至8位是登记机关的行政区划代码"),
    (_wrong_org_check(), "第17位（组织机构代码的校验码）与第9至16位不符，请核对第9至17位"),
    (_with(12, "D"), "第17位（组织机构代码的校验码）与第9至16位不符，请核对第9至17位"),
    (_with(18, "0"), "第18位（校验码）与前17位不符，请逐位核对"),
    (_with(3, "2"), "第18位（校验码）与前17位不符，请逐位核对"),  # a typo in the division
    # Two neighbours swapped in the division: only the final check digit sees it.
    (GOOD[:4] + GOOD[5] + GOOD[4] + GOOD[6:], "第18位（校验码）与前17位不符，请逐位核对"),
]


@pytest.mark.parametrize(("typed", "message"), INVALID)
def test_invalid_codes_say_what_is_wrong(typed: str, message: str) -> None:
    assert clean(typed)[1] == message


def test_every_authority_accepts_only_its_own_kinds() -> None:
    for authority, (_name, kinds) in AUTHORITIES.items():
        for kind in ALPHABET:
            first17 = authority + kind + "110115" + "MA01AB2C" + org_check("MA01AB2C")
            problem = clean(first17 + final_check(first17))[1]
            assert (problem is None) == (kind in kinds), (authority, kind, problem)
