"""The request limiters (``fetch/limits.py``) in one process: slots, spacing, cancellation, install.

The cross-process behaviour (spawned workers, a real server counting peaks) is in
``tests/integration/test_fleet_embedded.py``.
"""

from __future__ import annotations

import asyncio
import pickle
import time
import zlib

import pytest

from oit_checker.fetch import limits
from oit_checker.fetch.http import HttpFetcher
from oit_checker.fetch.limits import BUCKETS, LocalLimiter, ProcessLimiter, bucket_of
from oit_checker.options import defaults


async def _peak(limiter: limits.Limiter, hosts: list[str], hold: float = 0.05) -> dict[str, int]:
    """Run one request per entry of ``hosts`` at once; the peak in flight per host (and ``*``: all)."""
    inflight: dict[str, int] = {}
    peak: dict[str, int] = {}

    async def one(host: str) -> None:
        await limiter.acquire(host)
        try:
            for key in (host, "*"):
                inflight[key] = inflight.get(key, 0) + 1
                peak[key] = max(peak.get(key, 0), inflight[key])
            await asyncio.sleep(hold)
        finally:
            for key in (host, "*"):
                inflight[key] -= 1
            limiter.release(host)

    await asyncio.gather(*(one(h) for h in hosts))
    return peak


@pytest.mark.parametrize("make", [LocalLimiter, ProcessLimiter])
async def test_global_and_per_host_slots_hold(make: type) -> None:
    limiter = make(3, 2, 0.0)
    peak = await _peak(limiter, ["a.test"] * 5 + ["b.test"] * 5)
    assert peak["a.test"] == 2 and peak["b.test"] == 2
    assert peak["*"] == 3


@pytest.mark.parametrize("make", [LocalLimiter, ProcessLimiter])
async def test_interval_spaces_the_starts_of_one_host_only(make: type) -> None:
    limiter = make(10, 10, 0.1)
    starts: dict[str, list[float]] = {"a.test": [], "b.test": []}

    async def one(host: str) -> None:
        await limiter.acquire(host)
        try:
            await limiter.wait_turn(host)
            starts[host].append(time.monotonic())
        finally:
            limiter.release(host)

    began = time.monotonic()
    await asyncio.gather(*(one(h) for h in ["a.test"] * 4 + ["b.test"]))
    gaps = [b - a for a, b in zip(starts["a.test"], starts["a.test"][1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.09
    assert starts["b.test"][0] - began < 0.09  # another host does not wait for a.test's spacing


@pytest.mark.parametrize("make", [LocalLimiter, ProcessLimiter])
async def test_a_cancelled_wait_holds_no_slot(make: type) -> None:
    limiter = make(2, 1, 0.0)
    await limiter.acquire("a.test")
    waiter = asyncio.create_task(limiter.acquire("a.test"))  # holds a global slot, waits for a.test's
    await asyncio.sleep(0.02)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await asyncio.wait_for(limiter.acquire("b.test"), 1.0)  # the waiter's global slot came back
    limiter.release("a.test")
    await asyncio.wait_for(limiter.acquire("a.test"), 1.0)
    limiter.release("a.test")
    limiter.release("b.test")


def test_buckets_are_stable_and_in_range() -> None:
    assert bucket_of("127.0.1.1") == zlib.crc32(b"127.0.1.1") % BUCKETS  # the same in every process (not hash())
    assert all(0 <= bucket_of(f"127.0.1.{i}") < BUCKETS for i in range(1, 255))
    assert len({bucket_of(f"127.0.1.{i}") for i in range(1, 255)}) > 200  # hosts rarely share a slot


def test_a_process_limiter_pickles_only_while_spawning() -> None:
    with pytest.raises(RuntimeError):  # multiprocessing locks travel through initargs, not queues
        pickle.dumps(ProcessLimiter(2, 1, 0.0, buckets=4))


async def test_fetcher_uses_the_installed_limiter_else_its_own() -> None:
    options = defaults().http
    own = HttpFetcher(options)
    installed = ProcessLimiter(2, 1, 0.0, buckets=4)
    limits.install(installed)
    try:
        picked = HttpFetcher(options)
        given = LocalLimiter(1, 1, 0.0)
        explicit = HttpFetcher(options, limiter=given)
        assert picked._limiter is installed and explicit._limiter is given
    finally:
        limits.install(None)
        for fetcher in (own, picked, explicit):
            await fetcher.aclose()
    assert isinstance(own._limiter, LocalLimiter)
