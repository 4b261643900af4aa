"""The same staged content built by Zensical: the forward path off Material 9 (CI builds both)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from tests.kb.conftest import ROOT, BuiltSite, page_urls

URL = "http://kb.example/kb/"
BENEFITS = sorted(p.stem for p in (ROOT / "docs" / "benefits").glob("*.md") if p.stem != "index")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("zensical") / "site"
    command = ["kb", "build", "--generator", "zensical", "--site-dir", str(root), "--site-url", URL]
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "flask", "--app", "kiosk", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(root, URL, result.stdout + result.stderr)


def read(site: BuiltSite, path: str) -> str:
    return (site.root / path / "index.html").read_text(encoding="utf-8")


def test_every_page_carries_the_qr_code_of_its_own_address(zensical_site: BuiltSite) -> None:
    pages = page_urls(zensical_site)
    assert len(pages) > 30
    for path in pages:
        html = read(zensical_site, path)
        assert '<figure class="kb-qr"' in html, path
        assert f'<span class="kb-qr__url">{URL}{path}</span>' in html, path
        assert f'<link rel="canonical" href="{URL}{path}">' in html, path


def test_generated_pages_are_there(zensical_site: BuiltSite) -> None:
    assert "目前没有已公布的沟通会安排" in read(zensical_site, "schedule/")
    assert "本地还没有登记服务站点" in read(zensical_site, "stations/")
    pocket = read(zensical_site, "pocket/")
    for stem in BENEFITS:
        title = read(zensical_site, f"benefits/{stem}/").split("<h1", 1)[1].split(">", 1)[1]
        assert title.split("<", 1)[0] in pocket, stem
    assert "<strong>免费体检</strong>" in read(zensical_site, "benefits/")


def test_chinese_anchors_print_css_and_no_data_files(zensical_site: BuiltSite) -> None:
    assert 'id="京卡互助服务卡"' in read(zensical_site, "join/")
    assert "assets/print.css" in read(zensical_site, "")
    for hidden in ("data", "templates", "overrides"):
        assert not (zensical_site.root / hidden).exists(), hidden


def copy_project(tmp_path: Path) -> Path:
    for name in ("mkdocs.yml", "mkdocs_hooks.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    return tmp_path / "mkdocs.yml"


def test_a_broken_link_stops_the_zensical_build(kb_cli: FlaskCliRunner, tmp_path: Path) -> None:
    config = copy_project(tmp_path)
    faq = tmp_path / "docs" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n[旧页面](old.md)\n", encoding="utf-8")
    site_dir = tmp_path / "site"
    result = kb_cli.invoke(
        args=[
            "kb",
            "build",
            "--generator",
            "zensical",
            "--config",
            str(config),
            "--site-dir",
            str(site_dir),
        ]
    )
    assert result.exit_code == 1
    assert "网站没有生成（Zensical 没有生成网站：" in result.output
    assert "page does not exist" in result.output
    assert not (site_dir / "index.html").exists()


def test_our_own_problems_stop_it_before_zensical_runs(
    kb_cli: FlaskCliRunner, tmp_path: Path
) -> None:
    config = copy_project(tmp_path)
    pocket = tmp_path / "docs" / "pocket.md"
    text = pocket.read_text(encoding="utf-8").replace("  - 需要带什么\n", "  - 要带的东西\n")
    pocket.write_text(text, encoding="utf-8")
    result = kb_cli.invoke(
        args=[
            "kb",
            "build",
            "--generator",
            "zensical",
            "--config",
            str(config),
            "--site-dir",
            str(tmp_path / "s"),
        ]
    )
    assert result.exit_code == 1
    assert "pocket.md:9: pocket_sections 里的“要带的东西”不是权益页的小标题" in result.output
