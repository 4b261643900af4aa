"""The privacy notice: one Markdown source (docs/privacy.md) for the site and the kiosk."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import markdown
import yaml
from flask import current_app
from markupsafe import Markup

FALLBACK_VERSION = "unversioned"


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> tuple[str, str, str]:
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    body = text
    if text.startswith("---"):
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front) or {}
    html = markdown.markdown(body, extensions=["tables", "attr_list", "admonition", "md_in_html"])
    return str(meta.get("version", FALLBACK_VERSION)), str(meta.get("title", "隐私说明")), html


def _notice() -> tuple[str, str, str]:
    path = Path(current_app.config["DOCS_DIR"]) / "privacy.md"
    if not path.exists():
        return FALLBACK_VERSION, "隐私说明", "<p>隐私说明缺失：请联系工会工作人员。</p>"
    return _load(path, path.stat().st_mtime)


def notice_version() -> str:
    return _notice()[0]


def notice_title() -> str:
    return _notice()[1]


def notice_html() -> Markup:
    return Markup(_notice()[2])  # noqa: S704 - rendered from the project's own Markdown
