"""The audit orchestration with a fake fetcher: verdict rules and 'one bad URL never stops the run'."""

from __future__ import annotations

import asyncio
import time

import pytest
from configs import offline_config

from oit_checker.audit import run_audit
from oit_checker.config import LoadedConfig
from oit_checker.fetch.interface import Fetcher
from oit_checker.models import FetchResult, Status

HOME = "https://www.example.go.th/"
PAGE = "<html><title>อำนาจหน้าที่</title><body><h1>อำนาจหน้าที่ของกรม</h1>{}</body></html>"


class FakeFetcher(Fetcher):
    """Serves canned pages; raises for URLs containing 'boom' (a bug in a fetcher)."""

    def __init__(self, pages: dict[str, tuple[int, str]]) -> None:
        self.pages = pages
        self.fetched: list[str] = []

    async def fetch(self, url: str) -> FetchResult:
        self.fetched.append(url)
        if "boom" in url:
            raise RuntimeError("fetcher bug")
        status, html = self.pages.get(url, (404, "<title>404</title>"))
        return FetchResult(url=url, final_url=url, status=status, body=html.encode(),
                           headers={"content-type": "text/html; charset=utf-8"})


def loaded(items: str) -> LoadedConfig:
    return offline_config(HOME, items)


def test_one_good_url_of_several_makes_the_item_pass_and_says_which() -> None:
    good = HOME + "o3.html"
    fetcher = FakeFetcher({HOME: (200, PAGE.format('<a href="o3.html">อำนาจหน้าที่</a>')), good: (200, PAGE.format(""))})
    config = loaded(f'[items.O3]\nurls = ["{HOME}missing.html", "{good}"]')
    result = run_audit(config, fetcher=fetcher)
    o3 = next(i for i in result.items if i.code == "O3")
    assert o3.status is Status.PASS
    assert o3.passing_url == good
    assert [u.status for u in o3.urls] == [Status.FAIL, Status.PASS]


def test_item_without_url_fails_with_no_url_given() -> None:
    result = run_audit(loaded(""), fetcher=FakeFetcher({HOME: (200, PAGE.format(""))}))
    o1 = next(i for i in result.items if i.code == "O1")
    assert o1.status is Status.FAIL
    assert [f.reason for f in o1.findings] == ["no_url_given"]


def test_a_crashing_fetch_becomes_an_unverified_finding_and_the_run_goes_on() -> None:
    fetcher = FakeFetcher({HOME: (200, PAGE.format(""))})
    config = loaded(f'[items.O3]\nurls = ["{HOME}boom.html"]\n[items.O1]\nurls = ["{HOME}missing"]')
    result = run_audit(config, fetcher=fetcher)
    o3 = next(i for i in result.items if i.code == "O3")
    assert o3.status is Status.UNVERIFIED
    assert o3.urls[0].findings[0].reason == "internal_error"
    assert next(i for i in result.items if i.code == "O1").status is Status.FAIL
    assert result.complete


def test_each_url_is_fetched_once_even_when_items_share_it() -> None:
    fetcher = FakeFetcher({HOME: (200, PAGE.format(""))})
    config = loaded(f'[items.O3]\nurls = ["{HOME}"]\n[items.O1]\nurls = ["{HOME}"]')
    run_audit(config, fetcher=fetcher)
    assert fetcher.fetched.count(HOME) == 1


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/o3"])
def test_metadata_and_private_addresses_are_never_fetched_for_a_public_site(url: str) -> None:
    fetcher = FakeFetcher({HOME: (200, PAGE.format(""))})
    result = run_audit(loaded(f'[items.O3]\nurls = ["{url}"]'), fetcher=fetcher)
    assert url not in fetcher.fetched
    o3 = next(i for i in result.items if i.code == "O3")
    assert o3.urls[0].findings[0].reason == "blocked_address"


class StallFetcher(FakeFetcher):
    """The homepage answers; every URL with 'stall' in it never does (a tarpit)."""

    async def fetch(self, url: str) -> FetchResult:
        if "stall" in url:
            self.fetched.append(url)
            await asyncio.sleep(3600)
        return await super().fetch(url)


def test_run_deadline_ends_a_stalled_run_and_reports_every_item() -> None:
    home = PAGE.format('<a href="stall-page.html">อำนาจหน้าที่</a><a href="http://[">broken</a>')
    fetcher = StallFetcher({HOME: (200, home)})
    items = f'[items.O3]\nurls = ["{HOME}stall-o3.html"]\n[items.O1]\nurls = ["{HOME}stall-o1.html"]'
    config = offline_config(HOME, items, audit="max_minutes = 0.03")  # 1.8 s
    started = time.monotonic()
    result = run_audit(config, fetcher=fetcher)
    assert time.monotonic() - started < 10
    assert {i.code for i in result.items} == {"O1", "O3"}
    for item in result.items:
        assert item.status is Status.UNVERIFIED
        assert item.urls[0].findings[0].reason == "run_deadline"
    assert result.complete  # the homepage answered: a deadline is not a broken run
    assert result.crawl is not None and result.crawl.limit_reached == "run_deadline"  # cut short: never "not linked"


def test_malformed_link_and_a_raising_check_never_stop_the_run() -> None:
    def broken_check(page, item, ctx):  # noqa: ANN001, ANN202
        raise KeyError("bug in a check")

    home = PAGE.format('<a href="http://[">broken</a><a href="o3.html">อำนาจหน้าที่</a>')
    fetcher = FakeFetcher({HOME: (200, home), HOME + "o3.html": (200, PAGE.format(""))})
    result = run_audit(loaded(f'[items.O3]\nurls = ["{HOME}o3.html"]'), fetcher=fetcher)
    o3 = next(i for i in result.items if i.code == "O3")
    assert o3.status is Status.PASS
    from oit_checker.audit import _checked
    from oit_checker.checks import Page

    findings = _checked(broken_check, Page(fetcher_result(HOME), None), o3, None)  # type: ignore[arg-type]
    assert [(f.status, f.reason) for f in findings] == [(Status.UNVERIFIED, "internal_error")]
    assert "KeyError" in findings[0].params["detail"]


def fetcher_result(url: str) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=200, body=b"", headers={})
