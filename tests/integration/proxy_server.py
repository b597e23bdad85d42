"""A small forward proxy on 127.0.0.1 that records every request it gets.

Absolute-form requests (``GET http://host:port/path HTTP/1.1``) are sent on in origin form, one per
client connection (``Connection: close``), and CONNECT opens a tunnel. It only ever connects to
127.0.0.1 (a request for any other host gets 403 and is logged), so a test can use any host name
it likes and still never send traffic off the machine. Threads, so a synchronous ``run_audit`` can
use it as well as an async test.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
from urllib.parse import urlsplit

LOCAL = frozenset({"127.0.0.1", "localhost"})


class _Handler(socketserver.BaseRequestHandler):
    server: ProxyServer

    def handle(self) -> None:
        client: socket.socket = self.request
        client.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head:
            data = client.recv(65536)
            if not data:
                return
            head += data
        head, _, rest = head.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = (lines[0].split(" ") + ["", ""])[:3]
        self.server.log_request(method, target)
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            path = b""
        else:
            parts = urlsplit(target)
            host, port = parts.hostname or "", str(parts.port or 80)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if host.strip("[]") not in LOCAL:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        with upstream:
            if method == "CONNECT":
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
            else:
                kept = [h for h in lines[1:] if not h.lower().startswith(("proxy-", "connection:"))]
                request = "\r\n".join([f"{method} {path} {version}", *kept, "Connection: close"])
                upstream.sendall(request.encode("latin-1") + b"\r\n\r\n" + rest)
            _pipe(client, upstream, close_after=method != "CONNECT")


def _pipe(client: socket.socket, upstream: socket.socket, close_after: bool = False) -> None:
    """Copy bytes both ways until either side closes. ``close_after``: add ``Connection: close``
    after the response's status line (this proxy serves one request per connection and says so,
    so the client never reuses a connection the proxy is about to close)."""
    sockets = [client, upstream]
    pending = b"" if close_after else None
    while True:
        readable, _, _ = select.select(sockets, [], [], 10)
        if not readable:
            return
        for sock in readable:
            try:
                data = sock.recv(65536)
            except OSError:
                return
            if not data:
                if pending:
                    client.sendall(pending)
                return
            if sock is client:
                upstream.sendall(data)
            elif pending is None:
                client.sendall(data)
            else:
                pending += data
                if b"\r\n" in pending:
                    status, _, rest = pending.partition(b"\r\n")
                    client.sendall(status + b"\r\nConnection: close\r\n" + rest)
                    pending = None


class ProxyServer(socketserver.ThreadingTCPServer):
    """The proxy, serving in a daemon thread; ``requests`` is every (method, target) it got."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="oit-test-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def log_request(self, method: str, target: str) -> None:
        with self._lock:
            self.requests.append((method, target))

    def targets(self) -> list[str]:
        with self._lock:
            return [target for _, target in self.requests]

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
