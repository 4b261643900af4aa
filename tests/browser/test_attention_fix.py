"""待处理: a staff member corrects a refused sign-up in the form built from the declaration."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import AttentionItem, Signup
from tests.admin.conftest import cheap_scrypt  # noqa: F401 - autouse: fast password hashing
from tests.browser.test_admin_flow import _login, _shoot_both
from tests.conftest import signup_payload

pytestmark = pytest.mark.browser


def test_staff_fix_a_refused_sign_up_and_store_it(live_server, page, world):
    app, base = live_server.app, live_server.url
    payload = signup_payload(
        world.session_code, name="张三3", occupation="other", occupation_other="搬家师傅"
    )
    with app.app_context():
        db.session.add(
            AttentionItem(
                id=uuid.UUID(payload["id"]),
                session_id=world.session_id,
                http_status=422,
                reason={"errors": {"name": "姓名只能包含文字和间隔号 ·"}},
                payload=payload,
                phone="13800138000",
            )
        )
        db.session.commit()

    _login(page, base)
    page.goto(f"{base}/admin/attention")
    page.click("td.row-actions a")
    # Every declared field is there, filled in with what the tablet sent.
    assert page.input_value("#name") == "张三3"
    assert page.input_value("#occupation") == "other"
    assert page.input_value("#occupation_other") == "搬家师傅"
    assert page.input_value("#employer") == "顺丰"
    assert page.locator("input[name=interests]:checked").count() == 2
    _shoot_both(page, "admin-attention-fix")

    page.fill("#name", "张三")
    box = page.locator("label.check", has_text="法律咨询").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # untick it
    page.click("form.grid-form button[type=submit]")
    page.wait_for_selector("text=已保存为登记")
    with app.app_context():
        [row] = db.session.scalars(sa.select(Signup)).all()
    assert (row.name, row.occupation_other, row.interests) == (
        "张三",
        "搬家师傅",
        ["health_check"],
    )
