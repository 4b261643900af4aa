"""Error answers: Chinese pages in the kiosk's look, JSON under /api/, the site's 404 under /kb/.

Every HTTP error the app raises or Werkzeug produces (an unknown URL, a wrong
method, a body too large, a rate limit, an unexpected exception) comes here, so
Flask's English "Not Found" page never reaches anyone.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, Response, current_app, jsonify, render_template, request, send_file
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

_HAN = re.compile(r"[\u3400-\u9fff]")
# Each has its page, errors/<code>.html; another code is shown as its class's page.
PAGES = (400, 403, 404, 405, 413, 429, 500, 503)
# The last resort if even the error page cannot be rendered (a broken template, say).
FALLBACK = (
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>服务器出错了</title><h1>服务器出错了</h1>"
    "<p>很抱歉，服务器遇到了问题。请稍后再试；如果一直这样，请联系工会工作人员。</p>"
)


def _is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _is_kb() -> bool:
    return request.path == "/kb" or request.path.startswith("/kb/")


def _page_for(code: int) -> int:
    if code in PAGES:
        return code
    return 500 if code >= 500 else 400


def _detail(error: HTTPException) -> str | None:
    """A description our code gave on purpose, in Chinese (abort(404, description=…)).

    Werkzeug's, Flask-WTF's and Flask-Limiter's descriptions are English and never shown.
    """
    description = error.description or ""
    return description if _HAN.search(description) else None


def _headers(error: HTTPException) -> list[tuple[str, str]]:
    """Headers the error carries (Allow for 405, Retry-After for 429/503), not its body type."""
    return [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def as_json(error: HTTPException) -> Response:
    """The API's shape for every error: {"error": "not_found"}, never an HTML page."""
    response = jsonify(error=(error.name or "error").lower().replace(" ", "_"))
    response.status_code = error.code or 500
    response.headers.extend(_headers(error))
    response.headers["Cache-Control"] = "no-store"
    return response


def _kb_not_found() -> Response | None:
    """The built site's own 404 page, in its look, for a page of the knowledge base."""
    page = Path(current_app.config["KB_DIR"]) / "404.html"
    if not page.is_file():
        return None
    response = send_file(page, mimetype="text/html", max_age=0)
    response.status_code = 404
    return response


def handle(error: HTTPException) -> Response:
    code = error.code or 500
    if _is_api():
        return as_json(error)
    if code == 404 and _is_kb():
        found = _kb_not_found()
        if found is not None:
            return found
    try:
        body = render_template(
            f"errors/{_page_for(code)}.html",
            detail=_detail(error),
            csrf=isinstance(error, CSRFError),  # the page was open too long: say so
        )
    except Exception:  # noqa: BLE001 - the error page must not become an error of its own
        current_app.logger.exception("error page %s could not be rendered", code)
        body = FALLBACK
    response = current_app.make_response((body, code))
    response.headers.extend(_headers(error))
    return response


def init_app(app: Flask) -> None:
    # An exception nobody caught reaches this too, as an InternalServerError (500),
    # after Flask has logged it.
    app.register_error_handler(HTTPException, handle)
