"""One publish at a time: in one process and across processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.publishing.lock import Busy, PublishLock, is_held

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_second_publish_in_the_same_process_is_refused(tmp_path: Path) -> None:
    with PublishLock(tmp_path):
        assert is_held(tmp_path)
        with pytest.raises(Busy, match="正在发布，请等这一次完成后再试"):
            PublishLock(tmp_path).acquire()
    assert not is_held(tmp_path)
    PublishLock(tmp_path).acquire().release()


def test_a_publish_in_another_process_is_seen_and_its_death_frees_the_lock(
    tmp_path: Path,
) -> None:
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", HOLD, str(tmp_path / "publish.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert is_held(tmp_path)
        with pytest.raises(Busy):
            PublishLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
    assert not is_held(tmp_path)
