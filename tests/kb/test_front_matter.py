"""The editor's split of a page into form fields and body, and back, keeps every page as is."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.kb.front_matter import body_line, compose, field_of_line, split
from kiosk.kb.pages import iter_pages

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [p.relative_to(DOCS).as_posix() for p in iter_pages(DOCS)]


@pytest.mark.parametrize("rel", PAGES)
def test_every_page_round_trips_unchanged(rel: str) -> None:
    text = (DOCS / rel).read_text(encoding="utf-8")
    assert compose(split(text)) == text


def test_changed_fields_keep_the_other_keys_and_their_comments() -> None:
    parts = split((DOCS / "pocket.md").read_text(encoding="utf-8"))
    parts.fields["summary"] = "新的摘要"
    front = compose(parts).split("---\n", 2)[1]
    assert front == (
        "title: 口袋书：会员权益一览\n"
        "type: generated\n"
        "summary: 新的摘要\n"
        "# 每项权益摘录它的页面里这几个小标题下面的内容，按这里的顺序。\n"
        "pocket_sections:\n"
        "  - 怎么申请/领取\n"
        "  - 在哪里、什么时间\n"
        "  - 需要带什么\n"
        "search:\n"
        "  exclude: true\n"
    )


def test_sources_and_empty_required_fields_are_written_for_the_checker() -> None:
    parts = split("---\ntitle: 游泳\ntype: benefit\n---\n\n# 游泳\n")
    parts.fields["sources"] = [{"title": "《通知》", "url": "https://example.org/a", "year": 2021}]
    assert compose(parts) == (
        "---\n"
        "title: 游泳\n"
        "type: benefit\n"
        "summary:\n"
        "audience:\n"
        "reviewed:\n"
        "sources:\n"
        "  - title: 《通知》\n"
        "    url: https://example.org/a\n"
        "    year: 2021\n"
        "---\n"
        "\n"
        "# 游泳\n"
    )


@pytest.mark.parametrize(
    ("line", "where", "in_body"),
    [(1, "front", -9), (2, "title", -8), (6, "reviewed", -4), (8, "sources", -2),
     (9, "extra", -1), (11, "body", 1), (13, "body", 3)],
)  # fmt: skip
def test_each_line_has_its_place_in_the_editor(line: int, where: str, in_body: int) -> None:
    text = (DOCS / "benefits" / "health-check.md").read_text(encoding="utf-8")
    assert field_of_line(text, line) == where
    assert body_line(text, line) == in_body


def test_unreadable_front_matter_stays_in_the_text_area() -> None:
    text = "---\ntitle: [unclosed\n---\n\n# x\n"
    parts = split(text)
    assert (parts.raw, parts.body) == (None, text)
