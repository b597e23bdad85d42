"""The address rule on every hop: refused hosts are never requested (``fetch/addresses.py``).

Nothing here sends traffic anywhere but 127.0.0.1: a refused target is proved not requested by the
refusal itself and by the fixture server's request log; names are resolved by a stand-in resolver.
"""

from __future__ import annotations

import asyncio
import dataclasses
from urllib.parse import quote

import httpx
import pytest
from fixture_server import FixtureServer

from oit_checker.fetch.addresses import AddressPolicy
from oit_checker.fetch.http import HttpFetcher
from oit_checker.options import defaults

OPTIONS = dataclasses.replace(defaults().http, user_agent="oit-checker-tests", connect_timeout=2, read_timeout=2, retries=0,
                      per_host_interval=0)


class LocalOnly(httpx.AsyncHTTPTransport):
    """The real transport for 127.0.0.1; any other host is recorded and refused here, so even a
    broken address rule cannot make these tests send a request off the machine."""

    def __init__(self) -> None:
        super().__init__()
        self.elsewhere: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            self.elsewhere.append(str(request.url))
            raise httpx.ConnectError("not 127.0.0.1: refused by the test", request=request)
        return await super().handle_async_request(request)


class Names:
    """A resolver with a fixed table; records every name it was asked."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError("no such name")
        return self.table[host]


def refusal(policy: AddressPolicy, url: str) -> str:
    return asyncio.run(policy.refusal(url))


@pytest.mark.parametrize("host", ["2852039166", "0xa9.0xfe.0xa9.0xfe", "169.254.43518", "0251.0376.0251.0376"])
def test_other_spellings_of_a_link_local_address_are_refused_without_a_lookup(host: str) -> None:
    names = Names({})
    assert refusal(AddressPolicy(private_ok=True, resolver=names), f"http://{host}/latest/meta-data/")
    assert names.asked == []


@pytest.mark.parametrize("url", ["http://metadata.google.internal/computeMetadata/v1/",
                                 "http://metadata/latest/", "http://METADATA.google.internal./"])
def test_metadata_names_are_refused_before_any_lookup(url: str) -> None:
    names = Names({})
    assert refusal(AddressPolicy(private_ok=True, resolver=names), url)
    assert names.asked == []


@pytest.mark.parametrize(("address", "private_ok", "refused"), [
    ("169.254.169.254", True, True), ("fe80::1", True, True), ("0.0.0.0", True, True),  # noqa: S104
    ("224.0.0.1", True, True), ("10.1.2.3", False, True), ("127.0.0.1", False, True),
    ("10.1.2.3", True, False), ("127.0.0.1", True, False), ("104.16.0.1", False, False),
])
def test_names_are_judged_by_the_address_they_resolve_to(address: str, private_ok: bool, refused: bool) -> None:
    names = Names({"www.agency.test": [address]})
    assert bool(refusal(AddressPolicy(private_ok=private_ok, resolver=names), "https://www.agency.test/x")) is refused


def test_a_name_resolving_to_several_addresses_is_refused_if_any_is_refused() -> None:
    names = Names({"mixed.test": ["104.16.0.1", "169.254.169.254"]})
    assert refusal(AddressPolicy(resolver=names), "http://mixed.test/")


def test_resolution_is_cached_per_host_and_unresolvable_names_are_left_to_the_request() -> None:
    names = Names({"a.test": ["104.16.0.1"]})
    policy = AddressPolicy(resolver=names)

    async def run() -> list[str]:
        return [await policy.refusal(u) for u in ("http://a.test/1", "https://a.test/2", "http://gone.test/")]

    assert asyncio.run(run()) == ["", "", ""]
    assert names.asked == ["a.test", "gone.test"]


def test_a_slow_resolver_times_out_and_the_request_decides() -> None:
    async def never(host: str) -> list[str]:
        await asyncio.sleep(30)
        return []

    assert refusal(AddressPolicy(resolver=never, timeout=0.1), "http://slow.test/") == ""


def test_private_allowed_when_the_homepage_resolves_to_a_private_address() -> None:
    names = Names({"intranet.agency.test": ["10.0.0.5"], "www.agency.go.th": ["104.16.0.1"]})
    assert asyncio.run(AddressPolicy.for_homepage("http://intranet.agency.test/", names)).private_ok
    assert not asyncio.run(AddressPolicy.for_homepage("https://www.agency.go.th/", names)).private_ok
    assert asyncio.run(AddressPolicy.for_homepage("http://127.0.0.1:8000/")).private_ok


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://2852039166/latest/meta-data/",  # 169.254.169.254 as one number (inet_aton reads it)
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://rebind.test/latest/meta-data/",  # a name that resolves to the metadata address
    "file:///etc/passwd",
])
def test_a_redirect_to_a_refused_address_is_never_requested(target: str, base_url: str,
                                                            fixture_server: FixtureServer) -> None:
    names = Names({"rebind.test": ["169.254.169.254"]})
    policy = AddressPolicy(private_ok=True, resolver=names)
    guard = LocalOnly()

    async def run() -> tuple[str | None, str, int]:
        async with HttpFetcher(OPTIONS, policy=policy, transport=guard) as fetcher:
            result = await fetcher.fetch(f"{base_url}/redirect?to={quote(target, safe='')}")
        return result.error, result.final_url, len(result.redirects)

    error, final, hops = asyncio.run(run())
    assert error == "blocked_address"
    assert final == target and hops == 1
    assert dict(fixture_server.hits) == {"/redirect": 1}  # the server saw only the redirecting page
    assert guard.elsewhere == []  # and nothing was even attempted anywhere else
    assert "metadata" not in names.asked and "metadata.google.internal" not in names.asked


def test_a_redirect_to_a_private_address_is_refused_when_the_site_is_public(base_url: str,
                                                                             fixture_server: FixtureServer) -> None:
    """The first URL is checked too: with a public homepage the local fixture server itself is refused."""
    async def run() -> str | None:
        async with HttpFetcher(OPTIONS, policy=AddressPolicy(private_ok=False), transport=LocalOnly()) as fetcher:
            return (await fetcher.fetch(f"{base_url}/ok")).error

    assert asyncio.run(run()) == "blocked_address"
    assert not fixture_server.hits


def test_a_redirect_within_allowed_addresses_is_followed(base_url: str) -> None:
    async def run() -> int | None:
        options = dataclasses.replace(OPTIONS, max_redirects=3)
        async with HttpFetcher(options, policy=AddressPolicy(private_ok=True), transport=LocalOnly()) as fetcher:
            return (await fetcher.fetch(f"{base_url}/redirect?to=/ok")).status

    assert asyncio.run(run()) == 200
