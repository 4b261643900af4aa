"""The pure rendering functions behind the generated pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.kb import render

BEIJING = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=BEIJING)


def session(title: str, start: str, end: str) -> dict[str, object]:
    return {
        "kind": "职工沟通会",
        "title": title,
        "organisation": "瀛海镇总工会",
        "site": "首航超市",
        "address": None,
        "start": datetime.fromisoformat(start),
        "end": datetime.fromisoformat(end),
    }


def test_schedule_shows_upcoming_sessions_soonest_first() -> None:
    sessions = [
        session("后一场", "2026-11-27T11:00:00+08:00", "2026-11-27T13:00:00+08:00"),
        session("已结束", "2026-11-20T11:00:00+08:00", "2026-11-20T13:00:00+08:00"),
        session("先一场", "2026-11-26T11:00:00+08:00", "2026-11-26T13:00:00+08:00"),
    ]
    text = render.schedule_markdown(sessions, NOW)
    assert "已结束" not in text
    assert text.index("先一场") < text.index("后一场")
    assert "2026年11月26日（星期四）11:00–13:00" in text


def test_schedule_without_sessions_says_whom_to_ask() -> None:
    assert render.schedule_markdown([], NOW) == "目前没有已公布的沟通会安排。" + render.ASK_STAFF


def test_schedule_shows_sessions_in_progress_with_their_public_note() -> None:
    under_way = session("进行中", "2026-11-21T08:00:00+08:00", "2026-11-21T10:00:00+08:00")
    opened_early = session("提前开始", "2026-11-21T09:30:00+08:00", "2026-11-21T11:00:00+08:00")
    opened_early["open"] = True
    later = session("下午场", "2026-11-21T14:00:00+08:00", "2026-11-21T16:00:00+08:00")
    later["note"] = "北京银行工作人员到场办卡"
    text = render.schedule_markdown([later, opened_early, under_way], NOW)
    assert text.index("### 进行中（正在进行）") < text.index("### 提前开始（正在进行）")
    assert "### 下午场\n" in text
    assert text.endswith("- **现场说明**：北京银行工作人员到场办卡")


def test_schedule_links_the_calendar_feed_even_when_empty() -> None:
    feed = "http://kiosk.test/calendar/sessions.ics"
    text = render.schedule_markdown([], NOW, feed)
    assert text.startswith("目前没有已公布的沟通会安排。")
    assert f"用手机日历订阅沟通会日程（iCalendar）：<{feed}>。" in text


def test_a_session_without_a_site_says_the_place_is_to_be_announced() -> None:
    row = session("无点位", "2026-11-26T11:00:00+08:00", "2026-11-26T13:00:00+08:00")
    row["site"] = None
    assert "- **地点**：待定" in render.schedule_markdown([row], NOW)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ({}, render.ASK_STAFF),
        ({"phone": None, "union_name": ""}, render.ASK_STAFF),
        (
            {"union_name": "某镇总工会", "phone": "010-0000"},
            "- **工会名称**：某镇总工会\n- **咨询电话**：010-0000\n- **工会服务职工热线**：12351",
        ),
    ],
)
def test_contact_block_uses_only_what_the_union_filled_in(
    local: dict[str, object], expected: str
) -> None:
    assert render.contact_block(local) == expected


def test_station_lists_hours_and_known_facilities() -> None:
    text = render.stations_markdown(
        [
            {
                "name": "暖心驿站",
                "organisation": "某镇总工会",
                "hours": "每天 8:00–20:00",
                "facilities": ["休息区", "换电柜"],
                "map_url": "https://example.org/map",
            }
        ]
    )
    assert "### 暖心驿站" in text
    assert "- **开放时间**：每天 8:00–20:00" in text
    assert "- **这里有**：休息区、换电柜" in text
    assert "[在地图上查看](https://example.org/map)" in text


def test_qr_svg_is_scalable_and_labelled() -> None:
    svg = render.qr_svg("http://127.0.0.1:8000/kb/")
    assert svg.startswith("<svg ")
    assert 'aria-label="本页二维码"' in svg
    assert "mm" not in svg.split(">", 1)[0]


def test_pocket_entry_takes_sections_by_name_in_the_order_asked(tmp_path: Path) -> None:
    page = tmp_path / "swim.md"
    page.write_text(
        "---\ntitle: 免费游泳\nsummary: 夏天免费游泳。\n---\n\n# 免费游泳\n\n"
        "## 需要带什么\n\n会员卡。\n\n## 是什么\n\n游泳。\n\n"
        "## 怎么申请/领取\n\n看[入会指南](../join.md)。\n",
        encoding="utf-8",
    )
    text = render.pocket_markdown([page], ["怎么申请/领取", "在哪里、什么时间", "需要带什么"])
    assert text == (
        "## 免费游泳\n\n夏天免费游泳。\n\n**怎么申请/领取**\n\n看入会指南。"
        "\n\n**需要带什么**\n\n会员卡。"
    )


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ({"title": "报道《某某纪实》"}, "- 报道《某某纪实》"),
        (
            {"issuer": "全国人民代表大会常务委员会", "title": "《某某法》", "year": 2021},
            "- 全国人民代表大会常务委员会：《某某法》（2021）",
        ),
        (
            {
                "issuer": "某局",
                "title": "《某某通知》",
                "number": "京某发〔2025〕8号",
                "year": 2025,
                "url": "https://www.example.gov.cn/a.html",
            },
            "- 某局：《某某通知》（京某发〔2025〕8号，2025）。网址：<https://www.example.gov.cn/a.html>",
        ),
        (
            {"issuer": "北京银行", "title": "《某某章程》", "url": "https://example.org/z"},
            "- 北京银行：《某某章程》。网址：<https://example.org/z>",
        ),
    ],
)
def test_sources_show_number_year_and_address_when_given(
    source: dict[str, object], line: str
) -> None:
    text = render.sources_block({"sources": [source], "reviewed": "2026-12-02"})
    assert text == (
        f'<div class="kb-sources" markdown data-search-exclude>\n\n{line}\n\n</div>\n\n'
        "本页内容核对日期：2026-12-02"
    )


@pytest.mark.parametrize(
    ("local", "controller", "missing"),
    [
        ({}, "", ["union_name", "deletion_contact"]),
        ({"union_name": " ", "deletion_contact": None}, "", ["union_name", "deletion_contact"]),
        (
            {"union_name": "某镇总工会"},
            "- **负责处理登记信息的工会**：某镇总工会",
            ["deletion_contact"],
        ),
        (
            {"union_name": "A&B 工会", "deletion_contact": "010-00000000"},
            "- **负责处理登记信息的工会**：A&amp;B 工会",
            [],
        ),
    ],
)
def test_the_notice_names_the_union_and_production_needs_both_details(
    local: dict[str, object], controller: str, missing: list[str]
) -> None:
    assert render.controller_block(local) == controller
    assert [m.split("（")[0] for m in render.missing_for_production(local)] == missing
