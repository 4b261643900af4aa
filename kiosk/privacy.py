"""The privacy notice: one Markdown source (docs/privacy.md) for the site and the kiosk.

Its local details (the union that handles the data, where to ask for deletion) come from
docs/data/local.yml through the same marker lines and renderers as the site's build.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown
import yaml
from flask import current_app
from markupsafe import Markup

from kiosk.kb import render

FALLBACK_VERSION = "unversioned"


def _expand(body: str, meta: dict[str, Any], local: dict[str, Any]) -> str:
    """The notice's markers, filled in as the knowledge-base build fills them."""
    return render.expand(
        body,
        {
            "controller": lambda: render.controller_block(local),
            "deletion": lambda: render.deletion_block(local),
            "contact": lambda: render.contact_block(local),
            "sources": lambda: render.sources_block(meta),
        },
    )


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float, local_path: Path, local_mtime: float) -> tuple[str, str, str]:
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    body = text
    if text.startswith("---"):
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front) or {}
    body = _expand(body, meta, render.load_yaml(local_path))
    html = markdown.markdown(body, extensions=["tables", "attr_list", "admonition", "md_in_html"])
    return str(meta.get("version", FALLBACK_VERSION)), str(meta.get("title", "隐私说明")), html


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def _notice() -> tuple[str, str, str]:
    docs = Path(current_app.config["DOCS_DIR"])
    path, local = docs / "privacy.md", docs / "data" / "local.yml"
    if not path.exists():
        return FALLBACK_VERSION, "隐私说明", "<p>隐私说明缺失：请联系工会工作人员。</p>"
    # Editing either file shows at once: the cache is keyed by both modification times.
    return _load(path, path.stat().st_mtime, local, _mtime(local))


def notice_version() -> str:
    return _notice()[0]


def notice_title() -> str:
    return _notice()[1]


def notice_html() -> Markup:
    return Markup(_notice()[2])  # noqa: S704 - rendered from the project's own Markdown
