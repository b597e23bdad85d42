"""A real local HTTP(S) server with one route per bad case an agency website can present.

Stdlib only (``ThreadingHTTPServer``, daemon threads, backlog 512, no request logging), on
127.0.0.1 and a free port. Used by ``tests/conftest.py`` (fixtures ``fixture_server``,
``base_url``, ``tls_base_url``) and by the integration tests of the fetcher and the checks.

Routes (``?name=value`` parameters in brackets):

=====================  =====================================================================
``/``                  Thai homepage linking to the item pages
``/ok``                Thai UTF-8 report page (FY 2566, ปัญหาอุปสรรค, ข้อเสนอแนะ)
``/404``               real 404
``/flaky``             500 on the first request, then 200 (counter reset per test)
``/retry-after``       429 + ``Retry-After: 1`` once, then 200
``/always-429``        429 + ``Retry-After: 1`` [retry_after] every time
``/loop-a``/``-b``     redirect to each other
``/chain/N``           N redirects (/chain/N-1 …) then a page at /chain/0
``/stall``             waits ``STALL_SECONDS`` [seconds] before answering (ends by itself)
``/stall-body``        sends headers and a few bytes, then waits before the rest
``/concurrency``       answers after ``SLOW_SECONDS``; the server records requests in flight
``/login``             200 page that is a password form
``/members``           302 to /login?next=/members
``/401``               401 with WWW-Authenticate
``/tis620``            Thai page in cp874, bare ``text/html``, ``<meta charset="tis-620">``
``/win874-header``     Thai page in cp874 (with curly quotes), ``charset=windows-874`` header only
``/soft404``           200 titled ไม่พบหน้าที่ต้องการ
``/catchall/…``        the same generic 200 page for any path under it
``/botwall``           403 + ``cf-mitigated: challenge`` + "Just a moment..."
``/big``               [size] bytes (default ``BIG_BYTES``) of HTML
``/report.pdf``        a real Thai PDF with a text layer
``/report-2566``       page saying ปีงบประมาณ พ.ศ. ๒๕๖๖ (Thai digits)
``/report-2564``       page saying only ปีงบประมาณ พ.ศ. 2564
``/report-undated``    page with no date at all
``/cookie-gate``       without a cookie: 302 to itself setting one; with it: 200 page
``/redirect``          302 to [to], verbatim (any Location an agency CMS might send)
=====================  =====================================================================
"""

from __future__ import annotations

import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STALL_SECONDS = 3.0
"""How long /stall waits: longer than the tests' 1 s read timeout, short enough to end by itself."""
SLOW_SECONDS = 0.15
BIG_BYTES = 300_000

Reply = tuple[int, dict[str, str], bytes]

HTML = "text/html; charset=utf-8"

# Phrases the tests look for; each page below contains the ones named after it.
OK_PHRASES = ("ปัญหาอุปสรรค", "ข้อเสนอแนะ")
TIS620_PHRASE = "การเปิดโอกาสให้เกิดการมีส่วนร่วม"
WIN874_PHRASE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
CATCHALL_TITLE = "กรมตัวอย่าง - หน้าแรก"
FILLER = ("กรมตัวอย่างมีภารกิจส่งเสริมการให้บริการประชาชนอย่างโปร่งใส ตรวจสอบได้ "
          "และเปิดเผยข้อมูลข่าวสารของราชการตามพระราชบัญญัติข้อมูลข่าวสารของราชการ ")


def thai_page(title: str, body: str, charset: str = "utf-8") -> str:
    """A small Thai HTML page (a string: the route encodes it)."""
    return (f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="{charset}"><title>{title}</title></head>\n'
            f"<body><h1>{title}</h1>\n{body}\n</body></html>\n")


