"""内容管理: the knowledge-base pages, edited in the browser by content editors.

Saving checks the text first (kiosk.kb.revisions): checked text is written to DOCS_DIR,
text with errors is kept as a draft; a save from an out-of-date copy shows both versions.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from kiosk import audit
from kiosk.admin.access import content_editor_required, staff
from kiosk.admin.blueprint import bp
from kiosk.admin.bodies import larger_body
from kiosk.admin.content_form import FIELD_LABELS, field_values, from_form, place, source_rows
from kiosk.extensions import db
from kiosk.kb import files, preview, revisions, scaffold
from kiosk.kb.check import parse_reviewed, year_before
from kiosk.kb.cli import mkdocs_yml
from kiosk.kb.front_matter import Parts, compose, split
from kiosk.kb.pages import iter_pages
from kiosk.kb.schema import PAGE_TYPE_LABELS
from kiosk.models import ContentRevision
from kiosk.text import clean_line

# A long page, URL-encoded: a Chinese character takes 9 bytes.
PAGE_FORM_MAX_BYTES = 512 * 1024
SAVED_KEY = "content_saved"  # tells the next editor page to forget the browser's copy
NEW_KINDS = {kind: PAGE_TYPE_LABELS[kind] for kind in scaffold.FOLDERS}


def _page_or_404(rel: str) -> revisions.Head:
    if not files.is_page_path(rel):
        abort(404)
    found = revisions.head(rel)
    if found is None:
        abort(404)
    return found


@bp.get("/content/")
@content_editor_required
def content_list() -> ResponseReturnValue:
    docs = files.docs_dir()
    drafts = revisions.draft_paths()
    paths = {p.relative_to(docs).as_posix() for p in iter_pages(docs)}
    paths |= {p for p in drafts if files.is_page_path(p)}
    stale_before = year_before(date.today())
    rows = []
    for rel in sorted(paths):
        draft = drafts.get(rel)
        text = draft.text if draft else files.read(rel) or ""
        fields = split(text).fields
        reviewed = parse_reviewed(fields.get("reviewed")) if fields.get("reviewed") else None
        rows.append(
            {
                "path": rel,
                "title": fields.get("title") or rel,
                "type": PAGE_TYPE_LABELS.get(str(fields.get("type")), fields.get("type") or "—"),
                "reviewed": reviewed,
                "stale": reviewed is not None and reviewed < stale_before,
                "draft": draft,
                "new": files.read(rel) is None,
            }
        )
    return render_template(
        "admin/content/list.html",
        rows=rows,
        data_files=files.DATA_FILES,
        data_drafts={p for p in drafts if files.is_data_path(p)},
    )


def _editor(
    rel: str,
    parts: Parts,
    base_sha: str,
    *,
    problems: list | None = None,
    text: str | None = None,
    conflict: revisions.Head | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    head = revisions.head(rel)
    placed = place(text or compose(parts), problems or [])
    return (
        render_template(
            "admin/content/edit.html",
            rel=rel,
            parts=parts,
            values=field_values(parts),
            sources=source_rows(parts),
            raw_mode=parts.raw is None,
            base_sha=base_sha,
            placed=placed,
            types=PAGE_TYPE_LABELS,
            labels=FIELD_LABELS,
            draft=head.draft if head else None,
            is_new=files.read(rel) is None,
            conflict=conflict,
            conflict_diff=revisions.diff(conflict.text, text or compose(parts)) if conflict else [],
            saved=session.pop(SAVED_KEY, None) == rel,
        ),
        status,
    )


@bp.get("/content/edit/<path:rel>")
@content_editor_required
def content_edit(rel: str) -> ResponseReturnValue:
    head = _page_or_404(rel)
    # A draft shows its problems again, so the editor knows what is left to fix.
    problems = revisions.check(rel, head.text) if head.draft else []
    return _editor(rel, split(head.text), head.sha, problems=problems, text=head.text)


@bp.post("/content/edit/<path:rel>")
@content_editor_required  # before the body is read: an expired login goes to the login page
@larger_body(PAGE_FORM_MAX_BYTES)
def content_save(rel: str) -> ResponseReturnValue:
    head = _page_or_404(rel)
    started = split(head.text)
    if request.form.get("raw") == "1" or started.raw is None:
        parts = Parts(body=request.form.get("body", ""))  # a page without readable front matter
        text = parts.body.replace("\r\n", "\n")
    else:
        parts = from_form(request.form, started.extra, started.raw)
        text = compose(parts)
    outcome = revisions.save(rel, text, request.form.get("base_sha", ""), staff())
    if outcome.status == "conflict":
        flash(
            "在你编辑期间，别人保存了这个页面。下面是两个版本：请对照后修改，再保存一次。", "error"
        )
        return _editor(
            rel, parts, outcome.head.sha if outcome.head else "", text=text,
            conflict=outcome.head, status=409,
        )  # fmt: skip
    if outcome.status == "unchanged":
        flash("内容没有改动。", "info")
        session[SAVED_KEY] = rel
        return redirect(url_for("admin.content_edit", rel=rel))
    revision = outcome.revision
    assert revision is not None  # noqa: S101 - saved and draft outcomes carry their revision
    audit.record(
        "content_draft" if revision.is_draft else "content_save", path=rel, revision=revision.id
    )
    if revision.is_draft:
        if outcome.write_error:
            flash(
                f"文件无法写入（{outcome.write_error}），内容已存为草稿，请联系技术人员。", "error"
            )
        else:
            count = revision.error_count
            flash(f"有 {count} 处错误，已存为草稿（不会发布）。改好标出的地方后再保存。", "error")
        return _editor(rel, parts, revision.sha, problems=outcome.problems, text=text, status=422)
    flash("已保存，检查通过。发布后读者就能看到。", "success")
    session[SAVED_KEY] = rel
    return redirect(url_for("admin.content_edit", rel=rel))


@bp.post("/content/preview")
@content_editor_required
@larger_body(PAGE_FORM_MAX_BYTES)
def content_preview() -> ResponseReturnValue:
    parts = from_form(request.form, "", None)
    return {"html": preview.to_html(parts.body.replace("\r\n", "\n"), parts.fields, mkdocs_yml())}


@bp.get("/content/new")
@content_editor_required
def content_new() -> ResponseReturnValue:
    return render_template("admin/content/new.html", kinds=NEW_KINDS, values={})


@bp.post("/content/new")
@content_editor_required
def content_create() -> ResponseReturnValue:
    kind = request.form.get("kind", "")
    title = clean_line(request.form.get("title", ""))
    slug = clean_line(request.form.get("slug", "")) or None
    error = None
    if kind not in NEW_KINDS:
        error = "请选择页面类型"
    elif not title:
        error = "请填写页面标题"
    elif slug and not files.is_page_path(scaffold.src_uri(kind, title, slug)):
        error = "文件名只能用字母、数字、汉字和“-”"
    else:
        try:
            rel, outcome = revisions.create(kind, title, slug, staff())
        except FileExistsError:
            error = "已经有同名的页面了，请换一个标题或文件名"
    if error:
        flash(error, "error")
        values = {"kind": kind, "title": title, "slug": slug or ""}
        return render_template("admin/content/new.html", kinds=NEW_KINDS, values=values), 422
    audit.record(
        "content_draft", path=rel, revision=outcome.revision.id if outcome.revision else None
    )
    flash(
        "已按模板新建页面（草稿）。把所有 TODO 换成核实过的内容，保存通过检查后才会写入网站。",
        "success",
    )
    return redirect(url_for("admin.content_edit", rel=rel))


@bp.get("/content/history/<path:rel>")
@content_editor_required
def content_history(rel: str) -> ResponseReturnValue:
    if not (files.is_page_path(rel) or files.is_data_path(rel)):
        abort(404)
    rows = revisions.history(rel)
    if not rows and files.read(rel) is None:
        abort(404)
    return render_template("admin/content/history.html", rel=rel, rows=rows)


def _revision_or_404(revision_id: int) -> ContentRevision:
    revision = db.session.get(ContentRevision, revision_id)
    if revision is None:
        abort(404)
    return revision


@bp.get("/content/revisions/<int:revision_id>")
@content_editor_required
def content_revision(revision_id: int) -> ResponseReturnValue:
    revision = _revision_or_404(revision_id)
    before = revisions.previous(revision)
    return render_template(
        "admin/content/revision.html",
        revision=revision,
        before=before,
        lines=revisions.diff(before.text if before else "", revision.text),
    )


@bp.post("/content/revisions/<int:revision_id>/restore")
@content_editor_required
def content_restore(revision_id: int) -> ResponseReturnValue:
    revision = _revision_or_404(revision_id)
    outcome = revisions.restore(revision, staff())
    if outcome.status == "unchanged":
        flash("现在的内容和这个版本一样，不用恢复。", "info")
    elif outcome.revision is not None:
        audit.record(
            "content_restore", path=revision.path, revision=outcome.revision.id, source=revision.id
        )
        if outcome.revision.is_draft:
            flash(
                f"已恢复为草稿：这个版本有 {outcome.revision.error_count} 处错误，改好后才能发布。",
                "error",
            )
        else:
            flash("已恢复这个版本，检查通过。", "success")
    if files.is_data_path(revision.path):
        return redirect(url_for("admin.content_history", rel=revision.path))
    return redirect(url_for("admin.content_edit", rel=revision.path))
