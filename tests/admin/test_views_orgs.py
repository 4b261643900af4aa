"""Organisations (工会组织): admins add them and arrange the tree that scopes what staff see."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import Organisation
from tests.admin.conftest import audit_events
from tests.conftest import World


def _orgs(app: Flask) -> dict[str, tuple[str, str | None]]:
    """name -> (level, parent name)"""
    with app.app_context():
        return {
            org.name: (org.level, org.parent.name if org.parent else None)
            for org in db.session.scalars(sa.select(Organisation))
        }


def test_list_shows_the_tree_with_counts(admin_client: FlaskClient, world: World):
    html = admin_client.get("/admin/orgs").get_data(as_text=True)
    names = re.findall(r'class="org-name depth-(\d)"><strong>([^<]+)</strong>', html)
    assert names == [("0", "大兴区总工会"), ("1", "瀛海镇总工会"), ("1", "西红门镇总工会")]
    town_row = html[html.index("瀛海镇总工会") :].split("</tr>")[0]
    # 瀛海镇: one site, one session, one staff account.
    assert re.findall(r'data-label="(?:点位|沟通会|工作人员)">(\d+)<', town_row) == ["1", "1", "1"]


def test_add_a_town_under_the_district(app: Flask, admin_client: FlaskClient, world: World):
    response = admin_client.post(
        "/admin/orgs/new",
        data={"name": " 旧宫镇总工会 ", "level": "subdistrict", "parent_id": world.district_id},
    )
    assert response.status_code == 302
    assert _orgs(app)["旧宫镇总工会"] == ("subdistrict", "大兴区总工会")
    [event] = audit_events(app, "org_create")
    assert event.detail["name"] == "旧宫镇总工会"


def test_district_staff_see_a_new_town_at_once(
    app: Flask, admin_client: FlaskClient, auth, world: World
):
    admin_client.post(
        "/admin/orgs/new",
        data={"name": "旧宫镇总工会", "level": "subdistrict", "parent_id": world.district_id},
    )
    auth.logout()
    auth.login("district")
    assert "旧宫镇总工会" in admin_client.get("/admin/sites/new").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "请填写工会组织名称"),
        ({"name": "瀛海镇总工会"}, "已经有同名的工会组织"),
        ({"name": "x" * 101}, "不能超过 100 个字"),
        ({"name": "旧宫镇总工会", "level": "province"}, "不是有效的选择"),
        ({"name": "旧宫镇总工会", "parent_id": 99999}, "不是有效的选择"),
    ],
)
def test_add_validation(admin_client: FlaskClient, world: World, data: dict, message: str):
    form = {"level": "subdistrict", "parent_id": world.district_id, **data}
    response = admin_client.post("/admin/orgs/new", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_edit_renames_and_moves(app: Flask, admin_client: FlaskClient, world: World):
    response = admin_client.post(
        f"/admin/orgs/{world.town_id}/edit",
        data={"name": "瀛海镇总工会", "level": "industrial_park", "parent_id": 0},
    )
    assert response.status_code == 302
    assert _orgs(app)["瀛海镇总工会"] == ("industrial_park", None)
    assert audit_events(app, "org_update")


@pytest.mark.parametrize("parent", ["itself", "its child"])
def test_an_organisation_cannot_sit_under_itself(
    app: Flask, admin_client: FlaskClient, world: World, parent: str
):
    parent_id = world.district_id if parent == "itself" else world.town_id
    form = admin_client.get(f"/admin/orgs/{world.district_id}/edit").get_data(as_text=True)
    assert f'<option value="{world.town_id}"' not in form
    assert f'<option value="{world.district_id}"' not in form
    response = admin_client.post(
        f"/admin/orgs/{world.district_id}/edit",
        data={"name": "大兴区总工会", "level": "district", "parent_id": parent_id},
    )
    assert response.status_code == 422
    assert _orgs(app)["大兴区总工会"] == ("district", None)


def test_the_edit_form_shows_the_current_parent(admin_client: FlaskClient, world: World):
    form = admin_client.get(f"/admin/orgs/{world.town_id}/edit").get_data(as_text=True)
    assert f'<option selected value="{world.district_id}">' in form
    assert 'value="瀛海镇总工会"' in form


@pytest.mark.parametrize("who", ["staff", "district"])
def test_only_admins_may_see_or_change_organisations(
    app: Flask, client: FlaskClient, auth, world: World, who: str
):
    auth.login(who)
    for method, url in [
        ("GET", "/admin/orgs"),
        ("GET", "/admin/orgs/new"),
        ("POST", "/admin/orgs/new"),
        ("GET", f"/admin/orgs/{world.town_id}/edit"),
        ("POST", f"/admin/orgs/{world.town_id}/edit"),
    ]:
        assert client.open(url, method=method, data={"name": "x"}).status_code == 403, url
    assert "/admin/orgs" not in client.get("/admin/").get_data(as_text=True)
    assert len(_orgs(app)) == 3


def test_unknown_organisation_is_404(admin_client: FlaskClient):
    assert admin_client.get("/admin/orgs/99999/edit").status_code == 404
