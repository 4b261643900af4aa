"""The files under DOCS_DIR that staff edit in the admin area: names, reading, atomic writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath

from flask import current_app

from kiosk.kb import synonyms
from kiosk.kb.schema import NOT_PAGES

# The data files the admin area edits through forms; never as raw YAML in a browser.
DATA_FILES: dict[str, str] = {
    "stations.yml": "服务站点",
    "local.yml": "本地信息",
    synonyms.FILE: "搜索同义词",
}


def docs_dir() -> Path:
    return Path(current_app.config["DOCS_DIR"])


def sha(text: str) -> str:
    """What an editor's form remembers of the text it started from (kiosk.kb.revisions)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_page_path(rel: str) -> bool:
    """A Markdown page a person may name in a URL: no absolute paths, `..`, hidden parts."""
    path = PurePosixPath(rel)
    return (
        bool(rel)
        and not path.is_absolute()
        and path.suffix == ".md"
        and all(part not in ("", ".", "..") and not part.startswith(".") for part in path.parts)
        and path.parts[0] not in NOT_PAGES
        and "\\" not in rel
    )


def is_data_path(rel: str) -> bool:
    return rel in {f"data/{name}" for name in DATA_FILES}


def read(rel: str) -> str | None:
    """The file's text, or None when it does not exist (a new page kept only as a draft)."""
    path = docs_dir() / rel
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def write_atomic(rel: str, text: str) -> None:
    """Write via a temporary file in the same folder and a rename, so a reader (the site
    build, `kb check`, a zip export) sees the old text or the new, never half of it."""
    target = docs_dir() / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", text=True)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
