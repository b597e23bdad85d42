"""The fetcher's connections spread over small httpcore pools (``oit_checker.fetch.pool``):
concurrency is not capped at one pool's size, and every slot is given back."""

from __future__ import annotations

import asyncio
import dataclasses

from fixture_server import FixtureServer
from test_fetch import OPTIONS

from oit_checker.fetch.http import HttpFetcher
from oit_checker.fetch.pool import PER_POOL, ShardedTransport


async def test_requests_in_flight_are_not_capped_at_one_pool(base_url: str, fixture_server: FixtureServer) -> None:
    options = dataclasses.replace(OPTIONS, max_concurrency=10, per_host_concurrency=10)
    async with HttpFetcher(options) as fetcher:
        transport = fetcher._client._transport
        assert isinstance(transport, ShardedTransport) and len(transport._pools) == 3
        results = await asyncio.gather(*(fetcher.fetch(f"{base_url}/concurrency?n={n}") for n in range(10)))
        assert all(r.status == 200 for r in results)
        assert fixture_server.max_in_flight > PER_POOL
        assert transport._busy == [0, 0, 0]


async def test_a_body_cut_short_gives_its_slot_back(base_url: str) -> None:
    async with HttpFetcher(dataclasses.replace(OPTIONS, max_concurrency=4)) as fetcher:
        results = [await fetcher.fetch_capped(f"{base_url}/big", lambda headers: 0) for _ in range(6)]
        assert all(r.status == 200 and r.truncated and r.body == b"" for r in results)
        transport = fetcher._client._transport
        assert isinstance(transport, ShardedTransport) and transport._busy == [0]
        assert (await fetcher.fetch(f"{base_url}/ok")).ok
