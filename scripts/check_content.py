"""Check the knowledge base before publishing: front matter, sections, dates, links, data files.

Usage: python scripts/check_content.py [DOCS_DIR] [--today YYYY-MM-DD]

Prints one problem per line as ``path:line: 错误：…`` or ``path:line: 警告：…`` and exits
non-zero when there is at least one error. Warnings (content not reviewed for 12 months)
do not block publishing.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb_check_data import DATA_CHECKS, ERROR, WARNING, Problem  # noqa: E402
from kb_content import (  # noqa: E402
    PAGE_TYPES,
    SCHEMA_FIELDS,
    SECTIONS_BY_TYPE,
    Page,
    item_lines,
    iter_pages,
    read_page,
)
from pymdownx.slugs import slugify  # noqa: E402

SCHEMA_TYPES = frozenset({"benefit", "policy", "guide"})
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
INLINE_CODE = re.compile(r"`[^`]*`")
EXPLICIT_ID = re.compile(r"\{[^}]*#([^\s}]+)[^}]*\}\s*$")
SOURCES_MARKER = "<!-- kb:sources -->"
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
            problems.append((1, ERROR, f"缺少字段“{key}”"))
        elif meta[key] in (None, "", []):
            problems.append((lines.get(key, 1), ERROR, f"字段“{key}”不能为空"))
    if kind and kind not in PAGE_TYPES:
        problems.append(
            (
                lines["type"],
                ERROR,
                f"type 的值“{kind}”不认识，可以用：{'、'.join(sorted(PAGE_TYPES))}",
            )
        )
    if meta.get("reviewed") not in (None, ""):
        problems += check_reviewed(meta["reviewed"], lines["reviewed"], today)
    if kind == "privacy" and meta.get("version") and not isinstance(meta["version"], str):
        problems.append((lines["version"], ERROR, 'version 要写成带引号的日期，例如 "2026-11-21"'))
    if meta.get("sources"):
        problems += check_sources(page, today)
    return problems


def check_reviewed(value: Any, line: int, today: date) -> list[Problem]:
    reviewed = parse_reviewed(value)
    if reviewed is None:
        return [(line, ERROR, f"reviewed 日期“{value}”不对，应写成 YYYY-MM-DD，例如 2026-11-21")]
    if reviewed > today:
        return [(line, ERROR, f"reviewed 日期 {reviewed} 晚于今天")]
    if reviewed < year_before(today):
        return [
            (line, WARNING, f"内容已超过 12 个月没有核对（reviewed: {reviewed}），请核对后更新日期")
        ]
    return []


def check_sources(page: Page, today: date) -> list[Problem]:
    sources = page.meta["sources"]
    line = page.meta_lines["sources"]
    if not isinstance(sources, list):
        return [(line, ERROR, "sources 必须是列表，每条来源一行，以“- title:”开头")]
    where = [w.get("", line) + 1 for w in item_lines(page.meta_text, "sources")]
    problems: list[Problem] = []
    for number, source in enumerate(sources, start=1):
        at = where[number - 1] if number <= len(where) else line
        if not isinstance(source, dict) or not source.get("title"):
            problems.append((at, ERROR, f"第 {number} 条来源缺少 title（标题）"))
            continue
        if page.meta.get("type") != "policy":
            continue
        if not source.get("issuer"):
            problems.append((at, ERROR, f"第 {number} 条来源缺少 issuer（发文机关）"))
        year = source.get("year")
        if not isinstance(year, int) or not 1949 <= year <= today.year:
            problems.append((at, ERROR, f"第 {number} 条来源的 year 应是四位数年份，例如 2021"))
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
        problems.append((later[0] if later else total_lines, ERROR, f"缺少小标题“## {name}”"))
    previous: str | None = None
    for heading in (h for h in page.headings if h.level == 2 and h.text in required):
        if previous and required.index(heading.text) < required.index(previous):
            problems.append(
                (
                    heading.line,
                    ERROR,
                    f"小标题“## {heading.text}”的顺序不对，应排在“## {previous}”前面",
                )
            )
        else:
            previous = heading.text
    last = required[-1]
    if last in found and SOURCES_MARKER not in page.body.split(f"## {last}", 1)[-1]:
        problems.append(
            (found[last], ERROR, f"“{last}”一节缺少 {SOURCES_MARKER}，来源不会显示在页面上")
        )
    return problems


def anchors_of(path: Path) -> set[str]:
    ids = set()
    for heading in read_page(path).headings:
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
            return [(line, ERROR, f"链接指向的文件不存在：{target}")]
    else:
        resolved = page.path
    if anchor and resolved.suffix == ".md" and anchor not in anchors_of(resolved):
        name = resolved.relative_to(docs_dir).as_posix()
        return [(line, ERROR, f"链接里的锚点“#{anchor}”在 {name} 里找不到")]
    return []


def check_todo(path: Path) -> list[Problem]:
    problems: list[Problem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "TODO" in INLINE_CODE.sub("", line):
            problems.append((number, ERROR, "还有没写完的内容（TODO）"))
    return problems


def check_page(path: Path, docs_dir: Path, today: date) -> list[Problem]:
    page = read_page(path)
    if page.meta_error:
        return [(1, ERROR, page.meta_error)]
    total = len(path.read_text(encoding="utf-8").splitlines())
    return (
        check_fields(page, today)
        + check_sections(page, total)
        + check_links(page, docs_dir)
        + check_todo(path)
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
            found += [(f"data/{name}", *problem) for problem in check(path)]
    return sorted(found, key=lambda p: (p[0], p[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查知识库的页面和数据文件。")
    parser.add_argument("docs_dir", nargs="?", default="docs", help="docs 文件夹，默认 docs")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="按这一天判断日期（测试用），格式 YYYY-MM-DD",
    )
    args = parser.parse_args(argv)
    docs_dir = Path(args.docs_dir)
    if not docs_dir.is_dir():
        print(f"{docs_dir}: 错误：找不到这个文件夹")
        return 2
    problems = check_all(docs_dir, args.today)
    for rel, line, level, message in problems:
        print(f"{(docs_dir / rel).as_posix()}:{line}: {level}：{message}")
    errors = sum(1 for p in problems if p[2] == ERROR)
    warnings = len(problems) - errors
    pages = len(iter_pages(docs_dir))
    if errors:
        print(f"发现 {errors} 个错误，{warnings} 个警告。请改好后再发布。")
    else:
        print(f"检查通过：{pages} 个页面，没有错误，{warnings} 个警告。")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
