"""What a worker's phone does with the site: search, stay on this host, accessibility, QR codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kiosk import create_app
from kiosk.kb import synonyms
from kiosk.kb.pages import iter_pages
from tests.browser_support import PHONE, SCREENSHOTS, TABLET
from tests.conftest import base_config
from tests.kb.conftest import ROOT, BuiltSite
from tests.live_server import serve_in_thread

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
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, has_touch=True)
    page = context.new_page()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.url))
    page.foreign = []  # type: ignore[attr-defined]
    page.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else page.foreign.append(r.url),
    )
    yield page
    context.close()


@contextmanager
def fresh_phone(browser: object, save_data: bool = False) -> Iterator[object]:
    """A new phone with an empty cache; save_data is the browser's 省流量 (Save-Data) switch."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, has_touch=True)
    page = context.new_page()
    if save_data:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    try:
        yield page
    finally:
        context.close()


SEARCH_ICON = "label.md-header__button[for=__search]"
INPUT = ".md-search__input"
FOCUSED = "() => document.activeElement === document.querySelector('.md-search__input')"


def open_search(page: object, site: BuiltSite) -> None:
    page.goto(site.url)
    page.tap(SEARCH_ICON)
    page.wait_for_selector(INPUT, state="visible")


def top_titles(page: object) -> list[str]:
    titles = page.locator(".md-search-result__item > a h1").all_inner_texts()
    return [t.replace("\u200b", "") for t in titles]


def search(page: object, query: str) -> list[str]:
    """Type a query as a reader does and return the result pages' titles, best first."""
    page.evaluate("() => { window.kbBefore = document.querySelector('.md-search-result__item') }")
    page.fill(INPUT, query)
    page.press(INPUT, "End")  # Material searches on keyup
    # Material replaces the whole list for each query, so a new first item means new results.
    page.wait_for_function(
        "() => { const first = document.querySelector('.md-search-result__item');"
        " return first && first !== window.kbBefore }",
        timeout=10_000,
    )
    return top_titles(page)


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
        # Questions as riders type them: the question words are skipped.
        ("怎么入会", "入会指南"),
        ("如何加入工会", "入会指南"),
        ("出车祸了怎么办", "送单路上出了事故、受了伤"),
    ],
)
def test_search_puts_the_right_page_first(
    phone: object, site: BuiltSite, query: str, first: str
) -> None:
    if not phone.url.startswith(site.url) or not phone.is_visible(INPUT):
        open_search(phone, site)
    assert search(phone, query)[0] == first
    if query == "体检":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=SCREENSHOTS / "kb-search.png")


# For each group in docs/data/synonyms.yml (named by its first word): a word of the group,
# mostly one its page does not use itself, and the page that must come first.
SYNONYM_SEARCHES: dict[str, tuple[str, set[str]]] = {
    "互助卡": ("会员卡", {"职工互助保障"}),
    "车祸": ("撞车", {"送单路上出了事故、受了伤"}),
    "欠薪": ("不发工资", {"工资被拖欠、被扣款、被罚款"}),
    "扣款": ("罚钱", {"账号被封、超时扣款、平台规则变了", "工资被拖欠、被扣款、被罚款"}),
    "封号": ("停号", {"账号被封、超时扣款、平台规则变了"}),
    "高温": ("太热", {"高温、寒冷和恶劣天气"}),
    "寒冷": ("太冷", {"高温、寒冷和恶劣天气"}),
    "会费": ("要钱", {"会费和会员关系：没有固定单位怎么算"}),
    "心理": ("想不开", {"心里扛不住了：心理求助", "心理关怀与心理咨询"}),
    "职业伤害保障": ("新职伤", {"职业伤害保障：送单受伤有保障"}),
    "12351": ("维权热线", {"遇到问题怎么求助：12351 工会服务职工热线"}),
    "劳动仲裁": ("打官司", {"工资被拖欠、被扣款、被罚款"}),
    "外卖": ("骑手", {"入会指南"}),
    "快递": ("快递小哥", {"入会指南"}),
    "暖心驿站": ("歇脚", {"户外暖心驿站"}),
    "入会": ("参加工会", {"入会指南"}),
    "隐私": ("删除登记", {"隐私说明"}),
    "法律咨询": ("律师", {"免费法律咨询"}),
}


