"""`flask --app kiosk relay status|push`: the laptop's link to the city server, for cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.relay import client, cycle, push
from kiosk.relay.state import counts


@click.group("relay", cls=AppGroup)
def relay_group() -> None:
    """Relay mode: forward sign-ups to the city server (KIOSK_UPSTREAM_URL)."""


def _require_configuration() -> None:
    if not client.configured():
        raise click.ClickException(
            "未配置上级服务器：请设置 KIOSK_UPSTREAM_URL 和 KIOSK_UPSTREAM_TOKEN"
        )


@relay_group.command("status")
def status_command() -> None:
    """Ask the city server now, and print pending, refused and the last acknowledgement."""
    _require_configuration()
    try:
        client.call("GET", "/api/relay/sessions")
        connected = "已连接"
    except client.UpstreamError as error:
        connected = f"未连接：{error.message}"
    found = counts()
    last = found.last_push.isoformat(timespec="seconds") if found.last_push else "从未"
    click.echo(f"上级服务器：{current_app.config['UPSTREAM_URL']}（{connected}）")
    click.echo(f"最近上传：{last}")
    click.echo(f"待上传登记：{found.pending}")
    click.echo(f"上传被拒待处理：{found.attention}")
    click.echo(f"本机创建、未上传的沟通会：{found.local_sessions}")


@relay_group.command("push")
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send nothing.")
def push_command(dry_run: bool) -> None:
    """Forward everything pending now; exit status 1 if something is left for later."""
    _require_configuration()
    if dry_run:
        sessions = push.sessions_to_push()
        ready = len(push.pending_batch(10**9))
        found = counts()
        click.echo(f"将上传沟通会：{len(sessions)}")
        click.echo(f"将上传登记：{ready}（另有 {found.pending - ready} 条等沟通会先上传）")
        return
    pushed = cycle.run_now(wait_seconds=300)
    if pushed is None:
        raise click.ClickException("另一次上传正在进行，请稍后再试")
    click.echo(
        f"已上传沟通会 {pushed.sessions} 个，登记确认 {pushed.acked} 条，"
        f"被拒 {pushed.attention} 条，待重试 {pushed.retry} 条"
    )
    left = counts().pending
    click.echo(f"仍待上传：{left}")
    for message in pushed.errors:
        click.echo(message, err=True)
    if pushed.errors or left:
        raise SystemExit(1)
