"""A problem the checker found: the line it is on, how serious it is, and what to do."""

from __future__ import annotations

from typing import NamedTuple

ERROR, WARNING = "错误", "警告"


class Problem(NamedTuple):
    line: int
    level: str  # ERROR blocks publishing; WARNING does not
    message: str


def error(line: int, message: str) -> Problem:
    return Problem(line, ERROR, message)


def warning(line: int, message: str) -> Problem:
    return Problem(line, WARNING, message)
