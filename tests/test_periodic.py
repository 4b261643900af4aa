"""The timer that serve runs: jobs fall due, failures are contained, shutdown jobs run."""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app

from kiosk import periodic


def test_a_job_runs_at_start_and_again_when_due(app: Flask) -> None:
    runs: list[float] = []
    ran_twice = threading.Event()

    def job(app_: Flask) -> None:
        assert current_app._get_current_object() is app_  # runs inside an app context
        runs.append(time.monotonic())
        if len(runs) >= 2:
            ran_twice.set()

    periodic.register(app, periodic.Job("count", every_seconds=0.05, run=job))
    timer = periodic.Timer(app, tick_seconds=0.01)
    timer.start()
    try:
        assert ran_twice.wait(5)
    finally:
        timer.stop()
    assert runs[1] - runs[0] >= 0.05


def test_a_failing_job_does_not_stop_the_others(app: Flask, caplog) -> None:
    ok = threading.Event()

    def broken(_: Flask) -> None:
        raise RuntimeError("disk full")

    periodic.register(app, periodic.Job("broken", every_seconds=0.01, run=broken))
    periodic.register(app, periodic.Job("fine", every_seconds=0.01, run=lambda _: ok.set()))
    timer = periodic.Timer(app, tick_seconds=0.01)
    timer.start()
    try:
        assert ok.wait(5)
    finally:
        timer.stop()
    assert "periodic job broken failed" in caplog.text


def test_shutdown_jobs_run_once_when_the_timer_stops(app: Flask) -> None:
    at_stop: list[str] = []
    periodic.register(
        app,
        periodic.Job(
            "backup",
            every_seconds=3600,
            first_after_seconds=3600,
            run=lambda _: at_stop.append("ran"),
            at_shutdown=True,
        ),
    )
    timer = periodic.Timer(app, tick_seconds=0.01)
    timer.start()
    time.sleep(0.05)
    assert at_stop == []  # not due yet
    timer.stop()
    assert at_stop == ["ran"]


def test_registering_a_name_again_replaces_the_job(app: Flask) -> None:
    periodic.register(app, periodic.Job("purge", every_seconds=1, run=lambda _: None))
    periodic.register(app, periodic.Job("purge", every_seconds=2, run=lambda _: None))
    assert [job.every_seconds for job in periodic.jobs_of(app) if job.name == "purge"] == [2]
