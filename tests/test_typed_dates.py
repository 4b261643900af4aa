"""Dates and times typed as text in 24-hour form: what is read, and what is refused."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.typed_dates import INPUTS, parse_datetime


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-10 14:00", datetime(2026, 12, 10, 14, 0)),
        ("2026-12-10T14:00", datetime(2026, 12, 10, 14, 0)),  # what datetime-local sent
        ("2026/12/10 9:05", datetime(2026, 12, 10, 9, 5)),
        (" 2026.12.10  14:00 ", datetime(2026, 12, 10, 14, 0)),
        ("２０２６－１２－１０　１４：００", datetime(2026, 12, 10, 14, 0)),  # full width
        ("2026-12-10 2:00 PM", None),  # 24-hour only
        ("12/10/2026 14:00", None),
        ("2026-02-30 14:00", None),
        ("2026-12-10 24:00", None),
        ("2026-12-10", None),
        ("", None),
    ],
)
def test_parse_datetime(typed: str, expected: datetime | None):
    assert parse_datetime(typed) == expected


@pytest.mark.parametrize("kind", list(INPUTS))
def test_inputs_are_text_whatever_the_locale(kind: str):
    assert INPUTS[kind]["type"] == "text"
    assert INPUTS[kind]["placeholder"].startswith("2026") or kind == "time"
