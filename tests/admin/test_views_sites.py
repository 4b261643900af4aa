"""Sites (点位): listed, added and edited within the staff member's unions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import Site
from tests.admin.conftest import audit_events
from tests.conftest import World


def _sites(app: Flask) -> list[tuple[str, str | None]]:
    with app.app_context():
        return [(s.name, s.address) for s in db.session.scalars(sa.select(Site).order_by(Site.id))]


def test_add_site(app: Flask, staff_client: FlaskClient, world: World):
    response = staff_client.post(
        "/admin/sites/new",
        data={
            "organisation_id": world.town_id,
            "name": "瀛海镇美团站点",
            "address": "瀛海镇兴海路",
        },
    )
    assert response.status_code == 302
    assert _sites(app)[-1] == ("瀛海镇美团站点", "瀛海镇兴海路")
    assert audit_events(app, "site_create")
    assert "瀛海镇美团站点" in staff_client.get("/admin/sites").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "请填写点位名称"),
        ({"name": "首航超市"}, "这个工会已经有同名点位"),
        ({"name": "x" * 101}, "不能超过 100 个字"),
    ],
)
def test_add_site_validation(staff_client: FlaskClient, world: World, data: dict, message: str):
    response = staff_client.post(
        "/admin/sites/new", data={"organisation_id": world.town_id, **data}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_edit_site(app: Flask, staff_client: FlaskClient, world: World):
    response = staff_client.post(
        f"/admin/sites/{world.site_id}/edit",
        data={"organisation_id": world.town_id, "name": "首航超市", "address": "南门"},
    )
    assert response.status_code == 302
    assert _sites(app) == [("首航超市", "南门")]


def test_staff_cannot_add_a_site_to_another_union(client: FlaskClient, auth, world: World):
    auth.login("outsider")
    response = client.post("/admin/sites/new", data={"organisation_id": world.town_id, "name": "x"})
    assert response.status_code == 422
