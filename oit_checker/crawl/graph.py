"""The crawl's link graph: every URL it saw, its parent on a shortest click path, its depth,
status and flags, kept in arrays (a few bytes per URL, not an object each: big sites stay
small). Only this module reads the arrays; the crawler builds the graph through the methods
under "building", everyone else reads it through ``info``, ``click_path``, ``urls`` ….
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ..models import BrokenLink, CrawlSummary, FetchResult
from ..reasons import Reason
from ..urls import host_matches, host_of, page_key
from .options import CrawlOptions
from .pages import looks_like_file

NO_PARENT = -1
"""A URL known before any link to it was seen (an item URL)."""
SEED = -2
"""A URL known from a sitemap, not from a link."""

INTERNAL, FETCHED, PARSED, ITEM, ROBOTS, HINT, QUEUED, EXCLUDED = (1 << i for i in range(8))
"""A URL's flags (one byte each): on the main website, fetched, read for links, a configured
item URL, disallowed by robots.txt, linked with OIT-ish words, queued, excluded by a pattern."""

UNREAD_PROBLEMS = frozenset({Reason.BOT_WALL, Reason.RATE_LIMITED, Reason.SERVER_ERROR, Reason.NEEDS_BROWSER})
"""Failures (besides every network error) that leave a page's links unknown: the page exists
but the crawl could not see it. 404/410 (gone), 401/403 (a login wall a person meets too) and
addresses refused by policy are answers, not gaps."""
_NOT_GAPS = frozenset({Reason.HTTP_404, Reason.HTTP_410, Reason.LOGIN_WALL, Reason.HTTP_CLIENT_ERROR,
                       Reason.BLOCKED_ADDRESS})


class UnreadPage(NamedTuple):
    """A linked main-website page the crawl could not read (its links are unknown)."""

    url: str
    problem: str
    """Reason code: ``dns_error``, ``timeout``, ``server_error``, ``bot_wall``, ``needs_browser`` …"""
    detail: str = ""



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
    home_result: FetchResult | None = None
    """The homepage's response (None: not fetched)."""
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
        result = self.home_result
        if result is not None and result.error:
            return result.error
        if result is not None and not result.ok:
            return f"http_{result.status}"
        failure = self._failures.get(0)
        return failure[0] if failure else "not_html"

    @classmethod
    def build(cls, homepage: str, domains: Iterable[str], links: dict[str, list[str]], *,
              limit_reached: str = "", robots_blocked: int = 0, sitemap: Iterable[str] = (),
              options: CrawlOptions, unread: dict[str, str] | None = None) -> LinkGraph:
        """A graph from known links (page -> URLs it links to), as a crawl from ``homepage``
        would have found them: for tests and for callers that crawl by other means. ``unread``:
        linked pages that could not be read (URL -> reason code)."""
        graph = cls(homepage=homepage, domains=tuple(domains), options=options,
                    root_ok=True, limit_reached=limit_reached, robots_blocked=robots_blocked)

        def add(url: str, parent: int, depth: int) -> tuple[int, bool]:
            key = page_key(url)
            if key in graph._index:
                return graph._index[key], False
            graph._index[key] = len(graph._urls)
            graph._urls.append(url)
            graph._parent.append(parent)
            graph._depth.append(depth)
            graph._status.append(200)
            graph._flags.append(FETCHED | (INTERNAL if host_matches(host_of(url), graph.domains) else 0))
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

    # -- building (the crawler's side; the graph is a value once returned) ---------------------

    def add(self, url: str, parent: int, depth: int, key: str | None = None) -> int:
        """The id of ``url`` (by ``key``, its ``page_key``); registered with ``parent`` and
        ``depth`` when it is new."""
        key = key or page_key(url)
        uid = self._index.get(key)
        if uid is not None:
            return uid
        uid = len(self._urls)
        self._index[key] = uid
        self._urls.append(url)
        self._parent.append(parent)
        self._depth.append(max(-1, min(depth, 32767)))
        self._status.append(0)
        self._flags.append(INTERNAL if host_matches(host_of(url), self.domains) else 0)
        return uid

    def alias(self, key: str, uid: int) -> None:
        """Let ``key`` (where URL ``uid`` redirected to) name it too, unless it names a URL already."""
        if key not in self._index:
            self._index[key] = uid

    def uid_for(self, key: str) -> int | None:
        """The id of the URL whose ``page_key`` is ``key`` (None: never seen)."""
        return self._index.get(key)

    def url_for_key(self, key: str) -> str | None:
        """The URL (as first seen) whose ``page_key`` is ``key`` (None: never seen)."""
        uid = self._index.get(key)
        return self._urls[uid] if uid is not None else None

    def url(self, uid: int) -> str:
        return self._urls[uid]

    def flags(self, uid: int) -> int:
        return self._flags[uid]

    def mark(self, uid: int, flags: int) -> None:
        """Set ``flags`` on URL ``uid`` (the others stay)."""
        self._flags[uid] |= flags

    def set_flags(self, uid: int, flags: int) -> None:
        self._flags[uid] = flags

    def parent(self, uid: int) -> int:
        """The URL id that links to ``uid`` on a shortest path (``NO_PARENT``, ``SEED``)."""
        return self._parent[uid]

    def set_parent(self, uid: int, parent: int, depth: int | None = None) -> None:
        """Adopt URL ``uid`` (an item URL no link had led to yet) under ``parent``."""
        self._parent[uid] = parent
        if depth is not None:
            self._depth[uid] = depth

    def status(self, uid: int) -> int:
        """The final HTTP status (0: not fetched, or failed)."""
        return self._status[uid]

    def failure(self, uid: int) -> tuple[str, str] | None:
        """``(reason code, detail)`` when URL ``uid`` is broken or unreadable."""
        return self._failures.get(uid)

    def set_failure(self, uid: int, failure: tuple[str, str]) -> None:
        self._failures[uid] = failure

    def set_result(self, uid: int, result: FetchResult, *, crawled: bool = True) -> None:
        """Record a fetch of URL ``uid``; a failure that hides the page's links makes it unread
        when it was ``crawled`` (a link check only is not)."""
        self._status[uid] = min(result.status or 0, 32767) if result.error is None else 0
        failure = _failure(result)
        if failure is not None:
            self._failures[uid] = failure
            if crawled and _is_gap(failure):
                self.mark_unread(uid, failure)

    def mark_unread(self, uid: int, failure: tuple[str, str]) -> None:
        """Remember a linked main-website page (not a file, not the homepage) whose links could
        not be read."""
        if uid != 0 and self._flags[uid] & INTERNAL and self._parent[uid] >= 0 \
                and not looks_like_file(self._urls[uid]):
            self._unread[uid] = failure

    # -- reading -------------------------------------------------------------------------------

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
                       problem=failure[0] if failure else None, fetched=bool(flags & FETCHED), html=bool(flags & PARSED),
                       robots_blocked=bool(flags & ROBOTS), in_sitemap=self._parent[uid] == SEED)

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
            return Reason.BOT_WALL, f"cf-mitigated: {result.headers['cf-mitigated']}" if status != 999 else "HTTP 999"
        return Reason.LOGIN_WALL, f"HTTP {status}"
    if status == 429:
        return Reason.RATE_LIMITED, ""
    if status >= 500:
        return Reason.SERVER_ERROR, ""
    return Reason.HTTP_CLIENT_ERROR, ""


def _is_gap(failure: tuple[str, str]) -> bool:
    """Does this failure leave the page's links unknown (see ``UNREAD_PROBLEMS``)?"""
    reason = failure[0]
    return reason not in _NOT_GAPS and (reason in UNREAD_PROBLEMS or not reason.startswith("http_"))
