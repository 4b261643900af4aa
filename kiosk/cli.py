"""Operations as `flask --app kiosk …` commands (also available as `union-kiosk …`).

create_app registers these commands, so this module never imports the app factory:
the console script names the app by its import path, as `flask --app kiosk` does.
"""

from __future__ import annotations

import signal
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, ScriptInfo, with_appcontext

from kiosk import audit, periodic
from kiosk.accounts import create_user, set_content_editor
from kiosk.cadence.cancel import CancelError, cancel, check_reason
from kiosk.choices import ORG_LEVELS, SESSION_KINDS, SESSION_STATUSES
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Site, StaffUser, normalise_code, utcnow
from kiosk.security import uses_default_secret
from kiosk.settings import settings_command

BEIJING = ZoneInfo("Asia/Shanghai")


def _org_by_name(name: str) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        raise click.ClickException(f"找不到工会组织：{name}")
    return org


def _parse_local(value: str) -> datetime:
    """Staff type Beijing time; it is stored as UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"时间格式应为 2026-11-26T11:00：{value}") from error
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)).astimezone(ZoneInfo("UTC"))


@click.group("org", cls=AppGroup)
def org_group() -> None:
    """Union organisations (工会组织)."""


@org_group.command("create")
@click.argument("name")
@click.option("--level", type=click.Choice(list(ORG_LEVELS)), required=True)
@click.option("--parent", help="Name of the parent organisation.")
def org_create(name: str, level: str, parent: str | None) -> None:
    """Create an organisation, e.g. 高米店街道总工会."""
    org = Organisation(
        name=name, level=level, parent_id=_org_by_name(parent).id if parent else None
    )
    db.session.add(org)
    db.session.commit()
    click.echo(f"已创建工会组织 {org.name} (id={org.id})")


@click.group("site", cls=AppGroup)
def site_group() -> None:
    """Sites (点位) where sessions are held."""


@site_group.command("create")
@click.argument("name")
@click.option("--org", "org_name", required=True, help="Organisation that uses the site.")
@click.option("--address")
def site_create(name: str, org_name: str, address: str | None) -> None:
    """Create a site, e.g. 首航超市."""
    site = Site(name=name, organisation_id=_org_by_name(org_name).id, address=address)
    db.session.add(site)
    db.session.commit()
    click.echo(f"已创建点位 {site.name} (id={site.id})")


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Staff accounts."""


@user_group.command("create")
@click.argument("username")
@click.option("--org", "org_name", help="Organisation (required unless --admin).")
@click.option("--admin", is_flag=True, help="May see every organisation.")
@click.option(
    "--content-editor",
    is_flag=True,
    help="Grant the content editor role (内容编辑): may edit the knowledge base.",
)
@click.password_option(help="At least 10 characters.")
def user_create(
    username: str, org_name: str | None, admin: bool, content_editor: bool, password: str
) -> None:
    """Create a staff user (the first admin: `user create NAME --admin`)."""
    org_id = _org_by_name(org_name).id if org_name else None
    try:
        user = create_user(
            username,
            password,
            organisation_id=org_id,
            is_admin=admin,
            is_content_editor=content_editor,
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"已创建{'管理员' if admin else '工作人员'}账号 {user.username}")


@user_group.command("content-editor")
@click.argument("username")
@click.option("--revoke", is_flag=True, help="Take the role away instead of granting it.")
def user_content_editor(username: str, revoke: bool) -> None:
    """Grant (or with --revoke take away) the 内容编辑 role: editing the knowledge base."""
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise click.ClickException(f"没有用户名为 {username} 的账号")
    set_content_editor(user, not revoke)
    click.echo(f"已{'取消' if revoke else '授予'} {user.username} 的内容编辑角色")


@click.group("session", cls=AppGroup)
def session_group() -> None:
    """Outreach sessions (沟通会)."""


