"""Offline-first sign-ups (issue 4), numbered as in the issue.

Faults come from a real TCP proxy in front of the live server (tests/browser/
faulty_proxy.py): it can refuse every connection, which the service worker sees
too, or let the server commit and then drop the response. Server errors that need
a particular status are made with page.route.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.kiosk_support import (
    bind_in_browser,
    idb_dump,
    sign_up,
    signups,
    staff_count,
    wait_offline_ready,
    wait_ready,
    wait_staff_count,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
# Names may not contain digits (kiosk/signups/validation.py), so people are numbered in words.
NUMERALS = "零 一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九".split()


def go_offline(proxy, context) -> None:
    proxy.offline = True
    context.set_offline(True)


def go_online(proxy, context) -> None:
    proxy.offline = False
    context.set_offline(False)


def test_1_twenty_offline_signups_survive_reload_and_arrive_once(
    fast_kiosk, proxy, context, page, world
):
    bind_in_browser(page, proxy.url, world.session_code)
    wait_offline_ready(page)
    go_offline(proxy, context)

    people = {f"离线{NUMERALS[i]}": f"139{i:08d}" for i in range(20)}
    for name, phone in people.items():
        sign_up(page, name=name, phone=phone)
    wait_staff_count(page, 20)

    page.reload()  # no network at all: the service worker's copy opens
    wait_ready(page)
    assert page.inner_text("#attract h1") == "瀛海镇职工沟通会"
    wait_staff_count(page, 20)
    page.click("#start")
    page.fill("#phone", "12")
    page.click("#signup button[type=submit]")
    assert page.inner_text("#phone-error") == "手机号应为11位数字，现在是2位"
    page.click("#cancel")
    assert signups(fast_kiosk.app) == []

    go_online(proxy, context)
    wait_staff_count(page, 0)
    rows = signups(fast_kiosk.app)
    assert len(rows) == 20
    assert len({row.id for row in rows}) == 20
    assert {row.name: row.phone for row in rows} == people


def test_2_lost_response_is_retried_and_stored_once(fast_kiosk, proxy, page, world):
    bind_in_browser(page, proxy.url, world.session_code)
    proxy.drop_signup_responses = 2  # the server commits; the tablet never hears
    sign_up(page, name="王五", phone="13700001111")
    wait_staff_count(page, 0)
    assert proxy.dropped == 2
    assert proxy.signup_posts == 3  # the same UUID each time: 201 lost, 200 lost, 200 heard
    [row] = signups(fast_kiosk.app)
    assert row.name == "王五"


def test_3_server_503_queue_holds_backs_off_then_drains(kiosk, fast_kiosk):
    page = kiosk
    hits: list[float] = []

    def unavailable(route):
        hits.append(time.monotonic())
        route.fulfill(status=503, json={"error": "service_unavailable"})

    page.route("**/api/signups", unavailable)
    for i in range(3):
        sign_up(page, name=f"等待{NUMERALS[i]}", phone=f"1350000000{i}")
    time.sleep(2.5)
    assert staff_count(page) == 3
    # SYNC_BASE_BACKOFF_MS=150, max 1000: a handful of tries, not a flood, and
    # each round stops at its first failure instead of trying every item.
    assert 3 <= len(hits) <= 14, len(hits)
    gaps = [b - a for a, b in zip(hits, hits[1:], strict=False)]
    assert max(gaps[-2:]) > min(gaps[:2])  # the waits grow

    page.unroute("**/api/signups", unavailable)
    wait_staff_count(page, 0)
    assert sorted(row.name for row in signups(fast_kiosk.app)) == ["等待一", "等待二", "等待零"]


def test_4_refused_item_needs_attention_is_reported_and_not_retried(kiosk, fast_kiosk):
    page = kiosk
    posts: list[dict] = []
    reports: list[dict] = []

    def refuse(route):
        posts.append(route.request.post_data_json)
        route.fulfill(status=422, json={"errors": {"phone": "这不是大陆手机号"}})

    page.route("**/api/signups", refuse)
    page.route("**/api/attention", lambda route: route.fulfill(status=404, json={}))
    sign_up(page, name="孙七", phone="13600002222")
    wait_staff_count(page, 1, "attention")
    assert staff_count(page) == 0
    time.sleep(1.0)  # several sync rounds: the refused item is not sent again
    assert len(posts) == 1
    [kept] = idb_dump(page)["kiosk-outbox/attention"]  # not lost: kept on the tablet
    assert kept["payload"]["name"] == "孙七" and kept["status"] == 422

    # Once the server takes the report, staff see it there and the tablet forgets it.
    def accept(route):
        reports.append(route.request.post_data_json)
        route.fulfill(status=201, json={"ok": True})

    page.unroute("**/api/attention")
    page.route("**/api/attention", accept)
    page.click("#staff summary")
    page.click("#staff-sync")
    wait_staff_count(page, 0, "attention")
    [report] = reports
    assert report["id"] == posts[0]["id"] and report["name"] == "孙七"
    assert report["status"] == 422
    assert report["response"] == {"errors": {"phone": "这不是大陆手机号"}}
    assert idb_dump(page)["kiosk-outbox/attention"] == []
    assert len(posts) == 1


def test_5_no_personal_data_on_the_tablet_after_sync(kiosk, fast_kiosk):
    page = kiosk
    sign_up(page, name="赵六", phone="13600001111", employer="闪送")
    sign_up(page, name="钱八", phone="13600003333")
    wait_staff_count(page, 0)
    assert len(signups(fast_kiosk.app)) == 2
    stored = json.dumps(idb_dump(page), ensure_ascii=False)
    for secret in ("赵六", "钱八", "13600001111", "13600003333", "闪送"):
        assert secret not in stored
    cached = page.evaluate(
        """async () => {
          let text = '';
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
              text += await (await cache.match(request)).text();
            }
          }
          return text;
        }"""
    )
    assert "赵六" not in cached and "13600001111" not in cached


def test_exit_removes_the_offline_copy(fast_kiosk, proxy, context, page, world):
    bind_in_browser(page, proxy.url, world.session_code)
    wait_offline_ready(page)
    page.click("#staff summary")
    page.click("#staff a[href$='/kiosk/exit']")
    page.fill("#username", "staff")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/kiosk/setup")
    page.wait_for_selector("html[data-shell-cleared=true]", state="attached")
    assert page.evaluate(
        "async () => [(await caches.keys()).length,"
        " (await navigator.serviceWorker.getRegistrations()).length]"
    ) == [0, 0]
    go_offline(proxy, context)
    # With a cached copy this navigation would succeed; without one it fails.
    with pytest.raises(PlaywrightError, match="ERR_"):
        page.goto(f"{proxy.url}/kiosk/")


def test_language_toggle_works_offline(fast_kiosk, proxy, context, page, world):
    """Both languages of the screen are cached, so a volunteer can switch with no network."""
    bind_in_browser(page, proxy.url, world.session_code)
    wait_offline_ready(page)
    go_offline(proxy, context)

    page.click("#attract .lang a[lang=en]")
    wait_ready(page)
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#start") == "Sign up"
    sign_up(page, name="离线英文", phone="13900139111")
    wait_staff_count(page, 1)

    page.click("#attract .lang a[lang=zh-CN]")
    wait_ready(page)
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.inner_text("#start") == "开始登记"
    wait_staff_count(page, 1)  # the queued sign-up is still there

    go_online(proxy, context)
    wait_staff_count(page, 0)
    assert [row.name for row in signups(fast_kiosk.app)] == ["离线英文"]
