"""Full responses planned by the audit, fetched once whoever asks first: the crawl (when a link
leads to one) or the audit (after the crawl). The audit builds it for the URLs it will judge and
hands it to the crawl openly, so nothing is fetched twice and nothing is kept behind anyone's back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from ..models import FetchResult
from .interface import Fetcher


class SharedFetches:
    """Full responses the audit planned, fetched once whoever asks first (the crawl or the audit).

    Example::

        shared = SharedFetches(fetcher, [homepage, *item_urls])
        graph = await Crawler(fetcher, homepage, domains, options, shared=shared).run()
        page = await shared.fetch(item_urls[0])  # the crawl's response when it reached the URL
    """

    def __init__(self, fetcher: Fetcher, planned: Iterable[str]) -> None:
        self.fetcher = fetcher
        self._planned = frozenset(planned)
        self._futures: dict[str, asyncio.Future[FetchResult]] = {}

    def planned(self, url: str) -> bool:
        """Is ``url`` (exactly as given) one the audit will read in full?"""
        return url in self._planned

    async def fetch(self, url: str) -> FetchResult:
        """``url`` fetched in full, one request whoever asks; concurrent callers share it. A caller
        that is cancelled (the crawl at the deadline) leaves the request to the others."""
        future = self._futures.get(url)
        if future is None or future.cancelled():
            future = self._futures[url] = asyncio.ensure_future(self.fetcher.fetch(url))
        return await asyncio.shield(future)

    def result(self, url: str) -> FetchResult | None:
        """The response for ``url`` once it has arrived (None: not asked for, under way or failed)."""
        future = self._futures.get(url)
        if future is None or not future.done() or future.cancelled() or future.exception() is not None:
            return None
        return future.result()

    def cancel(self) -> None:
        """Cancel the requests still under way (the run is over)."""
        for future in self._futures.values():
            future.cancel()


__all__ = ["SharedFetches"]
