"""A Markdown page split into front matter and body, with the line of every key and heading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.kb.schema import NOT_PAGES
from kiosk.kb.yaml_lines import key_lines, load_plain

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.DOTALL)
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*(?:\{[^}]*\})?\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Heading:
    level: int
    text: str
    line: int


@dataclass
class Page:
    """One Markdown page: its front matter, where each key sits, and its body."""

    path: Path
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    body: str
    body_start: int  # 1-based line number of the first body line
    headings: list[Heading] = field(default_factory=list)
    meta_error: str | None = None
    meta_text: str = ""


def parse_headings(body: str, first_line: int) -> list[Heading]:
    """Collect ATX headings outside code fences, with their line numbers in the file."""
    headings: list[Heading] = []
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match:
            headings.append(Heading(len(match.group(1)), match.group(2), first_line + offset))
    return headings


def read_page(path: Path) -> Page:
    """Split a page into front matter and body, keeping line numbers for error messages."""
    return parse_page(path, path.read_text(encoding="utf-8"))


def parse_page(path: Path, text: str) -> Page:
    """Split the text of the page at path (which may not be written yet), as read_page does."""
    match = FRONT_MATTER.match(text)
    if not match:
        page = Page(
            path, {}, {}, text, 1, meta_error="缺少文件开头的 front matter（--- 包起来的信息块）"
        )
        page.headings = parse_headings(text, 1)
        return page
    raw = match.group(1)
    meta_error = None
    try:
        meta = load_plain(raw) or {}
    except yaml.YAMLError as exc:
        meta, meta_error = {}, f"front matter 不是有效的 YAML：{exc}"
    if not isinstance(meta, dict):
        meta, meta_error = {}, "front matter 必须是“键: 值”的形式"
    lines = {key: line + 1 for key, line in key_lines(raw).items()}  # +1 for the opening ---
    body_start = text[: match.end()].count("\n") + 1
    body = text[match.end() :]
    page = Page(path, meta, lines, body, body_start, meta_error=meta_error, meta_text=raw)
    page.headings = parse_headings(body, body_start)
    return page


def sections(body: str, level: int = 2) -> dict[str, str]:
    """Return the Markdown under each heading of the given level, keyed by heading text."""
    result: dict[str, str] = {}
    current: str | None = None
    buffer: list[str] = []
    in_fence = False
    for line in body.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match and len(match.group(1)) <= level:
            if current is not None:
                result[current] = "\n".join(buffer).strip()
            current = match.group(2) if len(match.group(1)) == level else None
            buffer = []
        elif current is not None:
            buffer.append(line)
    if current is not None:
        result[current] = "\n".join(buffer).strip()
    return result


def iter_pages(docs_dir: Path) -> list[Path]:
    """All Markdown pages under docs_dir, skipping templates, data and theme overrides."""
    pages = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir)
        if rel.parts[0] in NOT_PAGES or any(p.startswith(".") for p in rel.parts):
            continue
        pages.append(path)
    return pages
