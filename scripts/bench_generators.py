"""The same staged content built by MkDocs + Material and by Zensical, measured side by side.

Usage: python scripts/bench_generators.py [--page benefits/health-check/] [--query 体检]

Builds the knowledge base with each generator (kiosk.kb.build: the same staging step for
both), serves each with gzip on 127.0.0.1, and reports for each build: build time, the
page's first load on a throttled phone (bytes before the load event, bytes fetched in the
background after it), whether the page carries its QR code and the print stylesheet, and
for MkDocs whether searching in Chinese finds a result (the query, and 车祸 which only
our synonym list links to 交通事故; Zensical's search has a different interface, which
this script does not drive). It prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.kb.build import build_site  # noqa: E402 - after the path tweak, on purpose
from kiosk.kb.serve import serve  # noqa: E402
from kiosk.settings import GENERATORS  # noqa: E402
from scripts.bench_site import CHROMIUM  # noqa: E402
from scripts.site_phone import measure, measure_search  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/kb/"


def search_finds(browser: Any, url: str, query: str) -> str:
    try:
        result = measure_search(browser, url, query)
    except PlaywrightError:
        return "no result"
    return f"yes ({result.tap_to_result_ms:.0f} ms)"


def searches(browser: Any, generator: str, url: str, query: str) -> list[str]:
    """Material's search as a reader taps it; Zensical's own search box is another UI."""
    if generator != "mkdocs":
        return ["not measured", "not measured"]
    return [search_finds(browser, url, query), search_finds(browser, url, "车祸")]


def measure_generator(browser: Any, generator: str, page: str, query: str) -> list[str]:
    with tempfile.TemporaryDirectory() as holder:
        site = Path(holder) / "site"
        server = serve(site, PREFIX)
        base = f"http://127.0.0.1:{server.server_port}{PREFIX}"
        started = time.monotonic()
        build_site(ROOT / "mkdocs.yml", site, base, generator=generator)
        seconds = time.monotonic() - started
        html = (site / page / "index.html").read_text(encoding="utf-8")
        load = measure(browser, base + page, f"http://127.0.0.1:{server.server_port}")
        row = [
            generator,
            f"{seconds:.1f} s",
            f"{load.transferred / 1024:.1f} KB",
            f"{load.background / 1024:.1f} KB",
            "yes" if 'class="kb-qr"' in html and f"{base}{page}" in html else "no",
            "yes" if "print.css" in html else "no",
            *searches(browser, generator, base + page, query),
        ]
        server.shutdown()
        return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="benefits/health-check/")
    parser.add_argument("--query", default="体检")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        rows = [measure_generator(browser, g, args.page, args.query) for g in GENERATORS]
        browser.close()
    heads = [
        "generator",
        "build",
        "page load",
        "after load",
        "QR code",
        "print CSS",
        f"search {args.query}",
        "search 车祸",
    ]
    print("| " + " | ".join(heads) + " |")
    print("|" + " --- |" * len(heads))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