@session_group.command("create")
@click.argument("title")
@click.option("--org", "org_name", required=True)
@click.option("--site", "site_name")
@click.option("--kind", type=click.Choice(list(SESSION_KINDS)), default="worker", show_default=True)
@click.option("--start", "start", required=True, help="Beijing time, e.g. 2026-11-26T11:00")
@click.option("--end", "end", required=True, help="Beijing time, e.g. 2026-11-26T13:00")
@click.option("--open", "open_now", is_flag=True, help="Open it for sign-ups at once.")
@click.option(
    "--status",
    type=click.Choice(list(SESSION_STATUSES)),
    help="planned (default), open, closed or cancelled (needs --reason).",
)
@click.option("--reason", help="Why it was cancelled (with --status cancelled).")
def session_create(
    title: str,
    org_name: str,
    site_name: str | None,
    kind: str,
    start: str,
    end: str,
    open_now: bool,
    status: str | None,
    reason: str | None,
) -> None:
    """Create a session and print its code (used in URLs and QR codes)."""
    status = status or ("open" if open_now else "planned")
    if open_now and status != "open":
        raise click.UsageError("--open 与 --status 不能同时使用")
    if (reason is not None) != (status == "cancelled"):
        raise click.UsageError("--reason 只能、也必须与 --status cancelled 一起使用")
    try:
        reason = check_reason(reason) if status == "cancelled" else None
    except CancelError as error:
        raise click.BadParameter(str(error), param_hint="--reason") from error
    org = _org_by_name(org_name)
    site = None
    if site_name:
        site = db.session.scalar(
            sa.select(Site).where(Site.organisation_id == org.id, Site.name == site_name)
        )
        if site is None:
            raise click.ClickException(f"找不到点位：{site_name}")
    starts_at, ends_at = _parse_local(start), _parse_local(end)
    if ends_at <= starts_at:
        raise click.BadParameter("结束时间必须晚于开始时间")
    session = OutreachSession(
        title=title,
        kind=kind,
        organisation_id=org.id,
        site_id=site.id if site else None,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        closed_at=utcnow() if status == "closed" else None,
        cancel_reason=reason,
        cancelled_at=utcnow() if status == "cancelled" else None,
    )
    db.session.add(session)
    db.session.commit()
    click.echo(session.code)


@session_group.command("cancel")
@click.argument("code")
@click.option("--reason", required=True, help="Why it did not take place.")
def session_cancel(code: str, reason: str) -> None:
    """Cancel a session: kept and shown with the reason, never counted towards a quota."""
    session = db.session.scalar(
        sa.select(OutreachSession).where(OutreachSession.code == normalise_code(code))
    )
    if session is None:
        raise click.ClickException(f"找不到沟通会：{code}")
    try:
        cancel(session, reason)
    except CancelError as error:
        raise click.ClickException(str(error)) from error
    audit.record("session_cancel", organisation_id=session.organisation_id, session=session.code)
    click.echo(f"已取消：{session.title}（{code}）")


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
# Sign-ups that arrive together share one commit, and a waitress thread waits
# while its sign-up is committed, so the thread count bounds how many can share.
@click.option("--threads", default=32, show_default=True, type=int)
# Every tablet at a booth reconnects at once after an outage; waitress's default
# of 100 connections would make the rest time out and retry.
@click.option("--connection-limit", default=500, show_default=True, type=int)
def serve_command(host: str, port: int, threads: int, connection_limit: int) -> None:
    """Serve the kiosk, the admin area and the knowledge base with waitress."""
    from waitress import serve

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if uses_default_secret(app):
        raise click.ClickException(
            "拒绝启动：SECRET_KEY 仍是默认值。请设置 KIOSK_SECRET_KEY 或 instance/config.py"
        )
    click.echo(f"kiosk serving on http://{host}:{port}/ (waitress, {threads} threads)")
    # systemd and docker stop a service with SIGTERM; waitress returns from serve() on
    # KeyboardInterrupt, so the jobs that belong to shutdown still run.
    signal.signal(signal.SIGTERM, _interrupt)
    timer = periodic.Timer(app)
    timer.start()
    try:
        serve(
            app,
            host=host,
            port=port,
            threads=threads,
            connection_limit=connection_limit,
            ident="kiosk",
        )
    finally:
        timer.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def init_app(app: Flask) -> None:
    from kiosk import demo
    from kiosk.cadence import cli as cadence_cli
    from kiosk.companies.cli import company_group
    from kiosk.kb.cli import kb_group

    for command in (
        org_group,
        site_group,
        user_group,
        session_group,
        serve_command,
        demo.demo,
        settings_command,
    ):
        app.cli.add_command(command)
    app.cli.add_command(kb_group)
    app.cli.add_command(company_group)
    cadence_cli.init_app(app)


def main() -> None:
    """Console script: `union-kiosk …` is `flask --app kiosk …`."""
    cli = FlaskGroup(name="union-kiosk")
    sys.exit(cli.main(obj=ScriptInfo(app_import_path="kiosk")))
