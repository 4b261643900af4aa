"""`flask --app kiosk cadence`, `report month` and `plan month`: stable, scripts use them."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
import yaml
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from kiosk.cadence import formats, planner, report, tally, workbook
from kiosk.cadence.months import Month
from kiosk.cadence.pattern import PatternError, parse
from kiosk.choices import CADENCE_STATUSES, chinese
from kiosk.extensions import db
from kiosk.models import Organisation


def _org(name: str) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        raise click.ClickException(f"找不到工会组织：{name}")
    return org


def _month(_ctx: click.Context, _param: click.Parameter, value: str) -> Month:
    try:
        return Month.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


MONTH = click.option("--month", required=True, callback=_month, help="YYYY-MM, e.g. 2026-11")


@click.command("cadence")
@MONTH
@click.option("--org", "org_name", help="This union and the unions under it (default: all).")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@with_appcontext
def cadence_command(month: Month, org_name: str | None, fmt: str) -> None:
    """Each union's month against its quota (月度达标), shortfalls first."""
    scope = tally.Tree().below(_org(org_name).id) if org_name else None
    rows = tally.month_rows(month, scope)
    if fmt == "json":
        click.echo(json.dumps([tally.as_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    click.echo(f"{month.label} 月度达标")
    for row in rows:
        district = {None: "不要求", True: "已召开", False: "未召开"}[row.district_session]
        click.echo(
            f"{row.org}\t职工 {len(row.worker.held)}/{row.worker.required}\t"
            f"企业 {len(row.enterprise.held)}/{row.enterprise.required}\t"
            f"区级 {district}\t{chinese(CADENCE_STATUSES[row.status])}"
        )


report_group = AppGroup("report", help="Reports (月度报告).")


@report_group.command("month")
@click.option("--org", "org_name", required=True)
@MONTH
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "html"]), default="json")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--subtree", is_flag=True, help="Roll up over the unions under --org.")
def report_month(org_name: str, month: Month, fmt: str, output: Path | None, subtree: bool) -> None:
    """One union's month, or its whole subtree's: sessions, sign-ups, joins, summary."""
    built = report.build(_org(org_name), month, subtree=subtree)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx 需要 --output 文件名")
        output.write_bytes(workbook.to_xlsx(built))
    else:
        text = (
            json.dumps(formats.as_json(built), ensure_ascii=False, indent=2)
            if fmt == "json"
            else formats.html(built)
        )
        if output is None:
            click.echo(text)
            return
        output.write_text(text + "\n", encoding="utf-8")
    click.echo(f"已写入 {output}", err=True)


plan_group = AppGroup("plan", help="Plan sessions from a pattern (排期).")


@plan_group.command("month")
@click.option("--org", "org_name", required=True)
@MONTH
@click.option(
    "--pattern", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True
)
@click.option("--dry-run", is_flag=True, help="Print the sessions it would create, as JSON.")
def plan_month(org_name: str, month: Month, pattern: Path, dry_run: bool) -> None:
    """Create the month's planned sessions from a pattern file; twice creates nothing twice."""
    try:
        rules = parse(yaml.safe_load(pattern.read_text(encoding="utf-8")))
        plan = planner.prepare(_org(org_name), month, rules)
    except (PatternError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise click.ClickException(f"排期模板有误：{error}") from error
    for warning in plan.warnings:
        click.echo(f"警告：{warning}", err=True)
    if dry_run:
        click.echo(json.dumps(plan.as_json(), ensure_ascii=False, indent=2))
        return
    created = planner.create(plan, None)
    db.session.commit()
    existing = sum(1 for line in plan.lines if line.state == "exists")
    click.echo(f"已创建 {len(created)} 场，已有 {existing} 场未重复创建")
    for session in created:
        click.echo(session.code)


def init_app(app: Flask) -> None:
    app.cli.add_command(cadence_command)
    app.cli.add_command(report_group)
    app.cli.add_command(plan_group)
