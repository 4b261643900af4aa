"""Forms for companies, their file and enterprise sessions.

The company form is built from the declaration in `kiosk.companies.fields`, and
checked by its `clean()`, the same path an imported row takes. The fields carry
no WTForms validators (whose messages are English); each form's `check()` fills
in Chinese errors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from kiosk.admin.forms import options
from kiosk.choices import CONTACT_KINDS, NEED_STATUSES, UNION_STATUSES
from kiosk.companies import fields
from kiosk.companies.fields import Field, parse_date
from kiosk.companies.records import today
from kiosk.text import clean_block, clean_line
from kiosk.typed_dates import INPUTS

DATE = INPUTS["date"]
STATUS_FIELDS = ("union_status", "union_status_on")
NUMERIC = {"inputmode": "numeric"}


def _select(label: str, pairs: Any = (), blank: str | None = "请选择") -> UnboundField:
    choices = [("", blank), *pairs] if blank is not None else list(pairs)
    return SelectField(label, choices=options(choices), validate_choice=False)


def _field(f: Field) -> UnboundField:
    if f.kind == "choice":
        return _select(f.label, f.choices.items())
    if f.kind == "long_text":
        return TextAreaField(f.label)
    if f.kind == "date":
        return StringField(f.label, render_kw=DATE)
    if f.kind in ("count", "phone"):
        return StringField(f.label, render_kw=NUMERIC)
    return StringField(f.label)


def _form_class(name: str, declared: tuple[Field, ...]) -> type[FlaskForm]:
    attributes: dict[str, Any] = {
        "organisation_id": _select("所属工会", blank=None),
        "site_id": _select("点位（可不选）", blank="（未指定）"),
    }
    attributes.update({f.name: _field(f) for f in declared})
    attributes["declared"] = declared
    return type(name, (FlaskForm,), attributes)


# On create the first union status may be given (a company found already 筹建中);
# afterwards the status changes only through the status form, which keeps the history.
NEW_FIELDS = tuple(f for f in fields.FIELDS if f.kind != "site")
EDIT_FIELDS = tuple(f for f in NEW_FIELDS if f.name not in STATUS_FIELDS)
NewCompanyForm = _form_class("NewCompanyForm", NEW_FIELDS)
EditCompanyForm = _form_class("EditCompanyForm", EDIT_FIELDS)


def check_company(form: FlaskForm) -> dict[str, Any] | None:
    """The cleaned values, or None with every problem set on its field."""
    values, errors = fields.clean(form.data, form.declared)  # type: ignore[attr-defined]
    for name, message in errors.items():
        form[name].errors = [message]
    return None if errors else values


def _required_date(form: FlaskForm, name: str, label: str, *, not_after_today: bool) -> date | None:
    raw = form[name].data or ""
    value = parse_date(raw)
    if value is None:
        form[name].errors = [f"请填写{label}，例如 2026-11-21" if not raw else f"{label}格式不对"]
    elif not_after_today and value > today():
        form[name].errors = [f"{label}不能晚于今天"]
        value = None
    return value


def _text(form: FlaskForm, name: str, label: str, limit: int, *, required: bool) -> str | None:
    text = (form[name].data or "").strip()
    if required and not text:
        form[name].errors = [f"请填写{label}"]
    elif len(text) > limit:
        form[name].errors = [f"{label}不能超过{limit}个字，现在是{len(text)}个字"]
    return text or None


class StatusForm(FlaskForm):
    status = _select("建会状态", UNION_STATUSES.items(), blank=None)
    reached_on = StringField("达到这个状态的日期", render_kw=DATE)
    note = TextAreaField("说明（可不填）", filters=[clean_block])

    def check(self) -> dict[str, Any] | None:
        if self.status.data not in UNION_STATUSES:
            self.status.errors = ["请选择建会状态"]
        values = {
            "status": self.status.data,
            "reached_on": _required_date(self, "reached_on", "日期", not_after_today=True),
            "note": _text(self, "note", "说明", 2000, required=False),
        }
        return None if self.errors else values


# Sessions are recorded from the session page, where the company attended.
CONTACT_CHOICES = [(k, v) for k, v in CONTACT_KINDS.items() if k != "session"]


class ContactForm(FlaskForm):
    kind = _select("方式", CONTACT_CHOICES, blank=None)
    happened_on = StringField("日期", render_kw=DATE)
    summary = TextAreaField("情况", filters=[clean_block])
    needs = TextAreaField("提出的诉求（每行一条，可不填）", filters=[clean_block])

    def check(self) -> dict[str, Any] | None:
        if self.kind.data not in dict(CONTACT_CHOICES):
            self.kind.errors = ["请选择联系方式"]
        values = {
            "kind": self.kind.data,
            "happened_on": _required_date(self, "happened_on", "日期", not_after_today=True),
            "summary": _text(self, "summary", "情况", 2000, required=False),
            "needs": need_titles(self, "needs"),
        }
        return None if self.errors else values


def need_titles(form: FlaskForm, name: str) -> list[str]:
    """One need per line; each line is a need's title."""
    titles = [" ".join(line.split()) for line in (form[name].data or "").splitlines()]
    titles = [t for t in titles if t]
    too_long = [t for t in titles if len(t) > 100]
    if too_long:
        form[name].errors = [f"每条诉求不能超过100个字：“{too_long[0][:20]}…”"]
    elif len(titles) > 20:
        form[name].errors = ["一次最多记录20条诉求"]
    return titles


