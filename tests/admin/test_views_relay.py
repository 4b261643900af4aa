"""上报凭证 (admins on the city server) and 上报 (staff on a booth laptop)."""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import RelayCredential, RelayReceipt
from kiosk.relay import credentials
from tests.admin.conftest import audit_events
from tests.conftest import PASSWORD, World
from tests.relay.conftest import Laptop, laptop, token, upstream  # noqa: F401 - fixtures
from tests.relay.test_forwarding import push_now


def test_an_admin_issues_a_credential_shown_once(app: Flask, admin_client: FlaskClient, world):
    response = admin_client.post(
        "/admin/relay/credentials", data={"organisation_id": world.town_id, "label": "瀛海镇笔记本"}
    )
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    (shown,) = re.findall(r"data-token>(relay_[\w-]+)<", page)
    assert "只显示这一次" in page
    with app.app_context():
        stored = db.session.scalar(sa.select(RelayCredential))
        assert stored.token_hash == credentials.token_hash(shown)
        assert (stored.label, stored.organisation_id) == ("瀛海镇笔记本", world.town_id)
    listed = admin_client.get("/admin/relay/credentials").get_data(as_text=True)
    assert "瀛海镇笔记本" in listed and shown not in listed
    (event,) = audit_events(app, "relay_credential_issue")
    assert event.detail == {"credential": stored.id, "label": "瀛海镇笔记本"}


def test_a_credential_needs_a_label(admin_client: FlaskClient, world: World) -> None:
    response = admin_client.post(
        "/admin/relay/credentials", data={"organisation_id": world.town_id, "label": " "}
    )
    assert response.status_code == 422
    assert "请填写名称，例如：瀛海镇现场笔记本" in response.get_data(as_text=True)


def test_an_admin_revokes_a_credential(app: Flask, admin_client: FlaskClient, world: World):
    admin_client.post(
        "/admin/relay/credentials", data={"organisation_id": world.town_id, "label": "旧笔记本"}
    )
    with app.app_context():
        credential_id = db.session.scalar(sa.select(RelayCredential.id))
    response = admin_client.post(f"/admin/relay/credentials/{credential_id}/revoke")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(RelayCredential, credential_id).revoked_at is not None
    assert len(audit_events(app, "relay_credential_revoke")) == 1
    assert admin_client.post("/admin/relay/credentials/999/revoke").status_code == 404


def test_staff_cannot_see_or_issue_credentials(staff_client: FlaskClient, world: World):
    assert staff_client.get("/admin/relay/credentials").status_code == 403
    response = staff_client.post(
        "/admin/relay/credentials", data={"organisation_id": world.town_id, "label": "x"}
    )
    assert response.status_code == 403


def test_without_an_upstream_the_status_page_says_so(staff_client: FlaskClient) -> None:
    page = staff_client.get("/admin/relay").get_data(as_text=True)
    assert "这台电脑没有设置上级服务器" in page and "立即上传" not in page


def booth_client(laptop_: Laptop) -> FlaskClient:
    client = laptop_.app.test_client()
    response = client.post("/admin/login", data={"username": "booth", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_push_now_button_forwards_and_the_page_shows_it(
    app: Flask,
    laptop: Laptop,  # noqa: F811 - the fixture
) -> None:
    laptop.sign_up(2)
    client = booth_client(laptop)
    page = client.get("/admin/relay").get_data(as_text=True)
    assert '<li class="tile" id="relay-pending"><span class="num">2</span>' in page
    assert "立即上传" in page and "上报" in page
    response = client.post("/admin/relay/push", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已上传：确认 2 条，被拒 0 条" in page
    assert '<li class="tile" id="relay-pending"><span class="num">0</span>' in page
    assert '<li class="tile" id="relay-connected"><span class="num">已连接</span>' in page


def test_a_refused_sign_up_can_be_sent_again_or_dismissed(
    app: Flask,
    laptop: Laptop,  # noqa: F811 - the fixture
    world: World,
) -> None:
    first, second = laptop.sign_up(2)
    with app.app_context():  # the city has closed the session long ago: both refused
        from datetime import timedelta

        from kiosk.models import OutreachSession, utcnow

        session = db.session.get(OutreachSession, world.session_id)
        session.status, session.closed_at = "closed", utcnow() - timedelta(days=1)
        db.session.commit()
    push_now(laptop.app)
    client = booth_client(laptop)
    listed = client.get("/admin/attention").get_data(as_text=True)
    assert "另有 2 条登记转发到上级服务器时被拒绝" in listed
    page = client.get("/admin/relay").get_data(as_text=True)
    assert page.count('<td data-label="原因">沟通会已结束</td>') == 2 and "测试零" in page
    assert '<li class="tile" id="relay-attention"><span class="num">2</span>' in page
    client.post(f"/admin/relay/refused/{first}/retry")
    client.post(f"/admin/relay/refused/{second}/dismiss")
    with laptop.app.app_context():
        assert db.session.get(RelayReceipt, uuid.UUID(first)) is None  # pending again
        assert db.session.get(RelayReceipt, uuid.UUID(second)).outcome == "dismissed"
    page = client.get("/admin/relay").get_data(as_text=True)
    assert '<li class="tile" id="relay-attention"><span class="num">0</span>' in page
    assert '<li class="tile" id="relay-pending"><span class="num">1</span>' in page


def test_sessions_made_on_a_laptop_are_marked_local(
    laptop: Laptop,  # noqa: F811 - the fixture
) -> None:
    from datetime import timedelta

    from kiosk.models import OutreachSession, utcnow

    with laptop.app.app_context():
        pulled = db.session.scalar(sa.select(OutreachSession))
        db.session.add(
            OutreachSession(
                title="临时加开的沟通会",
                kind="worker",
                organisation_id=pulled.organisation_id,
                starts_at=utcnow(),
                ends_at=utcnow() + timedelta(hours=2),
            )
        )
        db.session.commit()
    page = booth_client(laptop).get("/admin/sessions").get_data(as_text=True)
    assert page.count("本机创建·未上传") == 1
