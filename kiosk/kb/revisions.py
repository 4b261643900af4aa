"""Saving a knowledge-base file from the admin area: check, keep a revision, write atomically.

A file's *head* is what an editor starts from: its latest draft when the latest revision
is a draft, otherwise the file in DOCS_DIR. A save names the head it started from (its
sha); a save from an older head is a conflict and writes nothing, so two editors never
silently overwrite each other.

Text that fails the content checker is kept as a draft revision in the database and never
written to DOCS_DIR, so the site is only ever built from checked text. The publish step
asks `unpublishable_pages()` which pages have a draft that will not go out.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

import sqlalchemy as sa
from flask import current_app

from kiosk.extensions import db
from kiosk.kb import files, scaffold
from kiosk.kb.check import check_text
from kiosk.kb.cli import mkdocs_yml
from kiosk.kb.data_check import DATA_CHECKS
from kiosk.kb.front_matter import split
from kiosk.kb.problems import ERROR, Problem
from kiosk.models import ContentRevision, StaffUser

# One save at a time per process: the head comparison and the write happen together.
# (The kiosk runs as one waitress process; see README "Deployment".)
_saving = threading.Lock()


@dataclass
class Head:
    text: str
    sha: str
    draft: ContentRevision | None  # set when the head is a draft, not the file


@dataclass
class Outcome:
    status: str  # "saved", "draft", "unchanged", "conflict" or "invalid" (nothing kept)
    problems: list[Problem] = field(default_factory=list)
    revision: ContentRevision | None = None
    head: Head | None = None  # on a conflict: what the other editor saved
    write_error: str | None = None  # the file could not be written: kept as a draft instead


def latest(rel: str) -> ContentRevision | None:
    return db.session.scalar(
        sa.select(ContentRevision)
        .where(ContentRevision.path == rel)
        .order_by(ContentRevision.id.desc())
        .limit(1)
    )


def head(rel: str) -> Head | None:
    """What an editor of rel starts from; None when there is neither a file nor a draft."""
    last = latest(rel)
    if last is not None and last.is_draft:
        return Head(last.text, last.sha, last)
    text = files.read(rel)
    if text is None:
        return None
    return Head(text, files.sha(text), None)


def check(rel: str, text: str, today: date | None = None) -> list[Problem]:
    """The content checker on text as the file rel; nothing is written to check it."""
    name = PurePosixPath(rel).name
    if files.is_data_path(rel):
        return DATA_CHECKS[name](text)
    docs = files.docs_dir()
    return check_text(docs / rel, text, docs, today or date.today())


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]


def save(
    rel: str,
    text: str,
    base_sha: str | None,
    author: StaffUser,
    *,
    action: str = "edit",
    restored_from: ContentRevision | None = None,
    keep_draft: bool = True,
) -> Outcome:
    """Check text and keep it: written to DOCS_DIR if it passes, as a draft if not.

    base_sha is the head the editor started from; None saves over whatever is there
    (a restore, or a new page that does not exist yet). keep_draft=False (the data-file
    forms) stores nothing when the checker refuses: the form shows the errors instead.
    """
    text = text.replace("\r\n", "\n")
    with _saving:
        current = head(rel)
        current_sha = current.sha if current else files.sha("")  # a missing file is empty
        if base_sha is not None and current_sha != base_sha:
            return Outcome("conflict", head=current)
        if current is not None and current.text == text:
            # Saving the same text again keeps no new revision.
            if current.draft is not None:
                return Outcome("draft", check(rel, text), current.draft)
            return Outcome("unchanged", check(rel, text))
        problems = check(rel, text)
        failed = bool(errors(problems))
        if failed and not keep_draft:
            return Outcome("invalid", problems)
        on_disk = files.read(rel)
        _keep_baseline(rel, on_disk)
        write_error = None
        if not failed:
            try:
                files.write_atomic(rel, text)
            except OSError as error:
                # Nothing typed is lost: the text is kept as a draft and the editor says why.
                current_app.logger.exception("could not write %s", rel)
                write_error = error.strerror or str(error)
        revision = ContentRevision(
            path=rel,
            text=text,
            sha=files.sha(text),
            action=action,
            is_draft=failed or write_error is not None,
            error_count=len(errors(problems)),
            author_id=author.id,
            author_name=author.display_name or author.username,
            restored_from_id=restored_from.id if restored_from else None,
        )
        db.session.add(revision)
        db.session.commit()
    if on_disk is None and not revision.is_draft:
        _add_new_page_to_nav(rel, text)
    return Outcome(
        "draft" if revision.is_draft else "saved", problems, revision, write_error=write_error
    )


def _keep_baseline(rel: str, on_disk: str | None) -> None:
    """Before the first revision, or after the file changed outside the admin area (a git
    pull, an imported zip), keep the file as it was: the history's diffs stay true and the
    old text can be restored."""
    if on_disk is None:
        return
    saved = db.session.scalar(
        sa.select(ContentRevision)
        .where(ContentRevision.path == rel, ContentRevision.is_draft.is_(False))
        .order_by(ContentRevision.id.desc())
        .limit(1)
    )
    if saved is None or saved.sha != files.sha(on_disk):
        db.session.add(
            ContentRevision(path=rel, text=on_disk, sha=files.sha(on_disk), action="baseline")
        )
        db.session.flush()


def _add_new_page_to_nav(rel: str, text: str) -> None:
    """A page created in the admin area joins mkdocs.yml's nav once it first passes the
    checker (MkDocs' strict build refuses a page that is in no nav)."""
    kind = split(text).fields.get("type")
    if kind in scaffold.FOLDERS and rel.startswith(f"{scaffold.FOLDERS[kind]}/"):
        config = mkdocs_yml()
        if f"- {rel}\n" not in config.read_text(encoding="utf-8"):
            scaffold.add_to_nav(config, kind, rel)


def create(kind: str, title: str, slug: str | None, author: StaffUser) -> tuple[str, Outcome]:
    """A new page from docs/templates/<kind>.md. Its TODOs fail the checker, so it starts
    as a draft and is written to DOCS_DIR once they are filled in."""
    rel = scaffold.src_uri(kind, title, slug)
    if files.read(rel) is not None or latest(rel) is not None:
        raise FileExistsError(rel)
    template = files.docs_dir() / "templates" / f"{kind}.md"
    text = scaffold.render(template, title, date.today())
    return rel, save(rel, text, None, author, action="create")


def restore(revision: ContentRevision, author: StaffUser) -> Outcome:
    """Save an old revision's text again, as a new revision (nothing is ever rewritten)."""
    return save(
        revision.path, revision.text, None, author, action="restore", restored_from=revision
    )


def history(rel: str) -> list[ContentRevision]:
    return list(
        db.session.scalars(
            sa.select(ContentRevision)
            .where(ContentRevision.path == rel)
            .order_by(ContentRevision.id.desc())
        )
    )


def previous(revision: ContentRevision) -> ContentRevision | None:
    return db.session.scalar(
        sa.select(ContentRevision)
        .where(ContentRevision.path == revision.path, ContentRevision.id < revision.id)
        .order_by(ContentRevision.id.desc())
        .limit(1)
    )


def diff(old: str, new: str) -> list[str]:
    """Unified diff lines (without the file header), for the history and the conflict page."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
    return [line for line in lines if not line.startswith(("---", "+++"))]


def draft_paths() -> dict[str, ContentRevision]:
    """Every file whose latest revision is a draft, with that draft."""
    newest = (
        sa.select(sa.func.max(ContentRevision.id)).group_by(ContentRevision.path).scalar_subquery()
    )
    rows = db.session.scalars(
        sa.select(ContentRevision).where(
            ContentRevision.id.in_(newest), ContentRevision.is_draft.is_(True)
        )
    )
    return {row.path: row for row in rows}


def unpublishable_pages() -> dict[str, int]:
    """Files (relative to DOCS_DIR) whose newest text is a draft the checker refused, with
    its number of errors. The draft is not in DOCS_DIR, so a publish goes out without it:
    the publish screen lists these so nobody thinks their change went live."""
    return {path: row.error_count for path, row in draft_paths().items()}


def page_title(text: str) -> str | None:
    title = split(text).fields.get("title")
    return str(title) if title else None
