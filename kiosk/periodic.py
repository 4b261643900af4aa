"""Jobs that `serve` runs on a timer: one background thread, started and stopped with the server.

A booth laptop has no cron and no volunteer who remembers to run commands, so the
housekeeping that must happen (retention purges, backups, forwarding upstream) runs inside
the server process. A domain registers its job in its `init_app` with `register()`; only
`serve` starts the timer, so tests and CLI commands never run jobs behind anyone's back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask

log = logging.getLogger(__name__)

EXTENSION_KEY = "kiosk.periodic"


@dataclass
class Job:
    """`run(app)` every `every_seconds`; the first run is `first_after_seconds` after start."""

    name: str
    every_seconds: float
    run: Callable[[Flask], None]
    first_after_seconds: float = 0.0
    # Also run once when the server stops (a backup at shutdown, say).
    at_shutdown: bool = False
    next_due: float = field(default=0.0, init=False)


def register(app: Flask, job: Job) -> None:
    """Add a job to this app's timer; a job with the same name replaces the old one."""
    jobs: dict[str, Job] = app.extensions.setdefault(EXTENSION_KEY, {})
    jobs[job.name] = job


def jobs_of(app: Flask) -> list[Job]:
    return list(app.extensions.get(EXTENSION_KEY, {}).values())


def run_job(app: Flask, job: Job) -> bool:
    """Run one job in an app context; a failing job is logged and never stops the others."""
    started = time.monotonic()
    try:
        with app.app_context():
            job.run(app)
    except Exception:
        log.exception("periodic job %s failed", job.name)
        return False
    log.info("periodic job %s done in %.1f s", job.name, time.monotonic() - started)
    return True


class Timer:
    """The one thread that runs every registered job when it falls due."""

    def __init__(self, app: Flask, *, tick_seconds: float = 1.0) -> None:
        self.app = app
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        now = time.monotonic()
        for job in jobs_of(self.app):
            job.next_due = now + job.first_after_seconds
        self._thread = threading.Thread(target=self._loop, name="kiosk-periodic", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            for job in jobs_of(self.app):
                if self._stop.is_set():
                    return
                if time.monotonic() >= job.next_due:
                    run_job(self.app, job)
                    job.next_due = time.monotonic() + job.every_seconds
            self._stop.wait(self.tick_seconds)

    def stop(self) -> None:
        """Stop the thread, then run the jobs that also belong to shutdown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
        for job in jobs_of(self.app):
            if job.at_shutdown:
                run_job(self.app, job)
