"""A bounded crawl of the main website: breadth-first from the homepage, a link graph, and the
shortest click path (homepage -> ... -> URL) to every URL it saw linked.

- Breadth-first, one depth level at a time, so the first link found to a URL is on a shortest
  path; ``max_depth`` and ``max_pages`` bound it, and hitting either is recorded (a URL not found
  is then "not known", never "not linked").
- Pages go through the run's one fetcher (per-host concurrency, interval, retries, Retry-After).
  Files are checked without being downloaded: only the headers are read, unless the file is a
  configured item URL (fetched in full, for the audit) or a PDF whose links are wanted.
- ``robots.txt`` is obeyed for crawling when ``obey_robots`` is on (``Crawl-delay`` too, capped);
  the homepage and configured item URLs are always fetched (``oit_checker.robots``).
- ``sitemap.xml`` (and ``Sitemap:`` lines) add pages the links did not reach; a page known only
  from a sitemap has no click path.
- Links come from ``<a>``, ``<area>``, ``<iframe>``/``<frame>``, ``<meta http-equiv=refresh>`` and
  from PDFs; only HTML pages (and such PDFs) are read for links, only main-website pages are
  followed. URLs are compared with ``oit_checker.urls.page_key`` (no loops, no refetching).
- The homepage and the pages that look like the OIT index (title, headings or URL say OIT/ITA,
  or they link to two item URLs or more) keep their outgoing links, which are checked at the
  end: the broken links assessors would click.
- **Unread pages.** A linked main-website page that could not be read (network error, timeout,
  5xx, 429, bot wall; not 404/410: those pages are gone, not hidden) may hold the only link to
  an item, so the crawl did not see the whole site: ``LinkGraph.unread_pages()`` lists them and
  "not linked" becomes ``unverified`` (``checks/location.py``).
- **Script-built navigation.** A page with scripts whose HTML gives nothing new to follow — no
  link but to itself or the homepage, or an OIT-looking page whose links were all seen already
  (an accordion or a client-side menu fills it) — is opened in the browser when the crawl has
  a ``renderer`` (at most ``max_rendered`` pages), and its rendered links are followed. Without
  one, or past the bound, the page counts as unread (``needs_browser``). Item URLs are not
  rendered here: the audit opens them for their verdict, and they are the ends of click paths.
- **Boilerplate by frequency.** The visible text of the first ``BOILERPLATE_SAMPLE`` pages read
  (item URLs left out, so that only the site's own pages decide) is split into lines;
  a line (``thai.compact``-ed, with a letter in it, 2–``BOILERPLATE_MAX_CHARS`` characters) on
  at least half of them, with at least ``BOILERPLATE_MIN_PAGES`` pages read, is
  ``LinkGraph.boilerplate``: menus, headers, footers.

Memory stays small for big sites: per URL only its string, parent, depth, status and flags.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import re
import time
from array import array
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol
from urllib.parse import urlsplit

from .extract import sniff_kind
from .extract.links import FoundLink, PageLinks, html_links, pdf_links
from .fetch.interface import BodyCap, Fetcher
from .messages import REASONS
from .models import BrokenLink, CrawlSummary, FetchResult, Status
from .robots import RobotsRules, agent_token, parse_robots, parse_sitemap
from .thai import compact, normalize
from .urls import blocked_reason, host_matches, host_of, is_wellformed, page_key

NO_PARENT = -1
"""A URL known before any link to it was seen (an item URL)."""
SEED = -2
"""A URL known from a sitemap, not from a link."""

_INTERNAL, _FETCHED, _PARSED, _ITEM, _ROBOTS, _HINT, _QUEUED, _EXCLUDED = (1 << i for i in range(8))

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FILE_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods odp rtf csv zip rar 7z gz tar jpg jpeg png gif bmp tif tiff webp "
    "svg ico mp3 mp4 avi mov wmv mkv webm exe msi apk iso dmg css js json xml".split())
_OIT_WORDS = re.compile(
    r"(?<![a-z])(?:oit|ita)(?![a-z])|การเปิดเผยข้อมูลสาธารณะ|คุณธรรมและความโปร่งใส|open\s*data\s*integrity",
    re.IGNORECASE)
_HINT_WORDS = re.compile(
    r"(?<![a-z])(?:oit|ita|o\s*\.?\s*\d{1,2})(?![a-z])|เปิดเผยข้อมูล|คุณธรรม|โปร่งใส|ทุจริต", re.IGNORECASE)
MAX_SITEMAP_FILES = 20
KEY_CACHE = 20_000
"""Link URLs whose ``page_key`` is remembered: a site links to the same pages from every page
(bench/crawl.py: 60,000 links to 5,300 URLs), and the key costs more than the lookup."""
MAX_OIT_PAGES = 100
"""Pages whose links are kept for the broken-link check (the shallowest ones: the crawl is breadth first)."""
UNREAD_PROBLEMS = frozenset({"bot_wall", "rate_limited", "server_error", "needs_browser"})
"""Failures (besides every network error) that leave a page's links unknown: the page exists
but the crawl could not see it. 404/410 (gone), 401/403 (a login wall a person meets too) and
addresses refused by policy are answers, not gaps."""
_NOT_GAPS = frozenset({"http_404", "http_410", "login_wall", "http_client_error", "blocked_address"})
BOILERPLATE_SAMPLE = 60
"""Pages whose visible text is counted for boilerplate (the first ones read: the homepage and
its neighbours, which show the site's templates)."""
BOILERPLATE_MIN_PAGES = 4
BOILERPLATE_SHARE = 0.5
BOILERPLATE_MAX_LINES = 400
"""Lines counted per page (menus and headers come first in the text)."""
BOILERPLATE_MAX_CHARS = 400
"""Longer lines are paragraphs, not template text."""

Renderer = Callable[[str], Awaitable[FetchResult | None]]
"""Opens a URL in a browser: the rendered page (its DOM as ``body``), or None when it cannot."""


class UnreadPage(NamedTuple):
    """A linked main-website page the crawl could not read (its links are unknown)."""

    url: str
    problem: str
    """Reason code: ``dns_error``, ``timeout``, ``server_error``, ``bot_wall``, ``needs_browser`` …"""
    detail: str = ""


@dataclass(frozen=True)
class CrawlOptions:
    """Bounds and policy of one crawl (the ``[crawl]`` table of the config)."""

    max_pages: int = 500
    """URLs fetched on the main website (pages and files), the homepage included."""
    max_depth: int = 5
    """Clicks from the homepage; links on pages at this depth are recorded but not followed."""
    obey_robots: bool = True
    sitemap: bool = True
    pdf_links: str = "oit"
    """Read links from PDFs on the site: ``none``, ``oit`` (item URLs and PDFs linked with OIT
    words), ``all``."""
    max_page_bytes: int = 5 * 1024 * 1024
    """HTML pages are read up to this size for links."""
    max_pdf_bytes: int = 20 * 1024 * 1024
    exclude: tuple[str, ...] = ()
    """Regular expressions; matching URLs are not crawled (calendars, search results …)."""
    check_links: bool = True
    """Check every link of the OIT index pages (broken links)."""
    max_link_checks: int = 500
    max_crawl_delay: float = 10.0
    """The longest robots.txt ``Crawl-delay`` honoured (seconds)."""
    workers: int = 16
    """Requests the crawl keeps in flight (the fetcher's per-host limits still apply)."""
    max_rendered: int = 10
    """Pages with script-built navigation opened in the browser during the crawl (0: none)."""
    user_agent: str = "oit-checker"


class PageVisitor(Protocol):
    """Sees every HTML page the crawl reads (discovery scores them); must not block."""

    def page(self, url: str, depth: int, links: PageLinks) -> None:
        """``url`` (its final URL) was read at ``depth`` clicks from the homepage."""


@dataclass(frozen=True)
class UrlInfo:
    """What the crawl knows about one URL."""

    url: str
    depth: int
    """Clicks from the homepage (-1 when no link to it was followed)."""
    status: int | None
    """Final HTTP status, or None when it was not fetched (or failed: see ``problem``)."""
    problem: str | None
    """Reason code when the URL is broken or could not be checked (``http_404``, ``dns_error`` …)."""
    fetched: bool
    html: bool
    robots_blocked: bool
    in_sitemap: bool


@dataclass
class LinkGraph:
    """The crawl's result: which URLs are linked from where, and what was found there.

    Treated as a value once returned (the checks read it, never change it).
    """

    homepage: str
    domains: tuple[str, ...]
    options: CrawlOptions
    root_ok: bool = False
    """The homepage was read: without it nothing is known about links."""
    limit_reached: str = ""
    """``max_pages`` or ``max_depth`` when the crawl stopped before every linked page was read."""
    pages: int = 0
    """HTML pages read."""
    fetches: int = 0
    """Requests the crawl made on the main website."""
    robots_blocked: int = 0
    """Linked main-website pages (not files) not crawled because robots.txt disallows them."""
    depth_reached: int = 0
    elapsed: float = 0.0
    sitemap_urls: int = 0
    fetched: dict[str, FetchResult] = field(default_factory=dict)
    """Full responses kept for the audit: the homepage and item URLs the crawl fetched."""
    broken_links: tuple[BrokenLink, ...] = ()
    oit_pages: tuple[str, ...] = ()
    boilerplate: frozenset[str] = frozenset()
    """Lines of text (``thai.compact``-ed) that recur on most pages the crawl read: menus,
    headers, footers; the checks leave them out of what a page says (``checks/text.py``)."""
    rendered: int = 0
    """Pages opened in the browser for their script-built navigation."""
    malformed_links: int = 0
    """Links skipped because no URL parser can read them (``http://[``)."""
    _index: dict[str, int] = field(default_factory=dict)
    _urls: list[str] = field(default_factory=list)
    _parent: array[int] = field(default_factory=lambda: array("l"))
    _depth: array[int] = field(default_factory=lambda: array("h"))
    _status: array[int] = field(default_factory=lambda: array("h"))
    _flags: bytearray = field(default_factory=bytearray)
    _failures: dict[int, tuple[str, str]] = field(default_factory=dict)
    """URL id -> (reason code, detail) for the URLs found broken or unreadable."""
    _unread: dict[int, tuple[str, str]] = field(default_factory=dict)
    """URL id -> (reason code, detail) for the linked pages whose links the crawl could not read."""

    @property
    def homepage_problem(self) -> str | None:
        """Why the homepage could not be read (a reason code), or None when it was."""
        if self.root_ok:
            return None
        result = self.fetched.get(self.homepage)
        if result is not None and result.error:
            return result.error
        if result is not None and not result.ok:
            return f"http_{result.status}"
        failure = self._failures.get(0)
        return failure[0] if failure else "not_html"

    @classmethod
    def build(cls, homepage: str, domains: Iterable[str], links: dict[str, list[str]], *,
              limit_reached: str = "", robots_blocked: int = 0, sitemap: Iterable[str] = (),
              options: CrawlOptions | None = None, unread: dict[str, str] | None = None) -> LinkGraph:
        """A graph from known links (page -> URLs it links to), as a crawl from ``homepage``
        would have found them: for tests and for callers that crawl by other means. ``unread``:
        linked pages that could not be read (URL -> reason code)."""
        graph = cls(homepage=homepage, domains=tuple(domains), options=options or CrawlOptions(),
                    root_ok=True, limit_reached=limit_reached, robots_blocked=robots_blocked)
        graph.fetched = {}

        def add(url: str, parent: int, depth: int) -> tuple[int, bool]:
            key = page_key(url)
            if key in graph._index:
                return graph._index[key], False
            graph._index[key] = len(graph._urls)
            graph._urls.append(url)
            graph._parent.append(parent)
            graph._depth.append(depth)
            graph._status.append(200)
            graph._flags.append(_FETCHED | (_INTERNAL if host_matches(host_of(url), graph.domains) else 0))
            return len(graph._urls) - 1, True

        adjacency = {page_key(page): targets for page, targets in links.items()}
        add(homepage, NO_PARENT, 0)
        level = [homepage]
        depth = 0
        while level:
            depth += 1
            following: list[str] = []
            for page in level:
                for target in adjacency.get(page_key(page), []):
                    _, new = add(target, graph._index[page_key(page)], depth)
                    if new:
                        following.append(target)
            level = following
        for url in sitemap:
            add(url, SEED, -1)
        for url, problem in (unread or {}).items():
            uid = graph._index[page_key(url)]
            graph._unread[uid] = graph._failures[uid] = (problem, "")
            graph._status[uid] = 0
        graph.pages = len(graph._urls) - len(graph._unread)
        return graph

    def _uid(self, url: str) -> int | None:
        return self._index.get(page_key(url))

    def click_path(self, url: str) -> list[str] | None:
        """The shortest chain of links homepage -> … -> ``url``, or None when no followed link
        leads to it (orphan, only in a sitemap, beyond the limits, or never seen)."""
        uid = self._uid(url)
        if uid is None or not self.root_ok:
            return None
        path: list[str] = []
        for _ in range(len(self._urls) + 1):
            path.append(self._urls[uid])
            if uid == 0:
                path.reverse()
                return path
            uid = self._parent[uid]
            if uid < 0:
                return None
        return None

    def info(self, url: str) -> UrlInfo | None:
        """What the crawl knows about ``url`` (None: never seen)."""
        uid = self._uid(url)
        if uid is None:
            return None
        flags = self._flags[uid]
        status = self._status[uid]
        failure = self._failures.get(uid)
        return UrlInfo(url=self._urls[uid], depth=self._depth[uid], status=status or None,
                       problem=failure[0] if failure else None, fetched=bool(flags & _FETCHED), html=bool(flags & _PARSED),
                       robots_blocked=bool(flags & _ROBOTS), in_sitemap=self._parent[uid] == SEED)

    def unread_pages(self) -> list[UnreadPage]:
        """Linked main-website pages (not files) the crawl could not read, in crawl order: each
        may hold links nobody saw, so "no link found" is not proof of "not linked"."""
        return [UnreadPage(self._urls[uid], problem, detail) for uid, (problem, detail) in sorted(self._unread.items())]

    def urls(self) -> Iterator[str]:
        """Every URL the crawl saw (linked, fetched or from a sitemap)."""
        return iter(self._urls)

    def __len__(self) -> int:
        return len(self._urls)

    def summary(self) -> CrawlSummary:
        """The part of the crawl that goes into the audit's report."""
        return CrawlSummary(
            pages=self.pages, fetches=self.fetches, urls_seen=len(self._urls), depth_reached=self.depth_reached,
            limit_reached=self.limit_reached, max_pages=self.options.max_pages, max_depth=self.options.max_depth,
            robots_blocked=self.robots_blocked, sitemap_urls=self.sitemap_urls, elapsed=round(self.elapsed, 2),
            oit_pages=self.oit_pages, broken_links=self.broken_links, unread_pages=len(self._unread),
            rendered_pages=self.rendered)


def _failure(result: FetchResult) -> tuple[str, str] | None:
    """``(reason code, detail)`` when a fetch shows the URL broken or unreadable, else None."""
    if result.error is not None:
        return result.error, result.error_detail[:200]
    status = result.status or 0
    if status < 400:
        return None
    if status in (404, 410):
        return f"http_{status}", ""
    if status in (401, 403, 999):
        if "cf-mitigated" in result.headers or status == 999:
            return "bot_wall", f"cf-mitigated: {result.headers['cf-mitigated']}" if status != 999 else "HTTP 999"
        return "login_wall", f"HTTP {status}"
    if status == 429:
        return "rate_limited", ""
    if status >= 500:
        return "server_error", ""
    return "http_client_error", ""


def _is_gap(failure: tuple[str, str]) -> bool:
    """Does this failure leave the page's links unknown (see ``UNREAD_PROBLEMS``)?"""
    reason = failure[0]
    return reason not in _NOT_GAPS and (reason in UNREAD_PROBLEMS or not reason.startswith("http_"))


def boilerplate_lines(text: str) -> set[str]:
    """The lines of a page's visible text that may be template text, ``compact``-ed: with a
    letter in them (not page numbers or separators) and not paragraph-long."""
    out: set[str] = set()
    for line in text.splitlines()[:BOILERPLATE_MAX_LINES]:
        key = compact(line)
        if 2 <= len(key) <= BOILERPLATE_MAX_CHARS and any(c.isalpha() for c in key):
            out.add(key)
    return out


def _looks_like_file(url: str) -> bool:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in _FILE_EXTENSIONS


def is_oit_page(url: str, title: str, headings: Iterable[str]) -> bool:
    """Does the page present itself as the OIT/ITA index: its title or headings say so, or the
    last segment of its path or its query does (``/ita/``, ``/oit-2567``, ``?page=ITA``)?"""
    if _OIT_WORDS.search(normalize(" ".join((title, *headings)))):
        return True
    key = page_key(url)
    path, _, query = key.partition("?")
    last = path.rsplit("/", 1)[-1] if "/" in path else ""
    return bool(_OIT_WORDS.search(f"{last} {query}".replace("-", " ").replace("_", " ")))


class Crawler:
    """One crawl of the main website. ``await Crawler(...).run()`` returns a ``LinkGraph``.

    ``items``: configured item URLs (always fetched in full when reached, whatever robots.txt
    says, and kept in ``LinkGraph.fetched``); ``extra_hosts``: external hosts whose links are
    recorded (the checklist's allowed hosts), other external links are only counted.
    """

    def __init__(self, fetcher: Fetcher, homepage: str, domains: Iterable[str], options: CrawlOptions, *,
                 items: Iterable[str] = (), extra_hosts: Iterable[str] = (), private_ok: bool = False,
                 visitor: PageVisitor | None = None, progress: Callable[[int], None] | None = None,
                 renderer: Renderer | None = None) -> None:
        self.fetcher = fetcher
        self.renderer = renderer
        self.options = options
        self.domains = tuple(domains)
        self.extra_hosts = tuple(extra_hosts)
        self.private_ok = private_ok
        self.visitor = visitor
        self.progress = progress
        self.graph = LinkGraph(homepage=homepage, domains=self.domains, options=options)
        self._agent = agent_token(options.user_agent)
        self._exclude = [re.compile(p) for p in options.exclude]
        self._robots: dict[str, asyncio.Task[RobotsRules]] = {}
        self._delay_locks: dict[str, asyncio.Lock] = {}
        self._next_start: dict[str, float] = {}
        self._next: list[int] = []
        self._watched: dict[int, list[tuple[int, str]]] = {}
        self._item_keys: set[str] = set()
        self._oit_files: set[int] = set()
        self._root_key = page_key(homepage)
        self._keys: dict[str, str] = {}
        self._blocked: dict[str, str] = {}
        self._render_slots = options.max_rendered
        self._sampled = 0
        self._lines: Counter[str] = Counter()
        self._register(homepage, NO_PARENT, 0)
        self.graph._parent[0] = NO_PARENT
        for url in items:
            uid = self._register(url, NO_PARENT, -1)
            self.graph._flags[uid] |= _ITEM
            self._item_keys.add(page_key(url))
        self._page_cap = self._make_cap(pdf=False)
        self._pdf_cap = self._make_cap(pdf=True)

    # -- graph bookkeeping -------------------------------------------------------------------

    def _register(self, url: str, parent: int, depth: int, key: str | None = None) -> int:
        graph = self.graph
        key = key or page_key(url)
        uid = graph._index.get(key)
        if uid is not None:
            return uid
        uid = len(graph._urls)
        graph._index[key] = uid
        graph._urls.append(url)
        graph._parent.append(parent)
        graph._depth.append(max(-1, min(depth, 32767)))
        graph._status.append(0)
        graph._flags.append(_INTERNAL if host_matches(host_of(url), self.domains) else 0)
        return uid

    def _key(self, url: str) -> str:
        key = self._keys.get(url)
        if key is None:
            if len(self._keys) >= KEY_CACHE:
                self._keys.clear()
            key = self._keys[url] = page_key(url)
        return key

    def _blocked_reason(self, url: str) -> str:
        """``blocked_reason`` remembered per origin (it depends only on the scheme and host)."""
        end = url.find("/", url.find("//") + 2)
        origin = url if end < 0 else url[:end]
        reason = self._blocked.get(origin)
        if reason is None:
            reason = self._blocked[origin] = blocked_reason(url, self.private_ok)
        return reason

    def _set_result(self, uid: int, result: FetchResult, *, crawled: bool = True) -> None:
        self.graph._status[uid] = min(result.status or 0, 32767) if result.error is None else 0
        failure = _failure(result)
        if failure is not None:
            self.graph._failures[uid] = failure
            if crawled and _is_gap(failure):
                self._unread(uid, failure)

    def _unread(self, uid: int, failure: tuple[str, str]) -> None:
        """Remember a linked main-website page whose links could not be read."""
        graph = self.graph
        if uid != 0 and graph._flags[uid] & _INTERNAL and graph._parent[uid] >= 0 \
                and not _looks_like_file(graph._urls[uid]):
            graph._unread[uid] = failure

    def _make_cap(self, pdf: bool) -> BodyCap:
        page_bytes, pdf_bytes = self.options.max_page_bytes, self.options.max_pdf_bytes

        def cap(headers: dict[str, str]) -> int:
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype in _HTML_TYPES or ctype in ("", "text/plain"):
                return page_bytes
            if pdf and ctype in ("application/pdf", "application/x-pdf", "application/octet-stream",
                                 "binary/octet-stream", "application/download", "application/force-download"):
                return pdf_bytes
            return 0
        return cap

    # -- the crawl ---------------------------------------------------------------------------

    async def run(self) -> LinkGraph:
        """Crawl, check the OIT pages' links, and return the graph."""
        started = time.monotonic()
        graph = self.graph
        await self._level([0], 0)
        graph.root_ok = bool(graph._flags[0] & _PARSED)
        depth = 0
        while graph.root_ok and self._next:
            depth += 1
            level, self._next = self._next, []
            if depth > self.options.max_depth:
                graph.limit_reached = graph.limit_reached or "max_depth"
                break
            level = self._within_budget(level)
            if not level:
                break
            graph.depth_reached = depth
            await self._level(level, depth)
        if graph.root_ok and self.options.sitemap:
            try:
                await self._sitemaps()
            except Exception:  # noqa: BLE001, S110 - a broken sitemap is no sitemap; the links were followed
                pass
        if graph.root_ok and self.options.check_links:
            await self._check_links()
            graph.oit_pages = tuple(graph._urls[uid] for uid in self._watched)
        graph.boilerplate = self._boilerplate()
        graph.elapsed = time.monotonic() - started
        return graph

    def _within_budget(self, level: list[int]) -> list[int]:
        """The part of the next level the page budget allows, OIT-looking links first."""
        flags = self.graph._flags
        level = [uid for uid in level if not flags[uid] & _FETCHED]
        budget = self.options.max_pages - self.graph.fetches
        if len(level) <= budget:
            return level
        self.graph.limit_reached = "max_pages"
        if budget <= 0:
            return []
        level.sort(key=lambda uid: 0 if flags[uid] & (_ITEM | _HINT) else 1)
        return level[:budget]

    async def _level(self, level: list[int], depth: int) -> None:
        todo = iter(level)

        async def worker() -> None:
            for uid in todo:
                await self._visit(uid, depth)

        await asyncio.gather(*(worker() for _ in range(min(self.options.workers, len(level)))))

    async def _visit(self, uid: int, depth: int, *, follow: bool = True) -> None:
        """Fetch and read one URL; whatever goes wrong stays with that URL (``internal_error``)."""
        try:
            await self._visit_one(uid, depth, follow=follow)
        except Exception as exc:  # noqa: BLE001 - one bad URL never stops the crawl
            self._internal_error(uid, exc)

    def _internal_error(self, uid: int, exc: Exception) -> None:
        failure = ("internal_error", f"{type(exc).__name__}: {exc}"[:200])
        self.graph._failures[uid] = failure
        self._unread(uid, failure)

    def cut_short(self, reason: str) -> LinkGraph:
        """The graph as far as the crawl got, when the run's deadline (or a signal) stopped it:
        ``limit_reached`` says so, so that no item is called "not linked" on a partial crawl."""
        graph = self.graph
        graph.limit_reached = reason
        graph.root_ok = bool(graph._flags[0] & _PARSED) if graph._flags else False
        graph.oit_pages = tuple(graph._urls[uid] for uid in self._watched)
        graph.boilerplate = self._boilerplate()
        return graph

    async def _visit_one(self, uid: int, depth: int, *, follow: bool = True) -> None:
        graph = self.graph
        url = graph._urls[uid]
        flags = graph._flags[uid]
        if flags & _FETCHED:
            return
        graph._flags[uid] |= _FETCHED
        blocked = self._blocked_reason(url)
        if blocked:
            graph._failures[uid] = ("blocked_address", blocked)
            return
        keep = uid == 0 or bool(flags & _ITEM)
        if self.options.obey_robots and not keep:
            rules = await self._rules(url)
            if not rules.allowed(url, self._agent):
                graph._flags[uid] |= _ROBOTS
                if not _looks_like_file(url):  # a file has no links to hide
                    graph.robots_blocked += 1
                return
            await self._crawl_delay(url, rules)
        graph.fetches += 1
        try:
            if keep:
                result = await self.fetcher.fetch(url)
                graph.fetched[url] = result
            else:
                pdf = self.options.pdf_links == "all" or (self.options.pdf_links == "oit" and uid in self._oit_files)
                result = await self.fetcher.fetch_capped(url, self._pdf_cap if pdf else self._page_cap)
        except Exception as exc:  # noqa: BLE001 - one bad URL never stops the crawl
            result = FetchResult(url=url, final_url=url, error="internal_error",
                                 error_detail=f"{type(exc).__name__}: {exc}"[:200])
        if self.progress is not None:
            self.progress(graph.fetches)
        self._set_result(uid, result)
        final_key = self._key(result.final_url)
        if final_key not in graph._index:
            graph._index[final_key] = uid
        if not result.ok or not result.body or not host_matches(host_of(result.final_url), self.domains):
            return
        kind = sniff_kind(result)
        if kind == "html":
            sample = not flags & _ITEM and self._sampled < BOILERPLATE_SAMPLE
            want_text = self.visitor is not None or sample
            try:
                found = html_links(result.body, result.final_url, result.headers.get("content-type", ""),
                                   context=self.visitor is not None, text=want_text)
            except Exception:  # noqa: BLE001 - a page the parser chokes on has no links for us
                return
            if self._script_navigation(uid, result.body, found):
                found = await self._rendered(uid, result.final_url, found, want_text)
            graph._flags[uid] |= _PARSED
            graph.pages += 1
            if sample and self._sampled < BOILERPLATE_SAMPLE:
                self._sampled += 1
                self._lines.update(boilerplate_lines(found.text))
            if self.visitor is not None:
                self.visitor.page(result.final_url, depth, found)
            self._record(uid, depth, found, follow)
        elif kind == "pdf" and self.options.pdf_links != "none" and not result.truncated:
            try:
                targets = await asyncio.to_thread(pdf_links, result.body)
            except Exception:  # noqa: BLE001
                return
            self._record(uid, depth, PageLinks("", (), tuple(FoundLink(t) for t in targets)), follow)

    def _script_navigation(self, uid: int, body: bytes, page: PageLinks) -> bool:
        """Is this page's navigation built by scripts: it has scripts, and its HTML gives nothing
        to follow — no link at all but to itself or the homepage (a script shell), or, on an
        OIT-looking page, only links the crawl has seen already (the list of items comes from a
        script: an accordion, a client-side menu)?"""
        graph = self.graph
        if graph._flags[uid] & _ITEM or not (b"<script" in body or b"<SCRIPT" in body):
            return False  # (an item URL is opened in the browser for its verdict anyway: a leaf here)
        own = (self._key(graph._urls[uid]), self._root_key)
        keys = [key for link in page.links if (key := self._key(link.url)) not in own]
        if not keys:
            return True
        if any(key not in graph._index for key in keys):  # (the homepage's footer links are known by now)
            return False
        return is_oit_page(graph._urls[uid], page.title, page.headings)

    async def _rendered(self, uid: int, url: str, page: PageLinks, text: bool) -> PageLinks:
        """The page's links as the browser shows them; the HTTP links (and the page counted as
        unread) when there is no renderer, the bound is spent or the browser fails."""
        if self.renderer is None or self._render_slots <= 0:
            why = "no browser for the crawl" if self.renderer is None else \
                f"max_rendered = {self.options.max_rendered} reached"
            self._unread(uid, ("needs_browser", why))
            return page
        self._render_slots -= 1
        try:
            result = await self.renderer(url)
        except Exception as exc:  # noqa: BLE001 - a browser failure never stops the crawl
            result = FetchResult(url=url, final_url=url, error="browser_failed", error_detail=str(exc)[:200])
        if result is None or not result.ok or not result.body:
            detail = "the browser could not open it" if result is None else \
                (result.error or f"HTTP {result.status}") + (f": {result.error_detail}" if result.error_detail else "")
            self._unread(uid, ("needs_browser", detail[:200]))
            return page
        self.graph.rendered += 1
        try:
            return html_links(result.body, result.final_url, "text/html; charset=utf-8",
                              context=self.visitor is not None, text=text)
        except Exception:  # noqa: BLE001
            return page

    def _boilerplate(self) -> frozenset[str]:
        """The lines on at least ``BOILERPLATE_SHARE`` of the sampled pages (see the module doc)."""
        if self._sampled < BOILERPLATE_MIN_PAGES:
            return frozenset()
        need = max(2, math.ceil(self._sampled * BOILERPLATE_SHARE))
        return frozenset(line for line, count in self._lines.items() if count >= need)

    def _record(self, uid: int, depth: int, page: PageLinks, follow: bool) -> None:
        graph = self.graph
        graph.malformed_links += page.malformed
        keys = [self._key(link.url) for link in page.links]
        skip = (self._key(graph._urls[uid]), self._root_key)  # itself, the homepage
        watched = self.options.check_links and len(self._watched) < MAX_OIT_PAGES and (
            uid == 0 or is_oit_page(graph._urls[uid], page.title, page.headings)
            or len({key for key in keys if key in self._item_keys and key not in skip}) >= 2)
        out: dict[int, str] = {}
        child_depth = depth + 1
        for link, key in zip(page.links, keys, strict=True):
            target = graph._index.get(key)
            if target is None:
                host = host_of(link.url)
                internal = host_matches(host, self.domains)
                if not (internal or watched or host_matches(host, self.extra_hosts)):
                    continue
                target = self._register(link.url, uid, child_depth, key)
                if internal:
                    self._enqueue(target, link, follow)
            elif graph._parent[target] == NO_PARENT and target != 0:
                graph._parent[target] = uid
                graph._depth[target] = child_depth
                if graph._flags[target] & _INTERNAL:
                    self._enqueue(target, link, follow)
            if watched and target != uid and target not in out:
                out[target] = link.text
        if watched:
            self._watched[uid] = list(out.items())

    def _enqueue(self, uid: int, link: FoundLink, follow: bool) -> None:
        graph = self.graph
        flags = graph._flags[uid]
        if flags & (_QUEUED | _FETCHED):
            return
        if any(p.search(link.url) for p in self._exclude):
            graph._flags[uid] |= _EXCLUDED
            return
        if _HINT_WORDS.search(link.text) or _HINT_WORDS.search(urlsplit(link.url).path):
            flags |= _HINT
        if _OIT_WORDS.search(link.text) or _OIT_WORDS.search(urlsplit(link.url).path.rsplit("/", 1)[-1]):
            self._oit_files.add(uid)  # a file linked with OIT words (an OIT index as a PDF): read its links
        if not follow:  # a link on a sitemap-only page: recorded, not followed (it has no click path)
            graph._flags[uid] = flags
            return
        graph._flags[uid] = flags | _QUEUED
        self._next.append(uid)

    async def _rules(self, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        task = self._robots.get(origin)
        if task is None:
            task = asyncio.ensure_future(self._load_rules(origin))
            self._robots[origin] = task
        return await task

    async def _load_rules(self, origin: str) -> RobotsRules:
        try:
            result = await self.fetcher.fetch_capped(origin + "/robots.txt", lambda headers: 512 * 1024)
        except Exception:  # noqa: BLE001 - no robots.txt is no rule
            return RobotsRules(None)
        return parse_robots(result.status if result.error is None else None, result.body)

    async def _crawl_delay(self, url: str, rules: RobotsRules) -> None:
        delay = min(rules.crawl_delay(self._agent), self.options.max_crawl_delay)
        if delay <= 0:
            return
        host = host_of(url)
        async with self._delay_locks.setdefault(host, asyncio.Lock()):
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + delay
        if start > now:
            await asyncio.sleep(start - now)

    # -- sitemaps ------------------------------------------------------------------------------

    async def _sitemaps(self) -> None:
        graph = self.graph
        budget = self.options.max_pages - graph.fetches
        if budget <= 0:
            return
        home = graph._urls[0]
        parts = urlsplit(graph.fetched[home].final_url if home in graph.fetched else home)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = await self._rules(home) if self.options.obey_robots else await self._load_rules(origin)
        queue = list(rules.sitemaps) or [origin + "/sitemap.xml"]
        seen: set[str] = set()
        seeds: list[int] = []
        while queue and len(seen) < MAX_SITEMAP_FILES:
            sitemap = queue.pop(0)
            if sitemap in seen or not host_matches(host_of(sitemap), self.domains):
                continue
            seen.add(sitemap)
            result = await self.fetcher.fetch_capped(sitemap, lambda headers: 20 * 1024 * 1024)
            if not result.ok:
                continue
            pages, nested = await asyncio.to_thread(parse_sitemap, result.body)
            queue.extend(nested)
            for url in pages:
                if not url.lower().startswith(("http://", "https://")) or not is_wellformed(url) \
                        or not host_matches(host_of(url), self.domains):
                    continue
                graph.sitemap_urls += 1
                key = page_key(url)
                known = graph._index.get(key)
                if known is not None:
                    if graph._parent[known] == NO_PARENT and known != 0:  # an item URL no link led to
                        graph._parent[known] = SEED
                        seeds.append(known)
                    continue
                uid = self._register(url, SEED, -1, key)
                if not any(p.search(url) for p in self._exclude):
                    seeds.append(uid)
        if len(seeds) > budget:
            graph.limit_reached = graph.limit_reached or "max_pages"
            seeds = seeds[:budget]
        if seeds:
            todo = iter(seeds)

            async def worker() -> None:
                for uid in todo:
                    await self._visit(uid, self.options.max_depth, follow=False)

            await asyncio.gather(*(worker() for _ in range(min(self.options.workers, len(seeds)))))

    # -- broken links on the OIT pages ---------------------------------------------------------

    async def _check_links(self) -> None:
        graph = self.graph
        pending: dict[int, None] = {}
        for links in self._watched.values():
            for target, _ in links:
                if not graph._flags[target] & (_FETCHED | _ROBOTS | _EXCLUDED):
                    pending[target] = None
        todo = iter(list(pending)[: self.options.max_link_checks])

        async def worker() -> None:
            for uid in todo:
                await self._probe(uid)

        if pending:
            await asyncio.gather(*(worker() for _ in range(min(self.options.workers, len(pending)))))
        rows: dict[int, BrokenLink] = {}  # one row per link, on the shallowest page: a menu repeats it everywhere
        for page, links in self._watched.items():
            for target, text in links:
                failure = graph._failures.get(target)
                if failure is None:
                    continue
                if target in rows:
                    rows[target] = dataclasses.replace(rows[target], other_pages=rows[target].other_pages + 1)
                    continue
                reason, detail = failure
                rows[target] = BrokenLink(page=graph._urls[page], url=graph._urls[target], text=text,
                                            status=REASONS[reason].status if reason in REASONS else Status.UNVERIFIED,
                                            reason=reason, http_status=graph._status[target] or None, detail=detail)
        broken = list(rows.values())
        broken.sort(key=lambda b: (-b.status.severity, b.page, b.url))
        graph.broken_links = tuple(broken)

    async def _probe(self, uid: int) -> None:
        try:
            await self._probe_one(uid)
        except Exception as exc:  # noqa: BLE001 - one bad link never stops the link check
            self.graph._failures[uid] = ("internal_error", f"{type(exc).__name__}: {exc}"[:200])

    async def _probe_one(self, uid: int) -> None:
        graph = self.graph
        url = graph._urls[uid]
        graph._flags[uid] |= _FETCHED
        blocked = self._blocked_reason(url)
        if blocked:
            graph._failures[uid] = ("blocked_address", blocked)
            return
        if self.options.obey_robots and graph._flags[uid] & _INTERNAL:
            rules = await self._rules(url)
            if not rules.allowed(url, self._agent):
                graph._flags[uid] |= _ROBOTS
                return
        try:
            result = await self.fetcher.fetch_capped(url, lambda headers: 0)
        except Exception as exc:  # noqa: BLE001
            result = FetchResult(url=url, final_url=url, error="internal_error", error_detail=str(exc)[:200])
        self._set_result(uid, result, crawled=False)  # checked, not crawled
