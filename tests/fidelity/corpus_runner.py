"""Serve every case's site on 127.0.0.1, audit each with the real ``oit_checker`` audit, compare.

One ``CorpusServer`` holds all the sites: each case listens on its own port of 127.0.0.1 (so each
site has its own root, robots.txt and not-found answer, and the audit's ``domains`` make it "the
main website"); requests whose Host is ``localhost`` get the case's external files (the stand-in
for a social network). One port is kept closed: ``@@DEAD@@`` links point at it (connection
refused on the agency's own host). Used by ``test_fidelity.py`` and ``bench/fidelity.py``.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "integration"))  # mkpdf: the legacy-font PDF writer
sys.path.insert(0, str(HERE.parents[1]))

from corpus import CASES, Case, Reply  # noqa: E402
from corpus_docs import Spec, build_all, content_type  # noqa: E402
from corpus_sites import page  # noqa: E402

from oit_checker.audit import audit_async  # noqa: E402
from oit_checker.config import parse_config_text  # noqa: E402
from oit_checker.models import ItemResult, Status  # noqa: E402

HTML = "text/html; charset=utf-8"
NOT_FOUND = page("ไม่พบหน้า", "<h2>404 Not Found</h2><p>ไม่พบหน้าที่ต้องการ</p>")
Served = tuple[int, dict[str, str], bytes]


class _Handler(BaseHTTPRequestHandler):
    server: _Site
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 10

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._reply(head=False)

    def do_HEAD(self) -> None:
        self._reply(head=True)

    def _reply(self, head: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        external = (self.headers.get("Host") or "").startswith("localhost")
        files = self.server.external if external else self.server.files
        status, headers, body = files.get(path) or files.get("*") or (404, {"Content-Type": HTML}, NOT_FOUND.encode())
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(b"" if head else body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Site(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, files: dict[str, Served], external: dict[str, Served]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = files
        self.external = external

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def dead_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def corpus_specs(cases: Iterable[Case]) -> list[Spec]:
    """The documents (PDFs, Office files) the cases serve."""
    return [body for c in cases for body in (*c.files.values(), *c.external.values())
            if not isinstance(body, str | Reply)]


class CorpusServer:
    """Every case's site, each on its own port of 127.0.0.1, in daemon threads."""

    def __init__(self, cases: Iterable[Case]) -> None:
        self.cases = list(cases)
        self.documents = build_all(corpus_specs(self.cases))
        self.dead = dead_port()
        self.sites: dict[str, _Site] = {}
        for c in self.cases:
            site = _Site({}, {})
            self.sites[c.id] = site
            site.files = self._serve(c.files, site.server_address[1])
            site.external = self._serve(c.external, site.server_address[1])
        self._threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
                         for s in self.sites.values()]
        for thread in self._threads:
            thread.start()

    def fill(self, text: str, port: int) -> str:
        return text.replace("@@EXT@@", f"http://localhost:{port}").replace("@@DEAD@@", f"http://127.0.0.1:{self.dead}")

    def _serve(self, files: dict[str, object], port: int) -> dict[str, Served]:
        out: dict[str, Served] = {}
        for path, body in files.items():
            if isinstance(body, str):
                out[path] = (200, {"Content-Type": HTML}, self.fill(body, port).encode())
            elif isinstance(body, Reply):
                raw = self.fill(body.body, port).encode() if isinstance(body.body, str) else body.body
                out[path] = (body.status, dict(body.headers), raw)
            else:
                out[path] = (200, {"Content-Type": content_type(body)}, self.documents[body])  # type: ignore[index]
        return out

    def base(self, case_id: str) -> str:
        return f"http://127.0.0.1:{self.sites[case_id].server_address[1]}"

    def item_url(self, c: Case) -> str:
        port = self.sites[c.id].server_address[1]
        return self.fill(c.url, port) if c.url.startswith("@@") else self.base(c.id) + c.url

    def close(self) -> None:
        for site in self.sites.values():
            site.shutdown()
            site.server_close()

    def __enter__(self) -> CorpusServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def config_text(c: Case, base: str, url: str) -> str:
    """The agency config auditing one case: its site is the main website, politeness lifted."""
    return f"""
[agency]
name = "กรณีทดสอบ {c.id}"
homepage = "{base}/"
domains = ["127.0.0.1"]
[audit]
checklist = "{c.checklist}"
select = ["{c.item}"]
[http]
retries = 0
per_host_interval = 0
read_timeout = 20
total_timeout = 60
[crawl]
max_pages = 200
[browser]
mode = "{c.browser}"
[evidence]
enabled = false
[items.{c.item}]
urls = ["{url}"]
"""


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: str
    reasons: tuple[str, ...]
    """Reason codes of the item's non-pass findings (all findings' when it passes)."""
    seconds: float

    @property
    def agrees(self) -> bool:
        return self.got == self.case.expected and (self.case.reason is None or self.case.reason in self.reasons)

    @property
    def false_fail(self) -> bool:
        return self.got == "fail" and self.case.expected != "fail"

    @property
    def lenient(self) -> bool:
        return self.got in ("pass", "warn") and self.case.expected in ("fail", "unverified")


