"""What the latest publish is doing or did: steps with their durations, and its errors.

Written to SITES_DIR/status.json at every step (replaced whole, so a reader never sees
half of it); the admin page reads it to show progress, whichever process publishes.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATUS_FILE = "status.json"

# The steps in order, with what the page calls them.
STEPS: dict[str, str] = {"checking": "检查内容", "building": "生成网站", "switching": "切换网站"}
RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class Progress:
    trigger: str  # admin, cli or schedule
    by: str | None = None
    state: str = RUNNING
    step: str | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    seconds: float | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    build: str | None = None
    fingerprint: str | None = None
    _clock: float = field(default_factory=time.monotonic, repr=False)
    _step_clock: float = field(default_factory=time.monotonic, repr=False)


class Tracker:
    """Records a run's steps into the status file as they happen."""

    def __init__(self, sites_dir: Path, progress: Progress) -> None:
        self.path = sites_dir / STATUS_FILE
        self.progress = progress
        self.save()

    def begin(self, step: str) -> None:
        self._close_step()
        self.progress.step = step
        self.progress._step_clock = time.monotonic()
        self.save()

    def _close_step(self) -> None:
        if self.progress.step is not None:
            seconds = round(time.monotonic() - self.progress._step_clock, 1)
            self.progress.steps.append({"name": self.progress.step, "seconds": seconds})

    def finish(self, state: str) -> None:
        self._close_step()
        self.progress.step = None
        self.progress.state = state
        self.progress.seconds = round(time.monotonic() - self.progress._clock, 1)
        self.save()

    def save(self) -> None:
        data = {k: v for k, v in asdict(self.progress).items() if not k.startswith("_")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self.path)


def latest(sites_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((sites_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
