"""The staff admin area at /admin: sessions, sign-ups, follow-up, exports and the audit log."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the admin blueprint and the admin CLI commands."""
    from kiosk.admin import cli, retention
    from kiosk.admin.blueprint import bp

    # Importing the view modules attaches their routes to `bp`; Python imports
    # each module once, so repeated create_app calls (tests) do not re-add routes.
    from kiosk.admin.views import (  # noqa: F401
        attention,
        audit,
        auth,
        cadence,
        calendar,
        companies,
        company_file,
        company_import,
        content,
        content_data,
        dashboard,
        enterprise,
        feeds,
        joined,
        orgs,
        people,
        planner,
        printing,
        publish,
        quotas,
        relay,
        reports,
        sessions,
        signups,
        sites,
        users,
    )

    app.register_blueprint(bp)
    cli.init_app(app)
    retention.init_app(app)
