"""Printing from a session's page: previews in the browser, PDFs, and no page asking for a
file the server does not have (the favicon included)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import time

import pytest

from kiosk.cadence.months import Month, at
from kiosk.demo import DEMO_OFFER
from kiosk.extensions import db
from kiosk.models import OutreachSession, Site
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.kiosk_support import bind_in_browser
from tests.browser_support import PHONE, TABLET, require_or_skip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

JOIN = "https://example.org/i-member/join"


def _login(page, base: str) -> None:
    page.goto(f"{base}/admin/login")
    page.fill("#username", "staff")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


@pytest.fixture
def printing(live_server, world):
    """瀛海镇's month as the seeds describe it: every Thursday, at 首航超市 or 环宇坊."""
    live_server.app.config.update(JOIN_URL=JOIN)
    with live_server.app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.public_note = DEMO_OFFER  # what the seeds say 瀛海镇's sessions hand out
        other_site = Site(name="环宇坊", organisation_id=world.town_id)
        db.session.add(other_site)
        db.session.flush()
        thursdays = [day for day in Month.current().days() if day.weekday() == 3]
        for number, day in enumerate(thursdays):
            held = (
                session
                if number == 0
                else OutreachSession(
                    kind="worker",
                    title="瀛海镇职工沟通会",
                    organisation_id=world.town_id,
                    status="planned",
                )
            )
            held.starts_at, held.ends_at = at(day, time(14)), at(day, time(17))
            held.site_id = world.site_id if number % 2 == 0 else other_site.id
            db.session.add(held)
        db.session.commit()
    return live_server


def test_print_previews_from_the_session_page(printing, page, world):
    base = printing.url
    _login(page, base)
    page.goto(f"{base}/admin/sessions/{world.session_id}")
    for link, sheet in (
        ("海报（A4）", ".sheet.poster.a4"),
        ("海报（A3）", ".sheet.poster.a3"),
        ("桌牌（A4 对折）", ".sheet.tent"),
        ("本月沟通会安排表", ".sheet.schedule"),
    ):
        page.click(f"#print a:has-text('{link}')")
        page.wait_for_selector(sheet)
        assert page.locator(".print-bar a:has-text('下载 PDF')").count() == 1
        # Every code is an image the page carries itself.
        for image in page.locator(f"{sheet} img.qr").all():
            assert image.get_attribute("src").startswith("data:image/svg+xml;base64,")
        page.go_back()
    page.click("#print a:has-text('海报（A4）')")
    page.wait_for_selector(".sheet.poster")
    screenshot(page, "print-poster-preview")
    page.set_viewport_size(PHONE)
    screenshot(page, "print-poster-preview-phone")
    page.set_viewport_size(TABLET)


def test_pdfs_as_pictures_for_the_readme(printing, page, world, tmp_path):
    """The PDFs staff download, rendered to PNG (what the README shows)."""
    if shutil.which("pdftoppm") is None:
        require_or_skip("pdftoppm is missing: apt-get install -y poppler-utils")
    base = printing.url
    _login(page, base)
    sheets = {
        "print-poster-a4": f"/admin/print/sessions/{world.session_id}/poster.pdf?size=a4",
        "print-poster-a3": f"/admin/print/sessions/{world.session_id}/poster.pdf?size=a3",
        "print-tent": f"/admin/print/sessions/{world.session_id}/tent.pdf",
        "print-schedule": "/admin/print/schedule.pdf",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in sheets.items():
        response = page.request.get(base + path)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(response.body())
        dpi = "36" if name.endswith("a3") else "50"
        subprocess.run(  # noqa: S603 - a fixed tool on our own file
            ["pdftoppm", "-r", dpi, "-png", "-singlefile", str(pdf), str(SCREENSHOTS / name)],
            check=True,
        )
        assert (SCREENSHOTS / f"{name}.png").is_file()


def test_no_page_asks_for_a_missing_file(printing, browser, world):
    """Not even /favicon.ico: every page links the icon and the server has it."""
    ctx = browser.new_context(viewport=TABLET, locale="zh-CN")
    page = ctx.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    base = printing.url
    bind_in_browser(page, base, world.session_code)
    for path in (
        "/privacy",
        f"/s/{world.session_code}",
        "/admin/login",
    ):
        page.goto(base + path)
    _login(page, base)
    for path in (
        f"/admin/sessions/{world.session_id}",
        f"/admin/print/sessions/{world.session_id}/poster",
        f"/admin/print/sessions/{world.session_id}/tent",
        "/admin/print/schedule",
    ):
        page.goto(base + path)
    page.goto(base + "/favicon.ico")
    assert page.request.get(base + "/favicon.ico").headers["content-type"] == "image/x-icon"
    ctx.close()
    assert missing == []
