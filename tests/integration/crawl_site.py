"""A small agency website on two hosts, for the crawl: the main site on 127.0.0.1 and an
"external" file host on 127.0.0.2 (a different host, so "external" is real).

``CrawlSites(robots=…)`` serves both (stdlib ``ThreadingHTTPServer``, backlog 512, HTTP/1.1) and
records every request per host. The test checklist (``checklist_toml``) has one item per case:

====  ===========================================  ==========================================
T1    /ita/อำนาจหน้าที่.html (linked in raw Thai)      linked; configured percent-encoded
T2    /ita/t2 (linked as /ita/index.php/t2)         linked through an index.php variant
T3    127.0.0.2 /files/t3-linked.pdf               external (allowed host), linked from /ita/
T4    /ita/refreshed.html                          iframe on the homepage -> meta refresh
T5    /orphan.html                                 nothing links to it
T6    /private/t6.html                             linked from the homepage; robots.txt disallows
T7    /ita/from-pdf.html                           linked only from a PDF (/ita/index.pdf)
T8    127.0.0.2 /files/t8-unlinked.pdf             external (allowed host), nothing links to it
T9    /deep/item.html                              7 clicks deep (/deep/1.html … /deep/6.html)
T10   /sitemap-only.html                           only in sitemap.xml
T11   /private/t11.html                            linked only from /private/page.html (robots)
====  ===========================================  ==========================================

Broken links on /ita/: /ita/missing.html (404) and 127.0.0.2 /gone.pdf (404). /ita/big.pdf is
2 MB and must never be downloaded by the crawl.
"""

from __future__ import annotations

import sys
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from mkpdf import pdf_with_links

from oit_checker.config import LoadedConfig, load_config

HTML = "text/html; charset=utf-8"
THAI_PAGE = "/ita/อำนาจหน้าที่.html"
BIG_PDF_BYTES = 2 * 1024 * 1024