class NeedForm(FlaskForm):
    title = StringField("诉求", filters=[clean_line])
    response = TextAreaField("工会的答复", filters=[clean_block])
    owner = StringField("负责人", filters=[clean_line])
    due_on = StringField("办结期限", render_kw=DATE)
    status = _select("状态", NEED_STATUSES.items(), blank=None)

    def check(self) -> dict[str, Any] | None:
        if self.status.data not in NEED_STATUSES:
            self.status.errors = ["请选择状态"]
        due_on = None
        if self.due_on.data:
            due_on = parse_date(self.due_on.data)
            if due_on is None:
                self.due_on.errors = ["办结期限格式不对，例如 2026-11-21"]
        values = {
            "title": _text(self, "title", "诉求", 100, required=True),
            "response": _text(self, "response", "答复", 2000, required=False),
            "owner": _text(self, "owner", "负责人", 40, required=False),
            "due_on": due_on,
            "status": self.status.data,
        }
        return None if self.errors else values


class AttendanceForm(FlaskForm):
    company_id = _select("参会企业")
    attendees = StringField("企业参会人员（姓名、职务）", filters=[clean_line])

    def check(self, allowed: set[int]) -> dict[str, Any] | None:
        raw = self.company_id.data or ""
        company_id = int(raw) if raw.isdigit() else None
        if company_id not in allowed:
            self.company_id.errors = ["请选择参会企业"]
        values = {
            "company_id": company_id,
            "attendees": _text(self, "attendees", "参会人员", 200, required=False),
        }
        return None if self.errors else values


class MinutesForm(FlaskForm):
    text = TextAreaField("会议纪要", filters=[clean_block])

    def check(self) -> str | None:
        return _text(self, "text", "会议纪要", 10000, required=False)


class SessionNeedForm(FlaskForm):
    company_id = _select("提出诉求的企业")
    titles = TextAreaField("诉求（每行一条）", filters=[clean_block])
    owner = StringField("负责人（可不填）", filters=[clean_line])
    due_on = StringField("办结期限（可不填）", render_kw=DATE)

    def check(self, allowed: set[int]) -> dict[str, Any] | None:
        raw = self.company_id.data or ""
        company_id = int(raw) if raw.isdigit() else None
        if company_id not in allowed:
            self.company_id.errors = ["请选择一家参会企业"]
        titles = need_titles(self, "titles")
        if not titles and not self.titles.errors:
            self.titles.errors = ["请填写诉求"]
        due_on = None
        if self.due_on.data:
            due_on = parse_date(self.due_on.data)
            if due_on is None:
                self.due_on.errors = ["办结期限格式不对，例如 2026-11-21"]
        values = {
            "company_id": company_id,
            "titles": titles,
            "owner": _text(self, "owner", "负责人", 40, required=False),
            "due_on": due_on,
        }
        return None if self.errors else values
