"""`serve`'s timer forwards in relay mode only, and waits out its backoff."""

from __future__ import annotations

import time
from pathlib import Path

from kiosk import create_app, periodic
from kiosk.relay.state import link
from tests.conftest import base_config
from tests.live_server import free_port


def test_the_relay_job_exists_only_in_relay_mode(tmp_path: Path) -> None:
    alone = create_app(base_config(f"sqlite:///{tmp_path / 'a.sqlite3'}"))
    assert "relay" not in [job.name for job in periodic.jobs_of(alone)]
    relaying = create_app(
        base_config(
            f"sqlite:///{tmp_path / 'b.sqlite3'}",
            UPSTREAM_URL="http://127.0.0.1:1",
            UPSTREAM_TOKEN="relay_x",
        )
    )
    (job,) = [job for job in periodic.jobs_of(relaying) if job.name == "relay"]
    assert job.at_shutdown is False


def test_the_timer_backs_off_while_the_city_is_unreachable(tmp_path: Path, sqlite_template):
    import shutil

    shutil.copy(sqlite_template, tmp_path / "k.sqlite3")
    app = create_app(
        base_config(
            f"sqlite:///{tmp_path / 'k.sqlite3'}",
            UPSTREAM_URL=f"http://127.0.0.1:{free_port()}",
            UPSTREAM_TOKEN="relay_x",
        )
    )
    state = link(app)
    (job,) = [job for job in periodic.jobs_of(app) if job.name == "relay"]
    periodic.run_job(app, job)
    assert (state.connected, state.failures) == (False, 1)
    waiting_until = state.next_attempt
    assert waiting_until > time.monotonic()
    periodic.run_job(app, job)  # still backing off: no attempt
    assert state.failures == 1
    state.next_attempt = 0
    periodic.run_job(app, job)
    assert state.failures == 2
    assert state.next_attempt - time.monotonic() <= 4  # 2 s, then 4 s, with jitter
