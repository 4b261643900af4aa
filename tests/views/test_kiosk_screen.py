"""Binding a tablet to a session, leaving kiosk mode, and the attract screen's QR codes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app, tablets
from kiosk.extensions import db, limiter
from kiosk.models import AuditEvent, OutreachSession, Signup, TabletBinding
from tests.conftest import PASSWORD, World, base_config, bind_tablet, signup_payload


def setup_form(code: str, username: str = "staff", password: str = PASSWORD) -> dict:
    return {"username": username, "password": password, "code": code, "label": "一号平板"}


def test_unbound_tablet_is_sent_to_setup(client: FlaskClient, world: World) -> None:
    response = client.get("/kiosk/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/kiosk/setup"


def test_setup_binds_the_tablet_and_shows_the_session(
    app: Flask, client: FlaskClient, world: World
) -> None:
    response = client.post("/kiosk/setup", data=setup_form(world.session_code))
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk/"
    cookie = client.get_cookie(tablets.COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    page = client.get("/kiosk/")
    assert page.status_code == 200
    assert "瀛海镇职工沟通会" in page.text and "首航超市" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        binding = db.session.scalar(sa.select(TabletBinding))
        assert binding is not None and binding.label == "一号平板"
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert actions == ["tablet_bind"]


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.upper(),
        lambda code: f" {code[:3]} {code[3:6]}\u3000{code[6:]} ",  # an ideographic space too
        lambda code: "".join(chr(ord(ch) + 0xFEE0) for ch in code),  # a Chinese keyboard's ｋ７ｍ
    ],
    ids=["capitals", "spaces", "full-width"],
)
def test_setup_takes_the_code_however_it_was_typed(
    app: Flask, client: FlaskClient, world: World, typed
) -> None:
    response = client.post("/kiosk/setup", data=setup_form(typed(world.session_code)))
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk/"
    assert "瀛海镇职工沟通会" in client.get("/kiosk/").text


def _tablet_rows(app: Flask) -> list[tuple[str | None, bool]]:
    with app.app_context():
        rows = db.session.execute(sa.select(TabletBinding.label, TabletBinding.revoked_at))
        return [(label, revoked is None) for label, revoked in rows]


def test_setting_the_same_tablet_up_again_keeps_one_row(
    app: Flask, client: FlaskClient, world: World
) -> None:
    client.post("/kiosk/setup", data=setup_form(world.session_code))
    client.post("/kiosk/setup", data=setup_form(world.session_code))  # "did it work?"
    assert _tablet_rows(app) == [("一号平板", True)]
    assert client.get("/kiosk/").status_code == 200
    # Its browser data cleared, the tablet keeps its name: still the same tablet.
    client.delete_cookie(tablets.COOKIE)
    client.post("/kiosk/setup", data=setup_form(world.session_code))
    assert _tablet_rows(app) == [("一号平板", True)]
    # Another tablet with another name is a second row.
    other = app.test_client()
    other.post("/kiosk/setup", data={**setup_form(world.session_code), "label": "二号平板"})
    assert sorted(_tablet_rows(app)) == [("一号平板", True), ("二号平板", True)]


def test_setup_does_not_log_the_tablet_into_the_admin(client: FlaskClient, world: World) -> None:
    client.post("/kiosk/setup", data=setup_form(world.session_code))
    with client.session_transaction() as flask_session:
        assert "_user_id" not in flask_session


def test_wrong_password_binds_nothing_and_is_logged(
    app: Flask, client: FlaskClient, world: World
) -> None:
    response = client.post("/kiosk/setup", data=setup_form(world.session_code, password="nope"))
    assert response.status_code == 200 and "用户名、密码或沟通会编号不正确" in response.text
    assert client.get_cookie(tablets.COOKIE) is None
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent))
        assert event is not None and event.action == "login_failed"
        assert event.actor_name == "staff" and "nope" not in str(event.detail)


def test_staff_cannot_bind_another_organisations_session(client: FlaskClient, world: World) -> None:
    response = client.post("/kiosk/setup", data=setup_form(world.other_session_code))
    assert "用户名、密码或沟通会编号不正确" in response.text
    assert client.get_cookie(tablets.COOKIE) is None


def test_district_staff_can_bind_a_town_session(client: FlaskClient, world: World) -> None:
    client.post("/kiosk/setup", data=setup_form(world.session_code, username="district"))
    assert client.get("/kiosk/").status_code == 200


def test_closed_session_cannot_be_bound(app: Flask, client: FlaskClient, world: World) -> None:
    with app.app_context():
        db.session.get(OutreachSession, world.session_id).status = "closed"
        db.session.commit()
    response = client.post("/kiosk/setup", data=setup_form(world.session_code))
    assert "这个沟通会已经结束" in response.text
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent))
        assert (event.action, event.actor_name, event.detail["reason"]) == (
            "tablet_bind_failed",
            "staff",
            "closed",
        )


def test_bound_tablet_submits_only_for_its_session(tablet: FlaskClient, world: World) -> None:
    assert tablet.post("/api/signups", json=signup_payload(world.session_code)).status_code == 201
    other = tablet.post("/api/signups", json=signup_payload(world.other_session_code))
    assert other.status_code == 403
    assert other.json == {"error": "tablet_bound_to_other_session"}


def test_tablet_can_never_read_signups_back(tablet: FlaskClient, world: World) -> None:
    tablet.post("/api/signups", json=signup_payload(world.session_code))
    for path in ("/api/signups", "/admin/", "/admin/signups"):
        response = tablet.get(path)
        assert response.status_code in {302, 401, 403, 404, 405}
        assert "13800138000" not in response.text and "张三" not in response.text


def test_leaving_kiosk_mode_needs_credentials(app: Flask, tablet: FlaskClient) -> None:
    response = tablet.post("/kiosk/exit", data={"username": "staff", "password": "wrong"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.text
    assert tablet.get("/kiosk/").status_code == 200

    response = tablet.post("/kiosk/exit", data={"username": "staff", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk/setup"
    assert tablet.get_cookie(tablets.COOKIE) is None
    with app.app_context():
        binding = db.session.scalar(sa.select(TabletBinding))
        assert binding is not None and binding.revoked_at is not None


def test_revoked_binding_cannot_submit(app: Flask, tablet: FlaskClient, world: World) -> None:
    token = tablet.get_cookie(tablets.COOKIE).value
    tablet.post("/kiosk/exit", data={"username": "staff", "password": PASSWORD})
    tablet.set_cookie(tablets.COOKIE, token)  # a copied cookie must not outlive the binding
    response = tablet.post("/api/signups", json=signup_payload(world.session_code))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 0


def test_forged_cookie_is_not_a_binding(client: FlaskClient, world: World) -> None:
    client.set_cookie(tablets.COOKIE, "forged.value.here")
    assert client.get("/kiosk/").status_code == 302
    assert client.post("/api/signups", json=signup_payload(world.session_code)).status_code == 403


@pytest.mark.parametrize("path", ["/kiosk/setup", "/kiosk/exit"])
def test_staff_sign_in_at_the_tablet_is_rate_limited_but_the_page_is_not(
    database_url: str, world: World, path: str
) -> None:
    config = base_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2/minute")
    limited = create_app(config)
    limiter.reset()
    client = limited.test_client()
    bind_tablet(limited, client, world.session_code)
    wrong = setup_form(world.session_code, password="wrong")
    assert [client.post(path, data=wrong).status_code for _ in range(3)] == [200, 200, 429]
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]


def _decode_svg(svg: bytes) -> str:
    """Rasterise the path-only SVG qrcode writes (one `Mx,yHx2Vy2H…z` per module) and decode."""
    import re

    from PIL import Image, ImageDraw

    text = svg.decode()
    size = int(float(re.search(r'viewBox="0 0 ([\d.]+)', text).group(1)))
    scale, margin = 10, 4
    image = Image.new("L", ((size + 2 * margin) * scale,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)", text):
        box = [(float(v) + margin) * scale for v in (x0, y0, x1, y1)]
        draw.rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=0)
    results = zxingcpp.read_barcodes(image)
    assert results, "QR code did not decode"
    return results[0].text


def test_qr_codes_point_where_their_captions_say(tablet: FlaskClient, world: World) -> None:
    kb = tablet.get("/kiosk/qr/kb.svg")
    assert kb.mimetype == "image/svg+xml"
    assert _decode_svg(kb.data) == "http://kiosk.test/kb/"
    assert _decode_svg(tablet.get("/kiosk/qr/phone.svg").data) == (
        f"http://kiosk.test/s/{world.session_code}"
    )
    assert _decode_svg(tablet.get("/kiosk/qr/join").data) == "https://example.org/join-placeholder"


def test_join_qr_can_be_an_official_image(app: Flask, tablet: FlaskClient, tmp_path) -> None:
    image = tmp_path / "imember.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n fake image bytes")
    app.config["JOIN_QR_IMAGE"] = str(image)
    response = tablet.get("/kiosk/qr/join")
    assert response.status_code == 200 and response.data == image.read_bytes()


def test_phone_qr_needs_a_binding(client: FlaskClient, world: World) -> None:
    assert client.get("/kiosk/qr/phone.svg").status_code == 404


def test_wechat_qr_is_optional(app: Flask, tablet: FlaskClient) -> None:
    assert tablet.get("/kiosk/qr/wechat").status_code == 404
    assert "加入微信群" not in tablet.get("/kiosk/").text


def test_without_an_official_join_code_the_screen_says_where_to_join(
    app: Flask, tablet: FlaskClient
) -> None:
    app.config["JOIN_URL"] = None
    page = tablet.get("/kiosk/").text
    assert "/kiosk/qr/join" not in page
    assert "打开微信搜索" in page and "北京工会i会员" in page
    assert tablet.get("/kiosk/qr/join").status_code == 404


@pytest.mark.parametrize(
    ("query", "cookie", "html_lang", "start"),
    [
        ("", None, "zh-CN", "开始登记"),
        ("?lang=en", None, "en", "Sign up"),
        ("?lang=zh", "en", "zh-CN", "开始登记"),  # the URL wins over the cookie
        ("", "en", "en", "Sign up"),
        ("?lang=fr", None, "zh-CN", "开始登记"),  # an unknown language is ignored
    ],
)
def test_screen_language_from_its_url_then_the_cookie(
    tablet: FlaskClient, query: str, cookie: str | None, html_lang: str, start: str
) -> None:
    """The screen's own toggle names the language in the URL, which the tablet caches."""
    if cookie:
        tablet.set_cookie("lang", cookie)
    response = tablet.get(f"/kiosk/{query}")
    assert f'<html lang="{html_lang}"' in response.text
    assert start in response.text
    assert 'href="/kiosk/?lang=en"' in response.text and 'href="/kiosk/?lang=zh"' in response.text
    assert "lang=" not in response.headers.get("Set-Cookie", "")  # caching it changes nothing
