"""The error pages on a phone and on the booth tablet: Chinese, readable, one clear way on."""

from __future__ import annotations

import pytest
from flask import abort

from kiosk.errors import PAGES
from tests.browser.conftest import screenshot
from tests.browser_support import PHONE, TABLET

pytestmark = pytest.mark.browser


def _tap(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("tablet", TABLET)])
def test_error_pages_look_like_the_kiosk(live_server, browser, world, size, viewport) -> None:
    # Every code the app answers with a page, on a route that fails with it.
    live_server.app.add_url_rule("/fail/<int:code>", "fail", lambda code: abort(code))
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        urls = {code: f"{live_server.url}/fail/{code}" for code in PAGES}
        urls |= {404: f"{live_server.url}/s/doesnotexist", 405: f"{live_server.url}/admin/logout"}
        for code, url in urls.items():
            response = page.goto(url)
            assert response is not None and response.status == code
            heading = page.locator("main h1")
            box = heading.bounding_box()
            assert box is not None and box["y"] + box["height"] <= viewport["height"]
            assert page.locator("main p.lead").inner_text().endswith("。")
            button = page.locator("main a.button").bounding_box()
            assert button is not None and button["height"] >= 44  # big enough for a thumb
            assert 0 <= button["x"] and button["x"] + button["width"] <= viewport["width"]
            screenshot(page, f"error-{code}-{size}")
        # The way on works: tap it and land on a real page.
        page.goto(f"{live_server.url}/s/doesnotexist")
        _tap(page, "main a.button")
        assert page.url.endswith("/kb/")
        page.goto(f"{live_server.url}/kiosk/nothing-here")
        _tap(page, "main a.button")
        assert page.url.endswith("/kiosk/setup")  # the screen, which sends an unbound tablet on
    finally:
        context.close()
