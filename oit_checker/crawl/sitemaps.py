"""``sitemap.xml`` (and ``robots.txt`` ``Sitemap:`` lines) add the pages the links did not
reach; a page known only from a sitemap has no click path (its links are recorded, not followed)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import urlsplit

from ..fetch.interface import Fetcher
from ..urls import host_matches, host_of, is_wellformed, page_key
from .graph import NO_PARENT, SEED, LinkGraph
from .options import CrawlOptions
from .robots import MAX_SITEMAP_BYTES, RobotsCache, parse_sitemap

MAX_SITEMAP_FILES = 20


async def seed_from_sitemaps(graph: LinkGraph, fetcher: Fetcher, robots: RobotsCache, options: CrawlOptions,
                             exclude: Sequence[re.Pattern[str]], visit: Callable[[int], Awaitable[None]]) -> None:
    """Read the main website's sitemaps, add the pages they name to ``graph`` (as ``SEED``s,
    and item URLs no link led to), and ``visit`` them within what is left of the page budget."""
    budget = options.max_pages - graph.fetches
    if budget <= 0:
        return
    home = graph.url(0)
    parts = urlsplit(graph.home_result.final_url if graph.home_result is not None else home)
    origin = f"{parts.scheme}://{parts.netloc}"
    rules = await robots.rules(home) if options.obey_robots else await robots.load(origin)
    queue = list(rules.sitemaps) or [origin + "/sitemap.xml"]
    seen: set[str] = set()
    seeds: list[int] = []
    while queue and len(seen) < MAX_SITEMAP_FILES:
        sitemap = queue.pop(0)
        if sitemap in seen or not host_matches(host_of(sitemap), graph.domains):
            continue
        seen.add(sitemap)
        result = await fetcher.fetch_capped(sitemap, lambda headers: MAX_SITEMAP_BYTES)
        if not result.ok:
            continue
        pages, nested = await asyncio.to_thread(parse_sitemap, result.body)
        queue.extend(nested)
        for url in pages:
            if not url.lower().startswith(("http://", "https://")) or not is_wellformed(url) \
                    or not host_matches(host_of(url), graph.domains):
                continue
            graph.sitemap_urls += 1
            key = page_key(url)
            known = graph.uid_for(key)
            if known is not None:
                if graph.parent(known) == NO_PARENT and known != 0:  # an item URL no link led to
                    graph.set_parent(known, SEED)
                    seeds.append(known)
                continue
            uid = graph.add(url, SEED, -1, key)
            if not any(p.search(url) for p in exclude):
                seeds.append(uid)
    if len(seeds) > budget:
        graph.limit_reached = graph.limit_reached or "max_pages"
        seeds = seeds[:budget]
    if seeds:
        todo = iter(seeds)

        async def worker() -> None:
            for uid in todo:
                await visit(uid)

        await asyncio.gather(*(worker() for _ in range(min(options.workers, len(seeds)))))
