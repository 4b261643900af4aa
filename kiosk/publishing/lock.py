"""One publish at a time, across threads and processes: an exclusive lock on a file.

flock() locks belong to an open file, so a second open of the lock file, in another
thread or another process (the server and `kb publish` at a terminal), is refused at
once. The kernel drops the lock when its holder dies, so a crash never leaves it stuck.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_FILE = "publish.lock"


class Busy(Exception):
    """Another publish is running."""


class PublishLock:
    def __init__(self, sites_dir: Path) -> None:
        self.path = sites_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> PublishLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            os.close(fd)
            raise Busy("正在发布，请等这一次完成后再试") from error
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> PublishLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_held(sites_dir: Path) -> bool:
    """Whether a publish is running now (somewhere on this machine)."""
    try:
        PublishLock(sites_dir).acquire().release()
    except Busy:
        return True
    return False
