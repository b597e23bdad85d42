"""The browser on the network (issue 12): Chromium goes through the run's proxy, and no request it
makes — navigation, redirect hop, subresource, script navigation, iframe — reaches an address the
run's ``AddressPolicy`` refuses.

Real Chromium, real servers on 127.0.0.1 only: a page server and the forward proxy of
``proxy_server.py``, which forwards to this machine only and logs every request it is asked for,
so a request for 169.254.169.254 would show in its log and still never leave the machine; with the
browser going through the proxy, the proxy's log is the proof that nothing asked for it.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from proxy_server import ProxyServer

from oit_checker.fetch.addresses import AddressPolicy
from oit_checker.fetch.browser import BrowserFetcher
from oit_checker.fetch.browser_launch import playwright_proxy
from oit_checker.fetch.proxy import ProxySettings
from oit_checker.options import defaults

pytestmark = pytest.mark.asyncio(loop_scope="module")

METADATA = "http://169.254.169.254/latest/meta-data"
PNG = b"\x89PNG\r\n\x1a\n"
FAST = dataclasses.replace(defaults().browser, max_pages=2, idle_wait=1.0, navigation_timeout=15, page_timeout=30)
PAGE_TEXT = "รายงานผลการดำเนินงาน"


class _Pages(BaseHTTPRequestHandler):
    """The agency's pages; ``/hop`` redirects to ``to`` (verbatim), ``/frame`` is framed from
    another site (``localhost``: an out-of-process iframe)."""

    server: PageServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self.server.log.append(f"{self.headers.get('Host')}{self.path}")
        path = urlsplit(self.path).path
        query = dict(p.split("=", 1) for p in urlsplit(self.path).query.split("&") if "=" in p)
        if path == "/hop":
            self._send(302, b"", Location=query["to"])
        elif path == "/sub.js":
            self._send(200, b"document.body.dataset.sub = 'yes';", **{"Content-Type": "text/javascript"})
        elif path == "/img.png":
            self._send(200, PNG, **{"Content-Type": "image/png"})
        elif path == "/frame":
            self._send(200, f'<img src="{METADATA}/from-frame"><img src="/hop?to={METADATA}/frame-hop">'.encode())
        elif path == "/hostile":
            self._send(200, self.server.hostile().encode())
        else:
            self._send(200, f"<html><body><h1>{PAGE_TEXT}</h1><img src='/img.png'>"
                            f"<script src='/sub.js'></script>{self.server.extra}</body></html>".encode())

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Pages)
        self.log: list[str] = []
        self.extra = ""
        """More HTML for the plain page."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def hostile(self) -> str:
        """A page that asks for the metadata service every way a page can."""
        port = self.server_address[1]
        return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>hostile</title>
