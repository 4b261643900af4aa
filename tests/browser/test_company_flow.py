"""The company side of 双沟通, as union staff do it in the browser.

Import a company list, hold a 企业沟通会 with two of the companies, record a need,
resolve it, move a company to 已建会, and see it in the list's funnel and in the
company's file. Screenshots of each screen at tablet and phone width.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk.admin.forms import to_local
from kiosk.companies import records
from kiosk.extensions import db
from kiosk.models import Company, Need, utcnow
from tests.admin.conftest import cheap_scrypt  # noqa: F401 - autouse: fast password hashing
from tests.browser.conftest import screenshot
from tests.browser.taps import tap
from tests.browser_support import PHONE, TABLET
from tests.companies.sample import xlsx_bytes
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LOCAL = "%Y-%m-%dT%H:%M"


def shoot_both(page, name: str) -> None:
    page.set_viewport_size(TABLET)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(TABLET)


def test_company_flow(live_server, page, world, tmp_path: Path):
    base = live_server.url
    app = live_server.app
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{base}/admin/login")
    page.fill("#username", "staff")
    page.fill("#password", PASSWORD)
    tap(page, "form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    # From here on, no script errors, CSP violations or missing files on any screen.
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    # Import the list: upload, see the preview (a dry run), import.
    tap(page, "nav.admin-nav >> text=企业")
    page.wait_for_url(f"{base}/admin/companies")
    assert "还没有企业档案" in page.inner_text("main")
    tap(page, "text=从 Excel 导入")
    list_file = tmp_path / "瀛海镇企业名单.xlsx"
    list_file.write_bytes(xlsx_bytes())
    page.set_input_files("#file", str(list_file))
    tap(page, "button:has-text('上传并预览')")
    page.wait_for_selector("text=这是试运行，还没有导入任何企业")
    assert page.inner_text('[data-count="create"]') == "4"
    assert page.inner_text('[data-count="errors"]') == "0"
    shoot_both(page, "admin-company-import-preview")
    tap(page, "button:has-text('导入 4 家企业')")
    page.wait_for_selector("text=导入完成：新建 4 家企业，更新 0 家")
    assert page.inner_text('[data-funnel="none"]') == "2"
    assert page.inner_text('[data-funnel="preparing"]') == "1"
    assert page.inner_text('[data-funnel="established"]') == "1"

    # Hold a 企业沟通会 with two of the companies.
    page.goto(f"{base}/admin/sessions/new")
    start = to_local(utcnow() - timedelta(hours=1)).replace(second=0, microsecond=0)
    page.select_option("#kind", "enterprise")
    page.fill("#starts_at", start.strftime(LOCAL))
    page.fill("#ends_at", (start + timedelta(hours=2)).strftime(LOCAL))
    tap(page, "form.grid-form button[type=submit]")
    page.wait_for_selector("text=沟通会已创建")
    assert page.inner_text("h1").startswith("瀛海镇总工会企业沟通会")
    for company, attendees in (
        ("美团瀛海配送站", "王站长、骑手队长李师傅"),
        ("顺丰瀛海营业部", "刘经理"),
    ):
        page.select_option("#company_id", label=company)
        page.fill("#attendees", attendees)
        tap(page, "button:has-text('登记参会企业')")
        page.wait_for_selector(f"text=已记录“{company}”参会")
    page.fill("#text", "介绍建会流程和入会好处。\n美团站反映骑手缺少休息点，顺丰希望了解工伤保障。")
    tap(page, "button:has-text('保存纪要')")
    page.wait_for_selector("text=会议纪要已保存")

    # Record a need for 美团, due yesterday, so it stands out as overdue.
    yesterday = records.today() - timedelta(days=1)
    page.select_option("#need-company_id", label="美团瀛海配送站")
    page.fill("#need-titles", "骑手休息点")
    page.fill("#need-owner", "李干事")
    page.fill("#need-due_on", yesterday.isoformat())
    tap(page, "button:has-text('记下诉求')")
    page.wait_for_selector("text=已为“美团瀛海配送站”记下 1 条诉求")
    attending = page.inner_text("table.attending")
    assert "王站长、骑手队长李师傅" in attending and "刘经理" in attending
    assert "逾期 1 天" in attending
    page.goto(page.url.split("#", 1)[0])  # the page from its top, as it opens
    shoot_both(page, "admin-enterprise-session")

    # The overdue need on the dashboard, in the list and on the company page.
    page.goto(f"{base}/admin/")
    assert page.inner_text("#overdue-needs .num") == "1"
    page.goto(f"{base}/admin/companies")
    meituan_row = page.locator("table.companies tr", has_text="美团瀛海配送站")
    assert "1 项逾期" in meituan_row.inner_text()
    tap(page, "table.companies >> text=美团瀛海配送站")
    page.wait_for_selector("text=1 项诉求已超过办结期限")
    assert "瀛海镇总工会企业沟通会" in page.inner_text("#timeline")

    # Resolve it.
    tap(page, "#needs >> text=骑手休息点")
    page.fill("#response", "协调镇党群服务中心在配送站旁设暖心驿站")
    page.select_option("#status", "done")
    tap(page, "form.grid-form button[type=submit]")
    page.wait_for_selector("text=诉求已保存（已解决）")
    assert page.locator(".overdue-alert").count() == 0

    # Move the company to 已建会.
    page.select_option("#status", "established")
    page.fill("#reached_on", records.today().isoformat())
    page.fill("#note", "召开会员大会，选举工会委员会")
    tap(page, "button:has-text('更新建会状态')")
    page.wait_for_selector("text=建会状态已改为“已建会”")
    assert "建会状态：已建会" in page.inner_text("#timeline")
    shoot_both(page, "admin-company-file")

    # The funnel counts it.
    page.goto(f"{base}/admin/companies")
    assert page.inner_text('[data-funnel="none"]') == "1"
    assert page.inner_text('[data-funnel="established"]') == "2"
    shoot_both(page, "admin-company-list")
    assert problems == []

    with app.app_context():
        meituan = db.session.scalar(sa.select(Company).where(Company.name == "美团瀛海配送站"))
        assert (meituan.union_status, meituan.union_status_on) == ("established", records.today())
        [need] = db.session.scalars(sa.select(Need)).all()
        assert (need.status, need.resolved_on, need.company_id) == (
            "done",
            records.today(),
            meituan.id,
        )
