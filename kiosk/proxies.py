"""Behind reverse proxies: believe exactly as many X-Forwarded-* hops as there are proxies."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    # With no proxy, a client could write its own X-Forwarded-For and pick the
    # address that rate limits and the audit log see: the headers are ignored.
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
