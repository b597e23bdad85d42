"""HTTP edge cases a real server makes awkward, with pytest-httpx answering for the network.

``httpx_mock`` intercepts every httpx request in these tests and fails at teardown when a
registered response was never requested. Sleeps are recorded by an injected ``sleep`` rather
than waited out, so the delays the fetcher chose can be asserted exactly and cost no time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils

import pytest
from pytest_httpx import HTTPXMock

from oit_checker.checklist import Item
from oit_checker.checks import Context, Page, check_public, check_reachable, run_checks
from oit_checker.fetch.http import HttpFetcher, HttpOptions
from oit_checker.models import Check, Status
from oit_checker.options import defaults

URL = "https://www.example.go.th/ita/o24.html"
OPTIONS = dataclasses.replace(defaults().http, user_agent="oit-checker-tests", connect_timeout=2, read_timeout=1,
                      backoff=0.01, per_host_interval=0, retries=2, max_retry_after=60)
ITEM = Item(code="O1", name_th="ข้อทดสอบ")
CTX = Context(homepage="https://www.example.go.th/", domains=("example.go.th",), assessment_year=2567)
PAGE = "<html><head><title>รายงาน</title></head><body><p>รายงานผลการดำเนินงาน</p></body></html>".encode()


class Sleeps:
    """A stand-in for ``asyncio.sleep`` that records each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


async def fetch(url: str, sleeps: Sleeps | None = None, options: HttpOptions = OPTIONS):
    async with HttpFetcher(options, sleep=sleeps or Sleeps()) as fetcher:
        return await fetcher.fetch(url)


def http_date(seconds_from_now: float) -> str:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds_from_now)
    return email.utils.format_datetime(when, usegmt=True)


async def test_retry_after_as_an_http_date_is_honoured(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": http_date(30)})
    httpx_mock.add_response(url=URL, status_code=200, content=PAGE, headers={"Content-Type": "text/html"})
    sleeps = Sleeps()
    result = await fetch(URL, sleeps)
    assert (result.status, result.error, result.attempts) == (200, None, 2)
    assert len(sleeps.delays) == 1
    assert 28 <= sleeps.delays[0] <= 30.5  # the date, not the 0.01 s backoff


async def test_retry_after_date_in_the_past_falls_back_to_backoff(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": http_date(-120)})
    httpx_mock.add_response(url=URL, status_code=200, content=PAGE)
    sleeps = Sleeps()
    result = await fetch(URL, sleeps)
    assert (result.status, result.attempts) == (200, 2)
    assert sleeps.delays and sleeps.delays[0] < 1


async def test_retry_after_date_beyond_the_cap_gives_up_at_once(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": http_date(3600)})
    sleeps = Sleeps()
    result = await fetch(URL, sleeps)
    assert (result.status, result.error, result.attempts) == (429, "rate_limited", 1)
    assert sleeps.delays == []


async def test_retry_after_on_a_503_is_honoured_too(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "5"})
    httpx_mock.add_response(url=URL, status_code=200, content=PAGE)
    sleeps = Sleeps()
    result = await fetch(URL, sleeps)
    assert (result.status, result.attempts) == (200, 2)
    assert sleeps.delays == [5.0]


@pytest.mark.parametrize("location", ["ftp://files.example.go.th/o24.pdf", "file:///etc/passwd"])
async def test_redirect_to_a_non_http_scheme_is_blocked(httpx_mock: HTTPXMock, location: str) -> None:
    httpx_mock.add_response(url=URL, status_code=301, headers={"Location": location})
    result = await fetch(URL)
    assert result.error == "blocked_address"
    assert [(r.url, r.status) for r in result.redirects] == [(URL, 301)]
    assert len(httpx_mock.get_requests()) == 1  # the target was never requested
    findings = check_reachable(Page(result), ITEM, CTX)
    assert [(f.status, f.reason) for f in findings] == [(Status.UNVERIFIED, "blocked_address")]


@pytest.mark.parametrize("location", ["mailto:saraban@example.go.th", "javascript:alert(1)", "tel:021234567"])
async def test_redirect_to_a_hostless_scheme_does_not_raise(httpx_mock: HTTPXMock, location: str) -> None:
    """A fetch never raises (``Fetcher`` contract): one such page must not abort the whole audit.

    httpx builds ``response.next_request`` even with ``follow_redirects=False`` and raises
    ``httpx.InvalidURL`` (not an ``httpx.HTTPError``) for a Location without a host.
    """
    httpx_mock.add_response(url=URL, status_code=302, headers={"Location": location})
    result = await fetch(URL)
    assert result.error == "blocked_address"
    assert result.status is None or result.status == 302
    assert len(httpx_mock.get_requests()) == 1


async def test_503_on_every_attempt(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=503, is_reusable=True)
    sleeps = Sleeps()
    result = await fetch(URL, sleeps)
    assert result.status == 503
    assert result.error is None
    assert result.attempts == OPTIONS.retries + 1
    assert len(httpx_mock.get_requests()) == OPTIONS.retries + 1
    assert len(sleeps.delays) == OPTIONS.retries
    assert sleeps.delays[1] > sleeps.delays[0]  # exponential backoff
    findings = check_reachable(Page(result), ITEM, CTX)
    assert [(f.status, f.reason) for f in findings] == [(Status.UNVERIFIED, "server_error")]


async def test_status_999_is_a_bot_wall(httpx_mock: HTTPXMock) -> None:
    """LinkedIn's 999 "request denied": we were blocked, the agency did nothing wrong."""
    httpx_mock.add_response(url=URL, status_code=999, content=b"<html><body></body></html>")
    result = await fetch(URL)
    assert (result.status, result.error, result.attempts) == (999, None, 1)
    page = Page(result)
    assert [(f.status, f.reason) for f in check_public(page, ITEM, CTX)] == [(Status.UNVERIFIED, "bot_wall")]
    findings = run_checks(page, ITEM, CTX)
    assert not [f for f in findings if f.status is Status.FAIL]
    assert {f.check for f in findings if f.reason == "bot_wall"} == {Check.PUBLIC}
