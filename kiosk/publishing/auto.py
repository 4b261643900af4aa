"""The schedule publishes itself: republish once the sessions have stopped changing.

A timer job (kiosk.periodic, run by `serve`) compares what the schedule page would show
now with what the served build shows (its fingerprint, kept in the build's record). A
session created, edited, opened, closed or cancelled, or one that starts or ends, changes
it. The job waits until the fingerprint has held still for SCHEDULE_PUBLISH_DELAY_SECONDS
(staff often edit twice in a row), then publishes. A publish that failed is not retried
for the same fingerprint: the publish page shows why, and staff publish by hand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask

from kiosk import periodic
from kiosk.publishing import progress, sites
from kiosk.publishing.address import AddressRefused, site_address
from kiosk.publishing.lock import Busy
from kiosk.publishing.publisher import config_file, publish, schedule_data, sites_dir

JOB = "schedule-publish"
CHECK_EVERY_SECONDS = 30.0


@dataclass
class Pending:
    fingerprint: str | None = None
    since: float = 0.0


def due(app: Flask, pending: Pending, now: float) -> bool:
    """Whether the schedule changed and has held still long enough to publish."""
    folder = sites_dir(app)
    served = sites.current(folder)
    if served is None:
        return False  # nothing published yet: the first publish is staff's decision
    try:
        address = site_address(app, config_file(app))
    except AddressRefused:
        return False  # a manual publish says why
    fingerprint = schedule_data(address.calendar_url).fingerprint
    if fingerprint == served.meta.get("fingerprint"):
        pending.fingerprint = None
        return False
    last = progress.latest(folder) or {}
    if last.get("state") == progress.FAILED and last.get("fingerprint") == fingerprint:
        return False
    if fingerprint != pending.fingerprint:
        pending.fingerprint, pending.since = fingerprint, now
        return False
    return now - pending.since >= app.config["SCHEDULE_PUBLISH_DELAY_SECONDS"]


def make_job(app: Flask) -> periodic.Job:
    pending = Pending()

    def run(app: Flask) -> None:
        if not due(app, pending, time.monotonic()):
            return
        try:
            publish(app, trigger="schedule")
        except Busy:
            return  # someone is publishing now; that publish includes the schedule
        pending.fingerprint = None

    return periodic.Job(JOB, CHECK_EVERY_SECONDS, run, first_after_seconds=CHECK_EVERY_SECONDS)


def init_app(app: Flask) -> None:
    if app.config["SCHEDULE_PUBLISH_DELAY_SECONDS"] > 0:
        periodic.register(app, make_job(app))
