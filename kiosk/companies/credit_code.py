"""The 统一社会信用代码 (unified social credit code): normalise it and say what is wrong with it.

The rules are those of GB 32100-2015《法人和其他组织统一社会信用代码编码规则》:

- 18 characters from a 31-character set: the digits and the capital letters
  without I, O, Z, S and V (they are too easily read as 1, 0, 2, 5 and U);
- position 1, the registration authority (登记管理部门代码), and position 2, the
  kind of organisation it registers (机构类别代码), from the standard's tables;
- positions 3–8, the registering office's administrative division (GB/T 2260), digits;
- positions 9–17, the organisation code (组织机构代码) of GB 11714-1997, whose last
  character is its own check digit: weights 3, 7, 9, 10, 5, 8, 4, 2 over the first
  eight characters (letters count A=10 … Z=35), C9 = 11 − (Σ mod 11), where 10 is
  written X and 11 is written 0;
- position 18, the check digit: each of the first 17 characters' values (its place
  in the character set) times the weight 3^(i−1) mod 31, summed; the check digit is
  the character whose value is 31 − (Σ mod 31), with 31 written 0.

Messages name the position that is wrong, or the check digit, and never suggest
the "right" check digit: a code with one mistyped character would be "fixed" by
changing a correct check digit instead.
"""

from __future__ import annotations

import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
VALUES = {char: value for value, char in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, …, 28
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997
LENGTH = 18

# 登记管理部门代码 and, under each, its 机构类别代码 (GB 32100-2015 and the codes
# assigned under it since; 8 is the trade unions' own, for 基层工会).
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台旅游部门常驻代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}

_SEPARATORS = str.maketrans("", "", " \t-‐‑‒–—")


def normalise(raw: str) -> str:
    """Full-width characters, lower case, spaces and dashes: how people type it."""
    return unicodedata.normalize("NFKC", raw).translate(_SEPARATORS).upper()


def check_digit(first17: str) -> str:
    """The 18th character for these 17 (all from CHARSET)."""
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_check_digit(body8: str) -> str:
    """The 9th character of a GB 11714 organisation code for its first eight."""
    total = sum(_org_value(c) * w for c, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def problem(code: str) -> str | None:
    """What is wrong with a normalised code, in Chinese; None if it is valid."""
    if not code:
        return "请填写统一社会信用代码"
    if len(code) != LENGTH:
        return f"统一社会信用代码应为18位，现在是{len(code)}位"
    for position, char in enumerate(code, start=1):
        if char in "IOZSV":
            return f"第{position}位是“{char}”：统一社会信用代码不使用字母 I、O、Z、S、V"
        if char not in VALUES:
            return f"第{position}位“{char}”不对：统一社会信用代码只有数字和大写字母"
    if code[0] not in AUTHORITIES:
        return f"第1位（登记管理部门代码）不能是“{code[0]}”"
    authority, kinds = AUTHORITIES[code[0]]
    if code[1] not in kinds:
        return f"第2位（机构类别代码）“{code[1]}”不是{authority}部门登记的机构类别"
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            return f"第{position}位应为数字：第3至8位是登记机关的行政区划代码"
    if org_check_digit(code[8:16]) != code[16]:
        return "第17位（组织机构代码的校验码）与第9至16位不符，请核对第9至17位"
    if check_digit(code[:17]) != code[17]:
        return "第18位（校验码）与前17位不符，请逐位核对"
    return None


def clean(raw: object) -> tuple[str, str | None]:
    """The normalised code and what is wrong with it (None when valid)."""
    if raw is None:
        return "", problem("")
    code = normalise(str(raw))
    return code, problem(code)
