"""A page's front matter as form fields, and back: the fields staff edit, the rest kept as is.

The editor shows title, type, summary, audience, reviewed and sources as a form and the
Markdown body as a text area. Every other key (tags, hide, search, pocket_sections…) and
its comments is carried over verbatim, so editing a page in the browser never loses what
a technical colleague wrote into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kiosk.kb.schema import SCHEMA_FIELDS, SCHEMA_TYPES
from kiosk.kb.yaml_lines import load_plain

EDITABLE: tuple[str, ...] = SCHEMA_FIELDS  # title, type, summary, audience, reviewed, sources
SOURCE_KEYS: tuple[str, ...] = ("title", "url", "issuer", "year")
# As kiosk.kb.pages reads it, except that the body starts right after the closing ---,
# blank lines included, so the text area holds exactly what follows it in the file.
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Parts:
    """A page split for the editor: the form's fields, the other front matter, the body."""

    fields: dict[str, Any] = field(default_factory=dict)
    extra: str = ""  # the front matter lines of every key the form does not edit
    body: str = ""
    raw: str | None = None  # the front matter as it was, reused when the fields are unchanged


def blocks(raw: str) -> list[tuple[str | None, str]]:
    """The front matter as (top-level key, its lines), comments going with the key below."""
    result: list[tuple[str | None, str]] = []
    pending: list[str] = []
    for line in raw.splitlines(keepends=True):
        match = TOP_LEVEL_KEY.match(line)
        if match:
            result.append((match.group(1), "".join(pending) + line))
            pending = []
        elif line.startswith((" ", "\t")) and result and not pending:
            key, text = result[-1]
            result[-1] = (key, text + line)
        else:
            pending.append(line)
    if pending:
        result.append((None, "".join(pending)))
    return result


def split(text: str) -> Parts:
    match = FRONT_MATTER.match(text)
    if not match:
        return Parts(body=text)
    raw = match.group(1)
    try:
        meta = load_plain(raw)
    except yaml.YAMLError:
        meta = None
    if not isinstance(meta, dict):
        # Unreadable front matter stays in the text area, where the checker's line applies.
        return Parts(body=text)
    fields = {key: meta.get(key) for key in EDITABLE}
    extra = "".join(lines for key, lines in blocks(raw) if key not in EDITABLE)
    return Parts(fields=fields, extra=extra, body=text[match.end() :], raw=raw)


class _IndentedDumper(yaml.SafeDumper):
    """List items indented under their key, as the pages in docs/ are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(key: str, value: Any) -> str:
    if value in (None, "", []):
        return f"{key}:\n"
    if key == "reviewed" and isinstance(value, str) and ISO_DATE.match(value):
        return f"{key}: {value}\n"  # a bare date, like every page in docs/
    return yaml.dump(
        {key: value},
        Dumper=_IndentedDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )


def compose(parts: Parts) -> str:
    """The page text: front matter from the fields and the kept lines, then the body."""
    fields = parts.fields
    body = parts.body.replace("\r\n", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    if parts.raw is not None and _same_fields(parts.raw, fields):
        return f"---\n{parts.raw}---\n{body}"
    required = EDITABLE if fields.get("type") in SCHEMA_TYPES else ("title", "type")
    lines = [
        _dump(key, fields.get(key))
        for key in EDITABLE
        # An empty required field is still written, so the checker's error has its line.
        if fields.get(key) not in (None, "", []) or key in required
    ]
    front = "".join(lines) + parts.extra
    return f"---\n{front}---\n{body}"


def _same_fields(raw: str, fields: dict[str, Any]) -> bool:
    try:
        meta = load_plain(raw)
    except yaml.YAMLError:
        return False
    if not isinstance(meta, dict):
        return False
    return all(_normal(meta.get(key)) == _normal(fields.get(key)) for key in EDITABLE)


def _normal(value: Any) -> Any:
    """Empty is empty, whether the file said `key:`, `key: ""` or nothing at all."""
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if v not in (None, "")}
    return value if isinstance(value, int | bool) else str(value)


def field_of_line(text: str, line: int) -> str:
    """Where the editor shows a problem on this line of the page: a field, "extra" or "body".

    Line 1 (the opening ---) is about the front matter as a whole: shown above the form.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return "body"
    body_start = text[: match.end()].count("\n") + 1
    if line >= body_start:
        return "body"
    if line <= 1:
        return "front"
    key = None
    for number, raw_line in enumerate(match.group(1).splitlines(), start=2):
        found = TOP_LEVEL_KEY.match(raw_line)
        if found:
            key = found.group(1)
        if number == line:
            break
    return key if key in EDITABLE else "extra"


def body_line(text: str, line: int) -> int:
    """The line in the editor's text area of a line of the page."""
    match = FRONT_MATTER.match(text)
    if not match:
        return line
    return line - text[: match.end()].count("\n")
