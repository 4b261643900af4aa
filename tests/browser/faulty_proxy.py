"""A tiny HTTP proxy in front of the live server that can fail on purpose.

One request per connection (it asks upstream for `Connection: close`), which is all
a browser test needs. Faults:

* `offline = True`: every connection is closed at once, as if the server were gone
  (this also reaches the service worker, which Playwright's set_offline may not);
* `drop_signup_responses = N`: the next N ``POST /api/signups`` are forwarded, the
  server commits, and the client connection is closed without the response.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _close_upstream(request: bytes) -> bytes:
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [
        line
        for line in head.split(b"\r\n")
        if not line.lower().startswith((b"connection:", b"keep-alive:"))
    ]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


class FaultyProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.offline = False
        self.drop_signup_responses = 0
        self.signup_posts = 0
        self.dropped = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)  # so close() is noticed promptly
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._running = True

    def serve(self) -> None:
        while self._running:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(10)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _should_drop(self, request: bytes) -> bool:
        if not request.startswith(b"POST /api/signups "):
            return False
        with self._lock:
            self.signup_posts += 1
            if self.drop_signup_responses > 0:
                self.drop_signup_responses -= 1
                self.dropped += 1
                return True
        return False

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            if self.offline:
                return
            request = _read_request(conn)
            if request is None:
                return
            drop = self._should_drop(request)
            with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
                upstream.sendall(_close_upstream(request))
                response = b""
                while chunk := upstream.recv(65536):
                    response += chunk
            if drop or self.offline:
                return  # the server has answered (and committed); the client never hears
            with suppress(OSError):
                conn.sendall(response)

    def close(self) -> None:
        self._running = False
        with suppress(OSError):
            self._listener.close()


@contextmanager
def faulty_proxy(upstream_url: str) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(int(upstream_url.rsplit(":", 1)[1]))
    thread = threading.Thread(target=proxy.serve, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.close()
        thread.join(timeout=2)
