"""The benchmark scripts still run: tiny parameters, SQLite only, as subprocesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def run_script(name: str, *args: str, timeout: float = 60) -> str:
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / name), "--backends", "sqlite", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("name", "args", "header"),
    [
        (
            "bench_signups.py",
            ["--clients", "2", "--seconds", "0.5", "--warmup", "0.2", "--rounds", "2"],
            "| Database | Clients | Sign-ups req/s |",
        ),
        (
            "bench_reconnect.py",
            ["--tablets", "3", "--per-tablet", "5", "--base-ms", "20", "--hang-up", "0.2"],
            "| Database | Tablets × queue | Stored | Lost | Duplicated |",
        ),
    ],
)
def test_benchmark_runs_and_prints_its_table(name: str, args: list[str], header: str) -> None:
    out = run_script(name, *args)
    assert header in out
    assert "| sqlite" in out


def test_bench_relay_runs_and_prints_its_table() -> None:
    # Four server processes start one after another: slower than the others to set up.
    args = ["--laptops", "1", "--tablets", "2", "--per-tablet", "3", "--offline-after", "0.5"]
    out = run_script("bench_relay.py", *args, timeout=240)
    assert "| Laptops × tablets × sign-ups | City database | Made | Stored upstream |" in out
    assert "| 1 × 2 × 3 | sqlite | 6 | 6 | 0 | 0 |" in out


def test_admin_benchmark_runs_quick_and_prints_its_table() -> None:
    """bench_admin.py --quick: a tiny demo city, the real server, every row of the table."""
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench_admin.py"), "--backends", "sqlite", "--quick"],
        capture_output=True,
        text=True,
        timeout=600,  # it seeds a database and starts the server: slow on a busy machine
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| Measure | SQLite |" in result.stdout
    for row in (
        "月度达标, whole city",
        "月度报告, a district",
        "登记 list",
        "Export: rows (CSV)",
        "server RSS growth",
    ):
        assert row in result.stdout
