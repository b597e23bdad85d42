"""The broken links on the OIT pages: every link the homepage and the OIT index pages keep is
checked at the end of the crawl (headers only), the links assessors would click."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Mapping, Sequence

from ..fetch.interface import Fetcher
from ..models import BrokenLink, FetchResult
from ..reasons import Reason, default_status
from .graph import EXCLUDED, FETCHED, INTERNAL, ROBOTS, LinkGraph
from .options import CrawlOptions
from .robots import RobotsCache

Watched = Mapping[int, Sequence[tuple[int, str]]]
"""Page id -> its links' (URL id, link text), for the pages whose links are checked."""


async def check_links(graph: LinkGraph, watched: Watched, *, fetcher: Fetcher, robots: RobotsCache,
                      blocked_reason: Callable[[str], str], options: CrawlOptions) -> tuple[BrokenLink, ...]:
    """Check the ``watched`` pages' links the crawl did not fetch (at most ``max_link_checks``),
    and return one row per broken link, on the shallowest page that has it, worst first."""
    pending: dict[int, None] = {}
    for links in watched.values():
        for target, _ in links:
            if not graph.flags(target) & (FETCHED | ROBOTS | EXCLUDED):
                pending[target] = None
    todo = iter(list(pending)[: options.max_link_checks])

    async def worker() -> None:
        for uid in todo:
            try:
                await _probe(graph, uid, fetcher, robots, blocked_reason, options)
            except Exception as exc:  # noqa: BLE001 - one bad link never stops the link check
                graph.set_failure(uid, (Reason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:200]))

    if pending:
        await asyncio.gather(*(worker() for _ in range(min(options.workers, len(pending)))))
    rows: dict[int, BrokenLink] = {}  # one row per link, on the shallowest page: a menu repeats it everywhere
    for page, links in watched.items():
        for target, text in links:
            failure = graph.failure(target)
            if failure is None:
                continue
            if target in rows:
                rows[target] = dataclasses.replace(rows[target], other_pages=rows[target].other_pages + 1)
                continue
            reason, detail = failure
            rows[target] = BrokenLink(page=graph.url(page), url=graph.url(target), text=text,
                                      status=default_status(reason),
                                      reason=reason, http_status=graph.status(target) or None, detail=detail)
    broken = list(rows.values())
    broken.sort(key=lambda b: (-b.status.severity, b.page, b.url))
    return tuple(broken)


async def _probe(graph: LinkGraph, uid: int, fetcher: Fetcher, robots: RobotsCache,
                 blocked_reason: Callable[[str], str], options: CrawlOptions) -> None:
    url = graph.url(uid)
    graph.mark(uid, FETCHED)
    blocked = blocked_reason(url)
    if blocked:
        graph.set_failure(uid, (Reason.BLOCKED_ADDRESS, blocked))
        return
    if options.obey_robots and graph.flags(uid) & INTERNAL:
        rules = await robots.rules(url)
        if not rules.allowed(url, robots.agent):
            graph.mark(uid, ROBOTS)
            return
    try:
        result = await fetcher.fetch_capped(url, lambda headers: 0)
    except Exception as exc:  # noqa: BLE001
        result = FetchResult(url=url, final_url=url, error=Reason.INTERNAL_ERROR, error_detail=str(exc)[:200])
    graph.set_result(uid, result, crawled=False)  # checked, not crawled
