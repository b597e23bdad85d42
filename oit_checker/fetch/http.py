"""The HTTP fetcher: one ``httpx.AsyncClient`` per run, polite to small government servers.

- global and per-host concurrency limits, and a minimum interval between requests to a host
  (``fetch/limits.py``: in one fetcher, or across the processes of a fleet run);
- the environment's proxies (``trust_env``), or ``[http] proxy`` (``fetch/proxy.py``);
- every hop's address checked before it is requested (``fetch/addresses.py``);
- redirects followed by hand so the chain is recorded, loops caught and each target checked;
- retries with exponential backoff and jitter for timeouts, 5xx and 429 (Retry-After honoured,
  capped), all within a per-URL time budget;
- a per-host breaker: after a few consecutive timeouts or resets the host's other requests end at
  once (``host_unresponsive``) until a cool-down has passed, so a dead host cannot hold the run;
- streamed bodies with a size cap counted on decoded bytes (``fetch/decode.py``);
- a TLS failure is recorded and the fetch retried without verification, so the other checks
  still run;
- ``[agency] serve_from`` (``fetch/serve_from.py``): each hop on a production origin is sent to
  its actual origin (and judged there by the address rule), and recorded in production form.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ..models import FetchResult, Redirect
from ..reasons import Reason
from ..urls import host_of
from .addresses import AddressPolicy
from .decode import ACCEPT_ENCODING, BoundedDecoder, DecodeError
from .interface import BodyCap, Fetcher
from .limits import Limiter, LocalLimiter, installed
from .proxy import ProxySettings
from .serve_from import OriginMap

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BREAKER_ERRORS = frozenset({Reason.TIMEOUT, Reason.CONNECT_ERROR})
"""Errors that count towards a host's breaker (a host that does not answer, or resets)."""
MAX_HEADERS = 1000
"""More response header fields than this is a broken (or hostile) server: ``bad_response``."""
MAX_HEADER_BYTES = 64 * 1024
"""Response headers larger than this in all are ``bad_response`` too (h11 itself stops at 100 KB)."""


@dataclass(frozen=True)
class HttpOptions:
    """Fetch settings (the ``[http]`` table of the config). No defaults here: ``oit_checker.options``
    builds them from the config, whose models hold every default (tests: ``options.defaults()``)."""

    user_agent: str
    connect_timeout: float
    read_timeout: float
    max_concurrency: int
    per_host_concurrency: int
    per_host_interval: float
    retries: int
    backoff: float
    max_retry_after: float
    max_redirects: int
    max_body_bytes: int
    verify_tls: bool
    total_timeout: float
    """Cap on one attempt, however slowly the server trickles bytes (slow-loris)."""
    url_budget: float
    """Cap on one URL from its first attempt: every attempt, retry delay and redirect hop."""
    breaker_failures: int
    """Consecutive timeouts/resets on a host before its other requests end ``host_unresponsive``."""
    breaker_cooldown: float
    """Seconds before a host whose breaker tripped is tried again."""
    proxy: str
    """``[http] proxy``: overrides the environment's proxy variables ('' = the environment)."""


class HostBreaker:
    """Per-host count of consecutive timeouts/resets; open (refusing) for a cool-down once tripped."""

    def __init__(self, failures: int, cooldown: float) -> None:
        self._limit = failures
        self._cooldown = cooldown
        self._failures: dict[str, int] = {}
        self._open_until: dict[str, float] = {}

    def refusing(self, host: str) -> bool:
        """True while ``host`` is in its cool-down."""
        return self._limit > 0 and time.monotonic() < self._open_until.get(host, 0.0)

    def record(self, host: str, error: str | None, answered: bool) -> None:
        """Count one attempt's outcome; an answer closes the breaker, a failure may trip it."""
        if error in BREAKER_ERRORS:
            count = self._failures[host] = self._failures.get(host, 0) + 1
            if self._limit > 0 and count >= self._limit:  # after the cool-down, one more failure re-trips
                self._open_until[host] = time.monotonic() + self._cooldown
        elif answered:
            self._failures.pop(host, None)
            self._open_until.pop(host, None)


