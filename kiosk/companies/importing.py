"""Importing a company list: map columns to fields, check every row, then write all or nothing.

`plan()` is the dry run: it checks each row as the company form would
(`fields.clean`), finds its organisation and site, refuses duplicates within the
file and against the database, and sorts the rows into companies to create and
companies to update. `apply()` writes a plan that has no errors. Row numbers are
the spreadsheet's own (the heading is row 1), so staff find the row in Excel.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from kiosk.companies import records
from kiosk.companies.fields import FIELDS, ORGANISATION, Field, clean
from kiosk.companies.reading import Cell
from kiosk.extensions import db
from kiosk.models import Company, Organisation, Site, StaffUser
from kiosk.scoping import Scope, in_scope

IMPORT_FIELDS: tuple[Field, ...] = (ORGANISATION, *FIELDS)
REQUIRED = tuple(f for f in FIELDS if f.required)
HEADING_ROW = 1

Mapping_ = dict[str, int | None]  # field name -> column index (None: not in the file)


def _key(heading: str) -> str:
    text = unicodedata.normalize("NFKC", heading)
    for mark in ("*", "（必填）", "(必填)", " "):
        text = text.replace(mark, "")
    return text


def guess_mapping(headings: Sequence[str]) -> Mapping_:
    """Each field's column, found by its label or one of its aliases."""
    found: Mapping_ = {}
    keys = [_key(h) for h in headings]
    for f in IMPORT_FIELDS:
        names = {_key(f.label), *(_key(a) for a in f.aliases)}
        found[f.name] = next((i for i, k in enumerate(keys) if k in names), None)
    return found


def mapping_from(args: Mapping[str, str], headings: Sequence[str]) -> Mapping_:
    """The staff member's choice of columns (map_<field>=<index>; empty means none)."""
    chosen: Mapping_ = {}
    for f in IMPORT_FIELDS:
        raw = args.get(f"map_{f.name}", "")
        index = int(raw) if raw.isdigit() else None
        chosen[f.name] = index if index is not None and index < len(headings) else None
    return chosen


@dataclass
class Problem:
    row: int
    field: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class Planned:
    row: int
    organisation: Organisation
    values: dict[str, Any]
    site: Site | None
    existing: Company | None  # set when this row updates a company
    present: set[str]  # fields whose cell is not empty (an update leaves the others alone)


