"""The strict build (`flask --app kiosk kb build`, and `mkdocs build`) and what the hooks add."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from flask.testing import FlaskCliRunner

from kiosk import create_app
from tests.conftest import base_config
from tests.kb.conftest import ROOT, BuiltSite, page_urls

BENEFITS = sorted(p.stem for p in (ROOT / "docs" / "benefits").glob("*.md") if p.stem != "index")
# Elements that make the browser fetch something, pointing at an absolute URL.
REMOTE_LOAD = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["'](?:https?:)?//"""
)


def read(site: BuiltSite, path: str) -> str:
    return (site.root / path / "index.html").read_text(encoding="utf-8")


def test_strict_build_has_no_warnings(site: BuiltSite) -> None:
    assert "WARNING" not in site.log
    assert f"已生成网站：{site.root}。二维码指向 {site.url}" in site.log
    assert len(BENEFITS) >= 10
    assert len(list((ROOT / "docs" / "policy").glob("*.md"))) - 1 >= 4


def test_every_page_carries_a_qr_code_of_its_own_url(site: BuiltSite) -> None:
    for path in page_urls(site):
        html = read(site, path)
        assert '<figure class="kb-qr" data-search-exclude>' in html, path
        assert f'<span class="kb-qr__url">{site.url}{path}</span>' in html, path


def test_pages_load_nothing_from_other_hosts(site: BuiltSite) -> None:
    """Static half of the no-third-party rule; the browser test checks real requests."""
    for html_file in site.root.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        html = re.sub(r'<link rel="canonical"[^>]*>', "", html)
        assert not REMOTE_LOAD.search(html), html_file


def test_search_index_is_plain_utf8(site: BuiltSite) -> None:
    text = (site.root / "search" / "search_index.json").read_text(encoding="utf-8")
    assert not re.search(r"\\u[4-9][0-9a-f]{3}", text), "Han characters are still escaped"
    assert "免费" in text
    data = json.loads(text)
    assert data["config"]["lang"] == ["zh"]
    titles = {doc["title"].replace("\u200b", "") for doc in data["docs"]}
    assert "免费体检" in titles


def test_pocket_guide_lists_every_benefit_without_links(site: BuiltSite) -> None:
    html = read(site, "pocket/")
    article = html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    for stem in BENEFITS:
        title = read(site, f"benefits/{stem}/").split("<h1", 1)[1].split(">", 1)[1]
        assert title.split("<", 1)[0] in article, stem
    assert "<a href=" not in article.split('<figure class="kb-qr"')[0]


def test_empty_data_files_say_whom_to_ask(site: BuiltSite) -> None:
    assert "本地还没有登记服务站点" in read(site, "stations/")
    assert "目前没有已公布的沟通会安排" in read(site, "schedule/")
    assert "12351" in read(site, "benefits/health-check/")


def test_benefit_pages_render_sources_and_review_date(site: BuiltSite) -> None:
    for stem in BENEFITS:
        html = read(site, f"benefits/{stem}/")
        assert "本页内容核对日期：" in html, stem


def test_policy_pages_name_document_numbers_on_the_page(site: BuiltSite) -> None:
    assert "人社部发〔2021〕56号" in read(site, "policy/rights-guidance/")
    assert "人社部发〔2025〕24号" in read(site, "policy/injury-protection/")


def test_data_files_and_templates_are_not_published(site: BuiltSite) -> None:
    for hidden in ("data", "templates", "overrides"):
        assert not (site.root / hidden).exists(), hidden


def differing_files(left: Path, right: Path) -> list[str]:
    """Files that are missing on one side or differ in content, relative to the roots."""
    compared = filecmp.dircmp(left, right)
    found = [*compared.left_only, *compared.right_only]
    found += [
        name
        for name in compared.common_files
        if not filecmp.cmp(left / name, right / name, shallow=False)
    ]
    for name in compared.common_dirs:
        found += [f"{name}/{rel}" for rel in differing_files(left / name, right / name)]
    return found


