"""Valid 统一社会信用代码 for tests, built from the standard's tables, not from kiosk's code.

GB 32100-2015 lists the weights of positions 1–17 as 1, 3, 9, 27, 19, 26, 16, 17,
20, 29, 25, 13, 8, 24, 10, 30, 28; GB 11714-1997 the organisation code's as
3, 7, 9, 10, 5, 8, 4, 2.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_check(body: str) -> str:
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, ORG_WEIGHTS, strict=True)
    )
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def final_check(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def code(head: str = "91110115", body: str = "MA01AB2C") -> str:
    """Registration authority, kind and division (8), organisation code body (8), checks."""
    first17 = head + body + org_check(body)
    return first17 + final_check(first17)


# A few companies' codes, one per line of a list.
MEITUAN_STATION = code("91110115", "MA01AB2C")
SF_DEPOT = code("91110115", "MA02CD3E")
DIDI_FLEET = code("91110105", "MA03EF4G")
HOUSEKEEPING = code("92110115", "L1234567")  # 个体工商户