<script src="{METADATA}/script.js"></script></head><body><h1>{PAGE_TEXT}</h1>
<img src="{METADATA}/img"><img src="/hop?to={METADATA}/img-hop">
<iframe src="http://localhost:{port}/frame"></iframe>
<script>fetch("{METADATA}/fetch").catch(() => 0);
try {{ new WebSocket("ws://169.254.169.254/ws"); }} catch (e) {{}}
setTimeout(() => {{ location.href = "{METADATA}/location"; }}, 100);</script></body></html>"""


@pytest.fixture(scope="module")
def pages() -> Iterator[PageServer]:
    server = PageServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def proxy() -> Iterator[ProxyServer]:
    server = ProxyServer()
    yield server
    server.close()


def metadata_requests(proxy: ProxyServer) -> list[str]:
    """What the proxy was asked for on the metadata host (absolute-form URLs and CONNECT targets)."""
    hosts = [target.rpartition(":")[0] if method == "CONNECT" else urlsplit(target).hostname
             for method, target in proxy.requests]
    return [target for (_, target), host in zip(proxy.requests, hosts, strict=True) if host == "169.254.169.254"]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def guarded(proxy: ProxyServer) -> AsyncIterator[BrowserFetcher]:
    """Chromium through the proxy, with the demo's address rule (private allowed, link-local not).
    No ``NO_PROXY``: like the HTTP client, loopback goes through the proxy too."""
    options = dataclasses.replace(FAST, proxy=ProxySettings(http=proxy.url, https=proxy.url))
    async with BrowserFetcher(options, AddressPolicy(private_ok=True)) as browser:
        assert await browser.start(), browser.problem_detail
        yield browser


async def test_a_rendered_page_and_its_subresources_go_through_the_proxy(
        pages: PageServer, proxy: ProxyServer, guarded: BrowserFetcher, tmp_path: Path) -> None:
    proxy.requests.clear()
    pages.log.clear()
    seen = await guarded.render(f"{pages.base}/plain", screenshot=tmp_path / "shot.png")
    assert seen.fetch.error is None and seen.fetch.status == 200
    assert PAGE_TEXT in seen.text and 'data-sub="yes"' in seen.fetch.body.decode()
    assert seen.screenshot is not None and seen.screenshot.read_bytes().startswith(PNG)
    assert seen.blocked == ()
    through = set(proxy.targets())
    assert {f"{pages.base}/plain", f"{pages.base}/img.png", f"{pages.base}/sub.js"} <= through
    # everything the page server got came through the proxy
    assert {f"http://{line}" for line in pages.log} <= through


async def test_no_request_reaches_a_refused_address_and_the_page_is_still_read(
        pages: PageServer, proxy: ProxyServer, guarded: BrowserFetcher) -> None:
    proxy.requests.clear()
    pages.log.clear()
    before = guarded.refusals
    seen = await guarded.render(f"{pages.base}/hostile")
    # the page itself was read: a script navigation to a refused address leaves it in place
    assert seen.fetch.error is None and seen.fetch.status == 200
    assert seen.fetch.final_url == f"{pages.base}/hostile"
    assert PAGE_TEXT in seen.text
    refused = {f"{METADATA}/{name}" for name in ("script.js", "img", "img-hop", "fetch", "location",
                                                 "from-frame", "frame-hop")}
    refused.add("ws://169.254.169.254/ws")
    assert refused <= set(seen.blocked)  # every way the page asked, its iframe and redirects included
    assert guarded.refusals - before >= len(refused)
    assert metadata_requests(proxy) == []  # nothing was ever asked for, not even of the proxy
    assert all(line.startswith(("127.0.0.1:", "localhost:")) for line in pages.log)
    assert any("/hop?to=" in line for line in pages.log)  # the redirects themselves were served


async def test_a_page_url_refused_itself_or_after_a_redirect_is_blocked_address(
        pages: PageServer, proxy: ProxyServer, guarded: BrowserFetcher) -> None:
    proxy.requests.clear()
    direct = await guarded.render(f"{METADATA}/")
    assert direct.fetch.error == "blocked_address" and direct.blocked == (f"{METADATA}/",)
    redirected = await guarded.render(f"{pages.base}/hop?to={METADATA}/page")
    assert redirected.fetch.error == "blocked_address"
    assert redirected.blocked == (f"{METADATA}/page",)
    assert metadata_requests(proxy) == []
    assert [t for t in proxy.targets() if "/hop" in t]  # the agency's redirect was asked for
    # the browser is still usable after refusals
    again = await guarded.render(f"{pages.base}/plain", settle=False)
    assert again.fetch.error is None and PAGE_TEXT in again.text


async def test_private_addresses_are_refused_when_the_homepage_is_public(pages: PageServer) -> None:
    async with BrowserFetcher(FAST, AddressPolicy(private_ok=False)) as browser:
        seen = await browser.render(f"{pages.base}/plain")
        assert seen.fetch.error == "blocked_address"
        assert browser.launches == 0  # refused before any browser was needed


async def test_the_proxy_settings_as_playwright_takes_them() -> None:
    assert playwright_proxy(None) is None
    assert playwright_proxy(ProxySettings()) is None
    assert playwright_proxy(ProxySettings(http="http://proxy.example:3128", no_proxy=(
        "localhost", ".go.th", "*.example.org", "10.0.0.0/8", "192.168.1.5", "[::1]", "*"))) == {
        "server": "http://proxy.example:3128",
        "bypass": "localhost,*.localhost,go.th,*.go.th,example.org,*.example.org,10.0.0.0/8,192.168.1.5,[::1],*"}
    assert playwright_proxy(ProxySettings(https="http://u%40x:p%3Aw@10.0.0.1:8080")) == {
        "server": "http://10.0.0.1:8080", "username": "u@x", "password": "p:w"}


async def test_an_allowed_websocket_still_reaches_its_server(
        pages: PageServer, proxy: ProxyServer, guarded: BrowserFetcher) -> None:
    """``route_web_socket`` passes an allowed WebSocket on to its server (here one that only
    records the upgrade request it got)."""
    listener = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def accept() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(5)
            got.append(connection.recv(4096))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    pages.extra = f"<script>new WebSocket('ws://127.0.0.1:{port}/live');</script>"
    try:
        seen = await guarded.render(f"{pages.base}/plain")
        thread.join(timeout=10)
    finally:
        pages.extra = ""
        listener.close()
    assert seen.fetch.error is None and seen.blocked == ()
    assert got and got[0].startswith(b"GET /live ") and b"upgrade: websocket" in got[0].lower()
