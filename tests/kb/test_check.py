"""`flask --app kiosk kb check` on the real docs, on broken fixtures, and on edge cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner

FIXTURES = Path(__file__).parent / "fixtures"

# Every problem planted in tests/kb/fixtures/broken, with the line it sits on.
EXPECTED_BROKEN = [
    "broken/benefits/bad.md:1: 错误：缺少字段“audience”",
    "broken/benefits/bad.md:5: 错误：reviewed 日期“2026-13-01”不对，应写成 YYYY-MM-DD，例如 20"
    "26-11-21",
    "broken/benefits/bad.md:14: 错误：还有没写完的内容（TODO）",
    "broken/benefits/bad.md:22: 错误：链接指向的文件不存在：../join.md",
    "broken/benefits/bad.md:28: 错误：缺少小标题“## 需要带什么”",
    "broken/benefits/bad.md:32: 错误：“来源与更新日期”一节缺少 <!-- kb:sources -->，来源不会显"
    "示在页面上",
    "broken/benefits/old.md:6: 警告：内容已超过 12 个月没有核对（reviewed: 2025-06-30），请核"
    "对后更新日期",
    "broken/benefits/old.md:25: 错误：小标题“## 怎么申请/领取”的顺序不对，应排在“## 在哪里、什"
    "么时间”前面",
    "broken/data/local.yml:2: 错误：不认识的设置“phone_number”，"
    "可以用：address、deletion_contact、hours、phone、retention_days、union_name、wechat",
    "broken/data/local.yml:3: 错误：retention_days 必须是正整数（天数），例如 365",
    "broken/data/schedule.yml:9: 错误：第 2 场的类型“茶话会”不对，可以用：职工沟通会、企业沟通"
    "会、区级沟通会",
    "broken/data/schedule.yml:13: 错误：第 2 场的时间“2026-11-26T11:00:00”缺少时区，请在后面加"
    "上 +08:00",
    "broken/data/schedule.yml:20: 错误：第 3 场的结束时间不晚于开始时间",
    "broken/data/stations.yml:5: 错误：站点“甲驿站”的设施“游泳池”不认识，"
    "可以用：休息区、饮用水、换电柜、图书、心理咨询室",
    "broken/data/stations.yml:6: 错误：站点“乙驿站”没有开放时间（hours）",
    "broken/data/stations.yml:9: 错误：第 3 个站点缺少名称（name）",
    "broken/data/stations.yml:10: 错误：站点“第 3 个站点”没有开放时间（hours）",
    "broken/data/stations.yml:11: 错误：站点“第 3 个站点”的地图链接要以 http:// 或 https:// 开头",
    "broken/data/synonyms.yml:4: 错误：第 2 组只有 1 个词，每组至少两个",
    "broken/data/synonyms.yml:5: 错误：第 3 组第 3 个词是空的",
    "broken/data/synonyms.yml:6: 错误：“车祸”已经在第 1 组里，同一个词只能写一次",
    "broken/data/synonyms.yml:7: 错误：第 5 组要写成方括号里的几个词，例如 [车祸, 交通事故]",
    "broken/data/synonyms.yml:8: 错误：第 6 组第 2 个词要写成文字",
    "broken/data/synonyms.yml:9: 错误：第 7 组第 3 个词是空的",
    "broken/help/misordered.md:23: 错误：小标题“## 一步一步”的顺序不对，应排在“## 找谁”前面",
    "broken/help/misordered.md:27: 错误：小标题“## 要留的证据”的顺序不对，应排在“## 找谁”前面",
    "broken/help/missing.md:8: 错误：第 1 条来源的网址（url）要以 http:// 或 https:// 开头",
    "broken/help/missing.md:24: 错误：缺少小标题“## 要留的证据”",
    "broken/help/missing.md:28: 错误：缺少小标题“## 时限”",
    "broken/index.md:9: 错误：链接指向的文件不存在：benefits/missing.md",
    "broken/index.md:10: 错误：链接里的锚点“#没有这一节”在 benefits/old.md 里找不到",
    "broken/policy/bad-policy.md:6: 错误：reviewed 日期 2027-01-01 晚于今天",
    "broken/policy/bad-policy.md:8: 错误：第 1 条来源缺少 issuer（发文机关）",
    "broken/policy/bad-policy.md:8: 错误：第 1 条来源的 year 应是四位数年份，例如 2021",
    "broken/policy/bad-policy.md:9: 错误：第 2 条来源的 year 应是四位数年份，例如 2021",
    "broken/privacy.md:1: 错误：缺少字段“version”",
]


def run_checker(
    kb_cli: FlaskCliRunner, cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> Result:
    """Run the checker from cwd, where an editor would type the command."""
    monkeypatch.chdir(cwd)
    return kb_cli.invoke(args=["kb", "check", *args])


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": 错误：" in line or ": 警告：" in line]


def test_real_docs_pass(kb_cli: FlaskCliRunner) -> None:
    """Without a folder, the app's own docs (KIOSK_DOCS_DIR) are checked."""
    result = kb_cli.invoke(args=["kb", "check"])
    assert result.exit_code == 0, result.output
    assert problem_lines(result.output) == []
    assert result.output.startswith("检查通过")


