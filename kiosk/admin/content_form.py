"""The page editor's form: what staff typed, as front matter fields and a body, and where
each of the checker's problems is shown (next to its field, or its line of the body)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from kiosk.kb.front_matter import EDITABLE, SOURCE_KEYS, Parts, body_line, field_of_line
from kiosk.kb.problems import ERROR, Problem
from kiosk.text import clean_line

SCALAR_FIELDS = ("title", "type", "summary", "audience", "reviewed")
# The editor's names for the front matter fields (the checker's messages name the keys).
FIELD_LABELS = {
    "title": "标题",
    "type": "类型",
    "summary": "一句话摘要",
    "audience": "写给谁",
    "reviewed": "核对日期",
    "sources": "来源",
}
BLANK_SOURCE_ROWS = 2  # empty rows under the sources, to add one without JavaScript
MAX_SOURCE_ROWS = 50


@dataclass
class Placed:
    """The checker's problems, sorted by where the editor shows them."""

    fields: dict[str, list[Problem]] = field(default_factory=dict)  # per front matter field
    body: list[tuple[int, str, Problem]] = field(default_factory=list)  # line, its text, problem
    general: list[Problem] = field(default_factory=list)  # the page as a whole
    errors: int = 0
    warnings: int = 0


def _year(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def from_form(form: MultiDict[str, str], extra: str, raw: str | None) -> Parts:
    """Parts from the posted form. The front matter the form does not show (extra) comes
    from the text the editor started from, never from the browser."""
    fields: dict[str, Any] = {key: clean_line(form.get(key, "")) for key in SCALAR_FIELDS}
    sources = []
    for index in range(MAX_SOURCE_ROWS):
        row = {key: clean_line(form.get(f"sources-{index}-{key}", "")) for key in SOURCE_KEYS}
        if not any(row.values()):
            continue
        source: dict[str, Any] = {key: value for key, value in row.items() if value}
        if "year" in source:
            source["year"] = _year(source["year"])
        sources.append(source)
    fields["sources"] = sources
    return Parts(fields=fields, extra=extra, body=form.get("body", ""), raw=raw)


def source_rows(parts: Parts) -> list[dict[str, str]]:
    """The sources as form rows, with blank rows to add more."""
    rows = []
    for source in parts.fields.get("sources") or []:
        if isinstance(source, dict):
            rows.append(
                {key: "" if source.get(key) is None else str(source[key]) for key in SOURCE_KEYS}
            )
        else:
            rows.append({"title": str(source), "url": "", "issuer": "", "year": ""})
    return rows + [dict.fromkeys(SOURCE_KEYS, "")] * BLANK_SOURCE_ROWS


def field_values(parts: Parts) -> dict[str, str]:
    return {
        key: "" if parts.fields.get(key) is None else str(parts.fields[key])
        for key in SCALAR_FIELDS
    }


def place(text: str, problems: list[Problem]) -> Placed:
    placed = Placed()
    body_lines = text.splitlines()
    for problem in problems:
        if problem.level == ERROR:
            placed.errors += 1
        else:
            placed.warnings += 1
        where = field_of_line(text, problem.line)
        if where in EDITABLE:
            placed.fields.setdefault(where, []).append(problem)
        elif where == "body":
            shown = body_lines[problem.line - 1] if problem.line <= len(body_lines) else ""
            placed.body.append((body_line(text, problem.line), shown, problem))
        else:
            placed.general.append(problem)
    return placed
