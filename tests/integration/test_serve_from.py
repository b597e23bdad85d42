"""``[agency] serve_from``: a copy on 127.0.0.1 audited as if it were ``https://college.test``.

The copy's pages link to themselves by their production URLs (homepage -> /ITA -> items), one item
redirects to the copy's own address and one builds its content with a script. The audit must
find the items linked from the main website, show only production URLs, reach the copy, and
never look the production name up.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from mkpdf import pdf_with_links

from oit_checker.audit import audit_async
from oit_checker.config import LoadedConfig, parse_config_text
from oit_checker.discover import discover_async
from oit_checker.fetch.interface import Fetcher
from oit_checker.fetch.serve_from import OriginMap, ServeFromFetcher
from oit_checker.models import AuditResult, FetchResult, Redirect, Status, UrlResult
from oit_checker.report.json import JsonReporter

in_loop = pytest.mark.asyncio(loop_scope="module")

PROD = "https://college.test"
HTML = "text/html; charset=utf-8"


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>").encode()


class _Copy(ThreadingHTTPServer):
    """The staging copy; ``seen`` records (path, Host header) of every request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, str]] = []
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Copy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("Host", "")))
        path = self.path.split("?")[0]
        if path == "/ITA/report":  # a redirect to the copy's own address, absolute
            self._send(302, b"", HTML, {"Location": f"{self.server.origin}/files/o2.pdf"})
        elif path == "/about":  # built with the production base URL: redirects by that name
            self._send(301, b"", HTML, {"Location": f"{PROD}/about/"})
        elif path == "/ITA/moved":
            self._send(302, b"", HTML, {"Location": f"{self.server.origin}/ITA/o3.html"})
        elif path in _PAGES:
            body, kind = _PAGES[path]
            self._send(200, body, kind)
        else:
            self._send(404, _page("ไม่พบ", "ไม่พบหน้านี้"), HTML)

    def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": kind, "Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


_PAGES: dict[str, tuple[bytes, str]] = {
    "/": (_page("วิทยาลัยทดสอบ", f'<a href="{PROD}/ITA">ITA</a> <a href="{PROD}/about">เกี่ยวกับ</a>'), HTML),
    "/about/": (_page("เกี่ยวกับ", f'<a href="{PROD}/">หน้าแรก</a>'), HTML),
    "/ITA": (_page("ITA 2567", f'<a href="{PROD}/ITA/o1.html">O1 โครงสร้าง</a> '
                               f'<a href="{PROD}/ITA/report">O2 ข้อมูลผู้บริหาร</a> '
                               f'<a href="{PROD}/ITA/moved">O3</a>'), HTML),
    # O1's content is built by a script from /data.json (a relative URL: production in a browser)
    "/ITA/o1.html": (_page("O1", '<div id="chart"></div><script>fetch("/data.json").then(r => r.json())'
                                 '.then(d => { document.getElementById("chart").textContent = d.text; })'
                                 '</script>'), HTML),
    "/data.json": (json.dumps({"text": "แผนผังโครงสร้างองค์กร ปี 2567"}, ensure_ascii=False).encode(),
                   "application/json"),
    "/files/o2.pdf": (pdf_with_links([], "Executives 2567"), "application/pdf"),
    "/ITA/o3.html": (_page("อำนาจหน้าที่", 'อำนาจหน้าที่ของวิทยาลัย ปี 2567 <p id="here"></p><script>'
                                          'document.getElementById("here").textContent = location.href</script>'),
                     HTML),
}


