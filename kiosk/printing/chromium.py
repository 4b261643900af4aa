"""A print-CSS page to PDF with the server's own Chromium, when one is installed."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60

# --no-sandbox: servers often run this as root, where Chromium's sandbox will not start.
# The page is our own rendering, read from a file, with every image embedded: Chromium
# fetches nothing. The rest keeps it from phoning home, which on a closed network only
# slows it down.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
)


class ChromiumFailed(RuntimeError):
    """Chromium ran but gave no PDF (it crashed, or took too long)."""


def available(executable: str | None) -> bool:
    return bool(executable) and Path(executable).is_file()


def to_pdf(executable: str, page: str) -> bytes:
    """Print `page` (a whole HTML document) to PDF; its CSS @page rules set the paper."""
    with tempfile.TemporaryDirectory(prefix="kiosk-print-") as folder:
        source = Path(folder) / "sheet.html"
        target = Path(folder) / "sheet.pdf"
        source.write_text(page, "utf-8")
        command = [
            executable,
            *FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(  # noqa: S603 - a configured path and our own arguments
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ChromiumFailed(str(error)) from error
        if not target.is_file() or target.stat().st_size == 0:
            raise ChromiumFailed("Chromium wrote no PDF")
        return target.read_bytes()
