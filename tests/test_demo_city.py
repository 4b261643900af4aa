"""`flask --app kiosk demo --scale`: a whole demo city, bulk-inserted, at the smallest scale."""

from __future__ import annotations

import json
import re
from collections import Counter

import sqlalchemy as sa
from flask import Flask

from kiosk import demo_city
from kiosk.cadence.months import Month, local_date
from kiosk.extensions import db
from kiosk.models import FollowUp, Organisation, OutreachSession, Signup, StaffUser


def test_town_scale_seeds_a_plausible_clearly_fake_city(app: Flask, runner) -> None:
    result = runner.invoke(args=["demo", "--scale", "town"])
    assert result.exit_code == 0, result.output
    assert "演示城市：3 个工会组织，26 场沟通会，" in result.output
    assert "演示手机号均以 100 开头" in result.output
    assert "city-admin / demo-city-2026" in result.output
    with app.app_context():
        orgs = db.session.scalars(sa.select(Organisation)).all()
        assert sorted((o.name, o.level) for o in orgs) == [
            ("演示01区总工会", "district"),
            ("演示01区第001街道总工会", "subdistrict"),
            ("演示01区第002街道总工会", "subdistrict"),
        ]
        district = next(o for o in orgs if o.level == "district")
        assert {o.parent_id for o in orgs if o.level == "subdistrict"} == {district.id}

        sessions = db.session.scalars(sa.select(OutreachSession)).all()
        per_month = Counter((s.organisation_id, Month.of(s.starts_at), s.kind) for s in sessions)
        months = {Month.of(s.starts_at) for s in sessions}
        assert len(months) == 2 and max(months) == Month.current()
        for month in months:
            for org in orgs:
                if org.level == "subdistrict":
                    assert per_month[(org.id, month, "worker")] == 4
                    assert per_month[(org.id, month, "enterprise")] == 2
            [district_session] = [
                s for s in sessions if s.kind == "district" and Month.of(s.starts_at) == month
            ]
            assert local_date(district_session.starts_at) == month.third_thursday
        assert all(s.title.endswith("（演示）") for s in sessions)
        assert all(s.cancel_reason for s in sessions if s.status == "cancelled")

        signups = db.session.execute(
            sa.select(
                Signup.name, Signup.phone, OutreachSession.status, OutreachSession.organisation_id
            ).join(OutreachSession, Signup.session_id == OutreachSession.id)
        ).all()
        assert signups, "last month's sessions were held and took sign-ups"
        assert all(re.fullmatch(r"100\d{8}", s.phone) for s in signups)
        assert all(s.name.startswith("演示登记者") for s in signups)
        assert {s.status for s in signups} == {"closed"}  # only held sessions took sign-ups
        people = {(s.organisation_id, s.phone) for s in signups}
        follow_ups = db.session.scalars(sa.select(FollowUp)).all()
        assert follow_ups and {(f.organisation_id, f.phone) for f in follow_ups} <= people
        assert all(f.joined_on is not None for f in follow_ups if f.status == "joined")

        admin = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "city-admin"))
        assert admin is not None and admin.is_admin
        staff = db.session.scalar(
            sa.select(StaffUser).where(StaffUser.username == "district-admin")
        )
        assert staff is not None and staff.organisation_id == district.id
        # The indexes dropped for the bulk load are all back.
        names = {ix["name"] for ix in sa.inspect(db.engine).get_indexes("signup")}
        assert {ix.name for ix in Signup.__table__.indexes} <= names

    rows = json.loads(
        runner.invoke(
            args=["cadence", "--month", str(Month.current().previous()), "--format", "json"]
        ).output
    )
    assert len(rows) == 3


def test_the_city_is_seeded_once(app: Flask, runner) -> None:
    assert runner.invoke(args=["demo", "--scale", "town"]).exit_code == 0
    again = runner.invoke(args=["demo", "--scale", "town"])
    assert again.exit_code == 1
    assert "演示城市数据已存在；请在新数据库上运行。" in again.output


def test_the_phone_numbers_cannot_be_real() -> None:
    """Mainland mobile numbers start with 13–19; every demo number starts with 100."""
    assert demo_city.phone(0, 0) == "10000000000"
    assert demo_city.phone(329, 99_999) == "10032999999"
    assert demo_city.SCALES["city"] == demo_city.Scale(16, 330, 12, 32)
