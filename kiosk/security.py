"""Serving safely: no default secret, pages un-framable, scripts first-party only."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request

from kiosk.settings import DEFAULT_SECRET_KEY

# No inline script anywhere in the kiosk or admin: every script is a file under /static.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# MkDocs Material inlines small bootstrap scripts, so the static site gets a
# narrower policy: still first-party only, never framed by another site.
KB_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)


def uses_default_secret(app: Flask) -> bool:
    """Whether `app` would sign cookies with the published default (debug and tests may)."""
    return app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing)


def refuse_default_secret() -> None:
    if uses_default_secret(current_app._get_current_object()):  # type: ignore[attr-defined]
        current_app.logger.error("refusing to serve: set KIOSK_SECRET_KEY or instance/config.py")
        abort(503)


def add_security_headers(response: Response) -> Response:
    is_kb = request.path.startswith("/kb/") or request.path == "/kb"
    response.headers.setdefault("Content-Security-Policy", KB_CSP if is_kb else APP_CSP)
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN" if is_kb else "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if current_app.config["SECURE_COOKIES"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    app.before_request(refuse_default_secret)
    app.after_request(add_security_headers)
