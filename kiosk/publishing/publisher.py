"""One publish: check the content, build it strictly into a new folder, switch /kb/ to it.

The same function runs for the admin's 发布 button (in a background thread, so the page
can show progress), for `flask --app kiosk kb publish`, and for the schedule's automatic
republish. A failure at any step leaves the served site as it was and says why in Chinese.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from mkdocs.exceptions import MkDocsException

from kiosk.admin import schedule
from kiosk.kb.build import build_site
from kiosk.kb.check import check_all
from kiosk.kb.problems import ERROR
from kiosk.kb.site_config import config_file
from kiosk.publishing import sites
from kiosk.publishing.address import AddressRefused, site_address
from kiosk.publishing.lock import PublishLock
from kiosk.publishing.progress import DONE, FAILED, Progress, Tracker

log = logging.getLogger(__name__)


def sites_dir(app: Flask) -> Path:
    return Path(app.config["SITES_DIR"])


@dataclass(frozen=True)
class ScheduleData:
    text: str  # the schedule YAML the build reads
    fingerprint: str  # changes when what the schedule page shows would change


def schedule_data(calendar_url: str | None, now: datetime | None = None) -> ScheduleData:
    """The sessions from the database, and a fingerprint that also moves when one starts."""
    now = now or datetime.now(UTC)
    sessions = schedule.upcoming(now)
    text = schedule.render(sessions, calendar_url)
    under_way = ",".join(str(s.id) for s in sessions if s.starts_at <= now)
    digest = hashlib.sha256(f"{text}\n{under_way}".encode()).hexdigest()[:16]
    return ScheduleData(text, digest)


class _Collect(logging.Handler):
    """The generator's warnings and errors, to show on the publish page."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def publish(
    app: Flask, *, trigger: str, by: str | None = None, lock: PublishLock | None = None
) -> Progress:
    """Run a whole publish; return its record. Raises lock.Busy if one is running.

    A caller that already holds the lock (the admin view, which must answer "busy" before
    starting a thread) passes it in; it is released here.
    """
    folder = sites_dir(app)
    held = lock or PublishLock(folder).acquire()
    try:
        tracker = Tracker(folder, Progress(trigger=trigger, by=by))
        try:
            with app.app_context():
                return _publish(app, folder, tracker)
        except Exception:
            # Whatever broke, the page must not say "running" for ever; the site is unchanged
            # unless the switch itself had happened.
            _fail(tracker, ["发布时出现意外错误，详细原因记在服务器日志里"])
            raise
    finally:
        held.release()


def _publish(app: Flask, folder: Path, tracker: Tracker) -> Progress:
    progress = tracker.progress
    trigger, by = progress.trigger, progress.by
    docs_dir = Path(app.config["DOCS_DIR"])
    config = config_file(app)

    tracker.begin("checking")
    try:
        address = site_address(app, config)
    except AddressRefused as error:
        return _fail(tracker, [str(error)])
    if address.warning:
        progress.warnings.append(address.warning)
    problems = check_all(docs_dir, date.today())
    errors = [
        f"{rel}:{line}: {message}" for rel, line, level, message in problems if level == ERROR
    ]
    progress.warnings += [f"{r}:{n}: {m}" for r, n, lvl, m in problems if lvl != ERROR]
    if errors:
        return _fail(tracker, errors)
    data = schedule_data(address.calendar_url)
    progress.fingerprint = data.fingerprint

    tracker.begin("building")
    build_dir = sites.new_build_dir(folder)
    collect = _Collect()
    logging.getLogger("mkdocs").addHandler(collect)
    try:
        build_site(
            config,
            build_dir,
            address.url,
            app.config["ENV"],
            docs_dir=docs_dir,
            schedule_yaml=data.text,
            generator=app.config["KB_GENERATOR"],
        )
    # Whatever stops a build (a warning, a broken theme template, a full disk), the half-built
    # folder goes and the served site stays.
    except Exception as error:
        log.exception("build failed")
        sites.discard(build_dir)
        return _fail(tracker, [*collect.lines, f"网站没有生成：{_message(error)}"])
    finally:
        logging.getLogger("mkdocs").removeHandler(collect)

    tracker.begin("switching")
    sites.write_meta(
        build_dir,
        {
            "published_at": datetime.now(UTC).isoformat(),
            "by": by,
            "trigger": trigger,
            "site_url": address.url,
            "generator": app.config["KB_GENERATOR"],
            "fingerprint": data.fingerprint,
        },
    )
    sites.switch(folder, build_dir)
    sites.prune(folder)
    progress.build = build_dir.name
    tracker.finish(DONE)
    log.info("published %s (%s) in %.1f s", build_dir.name, trigger, progress.seconds)
    return progress


def _message(error: Exception) -> str:
    if isinstance(error, MkDocsException):
        return error.format_message()
    return str(error)


def _fail(tracker: Tracker, errors: list[str]) -> Progress:
    tracker.progress.errors = errors
    tracker.finish(FAILED)
    return tracker.progress


def start(app: Flask, *, trigger: str, by: str | None) -> threading.Thread:
    """Take the lock now (lock.Busy if taken), then publish in a background thread."""
    lock = PublishLock(sites_dir(app)).acquire()
    thread = threading.Thread(
        target=_run_logged,
        args=(app, trigger, by, lock),
        name="kiosk-publish",
        daemon=True,
    )
    thread.start()
    return thread


def _run_logged(app: Flask, trigger: str, by: str | None, lock: PublishLock) -> None:
    try:
        publish(app, trigger=trigger, by=by, lock=lock)
    except Exception:
        log.exception("publish failed unexpectedly")


def rollback(app: Flask, build_id: str | None = None) -> sites.Build:
    """Serve an earlier build again: the one before the current, or build_id. Takes the lock."""
    folder = sites_dir(app)
    with PublishLock(folder):
        target = sites.find(folder, build_id) if build_id else sites.previous(folder)
        if target is None:
            raise LookupError("没有可以换回的上一版网站" if not build_id else "找不到这一版网站")
        sites.switch(folder, target.path)
        return target
