"""Publishing the knowledge base: check, build into a new folder, switch /kb/ to it atomically."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The schedule's automatic republish (a timer job) and the `kb publish…` commands."""
    from kiosk.publishing import auto, cli

    auto.init_app(app)
    cli.init_app(app)
