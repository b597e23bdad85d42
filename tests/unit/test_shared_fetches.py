"""``SharedFetches``: one request per URL whoever asks, and in a whole audit each item URL is
requested once whether the crawl reached it or not."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from configs import offline_config

from oit_checker.audit import run_audit
from oit_checker.fetch.interface import BodyCap, Fetcher
from oit_checker.fetch.shared import SharedFetches
from oit_checker.models import FetchResult, Status

HOME = "https://www.agency.test/"
PAGE = "<html><title>อำนาจหน้าที่</title><body><h1>อำนาจหน้าที่ของกรม</h1>{}</body></html>"


class CountingFetcher(Fetcher):
    """Counts every request (full or capped) per URL; ``delay`` keeps a request open a while."""

    def __init__(self, pages: dict[str, str], delay: float = 0.0) -> None:
        self.pages = pages
        self.delay = delay
        self.requests: Counter[str] = Counter()

    async def fetch(self, url: str) -> FetchResult:
        self.requests[url] += 1
        await asyncio.sleep(self.delay)
        body = self.pages.get(url)
        status = 200 if body is not None else 404
        return FetchResult(url=url, final_url=url, status=status, body=(body or "<title>404</title>").encode(),
                           headers={"content-type": "text/html; charset=utf-8"})

    async def fetch_capped(self, url: str, body_cap: BodyCap) -> FetchResult:
        return await self.fetch(url)


def test_concurrent_callers_share_one_request() -> None:
    fetcher = CountingFetcher({HOME: "<p>home</p>"}, delay=0.05)
    shared = SharedFetches(fetcher, [HOME])

    async def go() -> list[FetchResult]:
        assert shared.result(HOME) is None
        return list(await asyncio.gather(shared.fetch(HOME), shared.fetch(HOME), shared.fetch(HOME)))

    first, second, third = asyncio.run(go())
    assert fetcher.requests[HOME] == 1
    assert first is second is third and first.status == 200
    assert shared.result(HOME) is first
    assert shared.planned(HOME) and not shared.planned(HOME + "other")


def test_a_cancelled_caller_leaves_the_request_to_the_others() -> None:
    fetcher = CountingFetcher({HOME: "<p>home</p>"}, delay=0.1)
    shared = SharedFetches(fetcher, [HOME])

    async def go() -> FetchResult:
        crawl = asyncio.ensure_future(shared.fetch(HOME))  # the crawl, cut short by the deadline
        audit = asyncio.ensure_future(shared.fetch(HOME))
        await asyncio.sleep(0.01)
        crawl.cancel()
        return await audit

    assert asyncio.run(go()).status == 200
    assert fetcher.requests[HOME] == 1


def test_an_audit_requests_each_item_url_once_whether_the_crawl_reached_it_or_not(tmp_path: Path) -> None:
    reached, hidden = HOME + "o3.html", HOME + "hidden/o1.html"
    fetcher = CountingFetcher({HOME: PAGE.format('<a href="o3.html">อำนาจหน้าที่</a>'),
                               reached: PAGE.format(""), hidden: PAGE.format("")})
    loaded = offline_config(HOME, f'[evidence]\nenabled = false\n[items.O3]\nurls = ["{reached}"]\n'
                                  f'[items.O1]\nurls = ["{hidden}"]\n', base=tmp_path)
    result = run_audit(loaded, fetcher=fetcher)
    assert fetcher.requests[HOME] == 1
    assert fetcher.requests[reached] == 1  # by the crawl, shared with the audit
    assert fetcher.requests[hidden] == 1  # by the audit, after the crawl
    assert result.crawl is not None and result.crawl.fetches >= 2  # the crawl did read the linked one
    o3 = next(i for i in result.items if i.code == "O3")
    assert o3.urls[0].fetch is not None and o3.urls[0].fetch.status == 200 and o3.status is not Status.UNVERIFIED
