"""The HTTP fetcher: one ``httpx.AsyncClient`` per run, polite to small government servers.

- global and per-host concurrency limits, and a minimum interval between requests to a host;
- redirects followed by hand so the chain is recorded and loops are caught;
- retries with exponential backoff and jitter for timeouts, 5xx and 429 (Retry-After honoured,
  capped);
- streamed bodies with a size cap;
- a TLS failure is recorded and the fetch retried without verification, so the other checks
  still run.

``fetch`` (the audited URLs) goes through ``httpx``; ``fetch_capped`` (the crawl's many small
requests) through the lean client of ``fetch/wire.py``, unless a transport was given (tests) or a
proxy is configured in the environment.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import random
import ssl
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..models import FetchResult, Redirect
from ..urls import host_of
from .interface import BodyCap, Fetcher
from .pool import ShardedTransport
from .wire import WireClient, WireError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpOptions:
    """Fetch settings (the ``[http]`` table of the config)."""

    user_agent: str
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_interval: float = 0.25
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 60.0
    max_redirects: int = 10
    max_body_bytes: int = 25 * 1024 * 1024
    verify_tls: bool = True
    total_timeout: float = 60.0
    """Cap on one attempt, however slowly the server trickles bytes (slow-loris)."""


class HostLimiter:
    """Per-host concurrency and minimum spacing between request starts."""

    def __init__(self, concurrency: int, interval: float) -> None:
        self._concurrency = concurrency
        self._interval = interval
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_start: dict[str, float] = {}

    def semaphore(self, host: str) -> asyncio.Semaphore:
        """The semaphore bounding requests in flight to ``host``."""
        semaphore = self._sems.get(host)
        if semaphore is None:
            semaphore = self._sems[host] = asyncio.Semaphore(self._concurrency)
        return semaphore

    async def wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may receive another request."""
        if self._interval <= 0:
            return
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)


class _Attempt:
    """The outcome of one request (no redirects followed)."""

    def __init__(self, status: int | None = None, headers: dict[str, str] | None = None,
                 body: bytes = b"", truncated: bool = False, error: str | None = None,
                 detail: str = "", retry_after: float | None = None) -> None:
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.truncated = truncated
        self.error = error
        self.detail = detail
        self.retry_after = retry_after


