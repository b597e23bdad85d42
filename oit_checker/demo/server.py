"""A small local web server for the demo department site (and for tests).

``start_site_server(root)`` serves the static files under ``root`` on 127.0.0.1 in a daemon
thread and returns a :class:`SiteServer` (``.base_url``, ``.port``, ``.close()``, a context
manager). Stdlib only; no request logging.

What it does beyond ``python -m http.server``:

* a listen backlog of 512 (http.server's 5 drops SYNs under a concurrent crawler);
* ``Content-Type: text/html; charset=utf-8`` for ``.html``; ``application/pdf`` for ``.pdf``;
* files whose name contains ``tis620`` are kept in UTF-8 on disk (readable, greppable) but
  served as TIS-620 bytes with a bare ``Content-Type: text/html`` (no charset parameter), as
  legacy Thai government sites do; the page itself carries ``<meta charset="tis-620">``;
* a Thai 404 page with a real 404 status, and no escape from ``root`` (path traversal);
* ``ROUTES``: dynamic paths for the demo's bad cases (a Cloudflare-style bot wall).
"""

from __future__ import annotations

import mimetypes
import sys
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

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

BOT_WALL_HTML = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow"></head>
<body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">Just a moment...</h1>
<h2 class="h2" id="challenge-body-text">Checking if the site connection is secure</h2>
<noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>
</div></div><div class="footer">Performance &amp; security by Cloudflare</div></body></html>
"""


def bot_wall(path: str) -> Reply:
    """A Cloudflare managed challenge: 403 + ``cf-mitigated: challenge`` (a WAF, not a login)."""
    headers = {
        "Content-Type": "text/html; charset=UTF-8",
        "cf-mitigated": "challenge",
        "Server": "cloudflare",
        "CF-RAY": "8a1f0c2d3e4b5a69-BKK",
        "Cache-Control": "private, max-age=0, no-store, no-cache, must-revalidate",
    }
    return 403, headers, BOT_WALL_HTML


ROUTES: dict[str, Callable[[str], Reply]] = {
    "/ita/o37-risk-management.html": bot_wall,  # O37: behind a WAF -> unverified (bot_wall)
}


def content_type(path: Path) -> str:
    """The Content-Type for a static file (see the module docstring for the TIS-620 rule)."""
    if "tis620" in path.name:
        return "text/html"
    guessed = {".html": "text/html", ".htm": "text/html"}.get(path.suffix.lower())
    guessed = guessed or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/json"):
        return f"{guessed}; charset=utf-8"
    return guessed


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 30  # a half-open client cannot hold a thread for ever

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
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
            return self._not_found()
        if not target.is_relative_to(root):  # "..", symlinks or absolute paths out of the site
            return self._not_found()
        if target.is_dir():
            if not path.endswith("/"):
                return 301, {"Location": urllib.parse.quote(path) + "/"}, b""
            target = target / "index.html"
        if not target.is_file():
            return self._not_found()
        body = target.read_bytes()
        if "tis620" in target.name:
            body = body.decode("utf-8").encode("tis-620")  # strict: the page must be pure TIS-620
        return 200, {"Content-Type": content_type(target)}, body

    @staticmethod
    def _not_found() -> Reply:
        return 404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND_HTML

    def _respond(self, status: int, headers: dict[str, str], body: bytes, head: bool = False) -> None:
        self.send_response(status)
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
        self._thread = threading.Thread(target=self.serve_forever, name="oit-demo-site", daemon=True)
        self._closed = False

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.server_address[0]}:{self.port}"

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

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
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
