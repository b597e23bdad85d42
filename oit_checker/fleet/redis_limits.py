"""Request limits shared by Celery workers on several machines, kept in the broker's Redis.

``RedisLimiter`` is the ``fetch.limits.Limiter`` of a Celery worker process (``celery_app`` installs
one per pool process). A slot is a lease: a member of a sorted set scored by its expiry, one set for
all requests and one per host, taken by a Lua script that drops expired leases and checks both
limits in one atomic step. A worker killed while it holds slots gives them back when the leases
expire (``LEASE_SECONDS``, longer than a request may take: ``[http] url_budget``), never before. The
spacing of a host's requests is the next start time in a key per host, moved by a second script.
Times are the Redis server's (``TIME``), so the clocks of the worker machines do not matter.

Why not a library: the Redis semaphores on PyPI (redis-semaphore, redis-semaphore-async,
redis-semaphore-eval) hold one counter each, and pottery and python-redis-lock are mutexes; a request
here needs a global slot *and* its host's slot in one atomic step (else two processes each holding one
wait for the other's), with leases that expire when a worker dies. ``limits`` counts requests per
time window, not requests in flight. The two scripts are 20 lines of Lua run by redis-py's
``register_script``.

The limits themselves are in a hash (``fleet run --broker`` writes the fleet's ``[fleet.limits]``);
a process reads it at most every ``LIMITS_TTL`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import secrets
import socket
import time
from dataclasses import dataclass
from itertools import count
from typing import Any

import redis

PREFIX = "oit-checker:limiter:"
"""Key prefix of the default queue's limiter (``celery_app.limiter_prefix``)."""
LEASE_SECONDS = 240.0
"""How long an unreleased slot lasts: twice the default ``[http] url_budget`` (120 s), which bounds
the time one request holds it. Raise it (``lease_seconds``) for agencies with a larger budget."""
LIMITS_TTL = 5.0
POLL_FIRST = 0.01
POLL_MAX = 0.2
"""Backoff between tries for a slot (a round trip to Redis each)."""

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) or redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  return 0
end
local lease = tonumber(ARGV[2])
local expiry = string.format('%.6f', now + lease)
redis.call('ZADD', KEYS[1], expiry, ARGV[1])
redis.call('ZADD', KEYS[2], expiry, ARGV[1])
local ms = math.ceil(lease * 1000) + 1000
redis.call('PEXPIRE', KEYS[1], ms)
redis.call('PEXPIRE', KEYS[2], ms)
return 1
"""
"""KEYS: all slots, the host's slots; ARGV: token, lease seconds, max_concurrency, per_host_concurrency."""

_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local start = math.max(now, tonumber(redis.call('GET', KEYS[1])) or 0)
redis.call('SET', KEYS[1], string.format('%.6f', start + interval), 'PX', math.ceil((start + interval - now) * 1000) + 1000)
return string.format('%.6f', start - now)
"""
"""KEYS: the host's next start; ARGV: interval. Returns the seconds to wait (a string: Lua numbers
come back from Redis as integers)."""


@dataclass(frozen=True)
class Limits:
    """What ``[fleet.limits]`` says about requests (the defaults are ``FleetLimits``')."""

    max_concurrency: int = 64
    per_host_concurrency: int = 2
    per_host_interval: float = 0.25

    @classmethod
    def of(cls, limits: Any) -> Limits:
        """From ``FleetLimits`` (or anything with the three fields)."""
        return cls(int(limits.max_concurrency), int(limits.per_host_concurrency), float(limits.per_host_interval))


def connect(url: str) -> redis.Redis:
    """A client for ``url`` (``redis://host:port/db``) that gives up on a dead server in seconds."""
    return redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10, health_check_interval=30)


def set_limits(client: redis.Redis, limits: Limits, prefix: str = PREFIX) -> None:
    """Make ``limits`` the ones every worker of this Redis (and key prefix) applies from now on."""
    client.hset(prefix + "limits", mapping={"max_concurrency": limits.max_concurrency,
                                           "per_host_concurrency": limits.per_host_concurrency,
                                           "per_host_interval": limits.per_host_interval})


def read_limits(client: redis.Redis, prefix: str = PREFIX, default: Limits | None = None) -> Limits:
    """The limits in Redis; a field not set there keeps ``default``'s."""
    base = default or Limits()
    raw = {k.decode(): v.decode() for k, v in client.hgetall(prefix + "limits").items()}  # type: ignore[union-attr]
    return Limits(int(raw.get("max_concurrency", base.max_concurrency)),
                  int(raw.get("per_host_concurrency", base.per_host_concurrency)),
                  float(raw.get("per_host_interval", base.per_host_interval)))


