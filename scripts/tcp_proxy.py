"""A small TCP proxy in front of PostgreSQL that can break the network path on purpose.

    proxy = TcpProxy("127.0.0.1", 5432); proxy.start()   # then connect to proxy.port
    proxy.freeze()    # connections stay open, nothing passes either way: a frozen path
    proxy.cut()       # every connection reset and new ones refused: the server unreachable
    proxy.restore()   # traffic passes again (after cut, new connections are accepted)
    proxy.stop()

Used by scripts/chaos.py and the tests of database outages. One thread per
direction per connection, which is plenty for a server's pool.
"""

from __future__ import annotations

import socket
import struct
import threading
from contextlib import suppress

_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)  # so stop() is noticed promptly
        self.port = self._listener.getsockname()[1]
        self._passing = threading.Event()
        self._passing.set()
        self._refusing = False
        self._running = False
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()

    def start(self) -> TcpProxy:
        self._running = True
        threading.Thread(target=self._accept, name="tcp-proxy", daemon=True).start()
        return self

    def freeze(self) -> None:
        """Stop moving bytes but keep every connection open, as a dead router would."""
        self._passing.clear()

    def cut(self) -> None:
        """Reset every connection and refuse new ones, as a stopped server would."""
        self._refusing = True
        self._close_all()

    def restore(self) -> None:
        self._refusing = False
        self._passing.set()

    def stop(self) -> None:
        self._running = False
        self._passing.set()
        self._close_all()
        with suppress(OSError):
            self._listener.close()

    def _close_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with suppress(OSError):
                # RST rather than FIN: the client learns at once that the path is gone.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
                sock.shutdown(socket.SHUT_RDWR)

    def _accept(self) -> None:
        while self._running:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._refusing:
                with suppress(OSError):
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
                    client.close()
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._passing.wait()  # frozen: the bytes wait here, the connection stays up
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with self._lock:
                    self._sockets.discard(sock)
            source.close()  # each socket is the source of exactly one of the two threads
