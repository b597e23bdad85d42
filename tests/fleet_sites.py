"""Many small agency websites served at once, for the fleet tests and ``bench/fleet.py``.

One asyncio server (in a thread, or in its own process with ``python tests/fleet_sites.py``)
listens on one port of many loopback addresses: agency *i* is ``127.0.{1 + i // 250}.{1 + i % 250}``
(Linux routes all of 127.0.0.0/8 to ``lo``), so every agency is its own host for the per-host
limits and for the "main website" rule, and no name is ever looked up. ``127.0.200.1`` stands for
a shared outside host (facebook.com) that every agency links to.

Each agency: a homepage -> an OIT index -> one page per checklist item (one item as a Thai PDF),
made from the checklist itself so that a passing agency passes. Outcomes, by agency number n
(1-based), first match wins: n == 2 dead (503 for every path), n == 3 slow (``slow_latency``
more per response, else passes), n % 5 == 0 one item 404, n % 7 == 0 one item of a stale fiscal
year, n % 9 == 0 one item without any date, else every item passes.

The server counts requests and the peak of requests in flight per host (``stats()``, or JSON at
``/__fleet_sites__/stats`` on any host, for a server in another process).

Its HTTP is a minimal keep-alive loop over ``asyncio.start_server``: the stdlib ``http.server`` would
need a thread per connection (1,000 hosts, each kept alive by its workers), and no asynchronous
HTTP server is among the project's dependencies. It serves only the
fleet's own clients (httpx, Chromium): the hostile-input tests use ``raw_server.py`` and
``hostile_server.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import json
import os
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oit_checker.checklist import Checklist, Item, Period, load_checklist

CHECKLIST = "ita-2569"
EXTERNAL_ADDRESS = "127.0.200.1"
STATS_PATH = "/__fleet_sites__/stats"
HTML = "text/html; charset=utf-8"
MONTHS = ("ตุลาคม", "พฤศจิกายน", "ธันวาคม", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม",
          "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน")
"""Thai months in fiscal-year order (October first)."""
DETECTOR_TEXT = {"phone": "โทรศัพท์ 02-141-5555", "fax": "โทรสาร 02-141-5556", "email": "อีเมล saraban@agency.test",
                 "money": "งบประมาณ 1,250,000 บาท", "person_name": "นายสมชาย ใจดี", "url": "https://agency.test/",
                 "thai_date": "ประกาศ ณ วันที่ 8 มกราคม 2569"}
"""Text that each detector of ``oit_checker.checks.detectors`` finds."""
PATTERN_TEXT = {r"\d+\s*(วัน|ชั่วโมง|ชม\.|นาที)": "ระยะเวลาดำเนินการ 15 วัน", r"(?i)e-?service": "บริการ e-Service"}
"""Text for the regular expressions the bundled checklists use (an unknown one gets nothing)."""
CHROMIUM = "/usr/bin/chromium"
OUTCOMES = ("pass", "dead", "slow", "missing", "stale", "undated")


def outcome_of(number: int) -> str:
    """The planned outcome of agency ``number`` (1-based); see the module docstring."""
    if number == 2:
        return "dead"
    if number == 3:
        return "slow"
    for divisor, outcome in ((5, "missing"), (7, "stale"), (9, "undated")):
        if number % divisor == 0:
            return outcome
    return "pass"


def address_of(index: int) -> str:
    """Loopback address of agency ``index`` (0-based): 250 per /24, from 127.0.1.1."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


@dataclass(frozen=True)
class SiteAgency:
    """One served agency, as a fleet file names it."""

    id: str
    name: str
    homepage: str
    domains: tuple[str, ...]
    items: dict[str, list[str]]
    outcome: str
    host: str
    affected: str = ""
    """The item code the outcome breaks ('' for pass, dead and slow)."""


def _year_text(item: Item, year: int, mode: str) -> str:
    """Words that give ``item`` the period ``mode`` ('ok', 'stale', 'undated') for ``year``."""
    if mode == "undated" or item.period == Period.NONE:
        return ""
    if mode == "stale":
        return f"<h2>ประจำปีงบประมาณ พ.ศ. {year - 3}</h2>"
    if item.period == Period.PREVIOUS_FISCAL_YEAR:
        return f"<h2>ประจำปีงบประมาณ พ.ศ. {year - 1}</h2>"
    if item.period == Period.CURRENT_AND_PREVIOUS_FISCAL_YEAR:
        return f"<h2>ประจำปีงบประมาณ พ.ศ. {year - 1} - {year}</h2>"
    if item.period == Period.SIX_MONTHS:
        return f"<h2>รายงานรอบ 6 เดือน (ตุลาคม {year - 1} - มีนาคม {year}) ประจำปีงบประมาณ พ.ศ. {year}</h2>"
    if item.period == Period.MONTHLY:
        rows = "".join(f"<tr><td>{m} {year - 1 if k < 3 else year}</td><td>12,000 บาท</td></tr>"
                       for k, m in enumerate(MONTHS))
        return f"<h2>ประจำปีงบประมาณ พ.ศ. {year}</h2><table><tr><th>เดือน</th><th>จำนวนเงิน</th></tr>{rows}</table>"
    return f"<h2>ประจำปีงบประมาณ พ.ศ. {year}</h2>"


