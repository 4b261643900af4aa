"""`flask --app kiosk company import|export`: company lists from and to spreadsheets."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from kiosk import audit
from kiosk.companies import exporting, importing, queries
from kiosk.companies.reading import UnreadableFile, read_table
from kiosk.extensions import db
from kiosk.models import Organisation
from kiosk.scoping import descendant_ids

company_group = AppGroup("company", help="Companies (企业) and their files (一企一档).")


def _org(name: str | None) -> Organisation | None:
    if name is None:
        return None
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        raise click.ClickException(f"找不到工会组织：{name}")
    return org


@company_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_name", help="Import every row into this organisation.")
@click.option("--apply", "apply_", is_flag=True, help="Write the companies (default: only check).")
def import_command(file: Path, org_name: str | None, apply_: bool) -> None:
    """Check a company list (XLSX or CSV) and print JSON; with --apply, import it all or nothing.

    Columns are matched by their headings. A row whose credit code already exists
    in the same organisation updates that company (counted under "update").
    """
    org = _org(org_name)
    try:
        headings, rows = read_table(file.read_bytes(), file.name)
    except UnreadableFile as error:
        raise click.ClickException(str(error)) from error
    mapping = importing.guess_mapping(headings)
    # The command line is an operator's: every organisation is in scope.
    plan = importing.plan(rows, mapping, None, organisation=org, update_existing=True)
    click.echo(json.dumps(plan.summary(), ensure_ascii=False))
    if plan.problems:
        raise SystemExit(1)
    if apply_:
        importing.apply(plan, None)
        audit.record(
            "company_import",
            organisation_id=org.id if org else None,
            file=file.name,
            rows=plan.rows,
            created=plan.create,
            updated=plan.update,
            username="cli",
        )
        click.echo(f"已导入：新建 {plan.create} 家，更新 {plan.update} 家", err=True)


@company_group.command("export")
@click.option("--format", "kind", type=click.Choice(list(exporting.FORMATS)), required=True)
@click.option("--org", "org_name", help="Only this organisation (and those below it).")
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path)
)
def export_command(kind: str, org_name: str | None, output: Path) -> None:
    """Write the company list as CSV (UTF-8 with BOM) or XLSX; logged in the audit log."""
    org = _org(org_name)
    scope = descendant_ids(org.id) if org else None
    rows = queries.export_rows(queries.Filters(), scope)
    write, _mimetype = exporting.FORMATS[kind]
    output.write_bytes(write(rows))
    audit.record(
        "company_export",
        organisation_id=org.id if org else None,
        format=kind,
        rows=len(rows),
        username="cli",
    )
    click.echo(f"已导出 {len(rows)} 家企业：{output}")
