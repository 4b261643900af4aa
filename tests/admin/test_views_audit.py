"""The audit log screen: admins only, filterable by action, user and date."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import AuditEvent
from tests.conftest import World


def _events(app: Flask) -> None:
    with app.app_context():
        db.session.add_all(
            [
                AuditEvent(
                    action="export",
                    actor_name="staff",
                    detail={"rows": 7},
                    at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
                ),
                AuditEvent(
                    action="tablet_bind",
                    actor_name="district",
                    detail={"tablet": "t-1"},
                    at=datetime(2026, 11, 21, 2, 0, tzinfo=UTC),
                ),
            ]
        )
        db.session.commit()


def _rows(html: str) -> int:
    return html.count('data-label="操作"')


def test_filters(app: Flask, admin_client: FlaskClient, world: World):
    _events(app)
    everything = admin_client.get("/admin/audit").get_data(as_text=True)
    assert _rows(everything) == 3  # the two above and the admin's own login
    assert "绑定平板" in everything and "t-1" in everything
    assert _rows(admin_client.get("/admin/audit?action=export").get_data(as_text=True)) == 1
    assert _rows(admin_client.get("/admin/audit?user=district").get_data(as_text=True)) == 1
    by_date = admin_client.get("/admin/audit?from=2026-11-20&to=2026-11-20").get_data(as_text=True)
    assert _rows(by_date) == 1 and "导出" in by_date


def test_staff_cannot_read_the_audit_log(staff_client: FlaskClient):
    assert staff_client.get("/admin/audit").status_code == 403
