"""Check the knowledge base before publishing: front matter, sections, dates, links, data files.

Each problem is reported on its line, as an error (blocks publishing) or a warning (content
not reviewed for 12 months).
"""

from __future__ import annotations

import posixpath
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pymdownx.slugs import slugify

from kiosk.kb.data_check import DATA_CHECKS
from kiosk.kb.pages import Page, iter_pages, parse_page, read_page
from kiosk.kb.problems import Problem, error, warning
from kiosk.kb.schema import (
    BENEFIT_SECTIONS,
    PAGE_TYPES,
    POCKET_FIELD,
    POCKET_MARKER,
    SCHEMA_FIELDS,
    SCHEMA_TYPES,
    SECTIONS_BY_TYPE,
    SOURCES_MARKER,
)
from kiosk.kb.yaml_lines import item_lines

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
INLINE_CODE = re.compile(r"`[^`]*`")
EXPLICIT_ID = re.compile(r"\{[^}]*#([^\s}]+)[^}]*\}\s*$")
heading_slug = slugify(case="lower")


def parse_reviewed(value: Any) -> date | None:
    """YAML turns a valid YYYY-MM-DD into a date; anything else stays a string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def check_fields(page: Page, today: date) -> list[Problem]:
    meta, lines = page.meta, page.meta_lines
    problems: list[Problem] = []
    kind = meta.get("type")
    required = ["title", "type"]
    if kind in SCHEMA_TYPES:
        required = list(SCHEMA_FIELDS)
    if kind == "privacy":
        required.append("version")
    for key in required:
        if key not in meta:
            problems.append(error(1, f"缺少字段“{key}”"))
        elif meta[key] in (None, "", []):
            problems.append(error(lines.get(key, 1), f"字段“{key}”不能为空"))
    if kind and kind not in PAGE_TYPES:
        problems.append(
            error(
                lines["type"],
                f"type 的值“{kind}”不认识，可以用：{'、'.join(sorted(PAGE_TYPES))}",
            )
        )
    if meta.get("reviewed") not in (None, ""):
        problems += check_reviewed(meta["reviewed"], lines["reviewed"], today)
    if kind == "privacy" and meta.get("version") and not isinstance(meta["version"], str):
        problems.append(error(lines["version"], 'version 要写成带引号的日期，例如 "2026-11-21"'))
    if meta.get("sources"):
        problems += check_sources(page, today)
    return problems


def check_reviewed(value: Any, line: int, today: date) -> list[Problem]:
    reviewed = parse_reviewed(value)
    if reviewed is None:
        return [error(line, f"reviewed 日期“{value}”不对，应写成 YYYY-MM-DD，例如 2026-11-21")]
    if reviewed > today:
        return [error(line, f"reviewed 日期 {reviewed} 晚于今天")]
    if reviewed < year_before(today):
        return [
            warning(line, f"内容已超过 12 个月没有核对（reviewed: {reviewed}），请核对后更新日期")
        ]
    return []


def check_sources(page: Page, today: date) -> list[Problem]:
    sources = page.meta["sources"]
    line = page.meta_lines["sources"]
    if not isinstance(sources, list):
        return [error(line, "sources 必须是列表，每条来源一行，以“- title:”开头")]
    where = [w.get("", line) + 1 for w in item_lines(page.meta_text, "sources")]
    problems: list[Problem] = []
    for number, source in enumerate(sources, start=1):
        at = where[number - 1] if number <= len(where) else line
        if not isinstance(source, dict) or not source.get("title"):
            problems.append(error(at, f"第 {number} 条来源缺少 title（标题）"))
            continue
        url = source.get("url")
        if url is not None and not str(url).startswith(("http://", "https://")):
            problems.append(
                error(at, f"第 {number} 条来源的网址（url）要以 http:// 或 https:// 开头")
            )
        if page.meta.get("type") != "policy":
            continue
        if not source.get("issuer"):
            problems.append(error(at, f"第 {number} 条来源缺少 issuer（发文机关）"))
        year = source.get("year")
        if not isinstance(year, int) or not 1949 <= year <= today.year:
            problems.append(error(at, f"第 {number} 条来源的 year 应是四位数年份，例如 2021"))
    return problems


def check_sections(page: Page, total_lines: int) -> list[Problem]:
    required = SECTIONS_BY_TYPE.get(str(page.meta.get("type")))
    if not required:
        return []
    found = {h.text: h.line for h in page.headings if h.level == 2}
    problems: list[Problem] = []
    for index, name in enumerate(required):
        if name in found:
            continue
        later = [found[n] for n in required[index + 1 :] if n in found]
        problems.append(error(later[0] if later else total_lines, f"缺少小标题“## {name}”"))
    previous: str | None = None
    for heading in (h for h in page.headings if h.level == 2 and h.text in required):
        if previous and required.index(heading.text) < required.index(previous):
            problems.append(
                error(
                    heading.line,
                    f"小标题“## {heading.text}”的顺序不对，应排在“## {previous}”前面",
                )
            )
        else:
            previous = heading.text
    last = required[-1]
    if last in found and SOURCES_MARKER not in page.body.split(f"## {last}", 1)[-1]:
        problems.append(
            error(found[last], f"“{last}”一节缺少 {SOURCES_MARKER}，来源不会显示在页面上")
        )
    return problems


def check_pocket(page: Page) -> list[Problem]:
    """The pocket guide names, in its front matter, the benefit sections it prints."""
    names = page.meta.get(POCKET_FIELD)
    if names is None:
        for offset, line in enumerate(page.body.splitlines()):
            if line == POCKET_MARKER:
                return [
                    error(
                        page.body_start + offset,
                        f"用了 {POCKET_MARKER} 就要在开头的信息块里写 {POCKET_FIELD}，"
                        "列出口袋书要摘录的权益页小标题",
                    )
                ]
        return []
    if not isinstance(names, list) or not names:
        return [
            error(
                page.meta_lines[POCKET_FIELD],
                f"{POCKET_FIELD} 必须是列表，每行一个权益页的小标题，以“- ”开头",
            )
        ]
    where = [w[""] + 1 for w in item_lines(page.meta_text, POCKET_FIELD)]
    return [
        error(
            line,
            f"{POCKET_FIELD} 里的“{name}”不是权益页的小标题，可以用：{'、'.join(BENEFIT_SECTIONS)}",
        )
        for name, line in zip(names, where, strict=False)
        if name not in BENEFIT_SECTIONS
    ]


def anchors_of(path: Path) -> set[str]:
    return page_anchors(read_page(path))


def page_anchors(page: Page) -> set[str]:
    ids = set()
    for heading in page.headings:
        explicit = EXPLICIT_ID.search(heading.text)
        ids.add(explicit.group(1) if explicit else heading_slug(heading.text, "-"))
    return ids


def check_links(page: Page, docs_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    in_fence = False
    for offset, raw in enumerate(page.body.splitlines()):
        if raw.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        for target in LINK.findall(INLINE_CODE.sub("", raw)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, mailto:, tel: …
                continue
            problems += check_link(page, docs_dir, target, page.body_start + offset)
    return problems


def check_link(page: Page, docs_dir: Path, target: str, line: int) -> list[Problem]:
    file_part, _, anchor = target.partition("#")
    if file_part:
        rel = posixpath.normpath(posixpath.join(page.path.parent.as_posix(), file_part))
        resolved = Path(rel)
        if not resolved.is_file():
            return [error(line, f"链接指向的文件不存在：{target}")]
    else:
        resolved = page.path
    # A link within the page checks the text being checked, which may not be saved yet.
    ids = page_anchors(page) if resolved == page.path else None
    if anchor and resolved.suffix == ".md" and anchor not in (ids or anchors_of(resolved)):
        name = resolved.relative_to(docs_dir).as_posix()
        return [error(line, f"链接里的锚点“#{anchor}”在 {name} 里找不到")]
    return []


def check_todo(text: str) -> list[Problem]:
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "TODO" in INLINE_CODE.sub("", line):
            problems.append(error(number, "还有没写完的内容（TODO）"))
    return problems


def check_page(path: Path, docs_dir: Path, today: date) -> list[Problem]:
    return check_text(path, path.read_text(encoding="utf-8"), docs_dir, today)


def check_text(path: Path, text: str, docs_dir: Path, today: date) -> list[Problem]:
    """Check text as the page at path: the admin editor checks before it writes anything."""
    page = parse_page(path, text)
    if page.meta_error:
        return [error(1, page.meta_error)]
    total = len(text.splitlines())
    return (
        check_fields(page, today)
        + check_sections(page, total)
        + check_pocket(page)
        + check_links(page, docs_dir)
        + check_todo(text)
    )


def check_all(docs_dir: Path, today: date) -> list[tuple[str, int, str, str]]:
    """Every problem as (path relative to docs_dir, line, level, message), sorted."""
    found = []
    for path in iter_pages(docs_dir):
        rel = path.relative_to(docs_dir).as_posix()
        found += [(rel, *problem) for problem in check_page(path, docs_dir, today)]
    for name, check in DATA_CHECKS.items():
        path = docs_dir / "data" / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            found += [(f"data/{name}", *problem) for problem in check(text)]
    return sorted(found, key=lambda p: (p[0], p[1]))
