"""The volunteer's flow at the booth tablet, as a person does it on the screen."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.kiosk_support import fill_form, signups, wait_staff_count
from tests.browser_support import TABLET
from tests.browser_support import TABLET_PORTRAIT as PORTRAIT

pytestmark = pytest.mark.browser


def test_attract_screen_shows_session_and_scannable_qr_codes(kiosk, world):
    page = kiosk
    assert page.inner_text("#attract h1") == "瀛海镇职工沟通会"
    assert "首航超市" in page.inner_text("#attract .site")
    captions = page.locator("#attract figcaption strong").all_inner_texts()
    assert captions == ["工会知识库", "北京工会i会员", "用自己手机登记"]
    for img in page.locator("#attract .qr img").all():
        box = img.bounding_box()
        assert box and box["width"] >= 220 and box["height"] >= 220
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    start = page.locator("#start").bounding_box()
    assert start and start["height"] >= 64 and start["y"] + start["height"] <= 768
    assert page.locator("#staff summary").is_visible()
    assert page.get_attribute("#staff a[href$='/kiosk/exit']", "href")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    screenshot(page, "kiosk-attract")


def test_sign_up_with_inline_errors_privacy_and_auto_return(kiosk, fast_kiosk, world):
    page = kiosk
    page.click("#start")
    page.click("#signup button[type=submit]")
    for field, message in {
        "name": "请填写姓名",
        "phone": "请填写手机号",
        "occupation": "请选择职业",
        "consent": "请阅读并同意隐私说明后再提交",
    }.items():
        assert page.inner_text(f"#{field}-error") == message
    # Wrong values: the message says what is wrong and what was typed stays.
    page.fill("#name", "阿卜杜·热合曼")
    page.fill("#phone", "138 0013 800")
    page.locator("#phone").blur()
    assert page.inner_text("#phone-error") == "手机号应为11位数字，现在是10位"
    assert page.input_value("#phone") == "138 0013 800"
    assert page.locator("#name-error").is_hidden()  # fixed fields lose their message
    page.check("input[name=occupation][value=other]")
    page.click("#signup button[type=submit]")
    assert page.inner_text("#occupation_other-error") == "选择“其他”时请写明职业"
    assert page.input_value("#name") == "阿卜杜·热合曼"
    page.locator("#phone").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "kiosk-form-errors")

    # Reading the privacy notice keeps everything typed.
    page.click("[data-privacy-link]")
    assert page.locator("#privacy-dialog").is_visible()
    assert "隐私说明" in page.inner_text("#privacy-dialog")
    screenshot(page, "kiosk-privacy")
    page.click("#privacy-dialog button")
    assert page.input_value("#name") == "阿卜杜·热合曼"

    page.fill("#phone", "+86 １３８-００１３-８０００")  # full-width digits, dashes, prefix
    page.fill("#occupation_other", "快递分拣员")
    page.check("input[name=interests][value=legal]")
    page.check("input[name=consent]")
    page.click("#signup button[type=submit]")
    page.wait_for_selector("#thanks:not([hidden])")
    assert page.locator("#thanks .qr img").count() == 2
    assert re.search(r"\d+ 秒后回到首页", page.inner_text("#thanks-countdown"))
    screenshot(page, "kiosk-thanks")

    # THANKS_SECONDS=2: back to the attract screen by itself, with an empty form.
    page.wait_for_selector("#attract:not([hidden])", timeout=5000)
    assert page.input_value("#name") == ""
    wait_staff_count(page, 0)
    [row] = signups(fast_kiosk.app)
    assert (row.name, row.phone, row.occupation) == ("阿卜杜·热合曼", "13800138000", "other")
    assert (row.occupation_other, row.interests, row.source) == ("快递分拣员", ["legal"], "kiosk")
    assert row.client_time is not None


def test_idle_warning_then_reset_clears_everything(kiosk, fast_kiosk):
    page = kiosk
    fast_kiosk.app.config.update(IDLE_SECONDS=1, IDLE_WARNING_SECONDS=2)
    page.reload()
    page.click("#start")
    fill_form(page, name="李四", phone="13912345678", employer="美团")
    page.wait_for_selector("#idle-dialog[open]", timeout=4000)
    assert "秒后将清空本页" in page.inner_text("#idle-countdown")
    page.click("#idle-continue")  # 继续填写 keeps the form
    assert page.locator("#idle-dialog").is_hidden()
    assert page.input_value("#name") == "李四"

    page.wait_for_selector("#idle-dialog[open]", timeout=4000)
    page.wait_for_selector("#attract:not([hidden])", timeout=5000)
    page.click("#start")
    for field in ("name", "phone", "employer", "area", "occupation_other"):
        assert page.input_value(f"#{field}") == ""
    assert page.locator("input:checked").count() == 0

    # Nothing comes back through history either.
    page.go_back()
    page.go_forward()
    page.wait_for_selector("#attract:not([hidden])")
    assert page.evaluate(
        "[...document.querySelectorAll('#signup input:not([type=hidden])')]"
        ".every(i => !i.value || i.type === 'radio' || i.type === 'checkbox')"
        " && !document.querySelector('#signup input:checked')"
    )
    assert page.get_attribute("#signup", "autocomplete") == "off"
    assert page.locator("#signup input[autocomplete]:not([autocomplete=off])").count() == 0


def test_language_toggle_switches_to_english(kiosk):
    page = kiosk
    page.click("#attract .lang a[lang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("#start") == "Sign up"
    page.click("#start")
    page.fill("#phone", "12345")
    page.click("#signup button[type=submit]")
    assert page.inner_text("#name-error") == "Please enter your name"
    assert page.inner_text("#phone-error") == "A mobile number has 11 digits; this one has 5"
    screenshot(page, "kiosk-english-errors")
    page.click("#cancel")
    page.click("#attract .lang a[lang=zh-CN]")
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.inner_text("#start") == "开始登记"


def test_portrait_layout(kiosk):
    page = kiosk
    page.set_viewport_size({"width": 768, "height": 1024})
    for img in page.locator("#attract .qr img").all():
        box = img.bounding_box()
        assert box and box["width"] >= 220
    start = page.locator("#start").bounding_box()
    assert start and start["y"] + start["height"] <= 1024
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "kiosk-portrait")
    page.click("#start")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "kiosk-portrait-form")


def test_touch_targets_are_large(kiosk):
    page = kiosk
    page.click("#start")
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              '#form-screen button, #form-screen input[type=text], #form-screen input[type=tel],'
              + ' #form-screen label.choice')]
            .map(el => [el.name || el.id || el.textContent.trim(), el.getBoundingClientRect()])
            .filter(([, r]) => r.width && r.height < 64)
            .map(([name, r]) => `${name}: ${r.height}`)"""
    )
    assert small == []


def test_every_request_stays_on_the_app(kiosk, fast_kiosk):
    """No CDN, no web font, no analytics: the booth may have no internet at all."""
    page = kiosk
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.reload()
    page.click("#start")
    assert seen
    assert all(url.startswith(fast_kiosk.url) for url in seen), seen


def test_four_qr_codes_fit_both_orientations(kiosk, fast_kiosk, tmp_path):
    """With a WeChat group configured there are four codes; all stay ≥220px on screen."""
    import qrcode

    image = tmp_path / "wechat.png"
    qrcode.make("https://example.org/wechat-group-placeholder").save(image)
    fast_kiosk.app.config["WECHAT_GROUP_QR_IMAGE"] = str(image)
    page = kiosk
    page.reload()
    for name, size in (("kiosk-attract-wechat", TABLET), ("kiosk-portrait-wechat", PORTRAIT)):
        page.set_viewport_size(size)
        boxes = [img.bounding_box() for img in page.locator("#attract .qr img").all()]
        assert len(boxes) == 4
        assert all(b and b["width"] >= 220 and b["x"] + b["width"] <= size["width"] for b in boxes)
        start = page.locator("#start").bounding_box()
        assert start and start["y"] + start["height"] <= size["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        screenshot(page, name)