class _Budget:
    """One URL's time budget, started by its first attempt (not by waiting for a slot)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end: float | None = None

    def start(self) -> None:
        if self.end is None:
            self.end = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.seconds if self.end is None else self.end - time.monotonic()


class _Attempt:
    """The outcome of one request (no redirects followed)."""

    def __init__(self, status: int | None = None, headers: dict[str, str] | None = None,
                 body: bytes = b"", truncated: bool = False, error: Reason | None = None,
                 detail: str = "", retry_after: float | None = None) -> None:
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.truncated = truncated
        self.error = error
        self.detail = detail
        self.retry_after = retry_after


class HttpFetcher(Fetcher):
    """See the module docstring. Use as ``async with HttpFetcher(options) as f``.

    ``policy``: the run's address rule; by default link-local, metadata, multicast and unspecified
    addresses are refused and private ones allowed (pass ``AddressPolicy.for_homepage(...)``).
    ``transport``: tests only (it also switches the environment's proxies off, as httpx does).
    ``serve_from``: production origins served elsewhere (``[agency] serve_from``).
    ``limiter``: the concurrency and spacing limits (``fetch/limits.py``); default the one a fleet
    worker installed, else this fetcher's own ``LocalLimiter``."""

    def __init__(self, options: HttpOptions, *, sleep: Callable[[float], Awaitable[object]] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None, policy: AddressPolicy | None = None,
                 serve_from: OriginMap | None = None, limiter: Limiter | None = None) -> None:
        self.options = options
        self._origins = serve_from or OriginMap()
        self._sleep = sleep or asyncio.sleep
        self._transport = transport
        self._policy = policy or AddressPolicy(private_ok=True)
        self._limiter = limiter or installed() or LocalLimiter.for_options(options)
        self._breaker = HostBreaker(options.breaker_failures, options.breaker_cooldown)
        self._client = self._make_client(verify=options.verify_tls)
        self._insecure: httpx.AsyncClient | None = None

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
                "Accept-Language": "th,en;q=0.8", "Accept-Encoding": ACCEPT_ENCODING}

    def _make_client(self, verify: bool) -> httpx.AsyncClient:
        timeout = httpx.Timeout(self.options.read_timeout, connect=self.options.connect_timeout)
        # no proxy configured: httpx reads HTTP(S)_PROXY/ALL_PROXY/NO_PROXY itself (trust_env)
        mounts = (ProxySettings.resolve(self.options.proxy).mounts(verify)
                  if self.options.proxy and self._transport is None else None)
        return httpx.AsyncClient(headers=self._headers(), timeout=timeout, verify=verify, follow_redirects=False,
                                 trust_env=True, transport=self._transport, mounts=mounts)

    async def __aenter__(self) -> HttpFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """See ``Fetcher.aclose``."""
        await self._client.aclose()
        if self._insecure is not None:
            await self._insecure.aclose()

    async def fetch(self, url: str) -> FetchResult:
        """See ``Fetcher.fetch``."""
        return await self._fetch(url, None)

    async def fetch_capped(self, url: str, body_cap: BodyCap) -> FetchResult:
        """See ``Fetcher.fetch_capped``: the connection is dropped once the cap is reached."""
        return await self._fetch(url, body_cap)

    async def _fetch(self, url: str, cap: BodyCap | None) -> FetchResult:
        started = time.monotonic()
        budget = _Budget(self.options.url_budget)
        chain: list[Redirect] = []
        seen = {(url, self._cookie_state())}
        current = url
        tls_error: str | None = None
        attempts = 0
        while True:
            sent = self._origins.actual(current)  # ``current`` stays in production form
            refused = await self._refusal(sent)
            if refused:
                return self._result(url, current, _Attempt(), chain, started, attempts, tls_error,
                                    error=Reason.BLOCKED_ADDRESS, detail=refused)
            attempt, used, tls = await self._get_with_retries(sent, tls_error is not None, cap, budget)
            attempts += used
            if tls is not None and tls_error is None:
                tls_error = tls
                attempt, used, still = await self._get_with_retries(sent, True, cap, budget)
                attempts += used
                if still is not None:  # the handshake itself fails, not just the certificate
                    attempt.error = Reason.TLS_HANDSHAKE_FAILED
            location = attempt.headers.get("location")
            if attempt.error is None and attempt.status in (301, 302, 303, 307, 308) and location:
                try:
                    target = self._origins.production(urljoin(sent, location.strip()))
                except ValueError as exc:
                    return self._result(url, current, attempt, chain, started, attempts, tls_error,
                                        error=Reason.BAD_RESPONSE, detail=f"redirect to an invalid URL: {exc}"[:200])
                chain.append(Redirect(current, attempt.status))
                # A gateway may redirect a page to itself once to set a cookie: not a loop.
                key = (target, self._cookie_state())
                if key in seen:
                    return self._result(url, target, attempt, chain, started, attempts, tls_error,
                                        error=Reason.REDIRECT_LOOP)
                if len(chain) > self.options.max_redirects:
                    return self._result(url, target, attempt, chain, started, attempts, tls_error,
                                        error=Reason.TOO_MANY_REDIRECTS)
                seen.add(key)
                current = target
                continue
            return self._result(url, current, attempt, chain, started, attempts, tls_error)

    async def _refusal(self, url: str) -> str:
        """The address rule for one hop ('' when it may be requested)."""
        try:
            if urlsplit(url).scheme not in ("http", "https"):
                return f"{url.split(':', 1)[0][:20]}: is not http(s)"
            return await self._policy.refusal(url)
        except ValueError as exc:  # a URL that does not parse (``http://[``)
            return f"invalid URL: {exc}"[:200]

    def _cookie_state(self) -> tuple[tuple[str, str, str, str | None], ...]:
        if not self._client.cookies.jar:
            return ()
        return tuple(sorted((c.domain, c.path, c.name, c.value) for c in self._client.cookies.jar))

    def _result(self, url: str, final: str, attempt: _Attempt, chain: list[Redirect], started: float,
                attempts: int, tls_error: str | None, error: Reason | None = None,
                detail: str = "") -> FetchResult:
        return FetchResult(
            url=url, final_url=final, status=attempt.status, headers=attempt.headers,
            body=attempt.body if error is None else b"", redirects=tuple(chain),
            error=error or attempt.error, error_detail=self._origins.text(detail or attempt.detail), tls_error=tls_error,
            truncated=attempt.truncated, attempts=attempts, elapsed=round(time.monotonic() - started, 3),
            fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )

    async def _get_with_retries(self, url: str, insecure: bool, cap: BodyCap | None,
                                budget: _Budget) -> tuple[_Attempt, int, str | None]:
        """One URL, retried on transient trouble within its budget. Returns (attempt, tries used,
        TLS problem)."""
        tries = 0
        while True:
            tries += 1
            attempt = await self._get_once(url, insecure, cap, budget)
            if attempt.error == Reason.TLS_ERROR:
                return attempt, tries, attempt.detail
            transient = attempt.error in (Reason.TIMEOUT, Reason.CONNECT_ERROR) or attempt.status in RETRY_STATUSES
            if not transient or tries > self.options.retries:
                if attempt.status == 429:
                    attempt.error = Reason.RATE_LIMITED
                return attempt, tries, None
            delay = self.options.backoff * (2 ** (tries - 1)) * random.uniform(0.8, 1.2)  # noqa: S311
            if attempt.retry_after is not None:
                if attempt.retry_after > self.options.max_retry_after:
                    attempt.error = Reason.RATE_LIMITED if attempt.status == 429 else attempt.error
                    return attempt, tries, None
                delay = max(delay, attempt.retry_after)
            if delay >= budget.left():  # no time for another attempt: end with what we have
                if attempt.status == 429:
                    attempt.error = Reason.RATE_LIMITED
                return attempt, tries, None
            await self._sleep(delay)

    async def _get_once(self, url: str, insecure: bool, cap: BodyCap | None, budget: _Budget) -> _Attempt:
        host = host_of(url)
        if self._breaker.refusing(host):
            return self._unresponsive(host)
        client = self._insecure_client() if insecure else self._client
        await self._limiter.acquire(host)
        try:
            if self._breaker.refusing(host):  # tripped while this request waited for its turn
                return self._unresponsive(host)
            await self._limiter.wait_turn(host)
            budget.start()
            left = budget.left()
            if left <= 0:
                return _Attempt(error=Reason.TIMEOUT, detail=f"over the URL's budget of {budget.seconds:g} s")
            attempt = await self._attempt(client, url, cap, min(self.options.total_timeout, left))
            self._breaker.record(host, attempt.error, attempt.status is not None)
            return attempt
        finally:
            self._limiter.release(host)

    def _unresponsive(self, host: str) -> _Attempt:
        return _Attempt(error=Reason.HOST_UNRESPONSIVE,
                        detail=f"{host}: {self.options.breaker_failures} timeouts or resets in a row")

    async def _attempt(self, client: httpx.AsyncClient, url: str, cap: BodyCap | None, seconds: float) -> _Attempt:
        try:
            async with asyncio.timeout(seconds), client.stream("GET", url) as response:
                raw = response.headers.raw
                if len(raw) > MAX_HEADERS or sum(len(k) + len(v) for k, v in raw) > MAX_HEADER_BYTES:
                    return _Attempt(error=Reason.BAD_RESPONSE,
                                    detail=f"{len(raw)} header fields, {sum(len(k) + len(v) for k, v in raw)} bytes")
                headers = {k.lower(): v for k, v in response.headers.items()}
                limit = self.options.max_body_bytes if cap is None else min(cap(headers), self.options.max_body_bytes)
                body, truncated = await self._read_capped(response, limit)
                return _Attempt(response.status_code, headers, body, truncated,
                                retry_after=_retry_after(headers.get("retry-after")))
        except httpx.TimeoutException as exc:
            return _Attempt(error=Reason.TIMEOUT, detail=type(exc).__name__)
        except TimeoutError:
            return _Attempt(error=Reason.TIMEOUT, detail=f"over {seconds:g} s in total")
        except httpx.InvalidURL as exc:
            return _Attempt(error=Reason.BLOCKED_ADDRESS, detail=f"invalid URL: {exc}"[:200])
        except httpx.ConnectError as exc:
            return _classify_connect_error(exc)
        except httpx.RemoteProtocolError as exc:
            return _protocol_error(exc)
        except (DecodeError, httpx.DecodingError) as exc:
            return _Attempt(error=Reason.BAD_RESPONSE, detail=f"body does not match its Content-Encoding: {exc}"[:200])
        except httpx.HTTPError as exc:
            return _Attempt(error=Reason.CONNECT_ERROR, detail=f"{type(exc).__name__}: {exc}"[:200])

    def _insecure_client(self) -> httpx.AsyncClient:
        if self._insecure is None:
            self._insecure = self._make_client(verify=False)
        return self._insecure

    async def _read_capped(self, response: httpx.Response, cap: int) -> tuple[bytes, bool]:
        """At most ``cap`` decoded bytes; stops reading (and inflating) as soon as it has them."""
        if cap <= 0 and response.status_code not in (204, 304) and response.headers.get("content-length") != "0":
            return b"", True
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0

        def take(piece: bytes) -> bool:
            nonlocal size
            chunks.append(piece)
            size += len(piece)
            return size > cap

        async for raw in response.aiter_raw():
            for piece in decoder.feed(raw):
                if take(piece):
                    return b"".join(chunks)[:cap], True
        for piece in decoder.flush():
            if take(piece):
                return b"".join(chunks)[:cap], True
        return b"".join(chunks), False


