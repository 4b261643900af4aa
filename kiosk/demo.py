"""Demo data for a first look: one district, one town union, one open session."""

from __future__ import annotations

import time
from datetime import timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from kiosk import demo_city
from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Site, StaffUser, utcnow

DEMO_ADMIN = ("admin", "demo-admin-2026")
DEMO_STAFF = ("yinghai", "demo-staff-2026")
DEMO_SESSION_TITLE = "瀛海镇总工会职工沟通会（演示）"
# What 瀛海镇's sessions at 首航超市 hand out, as the newspaper report in the seeds describes
# them (宣传折页和口袋书; 北京银行 on site for the 互助服务卡).
DEMO_OFFER = "权益保障宣传折页和口袋书；北京银行工作人员现场为入会会员办理北京工会会员互助服务卡"


def _get_or_create_org(name: str, level: str, parent: Organisation | None) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, level=level, parent_id=parent.id if parent else None)
        db.session.add(org)
        db.session.commit()
    return org


def seed() -> OutreachSession:
    """Idempotent: running it twice leaves one of everything."""
    district = _get_or_create_org("大兴区总工会", "district", None)
    town = _get_or_create_org("瀛海镇总工会", "subdistrict", district)
    site = db.session.scalar(sa.select(Site).where(Site.name == "首航超市"))
    if site is None:
        site = Site(name="首航超市", organisation_id=town.id)
        db.session.add(site)
        db.session.commit()
    for (username, password), org in ((DEMO_ADMIN, None), (DEMO_STAFF, town)):
        if db.session.scalar(sa.select(StaffUser).where(StaffUser.username == username)) is None:
            create_user(
                username, password, organisation_id=org.id if org else None, is_admin=org is None
            )
    session = db.session.scalar(
        sa.select(OutreachSession).where(OutreachSession.title == DEMO_SESSION_TITLE)
    )
    now = utcnow()
    if session is None:
        session = OutreachSession(
            title=DEMO_SESSION_TITLE, kind="worker", organisation_id=town.id, site_id=site.id
        )
        db.session.add(session)
    # Keep the demo session open around "now" so the kiosk works whenever it is started.
    session.starts_at = now - timedelta(hours=1)
    session.ends_at = now + timedelta(hours=8)
    session.status = "open"
    session.closed_at = None
    session.public_note = DEMO_OFFER
    db.session.commit()
    return session


@click.command("demo")
@click.option(
    "--scale",
    type=click.Choice(sorted(demo_city.SCALES)),
    default=None,
    help="Seed a whole demo city (city: 16 districts, 330 unions, a year) instead.",
)
@with_appcontext
def demo(scale: str | None) -> None:
    """Seed a demo organisation, staff accounts and an open session."""
    if scale is not None:
        _city(demo_city.SCALES[scale])
        return
    session = seed()
    click.echo(f"演示沟通会：{session.title}  编号 {session.code}")
    click.echo(f"管理员账号 {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}")
    click.echo(f"工作人员账号 {DEMO_STAFF[0]} / {DEMO_STAFF[1]}")


def _city(scale: demo_city.Scale) -> None:
    started = time.monotonic()
    try:
        seeded = demo_city.seed_city(scale)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"演示城市：{seeded.organisations} 个工会组织，{seeded.sessions} 场沟通会，"
        f"{seeded.signups} 条登记，{seeded.follow_ups} 条跟进记录"
        f"（用时 {time.monotonic() - started:.1f} 秒）"
    )
    click.echo("演示手机号均以 100 开头（内地手机号以 13–19 开头），不属于任何真实的人。")
    click.echo(f"全市管理员账号 {demo_city.CITY_ADMIN[0]} / {demo_city.CITY_ADMIN[1]}")
    click.echo(f"区总工会账号 {demo_city.DISTRICT_ADMIN[0]} / {demo_city.DISTRICT_ADMIN[1]}")
