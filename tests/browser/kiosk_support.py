"""Driving the booth tablet in a browser: bind it, fill the form, read the staff corner."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from kiosk.extensions import db
from kiosk.models import Signup
from tests.conftest import PASSWORD

# Short timings so the whole volunteer flow runs in seconds.
FAST = {
    "THANKS_SECONDS": 2,
    "IDLE_SECONDS": 60,
    "IDLE_WARNING_SECONDS": 3,
    "SYNC_BASE_BACKOFF_MS": 150,
    "SYNC_MAX_BACKOFF_MS": 1000,
    "SYNC_INTERVAL_SECONDS": 2,
    "SYNC_TIMEOUT_MS": 3000,
}


def bind_in_browser(page, base_url: str, code: str, username: str = "staff") -> None:
    """Bind the tablet through the real /kiosk/setup form, as staff do at the booth."""
    page.goto(f"{base_url}/kiosk/setup")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#code", code)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/kiosk/")
    wait_ready(page)


# Waits use selectors, not wait_for_function: polling a JS string needs eval, which
# the kiosk's CSP (script-src 'self') rightly forbids, and tests keep the real CSP.


def wait_ready(page) -> None:
    page.wait_for_selector("html[data-kiosk-ready=true]", state="attached")


def wait_offline_ready(page) -> None:
    page.wait_for_selector("html[data-offline-ready=true]", state="attached", timeout=10_000)


def fill_form(
    page,
    name: str = "张三",
    phone: str = "13800138000",
    occupation: str = "courier",
    consent: bool = True,
    **text: str,
) -> None:
    page.fill("#name", name)
    page.fill("#phone", phone)
    if occupation:
        page.check(f"input[name=occupation][value={occupation}]")
    for field, value in text.items():
        page.fill(f"#{field}", value)
    if consent:
        page.check("input[name=consent]")


def sign_up(page, **fields: str) -> None:
    """One person: start, fill, submit, see the thank-you, tap 完成."""
    page.click("#start")
    fill_form(page, **fields)
    page.click("#signup button[type=submit]")
    page.wait_for_selector("#thanks:not([hidden])")
    page.click("#done")
    page.wait_for_selector("#attract:not([hidden])")


def staff_count(page, which: str = "pending") -> int:
    return int(page.get_attribute("#staff", f"data-{which}") or -1)


def wait_staff_count(page, count: int, which: str = "pending", timeout: int = 15_000) -> None:
    page.wait_for_selector(f"#staff[data-{which}='{count}']", state="attached", timeout=timeout)


def signups(app: Flask) -> list[Signup]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Signup).order_by(Signup.created_at)))


def idb_dump(page) -> dict:
    """Every record in every store of every IndexedDB database of this origin."""
    return page.evaluate(
        """async () => {
          const out = {};
          for (const info of await indexedDB.databases()) {
            const db = await new Promise((ok, fail) => {
              const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result);
              r.onerror = () => fail(r.error);
            });
            for (const store of db.objectStoreNames) {
              out[`${info.name}/${store}`] = await new Promise((ok, fail) => {
                const r = db.transaction(store).objectStore(store).getAll();
                r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
              });
            }
            db.close();
          }
          return out;
        }"""
    )