HOME = thai_page("กรมตัวอย่าง (ทดสอบ)", """
<ul>
<li><a href="/ok">รายงานผลการดำเนินงาน</a></li>
<li><a href="/tis620">อำนาจหน้าที่</a></li>
<li><a href="/report.pdf">รายงานการจัดซื้อจัดจ้าง</a></li>
</ul>""")

OK = thai_page("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", f"""
<p>{FILLER}</p>
<h2>ปัญหาอุปสรรค</h2><p>บุคลากรมีจำนวนจำกัด ระบบสารสนเทศยังไม่เชื่อมโยงกัน</p>
<h2>ข้อเสนอแนะ</h2><p>ควรพัฒนาระบบสารสนเทศและฝึกอบรมบุคลากรอย่างต่อเนื่อง</p>
<p>ติดต่อ โทรศัพท์ ๐ ๒๑๒๓ ๔๕๖๗</p>""")

NOT_FOUND = thai_page("ไม่พบหน้าที่ต้องการ", "<p>ขออภัย ไม่พบหน้าที่ท่านต้องการ</p>")

LOGIN = thai_page("เข้าสู่ระบบ", """
<form method="post" action="/login">
<label>ชื่อผู้ใช้ <input type="text" name="user"></label>
<label>รหัสผ่าน <input type="password" name="pass"></label>
<button type="submit">เข้าสู่ระบบ</button>
</form>""")

TIS620 = thai_page("อำนาจหน้าที่", f"""
<p>{FILLER}</p>
<p>{TIS620_PHRASE}ของประชาชนในการดำเนินงานของหน่วยงาน</p>""", charset="tis-620")

# No <meta charset>: only the header names the encoding. The curly quotes are windows-874
# extras (bytes 0x93/0x94), absent from strict TIS-620.
WIN874 = ("<!DOCTYPE html>\n<html lang=\"th\"><head><title>มาตรการภายใน</title></head>\n"
          f"<body><h1>“{WIN874_PHRASE}”</h1>\n<p>{FILLER}</p></body></html>\n")

SOFT_404 = thai_page("ไม่พบหน้าที่ต้องการ", "<p>ขออภัย หน้านี้อาจถูกย้ายหรือลบออกจากระบบแล้ว</p>"
                     '<p><a href="/">กลับสู่หน้าแรก</a></p>')

CATCHALL = thai_page(CATCHALL_TITLE, f"<p>{FILLER * 3}</p><p>ข่าวประชาสัมพันธ์ ประกาศจัดซื้อจัดจ้าง</p>")

BOT_WALL = (b"<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>"
            b"<body><h1>Just a moment...</h1><p>Checking if the site connection is secure</p>"
            b"<noscript>Enable JavaScript and cookies to continue</noscript></body></html>")

REPORTS = {
    "/report-2566": thai_page("รายงานผลการจัดซื้อจัดจ้าง",
                              f"<p>รายงานผลการจัดซื้อจัดจ้าง ปีงบประมาณ พ.ศ. ๒๕๖๖</p><p>{FILLER}</p>"),
    "/report-2564": thai_page("รายงานผลการจัดซื้อจัดจ้าง",
                              f"<p>รายงานผลการจัดซื้อจัดจ้าง ปีงบประมาณ พ.ศ. 2564</p><p>{FILLER}</p>"),
    "/report-undated": thai_page("รายงานผลการจัดซื้อจัดจ้าง", f"<p>{FILLER}</p>"),
}


class _Handler(BaseHTTPRequestHandler):
    server: FixtureServer
    protocol_version = "HTTP/1.1"
    server_version = "FixtureServer"
    sys_version = ""
    timeout = 10  # an idle keep-alive connection cannot hold a thread for ever

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parts.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        route = self.server.record(path)
        handler = _ROUTES.get(path)
        if handler is None:
            prefix = next((p for p in _PREFIX_ROUTES if path.startswith(p)), None)
            handler = _PREFIX_ROUTES[prefix] if prefix else _not_found
        reply = handler(self, path, query, route)
        if reply is not None:
            self._send(*reply)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