def _protocol_error(exc: httpx.RemoteProtocolError) -> _Attempt:
    """A connection closed early is a reset (``connect_error``); anything else the server sent
    that is not HTTP (a status line that never ends, headers too large) is ``bad_response``."""
    text = str(exc)
    if "disconnected" in text.lower() or "peer closed" in text.lower() or not text:
        return _Attempt(error=Reason.CONNECT_ERROR, detail=f"{type(exc).__name__}: {text}"[:200])
    return _Attempt(error=Reason.BAD_RESPONSE, detail=text[:200])


def _classify_connect_error(exc: httpx.ConnectError) -> _Attempt:
    text = str(exc)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _Attempt(error=Reason.TLS_ERROR, detail=cause.verify_message or str(cause))
        if isinstance(cause, ssl.SSLError):
            return _Attempt(error=Reason.TLS_ERROR, detail=cause.reason or str(cause))
        cause = cause.__cause__ or cause.__context__
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return _Attempt(error=Reason.TLS_ERROR, detail=text[:200])
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text \
            or "Temporary failure in name resolution" in text or "No address associated" in text:
        return _Attempt(error=Reason.DNS_ERROR, detail=text[:200])
    return _Attempt(error=Reason.CONNECT_ERROR, detail=text[:200] or type(exc).__name__)


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
