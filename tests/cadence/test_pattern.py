"""Reading a month's pattern, and what it expands to."""

from __future__ import annotations

from datetime import date, time

import pytest
import yaml

from kiosk.cadence.months import BEIJING, Month
from kiosk.cadence.pattern import PatternError, expand, parse

EXAMPLE = """
sessions:
  - kind: worker
    weekday: 2
    weeks: every
    start: "14:00"
    end: "17:00"
    site: 首航超市
  - kind: enterprise
    weekday: 周三
    weeks: [2, 4]
    start: 09:30
    end: 11:30
  - kind: district
    weekday: thursday
    weeks: [3]
    start: "14:00"
    end: "16:00"
"""


def test_the_issues_example_month() -> None:
    rules = parse(yaml.safe_load(EXAMPLE))
    assert rules[1].start == time(9, 30)  # unquoted 09:30 is 570 minutes to YAML 1.1
    slots = expand(rules, Month(2026, 12))
    local = [(s.kind, s.starts_at.astimezone(BEIJING).date()) for s in slots]
    assert [d for k, d in local if k == "worker"] == [date(2026, 12, d) for d in (1, 8, 15, 22, 29)]
    assert [d for k, d in local if k == "enterprise"] == [date(2026, 12, 9), date(2026, 12, 23)]
    assert [d for k, d in local if k == "district"] == [Month(2026, 12).third_thursday]
    first = slots[0]
    assert first.starts_at.astimezone(BEIJING).time() == time(14) and first.site == "首航超市"
    assert (first.ends_at - first.starts_at).seconds == 3 * 3600


BASE = {"kind": "worker", "weekday": 1, "start": "9:00", "end": "10:00"}


def one(**changes: object) -> dict[str, object]:
    """A pattern of one rule: BASE with some fields changed."""
    return {"sessions": [{**BASE, **changes}]}


def test_fifth_weekday_only_where_the_month_has_one() -> None:
    rules = parse(one(weeks=[5]))
    assert expand(rules, Month(2026, 2)) == []
    assert len(expand(rules, Month(2026, 3))) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "应包含 sessions 列表"),
        ({"sessions": []}, "没有任何场次"),
        ({"sessions": ["x"]}, "第 1 条"),
        ({"sessions": [{"kind": "party"}]}, "类型应为"),
        (one(weekday=8), "星期"),
        (one(start="25:00", end="26:00"), "开始时间"),
        (one(start="10:00", end="09:00"), "结束时间必须晚于"),
        (one(weeks=[0, 6]), "weeks"),
        (one(weeks="abc"), "weeks"),
        (one(site="长" * 101), "点位不能超过"),
        ({"sessions": [BASE] * 21}, "最多 20 条"),
    ],
)
def test_bad_patterns_are_refused_in_chinese(data: object, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        parse(data)


@pytest.mark.parametrize("weekday", [4, "4", "周四", "星期四", "Thursday", "thursday"])
def test_weekday_spellings(weekday: object) -> None:
    [rule] = parse(one(kind="district", weekday=weekday, weeks="3", start="14:00", end="16:00"))
    assert rule.weekday == 3 and rule.weeks == (3,)
    assert rule.describe() == "每月第3个周四 14:00–16:00（区级沟通会）"


def test_the_same_slot_twice_is_one_session() -> None:
    entry = {"kind": "worker", "weekday": 2, "start": "14:00", "end": "17:00"}
    assert len(expand(parse({"sessions": [entry, entry]}), Month(2026, 12))) == 5