def item_body(item: Item, year: int, mode: str = "ok") -> str:
    """The main content of ``item``'s page: every element's words, and its period (by ``mode``)."""
    parts = [f"<h1>{html.escape(item.code)} {html.escape(item.name_th)}</h1>", _year_text(item, year, mode)]
    for element in item.elements:
        words = [element.phrases[0]] if element.phrases else []
        words += [DETECTOR_TEXT[d] for d in element.detectors if d in DETECTOR_TEXT]
        words += [PATTERN_TEXT[p] for p in element.patterns if p in PATTERN_TEXT]
        if element.columns:
            parts.append("<table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in element.columns)
                         + "</tr><tr>" + "".join("<td>-</td>" for _ in element.columns) + "</tr></table>")
        if element.phrases:  # a sentence: a bare label reads as a heading, not as the content
            words[0] = f"ข้อมูล{words[0]}ของหน่วยงาน มีรายละเอียดครบถ้วนตามที่กำหนด"
        parts.append(f"<h3>{html.escape(element.name)}</h3><p>{html.escape(' '.join(words))}</p>")
    return "\n".join(p for p in parts if p)


def page(title: str, body: str, nav: str = "") -> bytes:
    return (f'<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head><body><nav>{nav}</nav><main>{body}</main></body></html>").encode()


_PDF_CACHE: dict[str, bytes] = {}


def thai_pdf(source: bytes) -> bytes:
    """``source`` (an HTML page) printed to PDF by Chromium once; kept in the temp folder by its hash."""
    key = hashlib.sha256(source).hexdigest()[:16]
    if key in _PDF_CACHE:
        return _PDF_CACHE[key]
    target = Path(tempfile.gettempdir()) / f"oit-fleet-sites-{key}.pdf"
    if not target.exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                tab = browser.new_page()
                tab.set_content(source.decode(), wait_until="load")
                partial = target.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")
                tab.pdf(path=str(partial), format="A4")
                partial.replace(target)
            finally:
                browser.close()
    _PDF_CACHE[key] = target.read_bytes()
    return _PDF_CACHE[key]


@dataclass
class _Site:
    """The pages of one agency: path -> (status, content type, body)."""

    agency: SiteAgency
    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)