Route = Callable[[_Handler, str, dict[str, str], int], Reply | None]
"""(handler, path, query, how many times this path was hit including now) -> reply, or None if sent."""


def _html(text: str, status: int = 200, **headers: str) -> Reply:
    return status, {"Content-Type": HTML, **headers}, text.encode()


def _not_found(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    return _html(NOT_FOUND, 404)


def _flaky(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    return _html(thai_page("ขัดข้อง", "<p>Internal Server Error</p>"), 500) if n == 1 else _html(OK)


def _retry_after(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    if n == 1:
        return _html(thai_page("Too Many Requests", "<p>โปรดลองใหม่</p>"), 429, **{"Retry-After": "1"})
    return _html(OK)


def _always_429(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    return _html(thai_page("Too Many Requests", "<p>โปรดลองใหม่</p>"), 429,
                 **{"Retry-After": q.get("retry_after", "1")})


def _redirect(target: str, status: int = 302, **headers: str) -> Reply:
    return status, {"Location": target, "Content-Type": HTML, **headers}, b""


def _chain(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    try:
        left = int(path.rsplit("/", 1)[1])
    except ValueError:
        return _not_found(h, path, q, n)
    if left <= 0:
        return _html(OK)
    return _redirect(f"/chain/{left - 1}", 301)


def _stall(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    h.server.stopping.wait(float(q.get("seconds", STALL_SECONDS)))
    return _html(OK)


def _stall_body(h: _Handler, path: str, q: dict[str, str], n: int) -> None:
    body = OK.encode()
    h.send_response_only(200)
    h.send_header("Content-Type", HTML)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body[:64])
    h.wfile.flush()
    h.server.stopping.wait(STALL_SECONDS)
    h.wfile.write(body[64:])
    return None


def _concurrency(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    with h.server.in_flight():
        time.sleep(SLOW_SECONDS)
    return _html(OK)


def _members(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    return _redirect("/login?next=/members")


def _cookie_gate(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    if "gate=passed" in (h.headers.get("Cookie") or ""):
        return _html(OK)
    return _redirect("/cookie-gate", **{"Set-Cookie": "gate=passed; Path=/"})


def _redirect_to(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    return _redirect(q.get("to", "/ok"))


def _big(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    size = int(q.get("size", BIG_BYTES))
    head = b"<!DOCTYPE html><html><head><title>big</title></head><body><p>"
    tail = b"</p></body></html>"
    filler = b"x" * max(0, size - len(head) - len(tail))
    return 200, {"Content-Type": HTML}, (head + filler + tail)[:size]


def _pdf(h: _Handler, path: str, q: dict[str, str], n: int) -> Reply:
    return 200, {"Content-Type": "application/pdf"}, h.server.pdf


def _static(status: int, headers: dict[str, str], body: bytes) -> Route:
    return lambda h, path, q, n: (status, dict(headers), body)


_ROUTES: dict[str, Route] = {
    "/": _static(200, {"Content-Type": HTML}, HOME.encode()),
    "/ok": _static(200, {"Content-Type": HTML}, OK.encode()),
    "/404": _not_found,
    "/flaky": _flaky,
    "/retry-after": _retry_after,
    "/always-429": _always_429,
    "/loop-a": lambda h, p, q, n: _redirect("/loop-b"),
    "/loop-b": lambda h, p, q, n: _redirect("/loop-a"),
    "/stall": _stall,
    "/stall-body": _stall_body,
    "/concurrency": _concurrency,
    "/login": _static(200, {"Content-Type": HTML}, LOGIN.encode()),
    "/members": _members,
    "/401": _static(401, {"Content-Type": HTML, "WWW-Authenticate": 'Basic realm="intranet"'},
                    thai_page("401 Unauthorized", "<p>กรุณาเข้าสู่ระบบ</p>").encode()),
    "/tis620": _static(200, {"Content-Type": "text/html"}, TIS620.encode("tis-620")),
    "/win874-header": _static(200, {"Content-Type": "text/html; charset=windows-874"}, WIN874.encode("cp874")),
    "/soft404": _static(200, {"Content-Type": HTML}, SOFT_404.encode()),
    "/botwall": _static(403, {"Content-Type": "text/html; charset=UTF-8", "cf-mitigated": "challenge",
                              "Server": "cloudflare", "CF-RAY": "8a1f0c2d3e4b5a69-BKK"}, BOT_WALL),
    "/big": _big,
    "/report.pdf": _pdf,
    "/cookie-gate": _cookie_gate,
    "/redirect": _redirect_to,
    **{path: _static(200, {"Content-Type": HTML}, page.encode()) for path, page in REPORTS.items()},
}
_PREFIX_ROUTES: dict[str, Route] = {
    "/chain/": _chain,
    "/catchall/": _static(200, {"Content-Type": HTML}, CATCHALL.encode()),
}


class _InFlight:
    def __init__(self, server: FixtureServer) -> None:
        self._server = server

    def __enter__(self) -> None:
        with self._server.lock:
            self._server.current += 1
            self._server.max_in_flight = max(self._server.max_in_flight, self._server.current)

    def __exit__(self, *exc: object) -> None:
        with self._server.lock:
            self._server.current -= 1


class FixtureServer(ThreadingHTTPServer):
    """The server, running in a daemon thread; TLS when given an ``ssl.SSLContext``."""

    request_queue_size = 512
    daemon_threads = True

    def __init__(self, pdf: bytes, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pdf = pdf
        self.tls = tls
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.hits: Counter[str] = Counter()
        self.arrivals: dict[str, list[float]] = {}
        self.current = 0
        self.max_in_flight = 0
        self._thread = threading.Thread(target=self.serve_forever, name="oit-fixture-server", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}"

    def record(self, path: str) -> int:
        """Count a request to ``path``; returns how many it has had since the last reset."""
        with self.lock:
            self.hits[path] += 1
            self.arrivals.setdefault(path, []).append(time.monotonic())
            return self.hits[path]

    def in_flight(self) -> _InFlight:
        """Context manager counting requests in flight (``max_in_flight`` keeps the peak)."""
        return _InFlight(self)

    def reset(self) -> None:
        """Forget per-route counters (call before each test)."""
        with self.lock:
            self.hits.clear()
            self.arrivals.clear()
            self.current = 0
            self.max_in_flight = 0

    # TLS: the handshake runs in the request's thread, so a client that refuses the
    # certificate cannot block the accept loop.
    def get_request(self):  # type: ignore[no-untyped-def]
        sock, address = super().get_request()
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if self.tls is not None:
            request.settimeout(5)
            request.do_handshake()
        super().finish_request(request, client_address)

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet about clients that hang up or refuse the certificate (tests do both)."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def close(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


def self_signed_context(directory: Path) -> ssl.SSLContext:
    """A server ``SSLContext`` with a fresh self-signed certificate for 127.0.0.1 (openssl CLI)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603, S607
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PDF_HTML = thai_page("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", f"""
<p>{FILLER}</p><h2>ปัญหาอุปสรรค</h2><p>บุคลากรมีจำนวนจำกัด</p>
<h2>ข้อเสนอแนะ</h2><p>ควรพัฒนาระบบสารสนเทศ</p>""")


def generate_thai_pdf(target: Path) -> bytes:
    """Render ``PDF_HTML`` to ``target`` with Playwright and Chromium (when no demo PDF exists)."""
    from playwright.sync_api import sync_playwright

    source = target.with_suffix(".html")
    source.write_text(PDF_HTML, "utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(source.as_uri(), wait_until="load")
            page.pdf(path=str(target), format="A4")
        finally:
            browser.close()
    return target.read_bytes()