def test_broken_fixtures_give_exact_messages(
    kb_cli: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_checker(kb_cli, FIXTURES, monkeypatch, "broken", "--today", "2026-11-21")
    assert result.exit_code == 1
    assert problem_lines(result.output) == EXPECTED_BROKEN
    assert result.output.splitlines()[-1] == "发现 35 个错误，1 个警告。请改好后再发布。"


def test_old_review_date_is_only_a_warning(
    kb_cli: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    (docs / "benefits").mkdir(parents=True)
    shutil.copy(FIXTURES / "broken" / "benefits" / "old.md", docs / "benefits" / "old.md")
    text = (docs / "benefits" / "old.md").read_text(encoding="utf-8")
    fixed = text.replace("## 在哪里、什么时间\n\n以通知为准。\n\n", "").replace(
        "## 需要带什么", "## 在哪里、什么时间\n\n以通知为准。\n\n## 需要带什么"
    )
    (docs / "benefits" / "old.md").write_text(fixed, encoding="utf-8")
    result = run_checker(kb_cli, tmp_path, monkeypatch, "docs", "--today", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert problem_lines(result.output) == [
        "docs/benefits/old.md:6: 警告：内容已超过 12 个月没有核对（reviewed: 2025-06-30），请"
        "核对后更新日期"
    ]


def test_a_missing_folder_is_said_plainly(
    kb_cli: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = run_checker(kb_cli, tmp_path, monkeypatch, "doc")
    assert result.exit_code == 2
    assert result.output == "doc: 错误：找不到这个文件夹\n"


POCKET = "---\ntitle: 口袋书\ntype: generated\n{field}---\n\n# 口袋书\n\n<!-- kb:pocket -->\n"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("pocket_sections:\n  - 怎么申请/领取\n  - 需要带什么\n", []),
        (
            "pocket_sections:\n  - 怎么申请/领取\n  - 怎么领取\n",
            ["docs/pocket.md:6: 错误：pocket_sections 里的“怎么领取”不是权益页的小标题，可以用："
             "是什么、谁可以享受、怎么申请/领取、在哪里、什么时间、需要带什么、咨询与联系、来源与更新日期"],
        ),
        (
            "pocket_sections: 需要带什么\n",
            ["docs/pocket.md:4: 错误：pocket_sections 必须是列表，"
             "每行一个权益页的小标题，以“- ”开头"],
        ),
        (
            "",
            ["docs/pocket.md:8: 错误：用了 <!-- kb:pocket --> 就要在开头的信息块里写 "
             "pocket_sections，列出口袋书要摘录的权益页小标题"],
        ),
    ],
)  # fmt: skip
def test_pocket_guide_names_benefit_sections(
    kb_cli: FlaskCliRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    field: str,
    expected: list[str],
) -> None:
    (tmp_path / "docs").mkdir()
    pocket = POCKET.format(field=field)
    (tmp_path / "docs" / "pocket.md").write_text(pocket, encoding="utf-8")
    result = run_checker(kb_cli, tmp_path, monkeypatch, "docs")
    assert problem_lines(result.output) == expected
    assert result.exit_code == (1 if expected else 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("groups:\n  - [心理, 12356, 010]\nignore: [怎么, 如何]\n", []),
        ("groups: []\n", []),
        (
            "# 同义词\nignore: [怎么]\n",
            ["docs/data/synonyms.yml:1: 错误：缺少 groups 列表：每组同义词写成一行，"
             "例如 - [车祸, 交通事故]"],
        ),
        (
            "groups:\n  - [车祸, 撞车]\nignore: [怎么, 撞车, \"\"]\n",
            ["docs/data/synonyms.yml:3: 错误：“撞车”已经在第 1 组里，同一个词只能写一次",
             "docs/data/synonyms.yml:3: 错误：ignore 的第 3 个词是空的"],
        ),
        (
            "groups:\n  - [车祸, 撞车]\nignore: 怎么\n",
            ["docs/data/synonyms.yml:3: 错误：ignore 要写成方括号里的几个词"],
        ),
        (
            "groups:\n  - [车祸, 撞车\n",
            ["docs/data/synonyms.yml:3: 错误：YAML 格式错误：expected ',' or ']', but got "
             "'<stream end>'"],
        ),
    ],
)  # fmt: skip
def test_synonyms_file(
    kb_cli: FlaskCliRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    text: str,
    expected: list[str],
) -> None:
    (tmp_path / "docs" / "data").mkdir(parents=True)
    (tmp_path / "docs" / "data" / "synonyms.yml").write_text(text, encoding="utf-8")
    result = run_checker(kb_cli, tmp_path, monkeypatch, "docs")
    assert problem_lines(result.output) == expected
    assert result.exit_code == (1 if expected else 0)


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13800138000", True),
        ("010-12345678", True),
        ("0755 8888 6666", True),
        ("12351", True),
        ("400-810-1234", True),
        ("65123456", True),
        ("123", False),
        ("1380013800", False),
        ("电话 12351", False),
        ("010-1234", False),
    ],
)
def test_local_phone_must_be_dialable(phone: str, ok: bool) -> None:
    from kiosk.kb.data_check import check_local

    problems = check_local(f"union_name: 瀛海镇总工会\nphone: '{phone}'\n")
    assert (problems == []) is ok
    if not ok:
        assert problems[0].line == 2
        assert problems[0].message.startswith(f"咨询电话“{phone}”不像能拨打的号码")