class FleetSites:
    """Serve ``count`` agencies; a context manager (``with FleetSites(30) as sites: sites.agencies``)."""

    def __init__(self, count: int = 30, *, latency: float = 0.0, slow_latency: float = 2.0,
                 checklist: str = CHECKLIST, port: int = 0) -> None:
        self.count, self.latency, self.slow_latency, self.port = count, latency, slow_latency, port
        self.checklist: Checklist = load_checklist(checklist)
        self.agencies: list[SiteAgency] = []
        self.requests: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self._inflight: Counter[str] = Counter()
        self._sites: dict[str, _Site] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._writers: set[asyncio.StreamWriter] = set()
        pdf_item = self._pdf_item()  # printed here, outside any event loop (Playwright's sync API)
        self._pdf = thai_pdf(page(pdf_item.name_th, item_body(pdf_item, self.checklist.assessment_year)))

    # --- content -----------------------------------------------------------------------------

    @property
    def external(self) -> str:
        """The shared outside host's base URL (a stand-in for facebook.com)."""
        return f"http://{EXTERNAL_ADDRESS}:{self.port}"

    def _pdf_item(self) -> Item:
        items = self.checklist.items
        return next((i for i in items if i.period == Period.PREVIOUS_FISCAL_YEAR), items[-1])

    def _build(self) -> None:
        year = self.checklist.assessment_year
        pdf_item = self._pdf_item()
        pdf = self._pdf
        dated = [i for i in self.checklist.items if i.period != Period.NONE and i is not pdf_item]
        for index in range(self.count):
            number, host = index + 1, address_of(index)
            outcome = outcome_of(number)
            base = f"http://{host}:{self.port}"
            name = f"องค์การบริหารส่วนตำบลทดสอบ {number}"
            affected = {"missing": self.checklist.items[1].code if len(self.checklist.items) > 1 else "",
                        "stale": dated[0].code if dated else "",
                        "undated": dated[-1].code if dated else ""}.get(outcome, "")
            items: dict[str, list[str]] = {}
            site = _Site(SiteAgency(f"agency-{number:04d}", name, base + "/", (host,), items, outcome, host, affected))
            links = []
            for item in self.checklist.items:
                slug = item.code.lower().replace(".", "-")
                if item is pdf_item:
                    path = f"/ita/docs/{slug}-report.pdf"
                    site.pages[path] = (200, "application/pdf", pdf)
                else:
                    path = f"/ita/{slug}.html"
                    mode = outcome if item.code == affected and outcome in ("stale", "undated") else "ok"
                    body = item_body(item, year, mode)
                    if item.code != affected or outcome != "missing":
                        site.pages[path] = (200, HTML, page(f"{item.code} {item.name_th} - {name}", body))
                items[item.code] = [base + path]
                links.append(f'<li><a href="{path}">{html.escape(item.code)} {html.escape(item.name_th)}</a></li>')
            site.pages["/"] = (200, HTML, page(name, (
                f"<h1>{name}</h1><p>ยินดีต้อนรับสู่เว็บไซต์{name}</p>"
                f'<p><a href="/ita/">การเปิดเผยข้อมูลสาธารณะ (ITA/OIT)</a></p>'
                f'<p><a href="{self.external}/agency-{number:04d}">Facebook ของหน่วยงาน</a></p>'),
                nav='<a href="/">หน้าแรก</a> <a href="/ita/">ITA</a>'))
            site.pages["/ita/"] = (200, HTML, page(f"ITA {self.checklist.assessment_year} - {name}", (
                f"<h1>การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปี พ.ศ. {year}</h1><ul>{''.join(links)}</ul>")))
            self._sites[host] = site
            self.agencies.append(site.agency)

    def _reply(self, host: str, path: str) -> tuple[int, str, bytes]:
        if path == STATS_PATH:
            return 200, "application/json", json.dumps(self.stats()).encode()
        site = self._sites.get(host)
        if site is None:  # the outside host: one small page per agency
            return 200, HTML, page("Facebook", f"<h1>หน้าเพจ {html.escape(path)}</h1>")
        if site.agency.outcome == "dead":
            return 503, HTML, page("503 Service Unavailable", "<h1>Service Unavailable</h1>")
        return site.pages.get(path.split("?")[0], (404, HTML, page("404 Not Found", "<h1>ไม่พบหน้า</h1>")))

    # --- counters ----------------------------------------------------------------------------

    def stats(self) -> dict[str, dict[str, int]]:
        """``{"requests": {host: n}, "peak": {host: n}}`` so far."""
        return {"requests": dict(self.requests), "peak": dict(self.peak)}

    def reset_counters(self) -> None:
        self.requests.clear()
        self.peak.clear()

    # --- server ------------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        self._writers.add(writer)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                method, target = head[0].split(" ")[:2]
                headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
                if int(headers.get("content-length", "0") or 0):
                    await reader.readexactly(int(headers["content-length"]))
                self.requests[host] += 1
                self._inflight[host] += 1
                self.peak[host] = max(self.peak[host], self._inflight[host])
                try:
                    slow = host in self._sites and self._sites[host].agency.outcome == "slow"
                    delay = self.latency + (self.slow_latency if slow else 0.0)
                    if delay and target != STATS_PATH:
                        await asyncio.sleep(delay)
                    status, ctype, body = self._reply(host, target)
                finally:
                    self._inflight[host] -= 1
                close = headers.get("connection", "").lower() == "close"
                writer.write((f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\nContent-Type: {ctype}\r\n"
                              f"Content-Length: {len(body)}\r\nConnection: {'close' if close else 'keep-alive'}"
                              "\r\n\r\n").encode() + (b"" if method == "HEAD" else body))
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _bind(self) -> None:
        hosts = [EXTERNAL_ADDRESS, *(address_of(i) for i in range(self.count))]
        for _attempt in range(5):
            try:
                first = await asyncio.start_server(self._handle, hosts[0], self.port, backlog=256)
                port = first.sockets[0].getsockname()[1]
                self._servers = [first] + [await asyncio.start_server(self._handle, h, port, backlog=256)
                                           for h in hosts[1:]]
                self.port = port
                return
            except OSError:  # that port was taken on one of the addresses: try another free one
                for server in self._servers:
                    server.close()
                self._servers = []
                if self.port:
                    raise
        raise OSError("no port free on every loopback address")

    async def serve(self) -> None:
        """Bind, then build the pages (their URLs hold the port), in the running loop."""
        await self._bind()
        self._build()

    def __enter__(self) -> FleetSites:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(self.serve())
            except Exception as exc:  # noqa: BLE001 - re-raised by __enter__ in the caller's thread
                failure.append(exc)
                self._loop.close()
                ready.set()
                return
            ready.set()
            self._loop.run_forever()
            tasks = asyncio.all_tasks(self._loop)
            for task in tasks:
                task.cancel()
            if tasks:
                self._loop.run_until_complete(asyncio.wait(tasks, timeout=5))
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fleet-sites", daemon=True)
        self._thread.start()
        ready.wait(120)
        if failure:
            raise failure[0]
        return self

    def __exit__(self, *exc: object) -> None:
        loop = self._loop
        if loop is None:
            return

        async def close() -> None:
            for server in self._servers:
                server.close()
            for writer in list(self._writers):  # kept-alive client connections
                writer.close()

        asyncio.run_coroutine_threadsafe(close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread:
            self._thread.join(10)

    # --- fleet file --------------------------------------------------------------------------

    def write_fleet(self, path: Path, *, name: str = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดทดสอบ",
                    agencies: list[SiteAgency] | None = None, extra: dict[str, Any] | None = None) -> Path:
        """Write a fleet file (plan16 §2) auditing ``agencies`` (default all): inline agencies,
        this checklist, no browser, no evidence, no request spacing. ``extra`` merges into the top
        level tables (e.g. ``{"storage": {"path": "h.sqlite3"}}``)."""
        import tomlkit

        data: dict[str, Any] = {
            "fleet": {"name": name, "checklist": self.checklist.id, "lang": "th"},
            "defaults": {"http": {"retries": 0, "per_host_interval": 0, "read_timeout": 30},
                         "browser": {"mode": "never"}, "evidence": {"enabled": False}},
        }
        for key, value in (extra or {}).items():
            data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
        data["agencies"] = [{"id": a.id, "name": a.name, "homepage": a.homepage, "domains": list(a.domains),
                             "items": {code: {"urls": urls} for code, urls in a.items.items()}}
                            for a in (self.agencies if agencies is None else agencies)]
        path.write_text(tomlkit.dumps(data), encoding="utf-8")
        return path


def config_text(agency: SiteAgency, checklist: str = CHECKLIST) -> str:
    """A one-agency ``config.toml`` (no browser, evidence or store) for a plain ``audit`` of ``agency``."""
    import tomlkit

    return tomlkit.dumps({
        "agency": {"name": agency.name, "homepage": agency.homepage, "domains": list(agency.domains)},
        "audit": {"checklist": checklist},
        "http": {"retries": 0, "per_host_interval": 0, "read_timeout": 30},
        "browser": {"mode": "never"}, "evidence": {"enabled": False}, "storage": {"enabled": False},
        "items": {code: {"urls": urls} for code, urls in agency.items.items()},
    })


def fetch_stats(base_url: str, timeout: float = 10.0) -> dict[str, dict[str, int]]:
    """The counters of a server running in another process (``base_url``: any agency's homepage)."""
    import urllib.request

    with urllib.request.urlopen(base_url.rstrip("/") + STATS_PATH, timeout=timeout) as answer:  # noqa: S310
        return dict(json.loads(answer.read()))


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted, printing the agencies (``--json``: one JSON object a line)."""
    parser = argparse.ArgumentParser(description="Serve many small OIT agency sites on loopback addresses.")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    parser.add_argument("--slow-latency", type=float, default=2.0, help="more seconds for the slow agency")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--checklist", default=CHECKLIST)
    parser.add_argument("--fleet", type=Path, help="also write a fleet file here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sites = FleetSites(args.count, latency=args.latency, slow_latency=args.slow_latency,
                       checklist=args.checklist, port=args.port)

    async def run() -> None:
        started = time.monotonic()
        await sites.serve()
        if args.fleet:
            sites.write_fleet(args.fleet)
        for a in sites.agencies:
            if args.json:
                print(json.dumps({"id": a.id, "name": a.name, "homepage": a.homepage, "domains": a.domains,
                                  "outcome": a.outcome, "affected": a.affected, "items": a.items},
                                 ensure_ascii=False))
            else:
                print(f"{a.id}\t{a.homepage}\t{a.outcome}\t{a.affected}\t{a.name}")
        print(f"# {len(sites.agencies)} agencies on port {sites.port} in {time.monotonic() - started:.2f} s; "
              f"stats at {sites.agencies[0].homepage.rstrip('/')}{STATS_PATH}", flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
