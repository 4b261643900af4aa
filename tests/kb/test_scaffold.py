"""`flask --app kiosk kb new-page`: a page from the template, added to the nav."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner

from tests.kb.conftest import ROOT
from tests.kb.test_check import problem_lines


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of docs/ and mkdocs.yml to change, as the current folder."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new_page(kb_cli: FlaskCliRunner, project: Path, *args: str) -> Result:
    options = ["--docs", str(project / "docs"), "--config", str(project / "mkdocs.yml")]
    return kb_cli.invoke(args=["kb", "new-page", *args, *options])


@pytest.mark.parametrize(("kind", "folder"), [("benefit", "benefits"), ("policy", "policy")])
def test_new_page_fails_only_on_its_todos(
    kb_cli: FlaskCliRunner, project: Path, kind: str, folder: str
) -> None:
    made = new_page(kb_cli, project, kind, "免费游泳", "--slug", "swim")
    assert made.exit_code == 0, made.output
    assert made.output.splitlines() == [
        f"已新建 docs/{folder}/swim.md。请把其中所有 TODO 换成正式内容。",
        f"已把 {folder}/swim.md 加到 mkdocs.yml 的导航里。",
    ]
    nav = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"      - {folder}/swim.md\n      # kb new-page {kind} " in nav
    assert "# 免费游泳" in (project / "docs" / folder / "swim.md").read_text(encoding="utf-8")

    result = kb_cli.invoke(args=["kb", "check", "docs"])
    assert result.exit_code == 1
    problems = problem_lines(result.output)
    assert problems, result.output
    assert all(line.startswith(f"docs/{folder}/swim.md:") for line in problems), problems
    assert all(line.endswith("错误：还有没写完的内容（TODO）") for line in problems), problems


def test_title_becomes_the_file_name_without_a_slug(kb_cli: FlaskCliRunner, project: Path) -> None:
    made = new_page(kb_cli, project, "benefit", "Free Swimming Lessons")
    assert made.exit_code == 0, made.output
    assert (project / "docs" / "benefits" / "free-swimming-lessons.md").is_file()


def test_an_existing_page_is_left_alone(kb_cli: FlaskCliRunner, project: Path) -> None:
    before = (project / "docs" / "benefits" / "haircut.md").read_text(encoding="utf-8")
    nav = (project / "mkdocs.yml").read_text(encoding="utf-8")
    made = new_page(kb_cli, project, "benefit", "义务理发", "--slug", "haircut")
    assert made.exit_code == 1
    assert made.output == "docs/benefits/haircut.md 已经存在，没有改动。\n"
    assert (project / "docs" / "benefits" / "haircut.md").read_text(encoding="utf-8") == before
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == nav


def test_without_the_nav_marker_it_says_to_add_the_page_by_hand(
    kb_cli: FlaskCliRunner, project: Path
) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("# kb new-page policy ", "# "),
        encoding="utf-8",
    )
    made = new_page(kb_cli, project, "policy", "某某政策解读", "--slug", "some-policy")
    assert made.exit_code == 0
    assert made.output.splitlines()[-1] == (
        "没找到导航标记，请手动把 policy/some-policy.md 加到 mkdocs.yml 的 nav 里。"
    )
