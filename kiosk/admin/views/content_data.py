"""内容管理 · data files: service stations and local details, edited through forms.

The text a form would write is judged by kiosk.kb.data_check, the rules `kb check` uses,
and only written when it passes. Nobody edits YAML in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from kiosk import audit
from kiosk.admin.access import content_editor_required, staff
from kiosk.admin.blueprint import bp
from kiosk.admin.bodies import TEXT_FORM_MAX_BYTES, larger_body
from kiosk.kb import data_files, files, revisions
from kiosk.kb.render import LOCAL_LABELS
from kiosk.kb.schema import FACILITIES
from kiosk.text import clean_line

STATIONS, LOCAL = "data/stations.yml", "data/local.yml"
MAX_STATIONS = 200
LOCAL_FIELDS: dict[str, str] = {
    **LOCAL_LABELS,
    "deletion_contact": "删除和查询个人信息的联系方式",
    "retention_days": "登记信息最长保存天数",
}
LOCAL_HINTS = {
    "phone": "读者可以直接拨打的号码：手机号、带区号的座机（如 010-12345678）或服务热线。",
    "deletion_contact": "电话或当面办理的地点。隐私说明页会显示它。",
    "retention_days": "必须和 kiosk 的设置一致（默认 365 天）。",
}


def _head(rel: str) -> revisions.Head:
    found = revisions.head(rel)
    return found or revisions.Head("", files.sha(""), None)


def _keep(rel: str, text: str, label: str) -> revisions.Outcome | None:
    """Save the form's text; None when it was written (the caller redirects)."""
    outcome = revisions.save(rel, text, request.form.get("base_sha", ""), staff(), keep_draft=False)
    if outcome.status == "conflict":
        flash(
            f"在你编辑期间，别人保存了{label}。下面是你填写的内容和两个版本的差别，请核对后再保存。",
            "error",
        )
        return outcome
    if outcome.status == "invalid":
        flash("有些地方要改，已在下面标出。还没有保存。", "error")
        return outcome
    if outcome.status == "draft":  # the checks passed but the file could not be written
        flash(f"文件无法写入（{outcome.write_error}），内容已存为草稿，请联系技术人员。", "error")
        return outcome
    if outcome.revision is not None:
        audit.record("content_save", path=rel, revision=outcome.revision.id)
    flash(f"{label}已保存，检查通过。发布后读者就能看到。", "success")
    return None


def _station_rows(form: Any) -> list[dict[str, Any]]:
    rows = []
    for index in range(MAX_STATIONS):
        prefix = f"s-{index}-"
        if f"{prefix}name" not in form:
            break
        row: dict[str, Any] = {
            key: clean_line(form.get(prefix + key, ""))
            for key in data_files.STATION_KEYS
            if key != "facilities"
        }
        row["facilities"] = [f for f in form.getlist(prefix + "facilities") if f in FACILITIES]
        if form.get(prefix + "delete") or not any(row.values()):
            continue
        rows.append(row)
    return rows


def _saved_or_shown_again(
    rel: str,
    text: str,
    label: str,
    endpoint: str,
    page: Callable[..., ResponseReturnValue],
    problems_of: Callable[[str, Any], dict],
) -> ResponseReturnValue:
    """Write a data file's new text if it passes, else show its form again with what was typed:
    409 with the other editor's version, or 422 with the problems by field."""
    outcome = _keep(rel, text, label)
    if outcome is None:
        return redirect(url_for(endpoint))
    if outcome.status == "conflict":
        theirs = outcome.head.text if outcome.head else ""
        return page(files.sha(theirs), conflict=revisions.diff(theirs, text), status=409)
    return page(request.form.get("base_sha", ""), problems_of(text, outcome.problems), status=422)


def _stations_page(
    rows: list[dict[str, Any]], base_sha: str, problems: dict | None = None,
    conflict: list[str] | None = None, status: int = 200,
) -> ResponseReturnValue:  # fmt: skip
    return (
        render_template(
            "admin/content/stations.html",
            rows=[*rows, {}],  # one empty row to add a station
            base_sha=base_sha,
            problems=problems or {},
            conflict=conflict,
            facilities=FACILITIES,
            rel=STATIONS,
        ),
        status,
    )


