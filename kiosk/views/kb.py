"""The built knowledge base under /kb/, so one laptop with no internet serves the whole booth."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, send_from_directory, url_for
from werkzeug.security import safe_join

bp = Blueprint("kb", __name__, url_prefix="/kb")


def _site_dir() -> Path:
    return Path(current_app.config["KB_DIR"])


@bp.get("")
def root_redirect() -> Response:
    return redirect(url_for("kb.page", path=""))


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def page(path: str) -> Response:
    site = _site_dir()
    if not site.is_dir():
        abort(404, description="知识库尚未构建：请运行 flask --app kiosk kb build")
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
