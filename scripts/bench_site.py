"""Page weight of a benefit page on a throttled phone: this project's build against stock Material.

Usage: python scripts/bench_site.py [--page benefits/health-check/] [--runs 3]

Builds the same docs twice (our mkdocs.yml, and a stock variant with Material's default
fonts, stock search and no hooks or overrides), serves each with gzip on 127.0.0.1, loads
the page in headless Chromium at 390x844 under Lighthouse's mobile network throttling
(150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.kb.serve import serve

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium")
PREFIX = "/kb/"
THROTTLE = {  # Lighthouse "mobile slow 4G": 150 ms RTT, 1.6 Mbit/s (1638.4 kbit/s), 750 kbit/s
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1638.4 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
TARGETS = {"kb": 70 * 1024, "fcp": 1000, "index_ratio": 0.6}


@dataclass
class Load:
    transferred: int = 0
    requests: int = 0
    third_party: list[str] = field(default_factory=list)
    fcp_ms: float = 0.0


def stock_config(config_text: str) -> str:
    """Our mkdocs.yml minus everything this project adds on top of Material's defaults."""
    config = yaml.load(config_text, Loader=_EnvTolerantLoader)  # noqa: S506 - tags kept inert
    config["site_url"] = "http://127.0.0.1/kb/"
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"] = {"name": "material", "language": "zh"}
    config["plugins"] = ["search"]
    for key in ("hooks", "extra_css", "extra"):
        config.pop(key, None)
    config["markdown_extensions"] = [
        ext for ext in config["markdown_extensions"] if not isinstance(ext, dict)
    ] + ["toc"]
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


class _EnvTolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's !ENV and !!python tags as plain values; the stock build drops them."""


_EnvTolerantLoader.add_constructor("!ENV", lambda loader, node: None)
_EnvTolerantLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: None
)


def build(config: Path, site_dir: Path, site_url: str) -> None:
    env = {**os.environ, "KB_SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def measure(browser: Any, url: str, origin: str) -> Load:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    load = Load()

    def on_request(event: dict[str, Any]) -> None:
        target = event["request"]["url"]
        if target.startswith("data:"):
            return
        load.requests += 1
        if not target.startswith(origin):
            load.third_party.append(target)

    def on_finished(event: dict[str, Any]) -> None:
        load.transferred += int(event["encodedDataLength"])

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="networkidle")
    load.fcp_ms = page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
    )
    context.close()
    return load


def run(browser: Any, site_dir: Path, page_path: str, runs: int) -> tuple[Load, int]:
    server = serve(site_dir, PREFIX)
    origin = f"http://127.0.0.1:{server.server_port}"
    try:
        loads = [measure(browser, f"{origin}{PREFIX}{page_path}", origin) for _ in range(runs)]
    finally:
        server.shutdown()
    result = loads[-1]
    result.fcp_ms = statistics.median(load.fcp_ms for load in loads)
    index_size = (site_dir / "search" / "search_index.json").stat().st_size
    return result, index_size


def stock_encoding_size(index: Path) -> int:
    """Bytes stock Material writes for this same index: json.dumps' default \\uXXXX escapes."""
    data = json.loads(index.read_text(encoding="utf-8"))
    return len(json.dumps(data, separators=(",", ":"), default=str).encode("utf-8"))


def table(ours: tuple[Load, int], stock: tuple[Load, int], same: int, page_path: str) -> str:
    (a, a_index), (b, b_index) = ours, stock
    ratio = a_index / same

    def ok(passed: bool) -> str:
        return "✅" if passed else "❌"

    rows = [
        (
            "Transferred (first load)",
            f"{a.transferred / 1024:.1f} KB",
            f"{b.transferred / 1024:.1f} KB",
            f"≤ 70 KB {ok(a.transferred <= TARGETS['kb'])}",
        ),
        ("Requests", str(a.requests), str(b.requests), ""),
        (
            "Third-party requests",
            str(len(a.third_party)),
            str(len(b.third_party)),
            f"0 {ok(not a.third_party)}",
        ),
        (
            "search_index.json, same content",
            f"{a_index / 1024:.1f} KB",
            f"{same / 1024:.1f} KB",
            f"≤ 60% of stock: {ratio:.0%} {ok(ratio <= TARGETS['index_ratio'])}",
        ),
        (
            "search_index.json, as built",
            f"{a_index / 1024:.1f} KB",
            f"{b_index / 1024:.1f} KB¹",
            "",
        ),
        ("Search index fetched on first load", "no (on first search)", "yes", ""),
        (
            "First contentful paint",
            f"{a.fcp_ms:.0f} ms",
            f"{b.fcp_ms:.0f} ms",
            f"≤ 1.0 s {ok(0 <= a.fcp_ms <= TARGETS['fcp'])}",
        ),
    ]
    lines = [
        f"Benefit page `{page_path}`, 390×844, 150 ms RTT, 1.6 Mbit/s, gzip, cold cache.",
        "",
        "| Metric | This project | Stock Material | Target |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [f"| {m} | {x} | {y} | {t} |" for m, x, y, t in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="benefits/health-check/")
    parser.add_argument("--runs", type=int, default=3, help="loads per build; FCP is the median")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        work = Path(tmp)
        stock_yml = work / "mkdocs-stock.yml"
        stock_yml.write_text(stock_config((ROOT / "mkdocs.yml").read_text("utf-8")), "utf-8")
        build(ROOT / "mkdocs.yml", work / "ours", "http://127.0.0.1/kb/")
        build(stock_yml, work / "stock", "http://127.0.0.1/kb/")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
            )
            ours = run(browser, work / "ours", args.page, args.runs)
            stock = run(browser, work / "stock", args.page, args.runs)
            browser.close()
        same = stock_encoding_size(work / "ours" / "search" / "search_index.json")
    print(table(ours, stock, same, args.page))
    print(
        "\n¹ The stock build runs without this project's hooks, so its pages lack the generated"
        " contact, source and list blocks; the same-content row re-encodes our index the way"
        " stock Material's search plugin writes it."
    )
    if stock[0].third_party:
        print(f"\nStock third-party requests: {', '.join(sorted(set(stock[0].third_party)))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