@bp.get("/content/data/stations")
@content_editor_required
def content_stations() -> ResponseReturnValue:
    head = _head(STATIONS)
    return _stations_page(data_files.stations(head.text), head.sha)


@bp.post("/content/data/stations")
@content_editor_required
@larger_body(TEXT_FORM_MAX_BYTES * 4)
def content_stations_save() -> ResponseReturnValue:
    head = _head(STATIONS)
    rows = _station_rows(request.form)
    text = data_files.stations_text(head.text, rows)
    return _saved_or_shown_again(
        STATIONS,
        text,
        "服务站点",
        "admin.content_stations",
        partial(_stations_page, rows),
        data_files.station_problems,
    )


def _local_page(
    values: dict[str, Any], base_sha: str, problems: dict | None = None,
    conflict: list[str] | None = None, status: int = 200,
) -> ResponseReturnValue:  # fmt: skip
    return (
        render_template(
            "admin/content/local.html",
            values={k: "" if values.get(k) is None else str(values[k]) for k in LOCAL_FIELDS},
            labels=LOCAL_FIELDS,
            hints=LOCAL_HINTS,
            base_sha=base_sha,
            problems=problems or {},
            conflict=conflict,
            rel=LOCAL,
        ),
        status,
    )


@bp.get("/content/data/local")
@content_editor_required
def content_local() -> ResponseReturnValue:
    head = _head(LOCAL)
    return _local_page(data_files.local(head.text), head.sha)


@bp.post("/content/data/local")
@content_editor_required
@larger_body(TEXT_FORM_MAX_BYTES)
def content_local_save() -> ResponseReturnValue:
    head = _head(LOCAL)
    values: dict[str, Any] = {key: clean_line(request.form.get(key, "")) for key in LOCAL_FIELDS}
    days = values["retention_days"]
    values["retention_days"] = int(days) if days.isdigit() else days or None
    text = data_files.local_text(head.text, values)
    return _saved_or_shown_again(
        LOCAL,
        text,
        "本地信息",
        "admin.content_local",
        partial(_local_page, values),
        data_files.local_problems,
    )


SYNONYMS = "data/synonyms.yml"
BLANK_GROUPS = 3  # empty rows under the groups, to add new ones


def _synonyms_page(
    groups: list[str], ignore: str, base_sha: str, problems: dict | None = None,
    conflict: list[str] | None = None, status: int = 200,
) -> ResponseReturnValue:  # fmt: skip
    return (
        render_template(
            "admin/content/synonyms.html",
            groups=[*groups, *[""] * BLANK_GROUPS],
            ignore=ignore,
            base_sha=base_sha,
            problems=problems or {},
            conflict=conflict,
            rel=SYNONYMS,
        ),
        status,
    )


@bp.get("/content/data/synonyms")
@content_editor_required
def content_synonyms() -> ResponseReturnValue:
    head = _head(SYNONYMS)
    groups, ignore = data_files.synonyms_rows(head.text)
    return _synonyms_page(["、".join(g) for g in groups], "、".join(ignore), head.sha)


@bp.post("/content/data/synonyms")
@content_editor_required
@larger_body(TEXT_FORM_MAX_BYTES * 4)
def content_synonyms_save() -> ResponseReturnValue:
    head = _head(SYNONYMS)
    typed = [clean_line(line) for line in request.form.getlist("group")]
    rows = [line for line in typed if line]
    ignore = clean_line(request.form.get("ignore", ""))
    groups = [data_files.words_of(line) for line in rows]
    text = data_files.synonyms_text(head.text, groups, data_files.words_of(ignore))
    return _saved_or_shown_again(
        SYNONYMS,
        text,
        "搜索同义词",
        "admin.content_synonyms",
        partial(_synonyms_page, rows, ignore),
        data_files.synonyms_problems,
    )
