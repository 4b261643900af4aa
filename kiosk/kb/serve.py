"""A tiny threaded static server for the built site, gzipping text like a real web server.

Used by the page-weight benchmark and the browser tests:

    .venv/bin/python -m kiosk.kb.serve site --prefix /kb/ --port 8001

root may be a published-sites folder's `current` link: it is resolved for each request,
so after a publish or a rollback the next request reads the build the link points at.
"""

from __future__ import annotations

import argparse
import gzip
import mimetypes
import threading
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")


class SiteHandler(BaseHTTPRequestHandler):
    """Serve files under root at URLs under prefix; directories serve their index.html."""

    def __init__(self, *args: object, root: Path, prefix: str, **kwargs: object) -> None:
        self.root = root
        self.prefix = prefix
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: tests and the benchmark print their own output."""

    def resolve(self, root: Path) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            return None
        target = (root / path[len(self.prefix) :]).resolve()
        if not target.is_relative_to(root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def do_GET(self) -> None:  # noqa: N802
        root = self.root.resolve()
        target = self.resolve(root)
        if target is None:
            target, status = root / "404.html", HTTPStatus.NOT_FOUND
        else:
            status = HTTPStatus.OK
        if urlsplit(self.path).path + "/" == self.prefix:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return
        body = target.read_bytes() if target.exists() else b""
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("javascript", "json", "xml")):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if accepts_gzip and target.suffix in COMPRESSIBLE:
            body = gzip.compress(body, compresslevel=9)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        # The same caching as the kiosk's /kb/ blueprint (send_from_directory, max_age=300).
        self.send_header("Cache-Control", "public, max-age=300")
        self.end_headers()
        self.wfile.write(body)


def serve(root: Path, prefix: str = "/", port: int = 0) -> ThreadingHTTPServer:
    """Start serving root in a daemon thread; the caller reads server.server_port."""
    handler = partial(SiteHandler, root=root.absolute(), prefix=prefix)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a built MkDocs site with gzip.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--prefix", default="/kb/")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    server = serve(args.root, args.prefix, args.port)
    print(f"http://127.0.0.1:{server.server_port}{args.prefix}")
    threading.Event().wait()


if __name__ == "__main__":
    main()
