"""One round of relay work: pull the session list, push local sessions, push sign-ups."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app

from kiosk.extensions import db
from kiosk.models import utcnow
from kiosk.relay import client, pull, push
from kiosk.relay.state import LinkState, link

log = logging.getLogger(__name__)


def run(state: LinkState, *, max_batches: int | None = None) -> push.Pushed:
    """Do one round now, holding `state.lock`; the link state says how it went."""
    config = current_app.config
    pushed = push.Pushed()
    try:
        pull.pull()
        push.push_sessions(pushed)
        push.push_signups(pushed, max_batches=max_batches)
    except (client.UpstreamError, KeyError, TypeError, ValueError) as error:
        # An answer of the wrong shape (another program at that address, a proxy's
        # error page) is treated like no answer: nothing recorded, sent again later.
        message = getattr(error, "message", "上级服务器的回答无法识别")
        db.session.rollback()
        state.failed(message, config["RELAY_MAX_BACKOFF_SECONDS"])
        pushed.errors.append(message)
        log.warning("relay: %s", message)
        return pushed
    if pushed.retry:
        state.failed(
            "上级服务器暂时无法保存部分登记，稍后自动重试", config["RELAY_MAX_BACKOFF_SECONDS"]
        )
        state.connected = True
    else:
        state.succeeded(utcnow(), config["RELAY_INTERVAL_SECONDS"])
    return pushed


def timer_job(app: Flask) -> None:
    """The periodic job: a round when one is due, never two at once, never while backing off."""
    state = link(app)
    if not client.configured() or time.monotonic() < state.next_attempt:
        return
    if not state.lock.acquire(blocking=False):
        return  # the button or the CLI is pushing right now
    try:
        run(state)
    finally:
        state.lock.release()


def run_now(*, wait_seconds: float = 30, max_batches: int | None = None) -> push.Pushed | None:
    """A round at once (立即上传, the CLI), ignoring any backoff; None if one is already running."""
    state = link()
    if not state.lock.acquire(timeout=wait_seconds):
        return None
    try:
        return run(state, max_batches=max_batches)
    finally:
        state.lock.release()
