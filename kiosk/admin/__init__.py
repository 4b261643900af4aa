"""The staff admin area at /admin: sessions, sign-ups, follow-up, exports and the audit log."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register the admin blueprint and the admin CLI commands."""
    # Importing the view modules attaches their routes to `bp`; Python imports
    # each module once, so repeated create_app calls (tests) do not re-add routes.
    from kiosk.admin import (  # noqa: F401
        cli,
        views_attention,
        views_audit,
        views_auth,
        views_dashboard,
        views_orgs,
        views_people,
        views_sessions,
        views_signups,
        views_sites,
        views_users,
    )

    app.register_blueprint(bp)
    cli.init_app(app)
