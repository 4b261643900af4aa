"""Company test helpers: companies, contacts and needs with fixed, visible values."""

from __future__ import annotations

from datetime import date

from flask import Flask

from kiosk.companies import records
from kiosk.extensions import db
from kiosk.models import Company, Need
from tests.companies.codes import MEITUAN_STATION


def add_company(
    app: Flask,
    organisation_id: int,
    *,
    name: str = "美团瀛海配送站",
    credit_code: str = MEITUAN_STATION,
    status: str = "none",
    status_on: date = date(2026, 10, 9),
    **values: object,
) -> int:
    """A company as the form would create it (with its first union status step)."""
    fields: dict[str, object] = {
        "name": name,
        "credit_code": credit_code,
        "industry": "food_delivery",
        "platform_relation": "franchise",
        "address": "北京市大兴区瀛海镇",
        "headcount": 12,
        "gig_workers": 80,
        "contact_name": "王站长",
        "contact_position": "站长",
        "contact_phone": "13912345678",
        "union_status": status,
        "union_status_on": status_on,
    }
    fields.update(values)
    with app.app_context():
        company = records.create(organisation_id, fields, None, None)
        db.session.commit()
        return company.id


def add_need(
    app: Flask,
    company_id: int,
    title: str = "骑手休息点",
    *,
    due_on: date | None = None,
    status: str = "todo",
) -> int:
    with app.app_context():
        company = db.session.get(Company, company_id)
        need = records.add_need(company, title, owner="李干事", due_on=due_on)
        need.status = status
        db.session.commit()
        return need.id


def need_status(app: Flask, need_id: int) -> str:
    with app.app_context():
        return db.session.get(Need, need_id).status
