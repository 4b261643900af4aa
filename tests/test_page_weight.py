"""The kiosk page, everything it loads included, stays small: booth networks are slow.

Each resource is fetched through the app and gzipped on its own (level 6, what a
typical reverse proxy uses). Budget: 60 KB for HTML, CSS, JavaScript and QR images.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from flask.testing import FlaskClient

BUDGET = 60 * 1024
IMPORT_RE = re.compile(r"""(?:^|;|\s)import\s*(?:[^'"]*?from\s*)?['"]([^'"]+)['"]""", re.M)


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.service_worker: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.urls.append(a["href"])
        elif tag in {"script", "img"} and a.get("src"):
            self.urls.append(a["src"])
        elif a.get("data-sw-url"):
            self.service_worker = a["data-sw-url"]


def _gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def kiosk_page_weight(client: FlaskClient) -> dict[str, int]:
    """Gzipped size of the kiosk page and of every file it loads, by URL."""
    page = client.get("/kiosk/")
    assert page.status_code == 200
    parser = _Assets()
    parser.feed(page.get_data(as_text=True))
    sizes = {"/kiosk/": _gzipped(page.data)}
    todo = list(dict.fromkeys(parser.urls + [parser.service_worker or "/kiosk/sw.js"]))
    while todo:
        url = todo.pop()
        if url in sizes:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = _gzipped(response.data)
        if url.endswith(".js"):
            # ES modules load their imports: follow them like the browser does.
            for target in IMPORT_RE.findall(response.get_data(as_text=True)):
                todo.append(urljoin(url, target))
    return sizes


def test_kiosk_page_weighs_at_most_60_kb_gzipped(tablet: FlaskClient) -> None:
    sizes = kiosk_page_weight(tablet)
    total = sum(sizes.values())
    for url, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"{size:>7,} B  {url}")
    print(f"{total:>7,} B  total gzipped ({total / 1024:.1f} KB of {BUDGET // 1024} KB)")
    assert any(url.endswith("/queue.js") for url in sizes)  # the import graph was followed
    assert any("/qr/" in url for url in sizes)
    assert total <= BUDGET