def test_every_synonym_group_has_a_search_here() -> None:
    words, problems = synonyms.load(ROOT / "docs" / "data")
    assert problems == []
    assert sorted(SYNONYM_SEARCHES) == sorted(group[0] for group in words.groups)
    for first_word, (word, _) in SYNONYM_SEARCHES.items():
        assert any(word in group and first_word == group[0] for group in words.groups), word


@pytest.mark.parametrize(
    ("word", "pages"), list(SYNONYM_SEARCHES.values()), ids=list(SYNONYM_SEARCHES)
)
def test_a_word_of_each_synonym_group_finds_its_page(
    phone: object, site: BuiltSite, word: str, pages: set[str]
) -> None:
    if not phone.url.startswith(site.url) or not phone.is_visible(INPUT):
        open_search(phone, site)
    assert search(phone, word)[0] in pages
    # The result shows the page's text, not a line of its search keywords (tags).
    assert phone.locator(".md-search-result .md-tags").count() == 0
    if word == "撞车":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=SCREENSHOTS / "kb-search-synonym.png")


@pytest.mark.parametrize("save_data", [False, True], ids=["prefetched", "save-data"])
def test_the_first_tap_on_the_search_icon_puts_the_cursor_in_the_box(
    browser: object, site: BuiltSite, save_data: bool
) -> None:
    """With Save-Data, Material's script is not loaded yet when the reader taps."""
    with fresh_phone(browser, save_data) as page:
        page.goto(site.url + "benefits/health-check/")
        page.tap(SEARCH_ICON)
        page.wait_for_function(FOCUSED, timeout=5_000)
        page.keyboard.insert_text("体检")
        page.keyboard.press("End")
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        assert top_titles(page)[0] == "免费体检"


@pytest.mark.parametrize("path", ["", "benefits/health-check/"])
def test_a_shared_search_link_opens_its_results(
    browser: object, site: BuiltSite, path: str
) -> None:
    """Staff share /kb/?q=车祸 in WeChat: the link opens search with its results."""
    with fresh_phone(browser) as page:
        page.goto(f"{site.url}{path}?q=车祸")
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        assert top_titles(page)[0] == "送单路上出了事故、受了伤"
        assert page.input_value(INPUT) == "车祸"
        assert page.is_checked("#__search")


SEARCH_FILES = ("search_index.json", "/bundle.", "/workers/")


def is_search_file(request: object) -> bool:
    return any(part in request.url for part in SEARCH_FILES)


def test_search_loads_after_the_page_and_never_with_save_data(
    browser: object, site: BuiltSite
) -> None:
    url = site.url + "benefits/health-check/"
    with fresh_phone(browser) as page:
        loaded: list[bool] = []
        before_load: list[str] = []
        page.on("load", lambda: loaded.append(True))
        page.on(
            "request",
            lambda r: before_load.append(r.url) if is_search_file(r) and not loaded else None,
        )
        page.goto(url, wait_until="load")
        assert before_load == []  # the page itself never waits for search
        # Then, when the browser is idle (within 2 s), search loads in the background.
        page.wait_for_event("request", lambda r: "search_index.json" in r.url, timeout=10_000)
    with fresh_phone(browser, save_data=True) as page:
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if is_search_file(r) else None)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(3_000)
        assert asked == []


def test_pages_and_search_stay_on_this_host(phone: object, site: BuiltSite) -> None:
    for path in PAGES:
        phone.goto(site.url + path, wait_until="load")
    open_search(phone, site)
    assert search(phone, "体检")
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
        ("help", "help/"),
        *(
            (f"help-{p.stem}", f"help/{p.stem}/")
            for p in sorted((ROOT / "docs" / "help").glob("*.md"))
            if p.stem != "index"
        ),
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


def test_search_works_under_the_kiosks_content_security_policy(
    browser: object, site: BuiltSite
) -> None:
    """The kiosk serves the site at /kb/ with its own CSP: search must not trip it."""
    app = create_app(base_config("sqlite://", KB_DIR=str(site.root)))
    with serve_in_thread(app) as live, fresh_phone(browser) as page:
        page.add_init_script(
            "window.kbViolations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.kbViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        response = page.goto(f"{live.url}/kb/benefits/health-check/?q=车祸")
        assert "script-src 'self' 'unsafe-inline'" in response.headers["content-security-policy"]
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        assert top_titles(page)[0] == "送单路上出了事故、受了伤"
        assert page.evaluate("window.kbViolations") == []


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
