"""What a worker's phone does with the site: search, stay on this host, accessibility, QR codes."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kiosk.kb.pages import iter_pages
from tests.browser_support import PHONE, SCREENSHOTS, TABLET
from tests.kb.conftest import ROOT, BuiltSite

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NARROW = {"width": 360, "height": 740}


def url_path(src: Path) -> str:
    """docs/benefits/x.md -> 'benefits/x/'; index pages map to their folder."""
    rel = src.relative_to(ROOT / "docs").with_suffix("").as_posix()
    if rel == "index":
        return ""
    return (rel[: -len("index")] if rel.endswith("/index") else f"{rel}/").lstrip("/")


PAGES = [url_path(p) for p in iter_pages(ROOT / "docs")]


@pytest.fixture(scope="module")
def phone(browser: object, site: BuiltSite) -> Iterator[object]:
    """One phone-sized tab that records every request leaving the site's origin."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.url))
    page.foreign = []  # type: ignore[attr-defined]
    page.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else page.foreign.append(r.url),
    )
    yield page
    context.close()


def open_search(page: object, site: BuiltSite) -> None:
    page.goto(site.url)
    page.click("label.md-header__button[for=__search]")
    page.wait_for_selector(".md-search__input", state="visible")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("体检", "免费体检"),
        ("法律", "免费法律咨询"),
        ("外卖", "入会指南"),
        ("入会", "入会指南"),
        ("工伤", "职业伤害保障：送单受伤有保障"),
        ("暖心驿站", "户外暖心驿站"),
        ("隐私", "隐私说明"),
    ],
)
def test_search_puts_the_right_page_first(
    phone: object, site: BuiltSite, query: str, first: str
) -> None:
    if not phone.url.startswith(site.url) or not phone.is_visible(".md-search__input"):
        open_search(phone, site)
    phone.fill(".md-search__input", query)
    phone.press(".md-search__input", "End")  # Material searches on keyup
    top = phone.locator(".md-search-result__item > a h1").first
    top.wait_for(timeout=10_000)
    phone.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q", arg=query
    )
    phone.wait_for_timeout(300)
    assert top.inner_text().replace("\u200b", "") == first
    if query == "体检":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=SCREENSHOTS / "kb-search.png")


def test_first_load_skips_search_and_stays_on_this_host(phone: object, site: BuiltSite) -> None:
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.goto(site.url + "benefits/health-check/")
    phone.wait_for_load_state("networkidle")
    assert not any("search_index.json" in url or "bundle." in url for url in requests)
    for path in PAGES:
        phone.goto(site.url + path, wait_until="load")
    open_search(phone, site)
    phone.fill(".md-search__input", "体检")
    phone.press(".md-search__input", "End")
    phone.locator(".md-search-result__item").first.wait_for()
    assert phone.foreign == []


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_problems_at_360px(
    browser: object, site: BuiltSite, path: str
) -> None:
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(site.url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    body_px = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    )
    context.close()
    assert serious == []
    assert body_px >= 16


@pytest.mark.parametrize("path", ["", "benefits/health-check/", "policy/legal-help/", "privacy/"])
def test_qr_code_decodes_to_the_page_url(browser: object, site: BuiltSite, path: str) -> None:
    import zxingcpp
    from PIL import Image

    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    page.goto(site.url + path)
    qr = page.locator(".kb-qr svg")
    box = qr.bounding_box()
    png = qr.screenshot()
    context.close()
    assert box and box["width"] >= 180  # about 5 cm on a tablet: scannable at arm's length
    results = zxingcpp.read_barcodes(Image.open(BytesIO(png)))
    assert [r.text for r in results] == [site.url + path]


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", ""),
        ("join", "join/"),
        ("benefits", "benefits/"),
        ("benefit", "benefits/health-check/"),
        ("policy", "policy/injury-protection/"),
        ("stations", "stations/"),
        ("schedule", "schedule/"),
        ("pocket", "pocket/"),
        ("privacy", "privacy/"),
        ("employers", "employers/"),
    ],
)
def test_screenshot_at_phone_size(browser: object, site: BuiltSite, name: str, path: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    response = page.goto(site.url + path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"kb-{name}.png")
    context.close()
    assert response and response.ok


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("tablet", TABLET)])
def test_a_missing_page_is_the_sites_own_chinese_404(
    browser: object, site: BuiltSite, size: str, viewport: dict
) -> None:
    """Served by the kiosk itself, as at the booth: the site's look, its menu and search."""
    from kiosk import create_app
    from tests.conftest import base_config
    from tests.live_server import serve_in_thread

    app = create_app(base_config("sqlite://", KB_DIR=str(site.root)))
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        with serve_in_thread(app) as server:
            response = page.goto(f"{server.url}/kb/benefits/no-such-page/")
            assert response is not None and response.status == 404
            assert page.locator("article h1").inner_text() == "找不到这个页面"
            assert page.locator(".md-header").is_visible()
            page.screenshot(path=SCREENSHOTS / f"kb-404-{size}.png")
    finally:
        context.close()
