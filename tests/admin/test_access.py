"""No route slips through: anonymous users, staff of another union, and forged POSTs."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app
from kiosk.cadence import feeds
from kiosk.extensions import db
from kiosk.joined import uploads
from kiosk.joined.reading import Table
from kiosk.models import (
    AttentionItem,
    Company,
    CompanyContact,
    ImportDraft,
    Organisation,
    OutreachSession,
    StaffUser,
    TabletBinding,
    utcnow,
)
from kiosk.relay import credentials as relay_credentials
from tests.admin.conftest import add_signup
from tests.companies.conftest import add_company, add_need
from tests.conftest import PASSWORD, World, base_config

PUBLIC = {"admin.login", "admin.login_post", "static"}
ADMIN_ONLY = {
    "admin.relay_credentials",
    "admin.relay_credential_issue",
    "admin.orgs",
    "admin.org_new",
    "admin.org_create",
    "admin.org_edit",
    "admin.org_update",
    "admin.audit_log",
    "admin.users",
    "admin.user_new",
    "admin.user_create",
    "admin.user_disable",
    "admin.user_enable",
    "admin.quotas_page",
    "admin.quota_level",
    "admin.quota_override",
    "admin.quota_override_delete",
}
# 网站内容: only content editors (and admins); the outsider holds no such role.
CONTENT_EDITOR_ONLY = {
    "admin.content_list",
    "admin.content_new",
    "admin.content_create",
    "admin.content_preview",
    "admin.content_stations",
    "admin.content_stations_save",
    "admin.content_local",
    "admin.content_local_save",
    "admin.content_synonyms",
    "admin.content_synonyms_save",
    "admin.publish_page",
    "admin.publish_status",
    "admin.publish_start",
    "admin.publish_rollback",
    "admin.publish_switch",
    "admin.content_export",
    "admin.content_import",
}


def admin_rules(app: Flask) -> list:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin") and rule.endpoint not in PUBLIC
    ]


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


def _fill(rule, values: dict[str, object]) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<[^>]*:?{name}>", str(values[name]), url)
    return url


def test_every_admin_route_redirects_anonymous_to_login(app: Flask, client: FlaskClient):
    rules = admin_rules(app)
    assert len(rules) > 30  # the admin area really is registered
    values = {name: 1 for rule in rules for name in rule.arguments}
    values |= {
        "signup_id": uuid.uuid4(),
        "item_id": uuid.uuid4(),
        "binding_id": uuid.uuid4(),
        "draft_id": uuid.uuid4(),
    }
    values |= {"token": "x" * 32, "figure": "worker", "level": "subdistrict"}
    for rule in rules:
        response = client.open(_fill(rule, values), method=_method(rule))
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/admin/login"), rule.rule


@pytest.fixture
def other_orgs_objects(app: Flask, world: World) -> dict[str, object]:
    """Objects belonging to 瀛海镇总工会, which the outsider (西红门镇) must never reach."""
    signup_id = add_signup(app, world.session_id)
    company_id = add_company(app, world.town_id)
    need_id = add_need(app, company_id)
    with app.app_context():
        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        draft = ImportDraft(created_by_id=staff.id, filename="名单.csv", headers=[], rows=[])
        enterprise = OutreachSession(
            title="瀛海镇企业沟通会",
            kind="enterprise",
            organisation_id=world.town_id,
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(hours=2),
        )
        db.session.add_all([draft, enterprise])
        db.session.commit()
        binding = TabletBinding(session_id=world.session_id)
        item = AttentionItem(
            id=uuid.uuid4(), session_id=world.session_id, http_status=422, reason={}, payload={}
        )
        db.session.add_all([binding, item])
        db.session.commit()
        staff_id = db.session.scalar(sa.text("SELECT id FROM staff_user WHERE username = 'staff'"))
        staff = db.session.get(StaffUser, staff_id)
        feed, _token = feeds.create(world.town_id, "手机日历", staff)
        db.session.commit()
        credential, _token = relay_credentials.issue(
            db.session.get(Organisation, world.town_id), "瀛海镇笔记本", staff
        )
        # A member list 瀛海镇's staff uploaded: only they may map, preview or apply it.
        table = Table(["手机"], [["13800138000"]])
        upload = uploads.save(table, staff_id, "名单.csv")
        return {
            # The enterprise session: its company routes exist, so only scope can refuse them.
            "session_id": enterprise.id,
            "company_id": company_id,
            "need_id": need_id,
            "draft_id": draft.id,
            "site_id": world.site_id,
            "signup_id": signup_id,
            "item_id": item.id,
            "binding_id": binding.id,
            "old_session_id": world.session_id,
            "user_id": staff_id,
            "org_id": world.town_id,
            "figure": "worker",
            "feed_id": feed.id,
            "credential_id": credential.id,
            "token": upload,
            "level": "subdistrict",
            "rel": "benefits/health-check.md",
            "revision_id": 1,
            "build_id": "20261201T010000-aaaaaa",
            "export_id": "another-users-export",
        }


def test_staff_of_another_union_gets_403_or_404_everywhere(
    app: Flask, client: FlaskClient, auth, other_orgs_objects: dict[str, object]
):
    assert auth.login("outsider").status_code == 302
    checked = 0
    for rule in admin_rules(app):
        if not rule.arguments and rule.endpoint not in ADMIN_ONLY | CONTENT_EDITOR_ONLY:
            continue  # lists and forms: scoped content, tested in the view tests
        response = client.open(_fill(rule, other_orgs_objects), method=_method(rule))
        assert response.status_code in (403, 404), (rule.rule, response.status_code)
        checked += 1
    assert checked >= 30
    # Nothing changed: the session is still open, the sign-up still there, the company's
    # contact still set, no attendance recorded, the upload still the uploader's.
    with app.app_context():
        company = db.session.get(Company, other_orgs_objects["company_id"])
        assert company.contact_phone == "13912345678"
        assert company.union_status == "none"
        assert db.session.scalar(sa.select(sa.func.count(CompanyContact.id))) == 0
        assert db.session.get(ImportDraft, other_orgs_objects["draft_id"]) is not None
        assert db.session.scalar(sa.text("SELECT count(*) FROM signup")) == 1
        assert (
            db.session.scalar(
                sa.text("SELECT status FROM outreach_session WHERE id = :i"),
                {"i": other_orgs_objects["old_session_id"]},
            )
            == "open"
        )
        assert db.session.scalar(sa.text("SELECT revoked_at FROM calendar_feed")) is None
        assert db.session.scalar(sa.text("SELECT revoked_at FROM relay_credential")) is None
        assert db.session.scalar(sa.text("SELECT count(*) FROM follow_up")) == 0


def test_lists_do_not_show_another_unions_data(app: Flask, client: FlaskClient, auth, world: World):
    add_signup(app, world.session_id, name="李四")
    add_need(app, add_company(app, world.town_id), due_on=date(2026, 1, 1))
    auth.login("outsider")
    for url in (
        "/admin/",
        "/admin/sessions",
        "/admin/signups",
        "/admin/sites",
        "/admin/attention",
        "/admin/companies",
        "/admin/companies?overdue=1",
        "/admin/companies/new",
        "/admin/cadence",
        "/admin/calendar",
        "/admin/reports/month",
        "/admin/feeds",
        "/admin/plan",
        "/admin/joined/import",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "瀛海镇" not in html, url
        assert "李四" not in html, url
        assert "首航超市" not in html, url
        assert "美团瀛海配送站" not in html, url
        assert "瀛海镇总工会" not in html, url
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert '<span class="num">0</span><span class="lbl">逾期未办结的企业诉求' in dashboard
    export = client.post("/admin/companies/export", data={"format": "csv"})
    assert "美团" not in export.data.decode("utf-8-sig")


def test_district_staff_see_towns_below(app: Flask, client: FlaskClient, auth, world: World):
    add_signup(app, world.session_id, name="李四")
    auth.login("district")
    assert "李四" in client.get("/admin/signups").get_data(as_text=True)
    assert client.get(f"/admin/sessions/{world.other_session_id}").status_code == 200


@pytest.fixture
def csrf_app(database_url: str, tmp_path) -> Flask:
    app = create_app(base_config(database_url, WTF_CSRF_ENABLED=True))
    if database_url.startswith("postgresql"):
        from tests.conftest import truncate_all

        truncate_all(app)
    return app


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def test_login_without_csrf_token_is_rejected(csrf_app: Flask):
    client = csrf_app.test_client()
    response = client.post("/admin/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400


def test_every_post_without_csrf_token_is_rejected(csrf_app: Flask):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        from kiosk.accounts import create_user

        create_user("admin", PASSWORD, is_admin=True)
    token = _token(client.get("/admin/login").get_data(as_text=True))
    response = client.post(
        "/admin/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302  # with the token, the same POST works
    posts = [rule for rule in admin_rules(csrf_app) if "POST" in rule.methods]
    values = {name: 1 for rule in posts for name in rule.arguments}
    values |= {
        "signup_id": uuid.uuid4(),
        "item_id": uuid.uuid4(),
        "binding_id": uuid.uuid4(),
        "draft_id": uuid.uuid4(),
    }
    for rule in posts:
        response = client.post(_fill(rule, values), data={"confirm": "y"})
        assert response.status_code == 400, rule.rule
    assert client.get("/admin/").status_code == 200  # still logged in: logout was refused too


def test_session_cookie_flags(app: Flask, client: FlaskClient, auth, world: World):
    response = auth.login("staff")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # permanent: the idle lifetime applies
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)


def test_secure_cookies_behind_https(database_url: str):
    app = create_app(base_config(database_url, SECURE_COOKIES=True))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_every_admin_page_is_no_store(
    app: Flask, client: FlaskClient, auth, other_orgs_objects: dict[str, object]
):
    """Pages with names and phone numbers must not stay in a shared computer's cache."""
    assert client.get("/admin/login").headers["Cache-Control"] == "no-store"
    assert auth.login("admin").status_code == 302
    checked = 0
    for rule in admin_rules(app):
        if "GET" not in rule.methods:
            continue
        response = client.get(_fill(rule, other_orgs_objects))
        assert response.headers.get("Cache-Control") == "no-store", rule.rule
        checked += 1
    assert checked >= 15
