"""The rules: held, still planned, the district session, and the month's status."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.cadence import rules
from kiosk.cadence.months import Month, at
from kiosk.cadence.quotas import DEFAULTS, Required

NOV = Month(2026, 11)
MID = datetime(2026, 11, 16, 4, 0, tzinfo=UTC)  # Monday 16 Nov, 12:00 Beijing
STREET = DEFAULTS["subdistrict"]


def item(code: str, kind: str, day: int, status: str = "planned", org: int = 1) -> rules.Item:
    starts = at(NOV.first_day.replace(day=day), time(14))
    return rules.Item(code, kind, status, starts, starts + timedelta(hours=2), org)


@pytest.mark.parametrize(
    ("status", "ended", "held"),
    [
        ("planned", True, True),  # its time passed and nobody cancelled it
        ("open", True, True),
        ("closed", False, True),  # staff closed it early
        ("closed", True, True),
        ("planned", False, False),
        ("open", False, False),
        ("cancelled", True, False),  # never counted
        ("cancelled", False, False),
    ],
)
def test_held_means_ended_and_not_cancelled(status: str, ended: bool, held: bool) -> None:
    session = item("a", "worker", 10, status)
    now = session.ends_at + timedelta(minutes=1) if ended else session.starts_at
    assert rules.is_held(session, now) is held
    assert rules.is_still_planned(session, now) is (not held and status != "cancelled")


def _row(items, quota: Required = STREET, now: datetime = MID, district=()) -> rules.Row:
    return rules.row(1, "高米店街道总工会", "subdistrict", quota, items, district, NOV, now)


def test_met_when_every_figure_is_reached() -> None:
    held = [item(f"w{d}", "worker", d, "closed") for d in (3, 5, 10, 12)]
    held += [item("e1", "enterprise", 4, "closed"), item("e2", "enterprise", 11, "closed")]
    row = _row(held)
    assert row.status == "met"
    assert row.worker.held == ["w3", "w5", "w10", "w12"]
    assert row.district_session is None  # not required of a street by default


def test_on_track_when_the_plan_reaches_the_quota() -> None:
    items = [item("w1", "worker", 3, "closed")] + [item(f"w{d}", "worker", d) for d in (17, 24, 26)]
    items += [item("e1", "enterprise", 18), item("e2", "enterprise", 25)]
    row = _row(items)
    assert row.status == "on_track"
    assert (len(row.worker.held), row.worker.planned) == (1, ["w17", "w24", "w26"])


def test_at_risk_when_held_plus_planned_cannot_reach_it() -> None:
    items = [item("w1", "worker", 3, "closed"), item("w2", "worker", 24)]
    items += [item("e1", "enterprise", 18), item("e2", "enterprise", 25)]
    assert _row(items).status == "at_risk"


def test_cancelled_sessions_are_kept_but_never_counted() -> None:
    items = [item(f"w{d}", "worker", d, "closed") for d in (3, 5, 10)]
    items += [item("wx", "worker", 12, "cancelled")]
    items += [item("e1", "enterprise", 4, "closed"), item("e2", "enterprise", 11, "closed")]
    row = _row(items)
    assert row.worker.cancelled == ["wx"] and len(row.worker.held) == 3
    assert row.status == "at_risk"


def test_missed_once_the_month_is_over() -> None:
    items = [item("w1", "worker", 3, "closed")]
    after = NOV.ends_at
    assert _row(items, now=after).status == "missed"
    assert _row(items, now=after - timedelta(seconds=1)).status == "at_risk"


def test_a_session_in_another_month_does_not_count() -> None:
    october = rules.Item(
        "old", "worker", "closed", NOV.starts_at - timedelta(hours=1), NOV.starts_at, 1
    )
    assert _row([october]).worker.held == []


DISTRICT = DEFAULTS["district"]


def test_district_session_must_be_on_the_third_thursday() -> None:
    on = item("d1", "district", 19, "closed", org=9)  # 19 Nov 2026 is the third Thursday
    off = item("d2", "district", 12, "closed", org=9)
    district_row = rules.row(
        9, "大兴区总工会", "district", DISTRICT, [on, off], [on, off], NOV, MID
    )
    assert district_row.district.held == ["d1"]
    assert district_row.district_session is True
    assert district_row.status == "met"
    without = rules.row(9, "大兴区总工会", "district", DISTRICT, [off], [off], NOV, MID)
    assert without.district_session is False
    assert without.status == "at_risk"  # nothing planned on the third Thursday


def test_a_street_that_must_join_the_district_session() -> None:
    quota = Required(4, 2, district_session=True)
    planned = item("d1", "district", 19, org=9)
    assert _row([], quota, district=[planned]).district.planned == ["d1"]
    held = item("d1", "district", 19, "closed", org=9)
    assert _row([], quota, district=[held]).district_session is True


def test_shortfalls_sort_first() -> None:
    met = _row([item(f"w{d}", "worker", d, "closed") for d in (2, 3, 4, 5)], Required(4, 0, False))
    risk = _row([], Required(4, 0, False))
    risk.org = "A"
    assert sorted([met, risk], key=rules.sort_key) == [risk, met]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["worker", "enterprise"]),
            st.integers(1, 30),
            st.sampled_from(["planned", "open", "closed", "cancelled"]),
        ),
        max_size=12,
    ),
    st.integers(0, 40),
)
def test_status_follows_the_definitions(specs, day: int) -> None:
    items = [item(f"s{n}", kind, d, status) for n, (kind, d, status) in enumerate(specs)]
    now = NOV.starts_at + timedelta(days=day)
    row = _row(items, now=now)
    figures = (row.worker, row.enterprise)
    for figure in figures:
        assert not set(figure.held) & set(figure.planned)
        assert len(figure.held) + len(figure.planned) + len(figure.cancelled) <= len(items)
    if all(f.met for f in figures):
        assert row.status == "met"
    elif now >= NOV.ends_at:
        assert row.status == "missed"
    elif any(len(f.held) + len(f.planned) < f.required for f in figures):
        assert row.status == "at_risk"
    else:
        assert row.status == "on_track"
