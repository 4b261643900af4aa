"""With CSRF protection on, as in production: binding, signing up and leaving still work."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.kiosk_support import bind_in_browser, sign_up, signups, wait_staff_count
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_kiosk_with_csrf_enabled(fast_kiosk, page, world):
    fast_kiosk.app.config["WTF_CSRF_ENABLED"] = True
    bind_in_browser(page, fast_kiosk.url, world.session_code)
    sign_up(page, name="吴十", phone="13512345678")
    wait_staff_count(page, 0)
    assert [row.name for row in signups(fast_kiosk.app)] == ["吴十"]

    page.goto(f"{fast_kiosk.url}/kiosk/exit")
    screenshot(page, "kiosk-exit")
    page.fill("#username", "staff")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/kiosk/setup")
    screenshot(page, "kiosk-setup")
    page.goto(f"{fast_kiosk.url}/kiosk/")
    assert page.url.endswith("/kiosk/setup")  # unbound: the screen is gone

    # The phone form carries its token too.
    page.goto(f"{fast_kiosk.url}/s/{world.session_code}")
    page.fill("#name", "郑十一")
    page.fill("#phone", "13512345679")
    page.check("input[name=occupation][value=courier]")
    page.check("input[name=consent]")
    page.click("form.signup button[type=submit]")
    page.wait_for_url("**/thanks")
    assert len(signups(fast_kiosk.app)) == 2