class RedisLimiter:
    """The ``Limiter`` of many processes on many machines (see the module docstring).

    Example (what a worker process does at its start)::

        limits.install(RedisLimiter("redis://10.0.0.5:6379/0"))
    """

    def __init__(self, url: str, *, prefix: str = PREFIX, lease_seconds: float = LEASE_SECONDS,
                 default: Limits | None = None) -> None:
        self.url, self.prefix, self.lease_seconds = url, prefix, lease_seconds
        self.default = default or Limits()
        self._pid = -1
        self._client: redis.Redis | None = None
        self._scripts: dict[str, Any] = {}
        self._limits = self.default
        self._limits_at = float("-inf")
        self._held: dict[str, list[str]] = {}
        self._tokens = count(1)
        self._name = ""

    def client(self) -> redis.Redis:
        """This process's connection (a forked child makes its own: sockets are not shared)."""
        if self._client is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._name = f"{socket.gethostname()}:{self._pid}:{secrets.token_hex(3)}"  # unique per limiter
            self._client = connect(self.url)
            self._scripts = {"acquire": self._client.register_script(_ACQUIRE),
                             "turn": self._client.register_script(_TURN)}
        return self._client

    def limits(self) -> Limits:
        """The limits in force (read from Redis at most every ``LIMITS_TTL`` seconds)."""
        now = time.monotonic()
        if now - self._limits_at >= LIMITS_TTL:
            self._limits = read_limits(self.client(), self.prefix, self.default)
            self._limits_at = now
        return self._limits

    def _keys(self, host: str) -> tuple[str, str]:
        return self.prefix + "slots", self.prefix + "slots:" + host

    def try_acquire(self, host: str) -> str | None:
        """One try for a slot (blocking I/O): the lease's token, or None when the limits are reached."""
        limits = self.limits()  # connects first (the token names this process)
        token = f"{self._name}:{next(self._tokens)}"
        taken = self._scripts["acquire"](keys=list(self._keys(host)), args=[
            token, self.lease_seconds, limits.max_concurrency, limits.per_host_concurrency], client=self.client())
        return token if int(taken) else None

    async def acquire(self, host: str) -> None:
        delay = POLL_FIRST
        while True:
            token = await asyncio.to_thread(self.try_acquire, host)
            if token is not None:
                self._held.setdefault(host, []).append(token)
                return
            await asyncio.sleep(delay * (0.5 + random.random()))  # noqa: S311 - jitter, not security
            delay = min(delay * 2, POLL_MAX)

    def release(self, host: str) -> None:
        held = self._held.get(host)
        if not held:
            return
        token = held.pop()
        if not held:
            del self._held[host]
        with contextlib.suppress(redis.RedisError):  # unreachable: the lease expires by itself
            pipe = self.client().pipeline()
            for key in self._keys(host):
                pipe.zrem(key, token)
            pipe.execute()

    def turn_delay(self, host: str) -> float:
        """Seconds until ``host`` may get this request (blocking I/O; reserves that start time)."""
        interval = self.limits().per_host_interval
        if interval <= 0:
            return 0.0
        answer = self._scripts["turn"](keys=[self.prefix + "next:" + host], args=[interval], client=self.client())
        return float(answer)

    async def wait_turn(self, host: str) -> None:
        if self._limits.per_host_interval <= 0 and time.monotonic() - self._limits_at < LIMITS_TTL:
            return
        delay = await asyncio.to_thread(self.turn_delay, host)
        if delay > 0:
            await asyncio.sleep(delay)

    def held(self) -> int:
        """Slots this limiter holds now (for tests and logs)."""
        return sum(len(tokens) for tokens in self._held.values())


def delete_keys(client: redis.Redis, prefix: str) -> int:
    """Delete every key under ``prefix`` (a test's, or a namespace being retired); returns how many."""
    removed = 0
    batch: list[bytes] = []
    for key in client.scan_iter(match=prefix.replace("*", r"\*") + "*", count=500):
        batch.append(key)
        if len(batch) >= 500:
            removed += int(client.delete(*batch))
            batch = []
    if batch:
        removed += int(client.delete(*batch))
    return removed