def _reasons(item: ItemResult) -> tuple[str, ...]:
    findings = [f for u in item.urls for f in u.findings] + list(item.findings)
    bad = [f.reason for f in findings if f.status is not Status.PASS]
    return tuple(dict.fromkeys(bad or [f.reason for f in findings]))


async def _one(server: CorpusServer, c: Case, workdir: Path, gate: asyncio.Semaphore) -> Outcome:
    async with gate:
        started = time.perf_counter()
        loaded = parse_config_text(config_text(c, server.base(c.id), server.item_url(c)), f"{c.id}.toml", workdir)
        try:
            result = await audit_async(loaded)
        except Exception as exc:  # noqa: BLE001 - one broken case must not hide the others
            return Outcome(c, "error", (f"{type(exc).__name__}: {exc}"[:120],), time.perf_counter() - started)
        item = result.items[0]
        return Outcome(c, str(item.status), _reasons(item), time.perf_counter() - started)


async def _all(server: CorpusServer, cases: list[Case], workdir: Path, concurrency: int) -> list[Outcome]:
    gate = asyncio.Semaphore(concurrency)
    return list(await asyncio.gather(*(_one(server, c, workdir, gate) for c in cases)))


def run_corpus(cases: Iterable[Case] | None = None, concurrency: int = 12) -> list[Outcome]:
    """Audit every case (all of ``CASES`` by default) against its own site; one outcome each."""
    chosen = list(CASES if cases is None else cases)
    with CorpusServer(chosen) as server, tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_all(server, chosen, Path(tmp), concurrency))


def summary(outcomes: list[Outcome]) -> str:
    """``agreement N/M, false fails F, lenient L``."""
    agree = sum(o.agrees for o in outcomes)
    return (f"agreement {agree}/{len(outcomes)}, false fails {sum(o.false_fail for o in outcomes)}, "
            f"lenient {sum(o.lenient for o in outcomes)}")


def disagreements(outcomes: list[Outcome]) -> str:
    """The table of cases where the tool and the assessor differ (Markdown)."""
    rows = ["| case | expected | got | reason codes | why |", "|---|---|---|---|---|"]
    for o in outcomes:
        if not o.agrees:
            expected = o.case.expected + (f" ({o.case.reason})" if o.case.reason else "")
            rows.append(f"| {o.case.id} | {expected} | {o.got} | {', '.join(o.reasons)} | {o.case.why} |")
    return "\n".join(rows)


def prebuild() -> None:
    """Fill the PDF cache (``python corpus_runner.py --build``, started by ``prebuild.py``). One builder
    at a time (a lock file beside the cache): a second one, e.g. another pytest-xdist worker's, waits and
    then finds every file cached."""
    import fcntl

    from corpus_docs import CACHE

    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build_all(corpus_specs(CASES))


if __name__ == "__main__" and sys.argv[1:] == ["--build"]:
    prebuild()
