"""The crawl and the location check on a real two-host site (``crawl_site.py``): orphan pages,
external files linked or not, crawl limits, robots.txt, broken links on the OIT pages."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl_site import BIG_PDF_BYTES, CHECKLIST, THAI_PAGE, CrawlSites, crawl_config

from oit_checker.audit import audit_async, run_audit
from oit_checker.config import LoadedConfig
from oit_checker.fetch.http import HttpFetcher
from oit_checker.fetch.interface import BodyCap
from oit_checker.models import AuditResult, Check, FetchResult, Finding, Status
from oit_checker.options import http_options


@pytest.fixture(scope="module")
def sites() -> Iterator[CrawlSites]:
    server = CrawlSites(robots=False)
    yield server
    server.close()


@pytest.fixture(scope="module")
def robots_sites() -> Iterator[CrawlSites]:
    server = CrawlSites(robots=True)
    yield server
    server.close()


def config(tmp_path: Path, sites: CrawlSites, crawl: str = "max_depth = 10", items: list[str] | None = None) -> LoadedConfig:
    urls = sites.items()
    return crawl_config(tmp_path, f"{sites.main.base}/", CHECKLIST, {code: urls[code] for code in (items or list(urls))},
                        f'[browser]\nmode = "never"\n[crawl]\n{crawl}')


class RecordingFetcher(HttpFetcher):
    """The real fetcher, remembering how many body bytes each URL delivered."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.bodies: dict[str, int] = {}

    async def fetch(self, url: str) -> FetchResult:
        result = await super().fetch(url)
        self.bodies[url] = len(result.body)
        return result

    async def fetch_capped(self, url: str, body_cap: BodyCap) -> FetchResult:
        result = await super().fetch_capped(url, body_cap)
        self.bodies[url] = len(result.body)
        return result


def location(result: AuditResult, code: str) -> Finding:
    item = next(i for i in result.items if i.code == code)
    [finding] = [f for u in item.urls for f in u.findings if f.check is Check.LOCATION]
    return finding


def test_location_from_the_crawl(tmp_path: Path, sites: CrawlSites) -> None:
    loaded = config(tmp_path, sites)
    fetcher = RecordingFetcher(http_options(loaded))

    async def audit() -> AuditResult:
        async with fetcher:
            return await audit_async(loaded, fetcher=fetcher)

    result = asyncio.run(audit())
    m, e = sites.main.base, sites.ext.base
    expected = {
        # the last hop is the item URL as configured (T1 percent-encoded, T2 without index.php)
        "T1": ("pass", "linked_from_main_site", [m + "/", m + "/ita/", sites.items()["T1"]]),
        "T2": ("pass", "linked_from_main_site", [m + "/", m + "/ita/", m + "/ita/t2"]),
        "T3": ("pass", "linked_from_main_site", [m + "/", m + "/ita/", e + "/files/t3-linked.pdf"]),
        "T4": ("pass", "linked_from_main_site", [m + "/", m + "/embed.html", m + "/ita/refreshed.html"]),
        "T5": ("warn", "orphan_page", None),
        "T6": ("pass", "linked_from_main_site", [m + "/", m + "/private/t6.html"]),
        "T7": ("pass", "linked_from_main_site", [m + "/", m + "/ita/", m + "/ita/index.pdf", m + "/ita/from-pdf.html"]),
        "T8": ("fail", "not_linked_from_main_site", None),
        "T9": ("pass", "linked_from_main_site", [m + "/", *(f"{m}/deep/{n}.html" for n in range(1, 7)),
                                                 m + "/deep/item.html"]),
        "T10": ("warn", "orphan_page", None),
        "T11": ("pass", "linked_from_main_site", [m + "/", m + "/private/page.html", m + "/private/t11.html"]),
    }
    for code, (status, reason, path) in expected.items():
        finding = location(result, code)
        assert (finding.status.value, finding.reason) == (status, reason), code
        assert finding.evidence.get("click_path") == path, code
    assert location(result, "T10").evidence["in_sitemap"] is True
    assert sites.main.hits[THAI_PAGE] == 1  # linked in raw Thai, configured percent-encoded: one page
    # the external host: checked (item URLs and links on the OIT pages), never crawled
    assert sites.ext.hits["/ext-page2.html"] == 0
    assert sites.ext.hits["/ext-home.html"] == 1
    # a file that is not an item URL is checked without being downloaded
    assert fetcher.bodies[m + "/ita/big.pdf"] < BIG_PDF_BYTES // 10
    # item URLs the crawl fetched are not fetched again
    assert sites.main.hits["/ita/refreshed.html"] == 1
    assert result.crawl is not None and result.crawl.limit_reached == ""
    broken = {(b.page, b.url): (b.status.value, b.reason) for b in result.crawl.broken_links}
    assert broken == {(m + "/ita/", m + "/ita/missing.html"): ("fail", "http_404"),
                      (m + "/ita/", e + "/gone.pdf"): ("fail", "http_404")}