def test_mkdocs_builds_the_same_site_through_the_hook_file(site: BuiltSite, tmp_path: Path) -> None:
    """Staff preview with `mkdocs serve`: mkdocs.yml's hook file must give the same pages."""
    env = {**os.environ, "KB_SITE_URL": site.url, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert differing_files(site.root, tmp_path) == []


def test_a_warning_stops_the_build(kb_cli: FlaskCliRunner, tmp_path: Path) -> None:
    """A broken link (MkDocs' own check) and a pocket section no benefit page has (ours)."""
    for name in ("mkdocs.yml", "mkdocs_hooks.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    faq = tmp_path / "docs" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n[旧页面](old.md)\n", encoding="utf-8")
    pocket = tmp_path / "docs" / "pocket.md"
    text = pocket.read_text(encoding="utf-8").replace("  - 需要带什么\n", "  - 要带的东西\n")
    pocket.write_text(text, encoding="utf-8")
    site_dir = tmp_path / "site"
    config = tmp_path / "mkdocs.yml"
    result = kb_cli.invoke(
        args=["kb", "build", "--config", str(config), "--site-dir", str(site_dir)]
    )
    assert result.exit_code == 1
    assert "WARNING -  Doc file 'faq.md' contains a link 'old.md'" in result.output
    assert "WARNING -  pocket.md:9: pocket_sections 里的“要带的东西”不是权益页的小标题" in (
        result.output
    )
    assert (
        "网站没有生成（Aborted with 2 warnings in strict mode!）：请按上面的提示修改后再运行。"
        in result.output
    )


def test_pocket_guide_prints_the_sections_it_names(site: BuiltSite) -> None:
    article = read(site, "pocket/").split('<article class="md-content__inner', 1)[1]
    entry = article.split('id="免费体检"', 1)[1].split("<h2", 1)[0]
    named = ["怎么申请/领取", "在哪里、什么时间", "需要带什么"]
    positions = [entry.index(f"<strong>{name}</strong>") for name in named]
    assert positions == sorted(positions)
    for other in ("谁可以享受", "咨询与联系", "来源与更新日期"):
        assert f"<strong>{other}</strong>" not in entry


def test_staff_guide_is_reachable_but_not_in_navigation_or_search(site: BuiltSite) -> None:
    assert "工作人员编辑指南" in read(site, "staff/editing/")
    linking = [
        html.relative_to(site.root).as_posix()
        for html in site.root.rglob("*.html")
        if "staff/editing" in html.read_text(encoding="utf-8") and "staff" not in html.parts
    ]
    assert linking == []
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert [d["location"] for d in index["docs"] if d["location"].startswith("staff/")] == []


def test_search_index_hides_keywords_and_knows_synonyms(site: BuiltSite) -> None:
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    assert [loc for loc, doc in docs.items() if "tags" in doc] == []
    assert set(index["config"]["fields"]) == {"title", "text", "keywords", "synonyms"}
    # The road-accident guide's tags say 车祸; its keywords also carry the group's other words.
    assert "交通事故" in docs["help/road-accident/"]["keywords"].split()
    # The sources are not searched: a reader looking for 工会法 wants the page about it.
    assert not any("来源与更新日期" in loc and "工会法" in doc["text"] for loc, doc in docs.items())


def test_search_worker_is_patched(site: BuiltSite) -> None:
    [worker] = (site.root / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    assert "var skip = new Set([" in worker.read_text(encoding="utf-8")


def test_a_development_build_warns_about_missing_local_details(site: BuiltSite) -> None:
    assert (
        "INFO    -  开发环境提示：docs/data/local.yml 还没有填写 union_name（负责处理登记信息的"
        "工会名称）、deletion_contact（删除和查询请求的联系方式），隐私说明里暂时不显示。"
        "生产环境（KIOSK_ENV=production）会拒绝生成网站" in site.log
    )
    privacy = read(site, "privacy/")
    assert "负责处理登记信息的工会</strong>" not in privacy
    assert "<strong>删除和查询请求</strong>：请告诉沟通会现场的工会工作人员" in privacy


def test_mkdocs_build_in_production_refuses_without_local_details(tmp_path: Path) -> None:
    """A plain `mkdocs build` (no app) reads KIOSK_ENV from the environment."""
    env = {**os.environ, "KIOSK_ENV": "production", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert (
        "ERROR   -  docs/data/local.yml 还没有填写 union_name（负责处理登记信息的工会名称）、"
        "deletion_contact（删除和查询请求的联系方式）。生产环境（KIOSK_ENV=production）要填好以后"
        "才能生成网站，隐私说明才完整" in result.stderr
    )
    assert not (tmp_path / "site" / "index.html").exists()


def test_kb_build_in_production_names_the_union_in_the_notice(tmp_path: Path) -> None:
    for name in ("mkdocs.yml", "mkdocs_hooks.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    local = tmp_path / "docs" / "data" / "local.yml"
    text = local.read_text(encoding="utf-8")
    local.write_text(
        text.replace("union_name: null", "union_name: 某镇总工会").replace(
            "deletion_contact: null", "deletion_contact: 电话 010-00000000"
        ),
        encoding="utf-8",
    )
    production = create_app(base_config("sqlite://", ENV="production")).test_cli_runner()
    site_dir = tmp_path / "site"
    result = production.invoke(
        args=["kb", "build", "--config", str(tmp_path / "mkdocs.yml"), "--site-dir", str(site_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "开发环境提示" not in result.output
    privacy = (site_dir / "privacy" / "index.html").read_text(encoding="utf-8")
    assert "<li><strong>负责处理登记信息的工会</strong>：某镇总工会</li>" in privacy
    assert "<li><strong>删除和查询请求请联系</strong>：电话 010-00000000</li>" in privacy


def test_the_sites_404_page_is_chinese_and_the_kiosk_serves_it(site: BuiltSite) -> None:
    page = (site.root / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in page and "Not found" not in page
    app = create_app(base_config("sqlite://", KB_DIR=str(site.root)))
    for path in ("/kb/no-such-page/", "/kb/benefits/no-such-page/", "/kb/%2e%2e/etc/passwd"):
        response = app.test_client().get(path)
        assert response.status_code == 404, path
        assert "找不到这个页面" in response.text and 'class="md-header' in response.text
