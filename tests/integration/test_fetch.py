"""HttpFetcher against a real local server: statuses, retries, redirects, limits, TLS, failures.

Every assertion is on ``FetchResult`` fields (status, error code, attempts, redirect chain),
never on wording. Timeouts are small (connect 2 s, read 1 s) so the slow cases end quickly.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time

import pytest
from fixture_server import BIG_BYTES, OK_PHRASES, FixtureServer

from oit_checker.fetch.http import HttpFetcher
from oit_checker.options import defaults

OPTIONS = dataclasses.replace(defaults().http, user_agent="oit-checker-tests", connect_timeout=2, read_timeout=1,
                      backoff=0.01, per_host_interval=0, retries=2)


async def fetch(url: str, **changes: object):
    """Fetch one URL with ``OPTIONS`` (plus ``changes``) and a fresh fetcher."""
    async with HttpFetcher(dataclasses.replace(OPTIONS, **changes)) as fetcher:
        return await fetcher.fetch(url)


async def test_ok_page(base_url: str) -> None:
    result = await fetch(base_url + "/ok")
    assert result.ok
    assert (result.status, result.error, result.attempts, result.redirects) == (200, None, 1, ())
    assert result.final_url == base_url + "/ok"
    assert result.content_type == "text/html"
    assert OK_PHRASES[0] in result.body.decode("utf-8")
    assert result.fetched_at


async def test_404_is_a_status_not_an_error(base_url: str) -> None:
    result = await fetch(base_url + "/404")
    assert (result.status, result.error, result.attempts) == (404, None, 1)
    assert not result.ok


async def test_a_500_is_retried_and_the_second_answer_kept(base_url: str, fixture_server: FixtureServer) -> None:
    result = await fetch(base_url + "/flaky")
    assert (result.status, result.error, result.attempts) == (200, None, 2)
    assert fixture_server.hits["/flaky"] == 2


async def test_retry_after_is_honoured(base_url: str, fixture_server: FixtureServer) -> None:
    started = time.monotonic()
    result = await fetch(base_url + "/retry-after")
    assert (result.status, result.error, result.attempts) == (200, None, 2)
    first, second = fixture_server.arrivals["/retry-after"]
    assert second - first >= 0.95  # Retry-After: 1, although backoff is 0.01
    assert time.monotonic() - started >= 0.95


async def test_persistent_429_ends_rate_limited_after_all_retries(base_url: str) -> None:
    result = await fetch(base_url + "/always-429")
    assert result.status == 429
    assert result.error == "rate_limited"
    assert result.attempts == OPTIONS.retries + 1
    assert not result.ok


async def test_retry_after_above_the_cap_gives_up_without_waiting(base_url: str,
                                                                  fixture_server: FixtureServer) -> None:
    started = time.monotonic()
    result = await fetch(base_url + "/always-429?retry_after=3600", max_retry_after=60)
    assert (result.status, result.error, result.attempts) == (429, "rate_limited", 1)
    assert time.monotonic() - started < 0.5
    assert fixture_server.hits["/always-429"] == 1


async def test_redirect_loop_is_detected_and_the_chain_recorded(base_url: str) -> None:
    result = await fetch(base_url + "/loop-a")
    assert result.error == "redirect_loop"
    assert [r.url for r in result.redirects] == [base_url + "/loop-a", base_url + "/loop-b"]
    assert all(r.status == 302 for r in result.redirects)
    assert result.final_url == base_url + "/loop-a"
    assert result.body == b""
    assert not result.ok


async def test_redirect_chain_is_followed_and_recorded(base_url: str) -> None:
    result = await fetch(base_url + "/chain/3")
    assert (result.status, result.error) == (200, None)
    assert result.final_url == base_url + "/chain/0"
    assert [r.url for r in result.redirects] == [f"{base_url}/chain/{n}" for n in (3, 2, 1)]
    assert {r.status for r in result.redirects} == {301}
    assert OK_PHRASES[0] in result.body.decode("utf-8")


async def test_max_redirects_is_inclusive(base_url: str) -> None:
    result = await fetch(base_url + "/chain/3", max_redirects=3)
    assert (result.status, result.error, len(result.redirects)) == (200, None, 3)


async def test_more_redirects_than_allowed(base_url: str, fixture_server: FixtureServer) -> None:
    result = await fetch(base_url + "/chain/4", max_redirects=3)
    assert result.error == "too_many_redirects"
    assert len(result.redirects) == 4
    assert fixture_server.hits["/chain/0"] == 0  # stopped before the last hop
    assert not result.ok


async def test_redirect_to_mailto_is_blocked_not_raised(base_url: str) -> None:
    """A real server sending ``Location: mailto:…``: the fetch must return, not raise."""
    result = await fetch(base_url + "/redirect?to=mailto:saraban@example.go.th")
    assert result.error == "blocked_address"


async def test_stalled_server_times_out_after_retries(base_url: str, fixture_server: FixtureServer) -> None:
    started = time.monotonic()
    result = await fetch(base_url + "/stall")
    elapsed = time.monotonic() - started
    assert result.error == "timeout"
    assert result.status is None
    assert result.attempts == OPTIONS.retries + 1
    assert fixture_server.hits["/stall"] == OPTIONS.retries + 1
    assert elapsed < 5  # 3 × the 1 s read timeout, not 3 × the server's 3 s stall


async def test_body_that_stalls_midway_times_out(base_url: str) -> None:
    result = await fetch(base_url + "/stall-body", retries=0)
    assert (result.error, result.attempts) == ("timeout", 1)
    assert result.elapsed < 2.5


async def test_body_over_the_cap_is_truncated(base_url: str) -> None:
    result = await fetch(base_url + "/big", max_body_bytes=10_000)
    assert result.status == 200
    assert result.truncated is True
    assert len(result.body) == 10_000


async def test_body_under_the_cap_is_whole(base_url: str) -> None:
    result = await fetch(base_url + "/big")
    assert result.truncated is False
    assert len(result.body) == BIG_BYTES


async def test_body_exactly_at_the_cap_is_not_truncated(base_url: str) -> None:
    """A body of exactly ``max_body_bytes`` lost nothing: it must not be reported truncated."""
    result = await fetch(base_url + "/big?size=10000", max_body_bytes=10_000)
    assert len(result.body) == 10_000
    assert result.truncated is False


async def test_self_signed_tls_is_recorded_and_the_page_still_fetched(tls_base_url: str) -> None:
    result = await fetch(tls_base_url + "/ok")
    assert result.tls_error  # the certificate problem, e.g. "self-signed certificate"
    assert (result.status, result.error) == (200, None)
    assert result.attempts == 2  # verified (refused), then unverified
    assert OK_PHRASES[0] in result.body.decode("utf-8")


async def test_tls_not_verified_when_switched_off(tls_base_url: str) -> None:
    result = await fetch(tls_base_url + "/ok", verify_tls=False)
    assert (result.status, result.error, result.tls_error, result.attempts) == (200, None, None, 1)


async def test_closed_port_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await fetch(f"http://127.0.0.1:{port}/")
    assert result.error == "connect_error"
    assert result.status is None
    assert result.attempts == OPTIONS.retries + 1  # a refused connection may be a restart: retried


async def test_unresolvable_host_is_a_dns_error() -> None:
    result = await fetch("http://nonexistent.invalid/")
    assert result.error == "dns_error"
    assert result.status is None


async def test_per_host_concurrency_is_respected(base_url: str, fixture_server: FixtureServer) -> None:
    async with HttpFetcher(dataclasses.replace(OPTIONS, per_host_concurrency=1)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(f"{base_url}/concurrency?n={n}") for n in range(4)))
    assert all(r.status == 200 for r in results)
    assert fixture_server.hits["/concurrency"] == 4
    assert fixture_server.max_in_flight == 1


async def test_concurrency_probe_sees_parallel_requests(base_url: str, fixture_server: FixtureServer) -> None:
    """Control for the test above: with a higher limit the route does see overlap."""
    async with HttpFetcher(dataclasses.replace(OPTIONS, per_host_concurrency=4)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(f"{base_url}/concurrency?n={n}") for n in range(4)))
    assert all(r.status == 200 for r in results)
    assert fixture_server.max_in_flight > 1


async def test_per_host_interval_spaces_request_starts(base_url: str, fixture_server: FixtureServer) -> None:
    started = time.monotonic()
    async with HttpFetcher(dataclasses.replace(OPTIONS, per_host_interval=0.2, per_host_concurrency=3)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(base_url + "/ok") for _ in range(3)))
    assert all(r.status == 200 for r in results)
    assert time.monotonic() - started >= 0.4
    arrivals = fixture_server.arrivals["/ok"]
    assert len(arrivals) == 3
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert min(gaps) >= 0.15  # 0.2 s apart, minus scheduling slack


@pytest.mark.parametrize("path", ["/401", "/botwall", "/login"])
async def test_non_2xx_and_walls_are_answers_not_errors(base_url: str, path: str) -> None:
    """Login and bot walls are judged by the checks; the fetcher only reports what it saw."""
    result = await fetch(base_url + path)
    assert result.error is None
    assert result.attempts == 1


async def test_cookie_setting_self_redirect_is_not_a_loop(base_url: str) -> None:
    """``/x`` -> 302 + Set-Cookie -> ``/x`` (with the cookie) -> 200 is what browsers follow.

    Agency sites behind F5/"cookie check" gateways do this; a second visit carrying a new
    cookie is not a loop, and the page must not be failed as ``redirect_loop``.
    """
    result = await fetch(base_url + "/cookie-gate")
    assert (result.status, result.error) == (200, None)
    assert len(result.redirects) == 1


# --- a run always ends: the per-host breaker and the per-URL budget ---------------------------------

async def test_a_host_that_stops_answering_ends_its_other_urls_at_once(base_url: str,
                                                                         fixture_server: FixtureServer) -> None:
    """20 stalling URLs on one host, 2 at a time, 3 retries: without the breaker 20 × 4 × 1 s / 2."""
    started = time.monotonic()
    options = dataclasses.replace(OPTIONS, retries=3, breaker_failures=3, breaker_cooldown=60)
    async with HttpFetcher(options) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(f"{base_url}/stall?seconds=3&n={i}") for i in range(20)))
    assert time.monotonic() - started < 8
    assert {r.error for r in results} <= {"timeout", "host_unresponsive"}
    assert sum(r.error == "host_unresponsive" for r in results) >= 15
    assert fixture_server.hits["/stall"] <= 6  # the breaker's failures, and nothing queued behind them


async def test_the_host_is_tried_again_after_the_cool_down(base_url: str) -> None:
    options = dataclasses.replace(OPTIONS, retries=0, breaker_failures=2, breaker_cooldown=0.5)
    async with HttpFetcher(options) as fetcher:
        stalled = [await fetcher.fetch(f"{base_url}/stall?seconds=3&n={i}") for i in range(2)]
        refused = await fetcher.fetch(base_url + "/ok")
        await asyncio.sleep(0.6)
        again = await fetcher.fetch(base_url + "/ok")
        after = await fetcher.fetch(base_url + "/ok")
    assert [r.error for r in stalled] == ["timeout", "timeout"]
    assert refused.error == "host_unresponsive" and refused.attempts == 1
    assert again.status == 200 and after.status == 200  # an answer closes the breaker


async def test_the_url_budget_bounds_retries_and_backoff(base_url: str) -> None:
    started = time.monotonic()
    result = await fetch(base_url + "/stall?seconds=3", retries=10, backoff=0.2, url_budget=2.5,
                         breaker_failures=0)
    assert result.error == "timeout"
    assert time.monotonic() - started < 4  # not 11 attempts × 1 s plus backoff
    assert 2 <= result.attempts <= 4