@pytest.fixture(scope="module")
def copy() -> Iterator[_Copy]:
    server = _Copy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name given to the system resolver in this process (the address rule's lookups
    and the HTTP client's connections both go through ``socket.getaddrinfo``)."""
    names: list[str] = []
    real = socket.getaddrinfo

    def recording(host: Any, *args: Any, **kwargs: Any) -> Any:
        names.append(host.decode() if isinstance(host, bytes) else str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    return names


def _config(tmp_path: Path, actual: str, browser: str) -> LoadedConfig:
    text = f"""
[agency]
name = "วิทยาลัยทดสอบ"
homepage = "{PROD}/"
domains = ["college.test"]
serve_from = {{"{PROD}" = "{actual}"}}
[audit]
checklist = "ita-2567"
select = ["O1", "O2", "O3"]
[http]
retries = 0
per_host_interval = 0
soft_404_probe = false
read_timeout = 10
[crawl]
max_pages = 20
[browser]
mode = "{browser}"
idle_wait = 1.0
navigation_timeout = 15
page_timeout = 30
[evidence]
enabled = {"true" if browser == "always" else "false"}
dir = "{tmp_path / 'evidence'}"
screenshots = "rendered"
[items.O1]
urls = ["{PROD}/ITA/o1.html"]
[items.O2]
urls = ["{PROD}/ITA/report"]
[items.O3]
urls = ["{PROD}/ITA/moved"]
"""
    return parse_config_text(text, str(tmp_path / "config.toml"), tmp_path)


def _url(result: AuditResult, code: str) -> UrlResult:
    [url] = next(i for i in result.items if i.code == code).urls
    return url


def _finding(url: UrlResult, check: str) -> tuple[Status, str, dict[str, Any]]:
    [finding] = [f for f in url.findings if f.check.value == check]
    return finding.status, finding.reason, dict(finding.evidence)


def _assert_production_only(result: AuditResult, copy: _Copy, looked_up: list[str]) -> None:
    """Linked from the main website with its click path, production URLs only, the copy reached,
    the production name never resolved."""
    for code in ("O1", "O2", "O3"):
        url = _url(result, code)
        status, reason, evidence = _finding(url, "location")
        assert (status, reason) == (Status.PASS, "linked_from_main_site"), (code, reason, evidence)
        assert evidence["click_path"][0] == f"{PROD}/" and f"{PROD}/ITA" in evidence["click_path"]
        assert evidence["click_path"][-1] == url.url
    assert _url(result, "O2").fetch.final_url == f"{PROD}/files/o2.pdf"
    assert _url(result, "O2").fetch.redirects[0].url == f"{PROD}/ITA/report"
    assert _url(result, "O3").fetch.final_url == f"{PROD}/ITA/o3.html"
    report = JsonReporter("th").render(result)
    assert "127.0.0.1" not in report and copy.origin not in report
    assert PROD + "/ITA/o1.html" in report
    paths = {path for path, _ in copy.seen}
    assert {"/", "/ITA", "/ITA/o1.html", "/ITA/report", "/files/o2.pdf", "/ITA/o3.html", "/about/"} <= paths
    assert {host for _, host in copy.seen} == {copy.origin.removeprefix("http://")}
    assert "college.test" not in looked_up, looked_up
    assert "127.0.0.1" in looked_up  # the recorder saw the run's lookups (the copy's address)


@in_loop
async def test_http_audit_of_a_copy_shows_production_urls(
        tmp_path: Path, copy: _Copy, looked_up: list[str]) -> None:
    copy.seen.clear()
    result = await audit_async(_config(tmp_path, copy.origin, "never"))
    _assert_production_only(result, copy, looked_up)
    assert result.homepage == f"{PROD}/" and result.homepage_problem is None
    assert "/data.json" not in {path for path, _ in copy.seen}  # no browser: the script never ran
    assert _finding(_url(result, "O2"), "reachable")[0] is Status.PASS


@in_loop
async def test_browser_audit_of_a_copy_runs_scripts_against_it(
        tmp_path: Path, copy: _Copy, looked_up: list[str]) -> None:
    copy.seen.clear()
    result = await audit_async(_config(tmp_path, copy.origin, "always"))
    assert result.browser["used"], result.browser
    _assert_production_only(result, copy, looked_up)
    o1 = _url(result, "O1")
    assert o1.fetch.rendered_by == "chromium" and o1.fetch.final_url == f"{PROD}/ITA/o1.html"
    assert "แผนผังโครงสร้าง".encode() in o1.fetch.body  # built from /data.json, fetched by a relative URL
    assert "/data.json" in {path for path, _ in copy.seen}
    assert _finding(o1, "content")[0] is Status.PASS
    o3 = _url(result, "O3")
    assert o3.fetch.rendered_by == "chromium" and o3.fetch.final_url == f"{PROD}/ITA/o3.html"
    # redirected to the copy's own address, the page still stands at its production URL
    assert f'<p id="here">{PROD}/ITA/o3.html</p>'.encode() in o3.fetch.body
    # the evidence records production URLs too
    assert result.evidence_dir
    for path in Path(result.evidence_dir).rglob("*.json"):
        assert "127.0.0.1" not in path.read_text(encoding="utf-8"), path


@in_loop
async def test_discover_crawls_the_copy_by_its_production_names(
        tmp_path: Path, copy: _Copy, looked_up: list[str]) -> None:
    copy.seen.clear()
    found = await discover_async(_config(tmp_path, copy.origin, "never"))
    assert found.complete and found.homepage_problem is None and found.crawl.pages >= 5
    urls = {c.url for item in found.items for c in item.candidates}
    assert f"{PROD}/ITA/o3.html" in urls or f"{PROD}/ITA/moved" in urls
    assert all(u.startswith(PROD + "/") for u in urls), urls
    assert "/ITA" in {path for path, _ in copy.seen}
    assert "college.test" not in looked_up


def test_origin_map_normalises_and_maps_both_ways() -> None:
    origins = OriginMap.from_config({"HTTPS://College.test:443": "http://127.0.0.1:8000/"})
    assert origins.actual("https://college.test/ITA/o1?x=1#top") == "http://127.0.0.1:8000/ITA/o1?x=1#top"
    assert origins.actual("https://COLLEGE.test:443/") == "http://127.0.0.1:8000/"
    assert origins.actual("http://college.test/") == "http://college.test/"  # another origin: not mapped
    assert origins.actual("https://www.college.test/") == "https://www.college.test/"
    assert origins.production("http://127.0.0.1:8000/x") == "https://college.test/x"
    assert origins.production("http://127.0.0.1:8001/x") == "http://127.0.0.1:8001/x"
    assert origins.is_actual("http://127.0.0.1:8000/x") and not origins.is_actual("https://college.test/x")
    assert origins.hidden_hosts() == ("college.test",)
    assert not OriginMap.from_config({}) and origins


class _Recording(Fetcher):
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def fetch(self, url: str) -> FetchResult:
        self.asked.append(url)
        return FetchResult(url=url, final_url="http://127.0.0.1:8000/b", status=200,
                           headers={"content-location": "http://127.0.0.1:8000/b"},
                           redirects=(Redirect("http://127.0.0.1:8000/a", 302),),
                           error_detail="via http://127.0.0.1:8000/a")


@in_loop
async def test_an_injected_fetcher_is_asked_for_the_actual_url() -> None:
    inner = _Recording()
    fetcher = ServeFromFetcher(inner, OriginMap.from_config({PROD: "http://127.0.0.1:8000"}))
    got = await fetcher.fetch(f"{PROD}/a")
    assert inner.asked == ["http://127.0.0.1:8000/a"]
    assert (got.url, got.final_url, got.redirects[0].url) == (f"{PROD}/a", f"{PROD}/b", f"{PROD}/a")
    assert got.headers["content-location"] == f"{PROD}/b" and "127.0.0.1" not in got.error_detail
