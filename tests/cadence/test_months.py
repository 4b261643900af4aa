"""Months and weeks in Beijing time, whatever the stored UTC value."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.cadence.months import BEIJING, Month, at, local_date
from kiosk.cadence.rules import Item, is_held

MONTHS = st.builds(Month, st.integers(2020, 2035), st.integers(1, 12))
UTC_MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@pytest.mark.parametrize(
    ("text", "expected"), [("2026-11", Month(2026, 11)), (" 2027-01 ", Month(2027, 1))]
)
def test_parse(text: str, expected: Month) -> None:
    assert Month.parse(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "11/2026", "", "1999-12"])
def test_parse_refuses_with_a_chinese_message(text: str) -> None:
    with pytest.raises(ValueError, match="月份格式应为 YYYY-MM"):
        Month.parse(text)


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (Month(2026, 11), date(2026, 11, 19)),
        (Month(2026, 12), date(2026, 12, 17)),
        (Month(2027, 1), date(2027, 1, 21)),
        (Month(2026, 10), date(2026, 10, 15)),  # the 1st is a Thursday
        (Month(2026, 4), date(2026, 4, 16)),  # the 1st is a Wednesday
    ],
)
def test_third_thursday_examples(month: Month, expected: date) -> None:
    assert month.third_thursday == expected


@pytest.mark.parametrize("year", range(2020, 2036))
def test_third_thursday_of_every_month_2020_to_2035(year: int) -> None:
    """Checked against the standard library's own calendar, month by month."""
    for number in range(1, 13):
        thursdays = [
            week[calendar.THURSDAY]
            for week in calendar.monthcalendar(year, number)
            if week[calendar.THURSDAY]
        ]
        day = Month(year, number).third_thursday
        assert day == date(year, number, thursdays[2])
        assert day.weekday() == 3 and 15 <= day.day <= 21


@given(MONTHS)
def test_month_bounds_are_beijing_midnights(month: Month) -> None:
    start = month.starts_at.astimezone(BEIJING)
    assert (start.day, start.hour, start.minute) == (1, 0, 0)
    assert month.starts_at.tzinfo is not None
    assert month.ends_at == month.next().starts_at
    assert month.next().previous() == month
    # Beijing has no daylight saving: a month is exactly its days long.
    assert month.ends_at - month.starts_at == timedelta(days=month.last_day.day)


@given(UTC_MOMENTS)
def test_a_utc_moment_belongs_to_its_beijing_month(moment: datetime) -> None:
    month = Month.of(moment)
    assert month.contains(moment)
    assert not month.next().contains(moment) and not month.previous().contains(moment)
    local = moment.astimezone(BEIJING)
    assert (month.year, month.month) == (local.year, local.month)


@given(UTC_MOMENTS)
def test_every_day_is_in_exactly_one_week(moment: datetime) -> None:
    month = Month.of(moment)
    weeks = month.weeks()
    assert 4 <= len(weeks) <= 6
    assert weeks[0].first == month.first_day and weeks[-1].last == month.last_day
    days = [d for w in weeks for d in _range(w.first, w.last)]
    assert days == month.days()
    assert all(w.last.weekday() == 6 for w in weeks[:-1])  # weeks end on Sunday
    week = month.week_of(moment)
    assert week.first <= local_date(moment) <= week.last


def _range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@given(MONTHS, st.integers(0, 59))
def test_a_session_across_the_month_boundary_belongs_to_the_month_it_starts_in(
    month: Month, minutes: int
) -> None:
    """23:30 on the last day to 00:30 on the 1st (Beijing): the earlier month, held once."""
    starts = at(month.last_day, datetime.min.time()) + timedelta(hours=23, minutes=minutes)
    ends = starts + timedelta(hours=1)
    assert Month.of(starts) == month
    assert Month.of(ends) == month.next()
    assert starts.tzinfo == UTC  # stored as UTC: 15:30 UTC the same day
    assert starts.astimezone(UTC).hour == 15
    item = Item("c", "worker", "planned", starts, ends, 1)
    assert not is_held(item, ends - timedelta(seconds=1))
    assert is_held(item, ends)


@given(UTC_MOMENTS)
def test_stored_utc_and_beijing_views_agree(moment: datetime) -> None:
    """The same instant given in UTC or in Beijing time lands in the same month and week."""
    local = moment.astimezone(BEIJING)
    assert Month.of(local) == Month.of(moment)
    assert Month.of(moment).week_of(local) == Month.of(moment).week_of(moment)


def test_nth_weekday_past_the_month_is_none() -> None:
    assert Month(2026, 2).nth_weekday(5, 0) is None  # February 2026 has four Mondays
    assert Month(2026, 3).nth_weekday(5, 0) == date(2026, 3, 30)
