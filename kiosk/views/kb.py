"""The built knowledge base under /kb/, so one laptop with no internet serves the whole booth."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, send_from_directory, url_for

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
    if path == "" or path.endswith("/"):
        path += "index.html"
    elif (site / path).is_dir():
        return redirect(url_for("kb.page", path=path + "/"))
    response = send_from_directory(site, path, max_age=300)
    return response