@pytest.mark.parametrize("limit", ["max_depth = 3", "max_pages = 4"])
def test_a_crawl_that_hits_its_limit_never_fails_what_it_did_not_find(tmp_path: Path, sites: CrawlSites,
                                                                       limit: str) -> None:
    result = run_audit(config(tmp_path, sites, crawl=limit))
    assert result.crawl is not None and result.crawl.limit_reached == limit.split()[0]
    for code in ("T5", "T8", "T9"):
        finding = location(result, code)
        assert (finding.status, finding.reason) == (Status.UNVERIFIED, "crawl_limit_reached"), code
    assert location(result, "T3").reason == "linked_from_main_site"  # found before the limit
    assert not [f for i in result.items for u in i.urls for f in u.findings
                if f.check is Check.LOCATION and f.status is Status.FAIL]


def test_robots_rules_are_obeyed_yet_configured_item_urls_are_checked(tmp_path: Path,
                                                                      robots_sites: CrawlSites) -> None:
    robots_sites.main.hits.clear()
    result = run_audit(config(tmp_path, robots_sites, items=["T6", "T11", "T1"]))
    assert robots_sites.main.hits["/private/page.html"] == 0  # disallowed: never crawled
    t6 = next(i for i in result.items if i.code == "T6")  # disallowed, but an item URL: checked
    assert robots_sites.main.hits["/private/t6.html"] == 1
    assert [(f.check, f.status) for f in t6.urls[0].findings][:1] == [(Check.REACHABLE, Status.PASS)]
    assert location(result, "T6").reason == "linked_from_main_site"
    # T11 is only linked from the disallowed page: the crawl cannot know, so it does not guess
    assert (location(result, "T11").status, location(result, "T11").reason) == (Status.UNVERIFIED,
                                                                                 "crawl_blocked_by_robots")
    assert robots_sites.main.hits["/private/t11.html"] == 1  # still fetched and checked
    assert location(result, "T1").reason == "linked_from_main_site"


def test_robots_can_be_ignored_for_crawling(tmp_path: Path, robots_sites: CrawlSites) -> None:
    result = run_audit(config(tmp_path, robots_sites, crawl="max_depth = 10\nobey_robots = false", items=["T11"]))
    assert location(result, "T11").evidence["click_path"][-2:] == [robots_sites.main.base + "/private/page.html",
                                                                  robots_sites.main.base + "/private/t11.html"]


def test_crawl_delay_from_robots_is_honoured(tmp_path: Path) -> None:
    sites = CrawlSites(robots=True, crawl_delay=0.2)
    try:
        run_audit(config(tmp_path, sites, crawl="max_pages = 5\nsitemap = false\ncheck_links = false",
                         items=["T1"]))
        log = list(sites.main.log)
    finally:
        sites.close()
    # the homepage, robots.txt and item URLs are not crawled pages; the others are paced
    item = "/ita/อำนาจหน้าที่.html"
    crawled = [t for t, path in log if path not in ("/", "/robots.txt", item)]
    assert len(crawled) >= 3
    gaps = [b - a for a, b in zip(crawled, crawled[1:], strict=False)]
    # request starts are spaced 0.2 s; their arrival at the server jitters under load (one late
    # arrival shortens the next gap), so each gap has slack and together they must add up
    assert min(gaps) >= 0.15 and sum(gaps) >= 0.19 * len(gaps), gaps