def page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Host
    protocol_version = "HTTP/1.1"
    timeout = 10

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._reply(head=False)

    def do_HEAD(self) -> None:
        self._reply(head=True)

    def _reply(self, head: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        self.server.hits[path] += 1
        self.server.log.append((time.monotonic(), path))
        status, ctype, body = self.server.routes.get(path, (404, HTML, page("ไม่พบหน้าที่ต้องการ", "")))
        self.send_response_only(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        try:
            for start in range(0, len(body), 65536):
                self.wfile.write(body[start:start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            self.server.aborted[path] += 1


class _Host(ThreadingHTTPServer):
    request_queue_size = 512
    daemon_threads = True

    def __init__(self, address: str) -> None:
        super().__init__((address, 0), _Handler)
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.aborted: Counter[str] = Counter()
        self.log: list[tuple[float, str]] = []
        """(monotonic time, path) of every request, in order."""
        self.base = f"http://{address}:{self.server_address[1]}"
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet when the crawl hangs up early on a file (what it is meant to do)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class CrawlSites:
    """The main site (``.main``) and the external file host (``.ext``), with their routes."""

    def __init__(self, robots: bool = False, crawl_delay: float = 0.0) -> None:
        self.main = _Host("127.0.0.1")
        self.ext = _Host("127.0.0.2")
        m, e = self.main.base, self.ext.base
        pdf = ("application/pdf",)
        self.main.routes = {
            "/": (200, HTML, page("กรมทดสอบการสำรวจ | หน้าแรก", f"""
                <ul><li><a href="/ita/">การเปิดเผยข้อมูลสาธารณะ (OIT)</a></li>
                <li><a href="/about.html">เกี่ยวกับเรา</a></li>
                <li><a href="/private/page.html">ส่วนภายใน</a></li>
                <li><a href="/private/t6.html">ข้อมูล T6</a></li>
                <li><a href="/deep/1.html">เอกสารเก่า</a></li>
                <li><a href="mailto:saraban@example.go.th">อีเมล</a> <a href="javascript:void(0)">เมนู</a>
                    <a href="#top">ขึ้นบน</a> <a href="tel:021234567">โทร</a></li>
                <li><a href="{e}/ext-home.html">ระบบภายนอก</a></li></ul>
                <iframe src="/embed.html" title="ประกาศ"></iframe>""")),
            "/about.html": (200, HTML, page("เกี่ยวกับเรา", '<a href="/">หน้าแรก</a> <a href="/about.html#a">ส่วน</a>')),
            "/embed.html": (200, HTML, b'<html><head><meta http-equiv="refresh" content="0; url=/ita/refreshed.html">'
                                       b"</head><body></body></html>"),
            "/ita/": (200, HTML, page("การเปิดเผยข้อมูลสาธารณะ (OIT)", f"""
                <table>
                <tr><td>T1</td><td><a href="/ita/อำนาจหน้าที่.html">อำนาจหน้าที่</a></td></tr>
                <tr><td>T2</td><td><a href="/ita/index.php/t2">ข้อมูล T2</a></td></tr>
                <tr><td>T3</td><td><a href="{e}/files/t3-linked.pdf">ไฟล์ T3 (ระบบภายนอก)</a></td></tr>
                <tr><td>ดัชนี</td><td><a href="/ita/index.pdf">ดัชนี OIT (PDF)</a></td></tr>
                <tr><td>เสีย</td><td><a href="/ita/missing.html">หน้าที่ถูกลบ</a></td></tr>
                <tr><td>เสีย</td><td><a href="{e}/gone.pdf">ไฟล์ภายนอกที่ถูกลบ</a></td></tr>
                <tr><td>ใหญ่</td><td><a href="/ita/big.pdf">ไฟล์ใหญ่</a></td></tr>
                </table><a href="/">หน้าแรก</a>""")),
            THAI_PAGE: (200, HTML, page("อำนาจหน้าที่", "<p>อำนาจหน้าที่ของกรม</p>")),
            "/ita/t2": (200, HTML, page("ข้อมูล T2", "<p>T2</p>")),
            "/ita/index.php/t2": (200, HTML, page("ข้อมูล T2", "<p>T2</p>")),
            "/ita/refreshed.html": (200, HTML, page("ข้อมูล T4", "<p>T4</p>")),
            "/ita/index.pdf": (200, *pdf, pdf_with_links([f"{m}/ita/from-pdf.html"])),
            "/ita/from-pdf.html": (200, HTML, page("ข้อมูล T7", "<p>T7</p>")),
            "/ita/big.pdf": (200, *pdf, b"%PDF-1.4\n" + b"0" * BIG_PDF_BYTES),
            "/orphan.html": (200, HTML, page("ข้อมูล T5", "<p>T5</p>")),
            "/sitemap-only.html": (200, HTML, page("ข้อมูล T10", "<p>T10</p>")),
            "/private/page.html": (200, HTML, page("ส่วนภายใน", '<a href="/private/t11.html">ข้อมูล T11</a>')),
            "/private/t6.html": (200, HTML, page("ข้อมูล T6", "<p>T6</p>")),
            "/private/t11.html": (200, HTML, page("ข้อมูล T11", "<p>T11</p>")),
            "/deep/item.html": (200, HTML, page("ข้อมูล T9", "<p>T9</p>")),
            "/sitemap.xml": (200, "application/xml", (
                '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{m}/</loc></url><url><loc>{m}/sitemap-only.html</loc></url></urlset>").encode()),
        }
        for n in range(1, 7):
            target = f"/deep/{n + 1}.html" if n < 6 else "/deep/item.html"
            self.main.routes[f"/deep/{n}.html"] = (200, HTML, page(f"เอกสารเก่า {n}", f'<a href="{target}">ต่อไป</a>'))
        if robots:
            rules = "User-agent: *\nDisallow: /private/\n" + (f"Crawl-delay: {crawl_delay}\n" if crawl_delay else "")
            self.main.routes["/robots.txt"] = (200, "text/plain", rules.encode())
        self.ext.routes = {
            "/ext-home.html": (200, HTML, page("ระบบภายนอก", '<a href="/ext-page2.html">หน้า 2</a>')),
            "/ext-page2.html": (200, HTML, page("หน้า 2", "")),
            "/files/t3-linked.pdf": (200, *pdf, pdf_with_links([], "T3 report")),
            "/files/t8-unlinked.pdf": (200, *pdf, pdf_with_links([], "T8 report")),
        }

    def items(self) -> dict[str, str]:
        """The configured URL of every item."""
        m, e = self.main.base, self.ext.base
        return {
            "T1": m + "/ita/" + urllib.parse.quote("อำนาจหน้าที่.html").lower(), "T2": m + "/ita/t2",
            "T3": e + "/files/t3-linked.pdf", "T4": m + "/ita/refreshed.html", "T5": m + "/orphan.html",
            "T6": m + "/private/t6.html", "T7": m + "/ita/from-pdf.html", "T8": e + "/files/t8-unlinked.pdf",
            "T9": m + "/deep/item.html", "T10": m + "/sitemap-only.html", "T11": m + "/private/t11.html",
        }

    def close(self) -> None:
        self.main.close()
        self.ext.close()


CHECKLIST = "\n".join(
    ['id = "crawl-test"', 'title_th = "รายการทดสอบการสำรวจเว็บไซต์"', "assessment_year = 2567", ""]
    + [f'[[items]]\ncode = "T{n}"\nname_th = "ข้อทดสอบ {n}"\nperiod = "none"\n'
       + ('allowed_hosts = ["127.0.0.2"]\n' if n in (3, 8) else "") for n in range(1, 12)])
"""A checklist with the items T1–T11 (no elements, no period: only location matters)."""


def crawl_config(tmp_path: Path, homepage: str, checklist: str, urls: dict[str, str], tables: str) -> LoadedConfig:
    """``tmp_path/config.toml`` auditing ``urls`` (code -> URL) of ``checklist`` (TOML text) on
    ``homepage`` with no politeness, retries or soft-404 probe; ``tables`` adds [browser], [crawl] …"""
    (tmp_path / "checklist.toml").write_text(checklist, encoding="utf-8")
    items = "\n".join(f'[items.{code}]\nurls = ["{url}"]' for code, url in urls.items())
    (tmp_path / "config.toml").write_text(f"""
[agency]
name = "กรมทดสอบการสำรวจ"
homepage = "{homepage}"
domains = ["127.0.0.1"]
[audit]
checklist = "checklist.toml"
[http]
per_host_interval = 0
retries = 0
connect_timeout = 2
read_timeout = 5
soft_404_probe = false
{tables}
{items}
""", encoding="utf-8")
    return load_config(tmp_path / "config.toml")