class HttpFetcher(Fetcher):
    """See the module docstring. Use as ``async with HttpFetcher(options) as f``."""

    def __init__(self, options: HttpOptions, *, sleep: Callable[[float], Awaitable[object]] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.options = options
        self._sleep = sleep or asyncio.sleep
        self._transport = transport
        self._global = asyncio.Semaphore(options.max_concurrency)
        self._hosts = HostLimiter(options.per_host_concurrency, options.per_host_interval)
        self._client = self._make_client(verify=options.verify_tls)
        self._insecure: httpx.AsyncClient | None = None
        self._wires: dict[bool, WireClient] = {}
        self._lean = transport is None and not urllib.request.getproxies()

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
                "Accept-Language": "th,en;q=0.8"}

    def _make_client(self, verify: bool) -> httpx.AsyncClient:
        timeout = httpx.Timeout(self.options.read_timeout, connect=self.options.connect_timeout)
        limits = httpx.Limits(max_connections=self.options.max_concurrency,
                              max_keepalive_connections=self.options.max_concurrency)
        return httpx.AsyncClient(
            headers=self._headers(),
            timeout=timeout, limits=limits, verify=verify, follow_redirects=False,
            # several small httpcore pools: its per-request cost grows with the pool's size (fetch/pool.py)
            transport=self._transport or ShardedTransport(self.options.max_concurrency, verify=verify),
        )

    async def __aenter__(self) -> HttpFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """See ``Fetcher.aclose``."""
        await self._client.aclose()
        if self._insecure is not None:
            await self._insecure.aclose()
        for wire in self._wires.values():
            await wire.aclose()

    async def fetch(self, url: str) -> FetchResult:
        """See ``Fetcher.fetch``."""
        return await self._fetch(url, None)

    async def fetch_capped(self, url: str, body_cap: BodyCap) -> FetchResult:
        """See ``Fetcher.fetch_capped``: the connection is dropped once the cap is reached."""
        return await self._fetch(url, body_cap)

    async def _fetch(self, url: str, cap: BodyCap | None) -> FetchResult:
        started = time.monotonic()
        chain: list[Redirect] = []
        seen = {(url, self._cookie_state())}
        current = url
        tls_error: str | None = None
        attempts = 0
        while True:
            attempt, used, tls = await self._get_with_retries(current, insecure=tls_error is not None, cap=cap)
            attempts += used
            if tls is not None and tls_error is None:
                tls_error = tls
                attempt, used, still = await self._get_with_retries(current, insecure=True, cap=cap)
                attempts += used
                if still is not None:  # the handshake itself fails, not just the certificate
                    attempt.error = "tls_handshake_failed"
            location = attempt.headers.get("location")
            if attempt.error is None and attempt.status in (301, 302, 303, 307, 308) and location:
                target = urljoin(current, location.strip())
                chain.append(Redirect(current, attempt.status))
                # A gateway may redirect a page to itself once to set a cookie: not a loop.
                key = (target, self._cookie_state())
                if key in seen:
                    return self._result(url, target, attempt, chain, started, attempts, tls_error,
                                        error="redirect_loop")
                if len(chain) > self.options.max_redirects:
                    return self._result(url, target, attempt, chain, started, attempts, tls_error,
                                        error="too_many_redirects")
                if urlsplit(target).scheme not in ("http", "https"):
                    return self._result(url, target, attempt, chain, started, attempts, tls_error,
                                        error="blocked_address", detail=f"redirect to {target}")
                seen.add(key)
                current = target
                continue
            return self._result(url, current, attempt, chain, started, attempts, tls_error)

    def _cookie_state(self) -> tuple[tuple[str, str, str, str | None], ...]:
        if not self._client.cookies.jar:
            return ()
        return tuple(sorted((c.domain, c.path, c.name, c.value) for c in self._client.cookies.jar))

    def _result(self, url: str, final: str, attempt: _Attempt, chain: list[Redirect], started: float,
                attempts: int, tls_error: str | None, error: str | None = None,
                detail: str = "") -> FetchResult:
        return FetchResult(
            url=url, final_url=final, status=attempt.status, headers=attempt.headers,
            body=attempt.body if error is None else b"", redirects=tuple(chain),
            error=error or attempt.error, error_detail=detail or attempt.detail, tls_error=tls_error,
            truncated=attempt.truncated, attempts=attempts, elapsed=round(time.monotonic() - started, 3),
            fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )

    async def _get_with_retries(self, url: str, insecure: bool,
                                cap: BodyCap | None = None) -> tuple[_Attempt, int, str | None]:
        """One URL, retried on transient trouble. Returns (attempt, tries used, TLS problem)."""
        tries = 0
        while True:
            tries += 1
            attempt = await self._get_once(url, insecure, cap)
            if attempt.error == "tls_error":
                return attempt, tries, attempt.detail
            transient = attempt.error in ("timeout", "connect_error") or attempt.status in RETRY_STATUSES
            if not transient or tries > self.options.retries:
                if attempt.status == 429:
                    attempt.error = "rate_limited"
                return attempt, tries, None
            delay = self.options.backoff * (2 ** (tries - 1)) * random.uniform(0.8, 1.2)  # noqa: S311
            if attempt.retry_after is not None:
                if attempt.retry_after > self.options.max_retry_after:
                    attempt.error = "rate_limited" if attempt.status == 429 else attempt.error
                    return attempt, tries, None
                delay = max(delay, attempt.retry_after)
            await self._sleep(delay)

    async def _get_once(self, url: str, insecure: bool, cap: BodyCap | None = None) -> _Attempt:
        host = host_of(url)
        if cap is not None and self._lean:
            return await self._get_lean(url, host, insecure, cap)
        client = self._insecure_client() if insecure else self._client
        async with self._global, self._hosts.semaphore(host):
            await self._hosts.wait_turn(host)
            try:
                async with asyncio.timeout(self.options.total_timeout), client.stream("GET", url) as response:
                    headers = {k.lower(): v for k, v in response.headers.items()}
                    limit = self.options.max_body_bytes if cap is None else min(cap(headers), self.options.max_body_bytes)
                    body, truncated = await self._read_capped(response, limit)
                    return _Attempt(response.status_code, headers, body, truncated,
                                    retry_after=_retry_after(headers.get("retry-after")))
            except httpx.TimeoutException as exc:
                return _Attempt(error="timeout", detail=type(exc).__name__)
            except TimeoutError:
                return _Attempt(error="timeout", detail=f"over {self.options.total_timeout:g} s in total")
            except httpx.InvalidURL as exc:
                return _Attempt(error="blocked_address", detail=f"invalid URL: {exc}"[:200])
            except httpx.ConnectError as exc:
                return _classify_connect_error(exc)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                return _Attempt(error="connect_error", detail=f"{type(exc).__name__}: {exc}"[:200])
            except httpx.HTTPError as exc:
                return _Attempt(error="connect_error", detail=f"{type(exc).__name__}: {exc}"[:200])

    async def _get_lean(self, url: str, host: str, insecure: bool, cap: BodyCap) -> _Attempt:
        wire = self._wires.get(insecure) or self._wire(insecure)
        limit = self.options.max_body_bytes
        async with self._global, self._hosts.semaphore(host):
            await self._hosts.wait_turn(host)
            try:
                response = await wire.get(url, lambda headers: min(cap(headers), limit), self.options.total_timeout)
            except WireError as exc:
                return _Attempt(error=exc.code, detail=exc.detail)
        return _Attempt(response.status, response.headers, response.body, response.truncated,
                        retry_after=_retry_after(response.headers.get("retry-after")))

    def _wire(self, insecure: bool) -> WireClient:
        verify = self.options.verify_tls and not insecure
        self._wires[insecure] = WireClient(
            self._headers(), connect_timeout=self.options.connect_timeout, read_timeout=self.options.read_timeout,
            ssl_context=functools.cache(lambda: httpx.create_ssl_context(verify=verify)), cookies=self._client.cookies)
        return self._wires[insecure]

    def _insecure_client(self) -> httpx.AsyncClient:
        if self._insecure is None:
            self._insecure = self._make_client(verify=False)
        return self._insecure

    async def _read_capped(self, response: httpx.Response, cap: int) -> tuple[bytes, bool]:
        if cap <= 0 and response.status_code not in (204, 304) and response.headers.get("content-length") != "0":
            return b"", True
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return b"".join(chunks)[:cap], True
        return b"".join(chunks), False


def _classify_connect_error(exc: httpx.ConnectError) -> _Attempt:
    text = str(exc)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _Attempt(error="tls_error", detail=cause.verify_message or str(cause))
        if isinstance(cause, ssl.SSLError):
            return _Attempt(error="tls_error", detail=cause.reason or str(cause))
        cause = cause.__cause__ or cause.__context__
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return _Attempt(error="tls_error", detail=text[:200])
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text \
            or "Temporary failure in name resolution" in text or "No address associated" in text:
        return _Attempt(error="dns_error", detail=text[:200])
    return _Attempt(error="connect_error", detail=text[:200] or type(exc).__name__)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
