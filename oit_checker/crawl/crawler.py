"""The crawler: breadth-first from the homepage, one depth level at a time, through the run's
one fetcher; it builds the ``LinkGraph`` (see the package's doc for the policy)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol
from urllib.parse import urlsplit

from ..extract import sniff_kind
from ..extract.links import FoundLink, PageLinks, html_links, pdf_links
from ..fetch.interface import BodyCap, Fetcher
from ..fetch.shared import SharedFetches
from ..models import FetchResult
from ..reasons import Reason
from ..urls import blocked_reason, host_matches, host_of, page_key
from .boilerplate import Boilerplate
from .broken_links import check_links
from .graph import EXCLUDED, FETCHED, HINT, INTERNAL, ITEM, NO_PARENT, PARSED, QUEUED, ROBOTS, LinkGraph
from .options import CrawlOptions
from .pages import HINT_WORDS, OIT_WORDS, is_oit_page, looks_like_file
from .robots import RobotsCache, agent_token
from .sitemaps import seed_from_sitemaps

_HTML_TYPES = ("text/html", "application/xhtml+xml")
KEY_CACHE = 20_000
"""Link URLs whose ``page_key`` is remembered: a site links to the same pages from every page
(bench/crawl.py: 60,000 links to 5,300 URLs), and the key costs more than the lookup."""
MAX_OIT_PAGES = 100
"""Pages whose links are kept for the broken-link check (the shallowest ones: the crawl is breadth first)."""

Renderer = Callable[[str], Awaitable[FetchResult | None]]
"""Opens a URL in a browser: the rendered page (its DOM as ``body``), or None when it cannot."""


class PageVisitor(Protocol):
    """Sees every HTML page the crawl reads (discovery scores them); must not block."""

    def page(self, url: str, depth: int, links: PageLinks) -> None:
        """``url`` (its final URL) was read at ``depth`` clicks from the homepage."""


class Crawler:
    """One crawl of the main website. ``await Crawler(...).run()`` returns a ``LinkGraph``.

    ``items``: configured item URLs (known before any link to them, fetched when reached whatever
    robots.txt says, first when a level is cut, never rendered or sampled for boilerplate);
    ``shared``: the responses the caller will read in full (the audit's homepage and item URLs):
    a URL it ``planned`` is fetched through it, once for both, every other URL only as far as
    the crawl needs (``fetch_capped``); ``extra_hosts``: external hosts whose links are recorded
    (the checklist's allowed hosts), other external links are only counted.
    """

    def __init__(self, fetcher: Fetcher, homepage: str, domains: Iterable[str], options: CrawlOptions, *,
                 shared: SharedFetches | None = None, items: Iterable[str] = (), extra_hosts: Iterable[str] = (),
                 private_ok: bool = False, visitor: PageVisitor | None = None,
                 progress: Callable[[int], None] | None = None, renderer: Renderer | None = None) -> None:
        self.fetcher = fetcher
        self.shared = shared
        self.renderer = renderer
        self.options = options
        self.domains = tuple(domains)
        self.extra_hosts = tuple(extra_hosts)
        self.private_ok = private_ok
        self.visitor = visitor
        self.progress = progress
        self.graph = LinkGraph(homepage=homepage, domains=self.domains, options=options)
        self._robots = RobotsCache(fetcher, agent_token(options.user_agent), options.max_crawl_delay)
        self._exclude = [re.compile(p) for p in options.exclude]
        self._next: list[int] = []
        self._watched: dict[int, list[tuple[int, str]]] = {}
        self._item_keys: set[str] = set()
        self._oit_files: set[int] = set()
        self._root_key = page_key(homepage)
        self._keys: dict[str, str] = {}
        self._blocked: dict[str, str] = {}
        self._render_slots = options.max_rendered
        self._boilerplate = Boilerplate()
        self.graph.add(homepage, NO_PARENT, 0)
        for url in items:
            uid = self.graph.add(url, NO_PARENT, -1)
            self.graph.mark(uid, ITEM)
            self._item_keys.add(page_key(url))
        self._page_cap = self._make_cap(pdf=False)
        self._pdf_cap = self._make_cap(pdf=True)

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
        graph.root_ok = bool(graph.flags(0) & PARSED)
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
                await seed_from_sitemaps(graph, self.fetcher, self._robots, self.options, self._exclude,
                                         lambda uid: self._visit(uid, self.options.max_depth, follow=False))
            except Exception:  # noqa: BLE001, S110 - a broken sitemap is no sitemap; the links were followed
                pass
        if graph.root_ok and self.options.check_links:
            graph.broken_links = await check_links(graph, self._watched, fetcher=self.fetcher, robots=self._robots,
                                                   blocked_reason=self._blocked_reason, options=self.options)
            graph.oit_pages = tuple(graph.url(uid) for uid in self._watched)
        graph.boilerplate = self._boilerplate.lines()
        graph.elapsed = time.monotonic() - started
        return graph

    async def visit_unlinked(self, url: str) -> bool:
        """Fetch and read a URL the crawl knows (an item URL given in ``items``) but did not
        fetch because no followed link led to it; its links are recorded, not followed. False
        when the homepage was not read, the URL is unknown or was fetched already."""
        graph = self.graph
        uid = graph.uid_for(page_key(url))
        if not graph.root_ok or uid is None or graph.flags(uid) & FETCHED:
            return False
        await self._visit(uid, -1, follow=False)
        return True

    def _within_budget(self, level: list[int]) -> list[int]:
        """The part of the next level the page budget allows, OIT-looking links first."""
        flags = self.graph.flags
        level = [uid for uid in level if not flags(uid) & FETCHED]
        budget = self.options.max_pages - self.graph.fetches
        if len(level) <= budget:
            return level
        self.graph.limit_reached = "max_pages"
        if budget <= 0:
            return []
        level.sort(key=lambda uid: 0 if flags(uid) & (ITEM | HINT) else 1)
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
            failure = (Reason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:200])
            self.graph.set_failure(uid, failure)
            self.graph.mark_unread(uid, failure)

    def cut_short(self, reason: str) -> LinkGraph:
        """The graph as far as the crawl got, when the run's deadline (or a signal) stopped it:
        ``limit_reached`` says so, so that no item is called "not linked" on a partial crawl."""
        graph = self.graph
        graph.limit_reached = reason
        graph.root_ok = bool(graph.flags(0) & PARSED) if len(graph) else False
        graph.oit_pages = tuple(graph.url(uid) for uid in self._watched)
        graph.boilerplate = self._boilerplate.lines()
        return graph

    async def _visit_one(self, uid: int, depth: int, *, follow: bool = True) -> None:
        graph = self.graph
        url = graph.url(uid)
        flags = graph.flags(uid)
        if flags & FETCHED:
            return
        graph.mark(uid, FETCHED)
        blocked = self._blocked_reason(url)
        if blocked:
            graph.set_failure(uid, (Reason.BLOCKED_ADDRESS, blocked))
            return
        if self.options.obey_robots and not (uid == 0 or flags & ITEM):
            rules = await self._robots.rules(url)
            if not rules.allowed(url, self._robots.agent):
                graph.mark(uid, ROBOTS)
                if not looks_like_file(url):  # a file has no links to hide
                    graph.robots_blocked += 1
                return
            await self._robots.wait(url, rules)
        graph.fetches += 1
        try:
            if self.shared is not None and self.shared.planned(url):
                result = await self.shared.fetch(url)
            elif uid == 0:
                result = await self.fetcher.fetch(url)
            else:
                pdf = self.options.pdf_links == "all" or (self.options.pdf_links == "oit" and uid in self._oit_files)
                result = await self.fetcher.fetch_capped(url, self._pdf_cap if pdf else self._page_cap)
        except Exception as exc:  # noqa: BLE001 - one bad URL never stops the crawl
            result = FetchResult(url=url, final_url=url, error=Reason.INTERNAL_ERROR,
                                 error_detail=f"{type(exc).__name__}: {exc}"[:200])
        if self.progress is not None:
            self.progress(graph.fetches)
        graph.set_result(uid, result)
        if uid == 0:
            graph.home_result = result
        graph.alias(self._key(result.final_url), uid)
        if not result.ok or not result.body or not host_matches(host_of(result.final_url), self.domains):
            return
        kind = sniff_kind(result)
        if kind == "html":
            sample = not flags & ITEM and self._boilerplate.wants()
            want_text = self.visitor is not None or sample
            try:
                found = html_links(result.body, result.final_url, result.headers.get("content-type", ""),
                                   context=self.visitor is not None, text=want_text)
            except Exception:  # noqa: BLE001 - a page the parser chokes on has no links for us
                return
            if self._script_navigation(uid, result.body, found):
                found = await self._rendered(uid, result.final_url, found, want_text)
            graph.mark(uid, PARSED)
            graph.pages += 1
            if sample:
                self._boilerplate.add(found.text)
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
        if graph.flags(uid) & ITEM or not (b"<script" in body or b"<SCRIPT" in body):
            return False  # (an item URL is opened in the browser for its verdict anyway: a leaf here)
        url = graph.url(uid)
        own = (self._key(url), self._root_key)
        keys = [key for link in page.links if (key := self._key(link.url)) not in own]
        if not keys:
            return True
        if any(graph.uid_for(key) is None for key in keys):  # (the homepage's footer links are known by now)
            return False
        return is_oit_page(url, page.title, page.headings)

    async def _rendered(self, uid: int, url: str, page: PageLinks, text: bool) -> PageLinks:
        """The page's links as the browser shows them; the HTTP links (and the page counted as
        unread) when there is no renderer, the bound is spent or the browser fails."""
        if self.renderer is None or self._render_slots <= 0:
            why = "no browser for the crawl" if self.renderer is None else \
                f"max_rendered = {self.options.max_rendered} reached"
            self.graph.mark_unread(uid, (Reason.NEEDS_BROWSER, why))
            return page
        self._render_slots -= 1
        try:
            result = await self.renderer(url)
        except Exception as exc:  # noqa: BLE001 - a browser failure never stops the crawl
            result = FetchResult(url=url, final_url=url, error=Reason.BROWSER_FAILED, error_detail=str(exc)[:200])
        if result is None or not result.ok or not result.body:
            detail = "the browser could not open it" if result is None else \
                (result.error or f"HTTP {result.status}") + (f": {result.error_detail}" if result.error_detail else "")
            self.graph.mark_unread(uid, (Reason.NEEDS_BROWSER, detail[:200]))
            return page
        self.graph.rendered += 1
        try:
            return html_links(result.body, result.final_url, "text/html; charset=utf-8",
                              context=self.visitor is not None, text=text)
        except Exception:  # noqa: BLE001
            return page

    def _record(self, uid: int, depth: int, page: PageLinks, follow: bool) -> None:
        """Add the page's links to the graph, queue the main-website ones, and keep them when the
        page's links are to be checked (the homepage, OIT-looking pages)."""
        graph = self.graph
        graph.malformed_links += page.malformed
        keys = [self._key(link.url) for link in page.links]
        url = graph.url(uid)
        skip = (self._key(url), self._root_key)  # itself, the homepage
        watched = self.options.check_links and len(self._watched) < MAX_OIT_PAGES and (
            uid == 0 or is_oit_page(url, page.title, page.headings)
            or len({key for key in keys if key in self._item_keys and key not in skip}) >= 2)
        out: dict[int, str] = {}
        child_depth = depth + 1
        uid_for, parent = graph.uid_for, graph.parent
        for link, key in zip(page.links, keys, strict=True):
            target = uid_for(key)
            if target is None:
                host = host_of(link.url)
                internal = host_matches(host, self.domains)
                if not (internal or watched or host_matches(host, self.extra_hosts)):
                    continue
                target = graph.add(link.url, uid, child_depth, key)
                if internal:
                    self._enqueue(target, link, follow)
            elif parent(target) == NO_PARENT and target != 0:
                graph.set_parent(target, uid, child_depth)
                if graph.flags(target) & INTERNAL:
                    self._enqueue(target, link, follow)
            if watched and target != uid and target not in out:
                out[target] = link.text
        if watched:
            self._watched[uid] = list(out.items())

    def _enqueue(self, uid: int, link: FoundLink, follow: bool) -> None:
        graph = self.graph
        flags = graph.flags(uid)
        if flags & (QUEUED | FETCHED):
            return
        if any(p.search(link.url) for p in self._exclude):
            graph.mark(uid, EXCLUDED)
            return
        if HINT_WORDS.search(link.text) or HINT_WORDS.search(urlsplit(link.url).path):
            flags |= HINT
        if OIT_WORDS.search(link.text) or OIT_WORDS.search(urlsplit(link.url).path.rsplit("/", 1)[-1]):
            self._oit_files.add(uid)  # a file linked with OIT words (an OIT index as a PDF): read its links
        if not follow:  # a link on a sitemap-only page: recorded, not followed (it has no click path)
            graph.set_flags(uid, flags)
            return
        graph.set_flags(uid, flags | QUEUED)
        self._next.append(uid)
