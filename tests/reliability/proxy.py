"""A loopback TCP proxy that either forwards to a server or swallows connections.

In `blackhole` mode it accepts new connections and never sends a byte, and it
drops the bytes of connections it already relays, like a database host behind a
firewall that starts dropping packets. In `forward` mode it relays connections
to the upstream port. A connection accepted in blackhole mode stays silent
after a switch back to forward mode.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Literal

Mode = Literal["blackhole", "forward"]
BUFFER_BYTES = 65536


class SwitchableProxy:
    """Listen on a loopback port and handle each connection by the current mode."""

    def __init__(self, upstream_port: int, mode: Mode = "blackhole") -> None:
        self.upstream_port = upstream_port
        self.mode: Mode = mode
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port: int = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> SwitchableProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self.thread.join()
        self.server.close()
        with self.lock:
            for sock in self.sockets:
                sock.close()

    def _keep(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._keep(client)
            if self.mode == "forward":
                self._forward(client)

    def _forward(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), 2)
        except OSError:
            client.close()
            return
        self._keep(upstream)
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(
                target=self._pump, args=(source, target), daemon=True
            ).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(BUFFER_BYTES):
                if self.mode == "forward":
                    target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
