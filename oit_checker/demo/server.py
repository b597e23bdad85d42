"""A small local web server for the demo department site (and for tests). Stdlib only, quiet.

``start_site_server(root)`` serves the files under ``root`` on 127.0.0.1 in a daemon thread and
returns a :class:`SiteServer` (``.base_url``, ``.port``, ``.close()``; a context manager).
Beyond ``python -m http.server``: a listen backlog of 512 (http.server's 5 drops SYNs under a
concurrent crawler); ``text/html; charset=utf-8`` for HTML; a Thai 404 page with a real 404;
no escape from ``root``; ``ROUTES`` for the demo's bad cases (a Cloudflare-style bot wall); and
files named ``*tis620*``, kept in UTF-8 on disk so they stay readable, are sent as TIS-620 bytes
with a bare ``Content-Type: text/html`` (no charset), as legacy Thai government sites do; the
page itself declares ``<meta charset="tis-620">``.
"""

from __future__ import annotations

import mimetypes
import sys
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent / "site"
"""The bundled demo department site."""

Reply = tuple[int, dict[str, str], bytes]
"""A dynamic route's answer: status, headers, body."""

NOT_FOUND_HTML = """<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>ไม่พบหน้าที่ต้องการ</title></head>
<body><h1>404 ไม่พบหน้าที่ต้องการ</h1>
<p>ขออภัย ไม่พบหน้าที่ท่านต้องการ หน้านี้อาจถูกย้ายหรือลบออกจากระบบแล้ว</p>
<p><a href="/">กลับสู่หน้าแรก</a></p></body></html>
""".encode()
NOT_FOUND: Reply = (404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND_HTML)

BOT_WALL_HTML = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta name="robots" content="noindex,nofollow"></head><body><div class="main-wrapper" role="main">
<h1 class="zone-name-title h1">Just a moment...</h1>
<noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>
</div><div class="footer">Performance &amp; security by Cloudflare</div></body></html>
"""


def bot_wall(path: str) -> Reply:
    """A Cloudflare managed challenge: 403 + ``cf-mitigated: challenge`` (a WAF, not a login)."""
    headers = {"Content-Type": "text/html; charset=UTF-8", "cf-mitigated": "challenge"}
    return 403, {**headers, "Server": "cloudflare", "CF-RAY": "8a1f0c2d3e4b5a69-BKK"}, BOT_WALL_HTML


ROUTES: dict[str, Callable[[str], Reply]] = {
    "/ita/o37-risk-management.html": bot_wall,  # O37: behind a WAF -> unverified (bot_wall)
}


def content_type(path: Path) -> str:
    """The Content-Type for a static file (see the module docstring for the TIS-620 rule)."""
    if "tis620" in path.name:
        return "text/html"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 30  # a half-open client cannot hold a thread for ever

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet

    def do_GET(self) -> None:
        self._respond(*self._route())

    def do_HEAD(self) -> None:
        self._respond(*self._route(), head=True)

    def _route(self) -> Reply:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path in ROUTES:
            return ROUTES[path](path)
        root = self.server.root
        try:
            target = (root / path.lstrip("/")).resolve()
        except (OSError, ValueError):  # e.g. an embedded NUL byte
            return NOT_FOUND
        if not target.is_relative_to(root):  # "..", symlinks or absolute paths out of the site
            return NOT_FOUND
        if target.is_dir():
            if not path.endswith("/"):
                return 301, {"Location": urllib.parse.quote(path) + "/"}, b""
            target = target / "index.html"
        if not target.is_file():
            return NOT_FOUND
        body = target.read_bytes()
        if "tis620" in target.name:
            body = body.decode("utf-8").encode("tis-620")  # strict: the page must be pure TIS-620
        return 200, {"Content-Type": content_type(target)}, body

    def _respond(self, status: int, headers: dict[str, str], body: bytes, head: bool = False) -> None:
        headers = dict(headers)
        self.send_response_only(status)
        self.send_header("Server", headers.pop("Server", self.version_string()))
        self.send_header("Date", self.date_time_string())
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    """A threading HTTP server over one site folder, running in a daemon thread."""

    request_queue_size = 512
    daemon_threads = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root).resolve()
        super().__init__((host, port), _Handler)
        self._host: str = self.socket.getsockname()[0]
        self._port: int = self.socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="oit-demo-site", daemon=True
        )
        self._closed = False

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}"

    def close(self) -> None:
        """Stop serving and release the socket (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        if self._thread.is_alive():
            self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client hangs up; report anything else as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def start_site_server(root: Path, host: str = "127.0.0.1", port: int = 0) -> SiteServer:
    """Serve ``root`` on ``host:port`` (0 = a free port) in a background thread."""
    server = SiteServer(root, host, port)
    server._thread.start()
    return server