@dataclass
class Plan:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return len(self.planned)

    @property
    def create(self) -> int:
        return sum(1 for p in self.planned if p.existing is None)

    @property
    def update(self) -> int:
        return sum(1 for p in self.planned if p.existing is not None)

    def errors_by_row(self) -> dict[int, list[Problem]]:
        found: dict[int, list[Problem]] = {}
        for problem in self.problems:
            found.setdefault(problem.row, []).append(problem)
        return found

    def summary(self) -> dict[str, Any]:
        """The CLI's JSON."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": [p.as_json() for p in self.problems],
            "create": self.create,
            "update": self.update,
        }


class _Lookups:
    """Organisations in scope by name, and sites by (organisation, name), read once."""

    def __init__(self, scope: Scope) -> None:
        orgs = db.session.scalars(sa.select(Organisation).where(in_scope(Organisation.id, scope)))
        self.orgs = {org.name: org for org in orgs}
        sites = db.session.scalars(sa.select(Site).where(in_scope(Site.organisation_id, scope)))
        self.sites = {(site.organisation_id, site.name): site for site in sites}


def plan(
    rows: Sequence[Sequence[Cell]],
    mapping: Mapping_,
    scope: Scope,
    *,
    organisation: Organisation | None = None,
    update_existing: bool = False,
) -> Plan:
    """Check every row; nothing is written."""
    result = Plan(rows=sum(1 for row in rows if any(cell not in (None, "") for cell in row)))
    for f in REQUIRED:
        if mapping.get(f.name) is None:
            result.problems.append(Problem(HEADING_ROW, f.name, f"文件中没有对应“{f.label}”的列"))
    if organisation is None and mapping.get("organisation") is None:
        result.problems.append(
            Problem(HEADING_ROW, "organisation", "请选定导入到哪个工会，或在文件中加一列“所属工会”")
        )
    if result.problems:
        return result

    lookups = _Lookups(scope)
    codes: dict[str, int] = {}
    names: dict[tuple[int, str], int] = {}
    for number, row in enumerate(rows, start=HEADING_ROW + 1):
        if not any(cell not in (None, "") for cell in row):
            continue
        raw = {name: row[index] for name, index in mapping.items() if index is not None}
        values, errors = clean(raw, IMPORT_FIELDS)
        problems = [Problem(number, name, message) for name, message in errors.items()]
        org = _organisation(number, values, errors, lookups, organisation, problems)
        # Repeats are found among every row, even one with other problems.
        problems += _repeats(number, values, errors, org, codes, names)
        if not problems and org is not None:
            planned, problems = _check_row(number, raw, values, org, lookups, update_existing)
            if planned is not None:
                result.planned.append(planned)
        result.problems += problems
    return result


def _organisation(
    number: int,
    values: dict[str, Any],
    errors: dict[str, str],
    lookups: _Lookups,
    fixed: Organisation | None,
    problems: list[Problem],
) -> Organisation | None:
    if fixed is not None or "organisation" in errors:
        return fixed
    name = values.get("organisation")
    org = lookups.orgs.get(name or "")
    if org is None:
        message = f"找不到工会“{name}”，或您无权管理它" if name else "请填写所属工会"
        problems.append(Problem(number, "organisation", message))
    return org


def _repeats(
    number: int,
    values: dict[str, Any],
    errors: dict[str, str],
    org: Organisation | None,
    codes: dict[str, int],
    names: dict[tuple[int, str], int],
) -> list[Problem]:
    """The same company twice in one file: the later row says which row came first."""
    problems = []
    code = values.get("credit_code")
    if code and "credit_code" not in errors:
        if code in codes:
            message = f"与第{codes[code]}行的统一社会信用代码重复"
            problems.append(Problem(number, "credit_code", message))
        codes.setdefault(code, number)
    if org is not None and values.get("name"):
        key = (org.id, values["name"])
        if key in names:
            problems.append(Problem(number, "name", f"与第{names[key]}行的企业名称重复"))
        names.setdefault(key, number)
    return problems


def _check_row(
    number: int,
    raw: dict[str, Cell],
    values: dict[str, Any],
    org: Organisation,
    lookups: _Lookups,
    update_existing: bool,
) -> tuple[Planned | None, list[Problem]]:
    """A clean row against the database: its site, and companies already on file."""
    site = None
    if values.get("site"):
        site = lookups.sites.get((org.id, values["site"]))
        if site is None:
            message = f"{org.name}没有名为“{values['site']}”的点位"
            return None, [Problem(number, "site", message)]
    existing = db.session.scalar(
        sa.select(Company).where(Company.credit_code == values["credit_code"])
    )
    if existing is not None:
        if existing.organisation_id != org.id:
            return None, [Problem(number, "credit_code", records.taken_code(existing, org.id))]
        if not update_existing:
            message = f"已有这家企业（{existing.name}）；如要用本行更新它，请选择“更新已有企业”"
            return None, [Problem(number, "credit_code", message)]
    same_name = db.session.scalar(
        sa.select(Company).where(
            Company.organisation_id == org.id,
            Company.name == values["name"],
            Company.credit_code != values["credit_code"],
        )
    )
    if same_name is not None:
        message = f"本工会已有名为“{values['name']}”的企业，统一社会信用代码却不同"
        return None, [Problem(number, "name", message)]
    present = {name for name, cell in raw.items() if cell not in (None, "")}
    return Planned(number, org, values, site, existing, present), []


def apply(result: Plan, by: StaffUser | None) -> None:
    """Write a plan with no errors: every row or (the caller rolls back) none."""
    if result.problems:
        raise ValueError("a plan with errors cannot be applied")
    for planned in result.planned:
        values = planned.values
        site_id = planned.site.id if planned.site else None
        if planned.existing is None:
            records.create(planned.organisation.id, values, site_id, by)
            continue
        company = planned.existing
        # An empty cell leaves what the file already says about the company.
        for name in records.PLAIN:
            if name in planned.present:
                setattr(company, name, values[name])
        if "site" in planned.present:
            company.site_id = site_id
        status = values.get("union_status")
        if status and status != company.union_status:
            reached_on = values.get("union_status_on") or records.today()
            records.set_status(company, status, reached_on, "导入", by)
        company.updated_at = records.utcnow()
    db.session.flush()
