"""Both sign-up forms, tapped where a person taps, at 1024×768 and 390×844.

Every choice row, the consent row and the submit button are tapped at their centre
(tests/browser/taps.py). The privacy link is a target of its own; reading the notice
keeps what was typed; 其他职业（请写明） shows only while 其他 is chosen (on the phone
form without any script); no label breaks inside a word.
"""

from __future__ import annotations

import pytest

from kiosk.choices import INTERESTS, OCCUPATIONS
from tests.browser.conftest import screenshot
from tests.browser.kiosk_support import FAST, bind_in_browser, signups
from tests.browser.taps import apart, inside, tap
from tests.browser_support import PHONE, TABLET

pytestmark = pytest.mark.browser

SIZES = {"tablet": TABLET, "phone": PHONE}
ONE_LINE_PX = 40  # a label's line at the forms' 20–23 px type; two lines are over 55


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


@pytest.fixture
def phone_page(live_server, browser, size: str):
    """The phone form's page with JavaScript off: it has to work as plain HTML."""
    touch = size == "phone"
    ctx = browser.new_context(
        viewport=SIZES[size],
        locale="zh-CN",
        java_script_enabled=False,
        is_mobile=touch,
        has_touch=touch,
    )
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture
def kiosk_page(live_server, browser, world, size: str):
    live_server.app.config.update(FAST)
    ctx = browser.new_context(viewport=SIZES[size], locale="zh-CN")
    page = ctx.new_page()
    bind_in_browser(page, live_server.url, world.session_code)
    yield page
    ctx.close()


def _labels_fit_and_boxes_sit_inside(page) -> None:
    for row in page.locator("label.choice").all():
        label, outline = row.locator("span").bounding_box(), row.bounding_box()
        assert label["height"] < ONE_LINE_PX, f"{row.inner_text()}: more than one line"
        assert inside(label, outline, inset=4), f"{row.inner_text()}: wider than its row"
        box = row.locator("input").bounding_box()
        assert inside(box, outline, inset=4), f"{row.inner_text()}: box on the border"


def _tap_every_choice(page, touch: bool) -> None:
    """Each occupation in turn (其他 shows its box, the next hides it), each interest twice."""
    other = page.locator("[data-other-of=occupation]")
    for key in OCCUPATIONS:
        row = page.locator(f"label.choice:has(input[name=occupation][value={key}])")
        tap(page, row, touch=touch)
        assert page.is_checked(f"input[name=occupation][value={key}]"), key
        assert other.is_visible() == (key == "other"), key
    tap(page, page.locator("label.choice:has(input[name=occupation][value=other])"), touch=touch)
    assert other.is_visible()
    page.fill("#occupation_other", "搬家师傅")
    for key in INTERESTS:
        row = page.locator(f"label.choice:has(input[name=interests][value={key}])")
        tap(page, row, touch=touch)
        assert page.is_checked(f"input[name=interests][value={key}]"), key
        if key != "mutual_aid":
            tap(page, row, touch=touch)
            assert not page.is_checked(f"input[name=interests][value={key}]"), key


def _consent_row_toggles_and_the_link_is_apart(page, touch: bool) -> None:
    row = page.locator("label.consent-choice")
    link = page.locator("[data-privacy-link]")
    address = page.url
    for expected in (True, False, True):
        tap(page, row, touch=touch)
        assert page.is_checked("input[name=consent]") == expected
    assert page.url == address and len(page.context.pages) == 1  # nothing opened
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert apart(box, row.bounding_box())
    assert inside(row.locator("input").bounding_box(), row.bounding_box(), inset=4)


def test_phone_form_by_taps(live_server, world, phone_page, size: str):
    page, touch = phone_page, size == "phone"
    page.goto(f"{live_server.url}/s/{world.session_code}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    # Without any script, 其他职业 waits for 其他.
    assert not page.locator("#occupation_other").is_visible()
    _labels_fit_and_boxes_sit_inside(page)
    page.fill("#name", "周九")
    page.fill("#phone", "13800138000")
    _tap_every_choice(page, touch)
    _consent_row_toggles_and_the_link_is_apart(page, touch)
    screenshot(page, f"booth-phone-form-{size}")

    # The notice opens within the page and the way back finds everything as it was.
    tap(page, page.locator("[data-privacy-link]"), touch=touch)
    assert page.locator("#privacy-notice").is_visible()
    assert "隐私说明" in page.inner_text("#privacy-notice")
    tap(page, page.locator("#privacy-notice a.button"), touch=touch)
    assert not page.locator("#privacy-notice").is_visible()
    assert page.input_value("#name") == "周九"
    assert page.input_value("#occupation_other") == "搬家师傅"
    assert page.is_checked("input[name=consent]")
    assert page.is_checked("input[name=interests][value=mutual_aid]")

    tap(page, page.locator("form.signup button[type=submit]"), touch=touch)
    page.wait_for_url("**/thanks")
    [row] = signups(live_server.app)
    assert (row.occupation, row.occupation_other, row.interests) == (
        "other",
        "搬家师傅",
        ["mutual_aid"],
    )


def test_kiosk_form_by_taps(live_server, world, kiosk_page, size: str):
    page = kiosk_page
    tap(page, page.locator("#start"))
    page.wait_for_selector("#form-screen:not([hidden])")
    assert not page.locator("#occupation_other").is_visible()
    _labels_fit_and_boxes_sit_inside(page)
    page.fill("#name", "郑十一")
    page.fill("#phone", "13900139000")
    _tap_every_choice(page, touch=False)
    _consent_row_toggles_and_the_link_is_apart(page, touch=False)
    screenshot(page, f"booth-kiosk-form-{size}")

    tap(page, page.locator("[data-privacy-link]"))
    assert page.locator("#privacy-dialog").is_visible()
    page.click("#privacy-dialog button")
    assert page.input_value("#name") == "郑十一"
    assert page.is_checked("input[name=consent]")

    tap(page, page.locator("#signup button[type=submit]"))
    page.wait_for_selector("#thanks:not([hidden])")
    page.wait_for_selector("#staff[data-pending='0']", state="attached", timeout=15_000)
    [row] = signups(live_server.app)
    assert (row.name, row.occupation_other, row.interests) == ("郑十一", "搬家师傅", ["mutual_aid"])
