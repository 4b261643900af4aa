"""A phone on a weak signal, in headless Chromium: what a page costs, how fast search answers.

Used by scripts/bench_site.py. Every measurement starts a fresh browser context (a cold cache)
throttled like Lighthouse's mobile profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

THROTTLE = {  # Lighthouse "mobile slow 4G": 150 ms RTT, 1.6 Mbit/s (1638.4 kbit/s), 750 kbit/s
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1638.4 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
TAP_AFTER_LOAD_MS = 2000


@dataclass
class Load:
    transferred: int = 0  # requests sent before the load event
    background: int = 0  # requests sent after it
    requests: int = 0
    third_party: list[str] = field(default_factory=list)
    fcp_ms: float = 0.0


@dataclass
class Search:
    tap_to_result_ms: float = 0.0
    tapped_twice: bool = False  # the first tap did not put the cursor in the box


def throttled_page(browser: Any, save_data: bool = False) -> tuple[Any, Any, Any]:
    """A phone-sized tab in a fresh browser context (a cold cache) on Lighthouse's network."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Page.enable")
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    if save_data:
        cdp.send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    return context, page, cdp


def measure(browser: Any, url: str, origin: str) -> Load:
    context, page, cdp = throttled_page(browser)
    load = Load()
    sent: dict[str, float] = {}
    loaded: list[float] = []

    def on_request(event: dict[str, Any]) -> None:
        target = event["request"]["url"]
        if target.startswith("data:"):
            return
        sent[event["requestId"]] = event["timestamp"]
        load.requests += 1
        if not target.startswith(origin):
            load.third_party.append(target)

    def on_finished(event: dict[str, Any]) -> None:
        started = sent.get(event["requestId"], 0.0)
        if loaded and started > loaded[0]:
            load.background += int(event["encodedDataLength"])
        else:
            load.transferred += int(event["encodedDataLength"])

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Page.loadEventFired", lambda event: loaded.append(event["timestamp"]))
    page.goto(url, wait_until="load")
    # Whatever the page fetches once loaded (our search, when the browser is idle).
    page.wait_for_timeout(TAP_AFTER_LOAD_MS)
    page.wait_for_load_state("networkidle")
    load.fcp_ms = page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
    )
    context.close()
    return load


# Installed before the tap: the time of the tap, and of the first search result to appear.
WATCH_RESULTS = """() => {
  window.__kb = {};
  const stamp = () => { if (window.__kb.tap === undefined) window.__kb.tap = performance.now(); };
  addEventListener("touchstart", stamp, true);
  addEventListener("pointerdown", stamp, true);
  new MutationObserver((_, observer) => {
    if (document.querySelector(".md-search-result__item")) {
      window.__kb.result = performance.now();
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""
FOCUSED = "() => document.activeElement === document.querySelector('.md-search__input')"


def centre(page: Any, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def measure_search(browser: Any, url: str, query: str, save_data: bool = False) -> Search:
    """Tap the search icon 2 s after the load event, type the query, wait for a result."""
    context, page, _ = throttled_page(browser, save_data)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(TAP_AFTER_LOAD_MS)
    page.evaluate(WATCH_RESULTS)
    search = Search()
    page.touchscreen.tap(*centre(page, "label.md-header__button[for=__search]"))
    try:
        page.wait_for_function(FOCUSED, timeout=300)
    except PlaywrightTimeout:
        # The cursor is not in the box: the reader taps the box itself.
        search.tapped_twice = True
        page.wait_for_selector(".md-search__input", state="visible")
        page.touchscreen.tap(*centre(page, ".md-search__input"))
    page.keyboard.insert_text(query)
    page.keyboard.press("End")  # Material searches on keyup
    page.wait_for_function("() => window.__kb.result !== undefined", timeout=30_000)
    search.tap_to_result_ms = page.evaluate("() => window.__kb.result - window.__kb.tap")
    context.close()
    return search
