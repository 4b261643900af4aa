"""The strict build and what the hooks add to it."""

from __future__ import annotations

import json
import re

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
    assert len(BENEFITS) >= 10
    assert len(list((ROOT / "docs" / "policy").glob("*.md"))) - 1 >= 4


def test_every_page_carries_a_qr_code_of_its_own_url(site: BuiltSite) -> None:
    for path in page_urls(site):
        html = read(site, path)
        assert '<figure class="kb-qr">' in html, path
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
    assert "<a href=" not in article.split('<figure class="kb-qr">')[0]


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
