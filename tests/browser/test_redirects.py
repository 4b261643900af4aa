"""A real browser following ?next= never leaves the site, however the value is disguised."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.test_redirects import HOSTILE

pytestmark = pytest.mark.browser


def test_chromium_stays_on_the_site(live_server, context, world) -> None:
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []

    def only_here(route) -> None:
        # Record and stop any request to another host instead of letting it fail in DNS.
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    for target in HOSTILE:
        # Percent-encoded as a QR code or link would carry it (%09, %0A, %5C…).
        page.goto(f"{live_server.url}/lang/zh?next={quote(target, safe='')}")
        assert urlsplit(page.url).netloc == here, target
    # The admin login follows next= after a successful sign-in (each costs a scrypt).
    for target in HOSTILE[:: len(HOSTILE) // 6]:
        page.goto(f"{live_server.url}/admin/login?next={quote(target, safe='')}")
        page.fill("#username", "staff")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("section.login button[type=submit]")
        assert urlsplit(page.url).netloc == here, target
        assert urlsplit(page.url).path == "/admin/", target
    assert elsewhere == []
