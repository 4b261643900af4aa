"""Relay mode: a booth laptop forwards every sign-up to the city server (its upstream).

The city side is `upstream_api` (the endpoints a relay credential may call) with
`accepting` and `credentials`; the laptop side is `client`, `pull`, `push` and
`cycle`, run by `serve`'s timer, the 立即上传 button and `flask --app kiosk relay`.
"""

from __future__ import annotations

from flask import Flask

from kiosk import periodic

# The timer looks every few seconds; the round itself waits for RELAY_INTERVAL_SECONDS
# after a success, or for its backoff after a failure (kiosk.relay.state). Not at
# shutdown: an unreachable city could hold a stopping server for a minute, and
# whatever is pending goes with the next start.
CHECK_EVERY_SECONDS = 2.0


def init_app(app: Flask) -> None:
    from kiosk.relay import cli, cycle, upstream_api

    app.register_blueprint(upstream_api.bp)
    app.cli.add_command(cli.relay_group)
    if app.config.get("UPSTREAM_URL"):
        periodic.register(
            app,
            periodic.Job("relay", every_seconds=CHECK_EVERY_SECONDS, run=cycle.timer_job),
        )
