"""Union Outreach Kit kiosk: the Flask application factory."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from kiosk import availability, database, errors, proxies, security, settings
from kiosk.extensions import babel, csrf, limiter, login_manager, select_locale
from kiosk.signups import store as signup_store
from kiosk.uploads import UploadAwareRequest


def _load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults, then instance/config.py, then KIOSK_* variables, then the test dict."""
    app.config.from_mapping(settings.defaults())
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.from_environ())
    if test_config is not None:
        app.config.update(test_config)

    app.config["INSTANCE_PATH"] = app.instance_path
    app.config["SITES_DIR"] = app.config["SITES_DIR"] or str(Path(app.instance_path) / "sites")
    # /kb/ serves whatever the published-sites folder's `current` link points at.
    app.config["KB_DIR"] = app.config["KB_DIR"] or str(Path(app.config["SITES_DIR"]) / "current")
    app.config["DOCS_DIR"] = app.config["DOCS_DIR"] or str(settings.PROJECT_ROOT / "docs")
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = app.config["SECURE_COOKIES"]
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SECURE_COOKIES"]
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # a booth form may stay open all afternoon


def _instance_path(test_config: dict[str, Any] | None) -> str | None:
    """The instance folder must be known before any config file is read."""
    if test_config and test_config.get("INSTANCE_PATH"):
        return str(test_config["INSTANCE_PATH"])
    return os.environ.get("KIOSK_INSTANCE_PATH") or None


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=_instance_path(test_config), instance_relative_config=True)
    app.request_class = UploadAwareRequest
    _load_config(app, test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    database.init_app(app)
    signup_store.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    security.init_app(app)
    errors.init_app(app)
    availability.init_app(app)
    proxies.init_app(app)

    from kiosk import admin, auth, backups, cli, publishing, relay, templating
    from kiosk.views import api, calendar_feeds, kb, kiosk_screen, public

    auth.init_app(app)
    templating.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(kiosk_screen.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(kb.bp)
    app.register_blueprint(calendar_feeds.bp)
    admin.init_app(app)
    cli.init_app(app)
    publishing.init_app(app)
    relay.init_app(app)
    backups.init_app(app)
    return app
