"""How many requests may be in flight, in all and per host, and how far apart a host's requests start.

``HttpFetcher`` asks a ``Limiter`` before every request. ``LocalLimiter`` (the default) keeps the
limits inside one fetcher, as a single ``audit`` needs. ``ProcessLimiter`` keeps them across the
processes of a fleet run (``oit_checker/fleet/embedded.py``): it is made in the parent from a
``spawn`` context and handed to each worker at its start (``initargs``), where ``install`` makes it
the one every fetcher of that process uses.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
import zlib
from multiprocessing.context import BaseContext
from typing import Any, Protocol

BUCKETS = 1024
"""Per-host slots of a ``ProcessLimiter``: hosts share one when their crc32 collides (stricter, never looser)."""
POLL_FIRST = 0.002
POLL_MAX = 0.05
"""Backoff while polling a cross-process semaphore: no thread blocks, so ``to_thread`` work is not starved."""


class Limiter(Protocol):
    """The slots one request holds: ``await acquire(host)`` (the global slot, then the host's),
    ``await wait_turn(host)`` (the per-host spacing), then ``release(host)`` once it is done."""

    async def acquire(self, host: str) -> None:
        """Wait for a global slot and then a slot for ``host``; on cancellation nothing is held."""

    def release(self, host: str) -> None:
        """Give back what ``acquire(host)`` took."""

    async def wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may receive another request (its minimum interval)."""


class HostSpacing:
    """Request starts on one host at least ``interval`` seconds apart, in one event loop (the
    per-host interval of ``LocalLimiter``, and the crawl's robots.txt ``Crawl-delay``)."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_start: dict[str, float] = {}

    async def wait(self, host: str, interval: float) -> None:
        """Sleep until ``host``'s next turn, and book the one after it."""
        if interval <= 0:
            return
        async with self._locks.setdefault(host, asyncio.Lock()):
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + interval
        if start > now:
            await asyncio.sleep(start - now)


class LocalLimiter:
    """The limits of one fetcher in one event loop (asyncio semaphores; per host, created on first use)."""

    def __init__(self, max_concurrency: int, per_host_concurrency: int, per_host_interval: float) -> None:
        self._global = asyncio.Semaphore(max_concurrency)
        self._concurrency = per_host_concurrency
        self._interval = per_host_interval
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._spacing = HostSpacing()

    @classmethod
    def for_options(cls, options: Any) -> LocalLimiter:
        """From ``HttpOptions`` (``max_concurrency``, ``per_host_concurrency``, ``per_host_interval``)."""
        return cls(options.max_concurrency, options.per_host_concurrency, options.per_host_interval)

    def semaphore(self, host: str) -> asyncio.Semaphore:
        """The semaphore bounding requests in flight to ``host``."""
        semaphore = self._sems.get(host)
        if semaphore is None:
            semaphore = self._sems[host] = asyncio.Semaphore(self._concurrency)
        return semaphore

    async def acquire(self, host: str) -> None:
        await self._global.acquire()
        try:
            await self.semaphore(host).acquire()
        except BaseException:
            self._global.release()
            raise

    def release(self, host: str) -> None:
        self.semaphore(host).release()
        self._global.release()

    async def wait_turn(self, host: str) -> None:
        await self._spacing.wait(host, self._interval)


def bucket_of(host: str, buckets: int = BUCKETS) -> int:
    """The per-host slot of ``host`` (the same in every process, unlike ``hash``)."""
    return zlib.crc32(host.encode("utf-8", "surrogatepass")) % buckets


async def _take(lock: Any) -> None:
    """Acquire a multiprocessing semaphore or lock without blocking the event loop."""
    delay = POLL_FIRST
    while not lock.acquire(False):
        await asyncio.sleep(delay)
        delay = min(delay * 2, POLL_MAX)


class ProcessLimiter:
    """The same limits across processes: a global ``BoundedSemaphore``, ``BUCKETS`` per-host ones and
    the next start time of each bucket in shared memory. ``time.monotonic`` is system-wide on Linux
    and macOS, so the times compare across processes.

    Picklable only while a process is being spawned (``initargs``), like every multiprocessing lock.
    A process killed while holding a slot leaks it: after a lost worker, make a new limiter."""

    def __init__(self, max_concurrency: int, per_host_concurrency: int, per_host_interval: float, *,
                 context: BaseContext | None = None, buckets: int = BUCKETS) -> None:
        ctx = context or multiprocessing.get_context("spawn")
        self.max_concurrency = max_concurrency
        self.per_host_concurrency = per_host_concurrency
        self.interval = per_host_interval
        self.buckets = buckets
        self._global = ctx.BoundedSemaphore(max_concurrency)
        self._hosts = [ctx.BoundedSemaphore(per_host_concurrency) for _ in range(buckets)]
        self._next = ctx.RawArray("d", buckets)
        self._lock = ctx.Lock()

    @classmethod
    def for_options(cls, options: Any, *, context: BaseContext | None = None) -> ProcessLimiter:
        """From ``HttpOptions``; ``max_concurrency`` then bounds the requests of all processes together."""
        return cls(options.max_concurrency, options.per_host_concurrency, options.per_host_interval,
                   context=context)

    async def acquire(self, host: str) -> None:
        await _take(self._global)
        try:
            await _take(self._hosts[bucket_of(host, self.buckets)])
        except BaseException:
            self._global.release()
            raise

    def release(self, host: str) -> None:
        self._hosts[bucket_of(host, self.buckets)].release()
        self._global.release()

    async def wait_turn(self, host: str) -> None:
        if self.interval <= 0:
            return
        index = bucket_of(host, self.buckets)
        await _take(self._lock)
        try:
            now = time.monotonic()
            start = max(now, self._next[index])
            self._next[index] = start + self.interval
        finally:
            self._lock.release()
        if start > now:
            await asyncio.sleep(start - now)


_installed: Limiter | None = None


def install(limiter: Limiter | None) -> None:
    """Make ``limiter`` the one every ``HttpFetcher`` of this process uses when given none (a fleet
    worker's initializer); ``None`` goes back to a ``LocalLimiter`` per fetcher."""
    global _installed  # noqa: PLW0603 - one per process, set once by the worker's initializer
    _installed = limiter


def installed() -> Limiter | None:
    """The limiter ``install`` set in this process, if any."""
    return _installed
