"""Page schema and Markdown parsing shared by the hooks, the checker and the page scaffolder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Every benefit page has these H2 sections, in this order. Readers learn where to look.
BENEFIT_SECTIONS: tuple[str, ...] = (
    "是什么",
    "谁可以享受",
    "怎么申请/领取",
    "在哪里、什么时间",
    "需要带什么",
    "咨询与联系",
    "来源与更新日期",
)

POLICY_SECTIONS: tuple[str, ...] = (
    "一句话说明",
    "和你有什么关系",
    "要点",
    "你可以怎么做",
    "来源与更新日期",
)

# Help guides (求助指南) answer "something went wrong, what now?" in the order a reader acts.
HELP_SECTIONS: tuple[str, ...] = (
    "先做什么",
    "一步一步",
    "要留的证据",
    "找谁",
    "时限",
    "来源与更新日期",
)

SECTIONS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "benefit": BENEFIT_SECTIONS,
    "policy": POLICY_SECTIONS,
    "help": HELP_SECTIONS,
}

PAGE_TYPES: frozenset[str] = frozenset(
    {"home", "guide", "benefit", "policy", "help", "generated", "faq", "privacy", "staff", "index"}
)

# Fields every benefit and policy page must carry in its front matter.
SCHEMA_FIELDS: tuple[str, ...] = ("title", "type", "summary", "audience", "reviewed", "sources")

# Folders under docs/ that are not pages: templates for new pages, data files, theme overrides.
NOT_PAGES: tuple[str, ...] = ("templates", "data", "overrides")


class PlainLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates and times as strings, so a bad date is reported, not raised."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_plain(text: str) -> object:
    """Parse YAML safely (PlainLoader only builds plain Python types)."""
    return yaml.load(text, Loader=PlainLoader)  # noqa: S506 - a SafeLoader subclass


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


def key_lines(text: str) -> dict[str, int]:
    """Map each top-level YAML key to its 1-based line within text."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}


def item_lines(text: str, key: str) -> list[dict[str, int]]:
    """For a top-level key holding a list of mappings, map each item's keys to lines."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, value in node.value:
        if getattr(k, "value", None) != key or not isinstance(value, yaml.SequenceNode):
            continue
        result = []
        for item in value.value:
            lines = {"": item.start_mark.line + 1}
            if isinstance(item, yaml.MappingNode):
                lines.update({ik.value: ik.start_mark.line + 1 for ik, _ in item.value})
            result.append(lines)
        return result
    return []


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
    text = path.read_text(encoding="utf-8")
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
