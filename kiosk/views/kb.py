"""The built knowledge base under /kb/, so one laptop with no internet serves the whole booth.

KB_DIR is normally the published-sites folder's `current` link (kiosk.publishing.sites).
It is resolved once per request, so every file of one answer comes from one build even
while a publish switches the link.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, send_from_directory, url_for
from werkzeug.security import safe_join

bp = Blueprint("kb", __name__, url_prefix="/kb")


def _site_dir() -> Path:
    return Path(os.path.realpath(current_app.config["KB_DIR"]))


@bp.get("")
def root_redirect() -> Response:
    return redirect(url_for("kb.page", path=""))


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def page(path: str) -> Response:
    site = _site_dir()
    if not site.is_dir():
        abort(
            404,
            description="知识库还没有发布：请在管理后台点“发布”，"
            "或运行 flask --app kiosk kb publish",
        )
    # Resolved inside the site or not at all: a path that leaves it is a 404 before the
    # disk is asked anything, so the answer cannot tell what exists outside.
    inside = safe_join(str(site), path)
    if inside is None:
        abort(404)
    if path == "" or path.endswith("/"):
        path += "index.html"
    elif Path(inside).is_dir():
        return redirect(url_for("kb.page", path=path + "/"))
    return send_from_directory(site, path, max_age=300)
