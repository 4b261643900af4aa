"""A real waitress server in a background thread, for browser tests and benchmarks."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask
from waitress.server import create_server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    app: Flask
    url: str  # no trailing slash, e.g. http://127.0.0.1:54321


@contextmanager
def serve_in_thread(app: Flask, threads: int = 8) -> Iterator[LiveServer]:
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=threads, ident="kiosk-test")
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:
            # Closing the listening socket under the running select() loop is how a
            # waitress server in a thread stops; only an error before that is real.
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{port}")
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=5)
