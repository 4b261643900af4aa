"""The fault harness, short: kill -9, a database unreachable, frozen, read-only; nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKENDS

CHAOS = Path(__file__).resolve().parent.parent / "scripts" / "chaos.py"


@pytest.mark.parametrize("backend", BACKENDS)
def test_nothing_acknowledged_is_lost_or_stored_twice_under_faults(backend: str) -> None:
    args = ["--backends", backend, "--tablets", "3", "--fault-seconds", "1"]
    args += ["--drain-seconds", "60"]
    if backend == "postgres":
        args += ["--pg-url", os.environ["KIOSK_TEST_POSTGRES_URL"]]
    result = subprocess.run(
        [sys.executable, str(CHAOS), *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    header, _rule, row = result.stdout.strip().splitlines()[-3:]
    assert header.startswith("| Database | Sent | Acknowledged | Stored | Lost | Duplicated |")
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[0] == backend
    sent, acknowledged, stored, lost, duplicated, other_5xx = cells[1:7]
    assert int(sent) > 0 and acknowledged == stored == sent
    assert (lost, duplicated, other_5xx) == ("0", "0", "0")
