"""The privacy notice matches the system: every stored field about a person is in it.

Each mapping below pairs a stored column with the words docs/privacy.md uses for it. A new
column fails these tests until someone adds its wording here and, first, to the notice.
None marks a column that was reviewed and holds nothing about the person (a row number,
the server's status code).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk.admin.exports import HEADERS
from kiosk.kb.pages import read_page
from kiosk.models import AttentionItem, FollowUp, Signup

ROOT = Path(__file__).resolve().parents[1]
NOTICE = read_page(ROOT / "docs" / "privacy.md").body

SIGNUP: dict[str, str] = {
    "id": "登记编号",
    "session_id": "哪一场沟通会",
    "name": "姓名",
    "phone": "手机号",
    "occupation": "职业",
    "occupation_other": "职业说明",
    "employer": "所在平台/单位",
    "area": "工作区域",
    "interests": "感兴趣的服务",
    "consent_version": "隐私说明版本",
    "consented_at": "同意时间",
    "source": "登记方式",
    "tablet_id": "平板编号",
    "client_time": "平板上的时间",
    "created_at": "服务器收到的时间",
    "content_hash": "内容指纹",
}

FOLLOW_UP: dict[str, str | None] = {
    "id": None,
    "organisation_id": "每个工会一份",
    "phone": "跟进记录按手机号",
    "status": "跟进状态",
    "joined_on": "入会的日期",
    "note": "备注",
    "updated_by_id": "是谁",
    "updated_at": "什么时候改的",
}

ATTENTION: dict[str, str | None] = {
    "id": "待处理记录",
    "payload": "当时提交的内容另存一份",
    "phone": "删除你在本系统里的登记、跟进记录和待处理记录",
    "resolution": "改正后保存，或者忽略",
    "resolved_at": "处理完以后，这份副本就清空",
    "session_id": None,  # the session the tablet was bound to, as on the sign-up
    "tablet_id": None,
    "http_status": None,  # the server's answer (422, 409, 403)
    "reason": None,  # the server's error messages, not the person's input
    "created_at": None,
    "resolved_by_id": None,  # the staff member, not the person
}

# Each column of the staff's Excel/CSV export, and how the notice's export line names it.
EXPORT: dict[str, str] = {
    "沟通会": "沟通会名称",
    "日期": "登记日期",
    "姓名": "姓名",
    "手机号": "完整手机号",
    "职业": "职业（含职业说明）",
    "所在平台/单位": "所在平台/单位",
    "工作区域": "工作区域",
    "想了解的服务": "感兴趣的服务",
    "来源": "登记方式",
    "跟进状态": "跟进状态",
    "跟进备注": "跟进备注",
    "同意版本": "同意的版本",
    "同意时间": "同意的版本和时间",
}


def columns(model: type) -> set[str]:
    return set(sa.inspect(model).columns.keys())


@pytest.mark.parametrize(
    ("model", "mapping"),
    [(Signup, SIGNUP), (FollowUp, FOLLOW_UP), (AttentionItem, ATTENTION)],
    ids=["signup", "follow_up", "attention_item"],
)
def test_every_stored_column_has_its_wording(model: type, mapping: dict) -> None:
    """A column added to the model must be described in the notice and mapped here."""
    assert columns(model) - set(mapping) == set(), "add the new column to the notice and here"
    assert set(mapping) - columns(model) == set(), "a column was removed: update the mapping"


@pytest.mark.parametrize(
    ("column", "wording"),
    [
        *(("signup." + c, w) for c, w in SIGNUP.items()),
        *(("follow_up." + c, w) for c, w in FOLLOW_UP.items() if w),
        *(("attention_item." + c, w) for c, w in ATTENTION.items() if w),
    ],
)
def test_the_notice_mentions_each_stored_column(column: str, wording: str) -> None:
    assert wording in NOTICE, f"{column}: the notice does not say “{wording}”"


def test_the_notice_names_every_column_of_the_export() -> None:
    assert set(HEADERS) == set(EXPORT), "an export column changed: update the notice and here"
    line = next(line for line in NOTICE.splitlines() if "导出的表格" in line)
    assert [h for h, words in EXPORT.items() if words not in line] == []
    assert "不含" not in line  # every column is listed, the follow-up note included


@pytest.mark.parametrize(
    "wording",
    [
        "审计日志不记录你的姓名和手机号",  # the audit log (a keyed hash at most)
        "组织这场沟通会的工会",  # who sees it
        "上级工会",
        "系统管理员",
        "服务器提供商",
        "系统每天自动删除",  # retention
        "15 个工作日",  # response time for requests
        "投诉、举报",  # complaint channel
        "不满十四周岁的孩子请不要登记",
        "北京工会i会员",  # separate services with their own notices
        "北京银行",
    ],
)
def test_the_notice_covers_what_the_law_asks(wording: str) -> None:
    assert wording in NOTICE
