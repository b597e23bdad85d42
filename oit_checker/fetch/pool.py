"""The run's connections, spread over a few small httpcore pools behind ONE ``httpx.AsyncClient``.

httpcore's connection pool re-examines every connection (and polls its socket) for every request
it assigns, several times per request, so its cost grows with the square of the pool size: at 16
connections it was most of the crawl's CPU (bench/crawl.py: 196 → 697 requests/s on the CI
machine with 4 pools of 4). ``ShardedTransport`` keeps the pools at ``PER_POOL`` connections and
sends each request to the least busy one. Limits, retries, cookies and redirects stay where they
were: the fetcher's own semaphores and the one client.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator

import httpx

PER_POOL = 4
"""Connections per httpcore pool."""


class ShardedTransport(httpx.AsyncBaseTransport):
    """``connections`` connections over ``ceil(connections / PER_POOL)`` httpcore pools."""

    def __init__(self, connections: int, *, verify: bool = True) -> None:
        count = max(1, math.ceil(connections / PER_POOL))
        size = max(1, math.ceil(connections / count))
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        context = httpx.create_ssl_context(verify=verify)  # one TLS context (loading CAs is slow), shared
        self._pools = [httpx.AsyncHTTPTransport(verify=context, limits=limits) for _ in range(count)]
        self._busy = [0] * count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """See ``httpx.AsyncBaseTransport``: the least busy pool takes the request; it stays busy
        until the response body is closed."""
        index = min(range(len(self._busy)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            response = await self._pools[index].handle_async_request(request)
        except BaseException:
            self._busy[index] -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)  # noqa: S101 - an async transport's stream
        response.stream = _Tracked(response.stream, self._busy, index)
        return response

    async def aclose(self) -> None:
        """Close every pool."""
        for pool in self._pools:
            await pool.aclose()


class _Tracked(httpx.AsyncByteStream):
    """A response body that frees its pool's slot when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, busy: list[int], index: int) -> None:
        self._stream = stream
        self._busy = busy
        self._index = index
        self._open = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._open:
                self._open = False
                self._busy[self._index] -= 1
