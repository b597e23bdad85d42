"""A lean HTTP/1.1 client for the crawl's thousands of small GETs.

A crawl asks for one page after another from the same few hosts and only wants the status, the
headers and (some of) the body. Through ``httpx`` each such request cost ~1.5 ms of CPU (URL
model, header objects, httpcore's pool, anyio, h11's state machine), which capped a crawl at
~450 pages/s where the HTML parse needs a fraction of that. This client does only what a crawl
needs, on asyncio streams: keep-alive connections per origin, ``Content-Length``, chunked and
read-until-close bodies, gzip/deflate, a body cap that drops the connection, connect and read
timeouts, TLS with the run's SSL contexts, and the cookies of the run's ``httpx`` jar (a gateway
that sets a cookie and redirects must not look like a redirect loop).

``HttpFetcher`` uses it for ``fetch_capped`` (crawl pages, files checked by their headers,
robots.txt, sitemaps, link probes); the URLs that are audited (``fetch``) go through ``httpx``.
Politeness, retries and redirects stay in ``HttpFetcher``: this client makes exactly one request.
When a proxy is configured in the environment the fetcher uses ``httpx`` for everything.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httpx

IDLE_SECONDS = 20.0
"""A keep-alive connection idle for longer is not reused (servers close theirs after 5–60 s)."""
MAX_IDLE_PER_ORIGIN = 32
MAX_HEAD_BYTES = 64 * 1024
"""A status line and headers longer than this are a broken server, not a page."""
DRAIN_BYTES = 64 * 1024
"""A body the caller does not want is still read when it is this small, to keep the connection
(cheaper than a new one: a PDF checked by its headers is usually followed by more requests)."""
_NO_BODY = frozenset({204, 304})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TARGET_SAFE = "/:@!$&'()*+,;=-._~%?"


class WireError(Exception):
    """One request failed before a whole response arrived; ``code`` is a fetch reason code
    (``timeout``, ``connect_error``, ``dns_error``, ``tls_error``, ``blocked_address``)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail[:200]


@dataclass(frozen=True, slots=True)
class WireResponse:
    """One response: headers with lower-cased names (repeated ones joined with ``, ``)."""

    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool


@dataclass(frozen=True, slots=True)
class _Target:
    origin: tuple[str, str, int]
    host_header: str
    request_target: str


_PLAIN_URL = re.compile(r"(https?)://([a-z0-9\-]+(?:\.[a-z0-9\-]+)*)(?::([0-9]{1,5}))?(/[!$&'()*+,;=:@%/?A-Za-z0-9._~\-]*)?\Z")
"""A lower-case ASCII host and a path that needs no escaping: most of a crawl's URLs."""


def parse_target(url: str) -> _Target:
    """Where to connect and what to ask for; raises ``WireError`` for a URL that cannot be sent."""
    plain = _PLAIN_URL.match(url)
    if plain is not None:
        scheme, host, port_text, target = plain.groups()
        number = int(port_text) if port_text else _DEFAULT_PORTS[scheme]
        if host and 0 < number < 65536:
            return _Target((scheme, host, number),
                           host if number == _DEFAULT_PORTS[scheme] else f"{host}:{number}", target or "/")
    if not url.isprintable() and any(c < " " or c == "\x7f" for c in url):  # refused, as httpx does
        raise WireError("blocked_address", "invalid URL: a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise WireError("blocked_address", f"invalid URL: {exc}") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        raise WireError("blocked_address", f"invalid URL: {url}")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise WireError("blocked_address", f"invalid host name: {exc}") from None
    if port == 0:
        raise WireError("blocked_address", f"invalid URL: port 0 in {url}")
    port = port or _DEFAULT_PORTS[scheme]
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port == _DEFAULT_PORTS[scheme] else f"{shown}:{port}"
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    if not target.isascii() or " " in target or '"' in target or "<" in target or ">" in target:
        target = quote(target, safe=_TARGET_SAFE)  # Thai paths and stray spaces, escaped once
    return _Target((scheme, host, port), host_header, target)


class _Incomplete(Exception):
    """The server closed the connection before the bytes asked for arrived."""

    def __init__(self, partial: bool) -> None:
        super().__init__("the server closed the connection")
        self.partial = partial


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection and the bytes received on it, read by one request at a time.

    A protocol rather than asyncio streams: a crawl's response usually arrives in one or two
    pieces, and waking the request once per piece halves the client's CPU per request.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.idle_since = 0.0
        self.rearm: Callable[[], None] = _nothing
        """Called before each wait for bytes: pushes the request's read timeout back."""
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)  # noqa: S101 - a stream connection
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _more(self, partial: bool) -> None:
        """Wait until more bytes arrive (``_Incomplete`` when the connection is closed)."""
        if self.eof:
            raise _Incomplete(partial)
        self.rearm()
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    async def until(self, marker: bytes, limit: int) -> bytes:
        """The bytes up to and including ``marker``."""
        start = 0
        while (end := self.buffer.find(marker, start)) < 0:
            if len(self.buffer) > limit:
                raise WireError("connect_error", "RemoteProtocolError: response head too long")
            start = max(0, len(self.buffer) - len(marker) + 1)
            await self._more(bool(self.buffer))
        end += len(marker)
        data = bytes(self.buffer[:end])
        del self.buffer[:end]
        return data

    async def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            await self._more(True)
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    async def some(self, size: int) -> bytes:
        """Up to ``size`` bytes, waiting for at least one; b'' when the server has closed."""
        if not self.buffer:
            try:
                await self._more(True)
            except _Incomplete:
                return b""
            if not self.buffer:
                return b""
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    @property
    def reusable(self) -> bool:
        return not self.eof and not self.buffer and self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        if self.transport is not None:
            # dropped at once: close() would leave a TLS connection waiting for the server's
            # close_notify (and reading a cut body's rest), and leak if the run's loop ends first
            self.transport.abort()


def _nothing() -> None:
    pass


def _rearm(timer: asyncio.Timeout, when: float, read_timeout: float) -> None:
    """Push the timer back to ``when``, unless it is already within 2 % of it: a response
    usually arrives within a millisecond of the previous wait, and each move costs a timer."""
    current = timer.when()
    if current is None or when - current > 0.02 * read_timeout:
        timer.reschedule(when)


class _Body:
    """Reads one response body off a connection, decoding ``Content-Encoding`` on the way."""

    def __init__(self, connection: _Connection, headers: dict[str, str]) -> None:
        self.connection = connection
        self.chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length = headers.get("content-length", "").split(",")[0].strip()
        self.remaining = int(length) if not self.chunked and length.isascii() and length.isdigit() else -1
        """Bytes left of a ``Content-Length`` body (-1: chunked or until the connection closes)."""
        self.done = self.remaining == 0
        encoding = headers.get("content-encoding", "").strip().lower()
        self.decoder = (zlib.decompressobj(wbits=47) if encoding in ("gzip", "x-gzip", "deflate") else None)
        self.raw_deflate = encoding == "deflate"  # some servers send raw deflate without the zlib header
        self.first = b""
        """A deflate body's first bytes, until zlib has checked its 2-byte header (for the raw fallback)."""
        self.chunk_left = 0
        """Bytes left of the current chunk of a chunked body."""

    async def _raw_chunk(self) -> bytes:
        """The next piece of the body as sent (b'' at its end)."""
        if self.done:
            return b""
        connection = self.connection
        if self.chunked:
            if not self.chunk_left:
                line = await connection.until(b"\n", MAX_HEAD_BYTES)
                size_text = line.split(b";", 1)[0].strip()
                try:
                    size = int(size_text, 16)
                    if size < 0:
                        raise ValueError(size_text)
                except ValueError:
                    raise WireError("connect_error", "RemoteProtocolError: broken chunk size") from None
                if size == 0:
                    while (await connection.until(b"\n", MAX_HEAD_BYTES)).strip():  # trailers
                        pass
                    self.done = True
                    return b""
                self.chunk_left = size
            # a chunk in pieces as they arrive: one chunk may be a whole file, and the cap still applies
            data = await connection.some(self.chunk_left)
            if not data:
                raise WireError("connect_error", "RemoteProtocolError: the server closed the connection mid-body")
            self.chunk_left -= len(data)
            if not self.chunk_left:
                await connection.exactly(2)  # the chunk's CRLF
            return data
        if self.remaining < 0:
            data = await connection.some(1 << 20)
            if not data:
                self.done = True
            return data
        data = await connection.some(self.remaining)
        if not data:
            raise WireError("connect_error", "RemoteProtocolError: the server closed the connection mid-body")
        self.remaining -= len(data)
        self.done = self.remaining == 0
        return data

    async def chunk(self) -> bytes:
        """The next piece of the decoded body (b'' at its end)."""
        while True:
            raw = await self._raw_chunk()
            if self.decoder is None:
                return raw
            if not raw:
                return self.decoder.flush()
            try:
                data = self.decoder.decompress(raw)
            except zlib.error:
                if not self.raw_deflate:
                    raise WireError("connect_error", "DecodingError: broken gzip body") from None
                self.raw_deflate = False
                self.decoder = zlib.decompressobj(wbits=-15)
                try:
                    data = self.decoder.decompress(self.first + raw)
                except zlib.error:
                    raise WireError("connect_error", "DecodingError: broken deflate body") from None
            else:
                if self.raw_deflate:  # the header is checked once 2 bytes are in: then it is zlib
                    self.first += raw
                    self.raw_deflate = len(self.first) < 2
            if data:
                return data


class WireClient:
    """Keep-alive connections per origin and one request at a time on each.

    ``headers``: sent with every request (User-Agent, Accept …); ``ssl_context``: makes the TLS
    context on the first https connection (loading the CA bundle takes ~50 ms); ``cookies``: the
    run's jar, read for the ``Cookie`` header and fed with ``Set-Cookie``.
    """

    def __init__(self, headers: dict[str, str], *, connect_timeout: float, read_timeout: float,
                 ssl_context: Callable[[], ssl.SSLContext], cookies: httpx.Cookies) -> None:
        self._headers = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self._headers += "Accept-Encoding: gzip, deflate\r\n"
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._ssl = ssl_context
        self._cookies = cookies
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}

    async def aclose(self) -> None:
        """Close every idle connection (its socket is closed when this returns)."""
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
        await asyncio.sleep(0)  # the transports close their sockets on the loop's next turn

    async def get(self, url: str, cap: Callable[[dict[str, str]], int], total_timeout: float) -> WireResponse:
        """GET ``url`` (no redirects followed); read at most ``cap(headers)`` bytes of the body.
        ``total_timeout`` bounds the whole request however slowly the server trickles bytes."""
        target = parse_target(url)
        request = self._request(url, target)
        deadline = asyncio.get_running_loop().time() + total_timeout
        for fresh in (False, True):
            connection, reused = await self._connection(target.origin, fresh)
            try:
                return await self._exchange(connection, target.origin, request, url, cap, deadline)
            except _Stale:
                connection.close()
                if not reused:
                    raise WireError("connect_error", "RemoteProtocolError: the server closed the connection "
                                                     "without a response") from None
            except BaseException:
                connection.close()
                raise
        raise AssertionError("unreachable")  # noqa: S101 - the second pass never raises _Stale quietly

    def _request(self, url: str, target: _Target) -> bytes:
        cookie = ""
        if self._cookies.jar:
            probe = httpx.Request("GET", url)
            self._cookies.set_cookie_header(probe)
            if "cookie" in probe.headers:
                cookie = f"Cookie: {probe.headers['cookie']}\r\n"
        return (f"GET {target.request_target} HTTP/1.1\r\nHost: {target.host_header}\r\n{self._headers}"
                f"{cookie}\r\n").encode("latin-1", "replace")

    async def _connection(self, origin: tuple[str, str, int], fresh: bool) -> tuple[_Connection, bool]:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle and not fresh:
            connection = idle.pop()
            if now - connection.idle_since < IDLE_SECONDS and connection.reusable:
                return connection, True
            connection.close()
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self._connect_timeout):
                _, connection = await loop.create_connection(
                    _Connection, host, port, ssl=self._ssl() if scheme == "https" else None,
                    server_hostname=host if scheme == "https" else None)
        except TimeoutError:
            raise WireError("timeout", "ConnectTimeout") from None
        except ssl.SSLCertVerificationError as exc:
            raise WireError("tls_error", exc.verify_message or str(exc)) from None
        except ssl.SSLError as exc:
            raise WireError("tls_error", exc.reason or str(exc)) from None
        except (socket.gaierror, UnicodeError) as exc:  # UnicodeError: an empty or over-long label ("www..go.th")
            raise WireError("dns_error", f"{host}: {exc}") from None
        except OSError as exc:
            raise WireError("connect_error", f"ConnectError: {exc}") from None
        return connection, False

    async def _exchange(self, connection: _Connection, origin: tuple[str, str, int], request: bytes, url: str,
                        cap: Callable[[dict[str, str]], int], deadline: float) -> WireResponse:
        received = False
        loop = asyncio.get_running_loop()
        read_timeout = self._read_timeout
        try:
            # One timer per request, pushed back by read_timeout whenever it waits for bytes, never
            # past the deadline.
            async with asyncio.timeout_at(min(deadline, loop.time() + read_timeout)) as timer:
                connection.rearm = lambda: _rearm(timer, min(deadline, loop.time() + read_timeout), read_timeout)
                assert connection.transport is not None  # noqa: S101 - set by connection_made
                connection.transport.write(request)
                while True:  # skip 1xx interim responses
                    try:
                        head = await connection.until(b"\r\n\r\n", MAX_HEAD_BYTES)
                    except _Incomplete as exc:
                        if not exc.partial and not received:
                            raise _Stale from None
                        raise WireError("connect_error", "RemoteProtocolError: incomplete response head") from None
                    received = True
                    version, status, headers, raw = _parse_head(head)
                    if not 100 <= status < 200 or status == 101:
                        break
                if "set-cookie" in headers:
                    self._cookies.extract_cookies(
                        httpx.Response(status, headers=raw, request=httpx.Request("GET", url)))
                limit = cap(headers)
                body = _Body(connection, headers)
                if status in _NO_BODY:
                    body.done = True
                keep = _keep_alive(version, headers, body)
                if limit <= 0 and not body.done:
                    if 0 < body.remaining <= DRAIN_BYTES and body.decoder is None:
                        await connection.exactly(body.remaining)  # small: read it, keep the connection
                        body.done = True
                    else:
                        keep = False
                    self._release(connection, origin, keep and body.done)
                    return WireResponse(status, headers, b"", True)
                chunks: list[bytes] = []
                size = 0
                truncated = False
                while data := await body.chunk():
                    chunks.append(data)
                    size += len(data)
                    if size > limit:
                        truncated = True
                        break
                self._release(connection, origin, keep and body.done and not truncated)
                data = b"".join(chunks)
                return WireResponse(status, headers, data[:limit] if truncated else data, truncated)
        except TimeoutError:
            if loop.time() >= deadline:
                raise WireError("timeout", "over the total time allowed for one request") from None
            raise WireError("timeout", "ReadTimeout") from None
        except _Incomplete:
            raise WireError("connect_error", "RemoteProtocolError: the server closed the connection "
                                             "mid-response") from None
        finally:
            connection.rearm = _nothing

    def _release(self, connection: _Connection, origin: tuple[str, str, int], reusable: bool) -> None:
        idle = self._idle.setdefault(origin, [])
        if not reusable or not connection.reusable or len(idle) >= MAX_IDLE_PER_ORIGIN:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        idle.append(connection)


class _Stale(Exception):
    """A kept-alive connection the server had closed: the request is sent again on a new one."""


def _parse_head(head: bytes) -> tuple[str, int, dict[str, str], list[tuple[str, str]]]:
    """``(HTTP version, status, headers, raw header list)`` of a response head. Lenient like
    browsers: odd lines are skipped, folded lines joined, non-ASCII values read as UTF-8."""
    try:
        text = head.decode("ascii")
    except UnicodeDecodeError:
        text = head.decode("utf-8", "replace") if _is_utf8(head) else head.decode("latin-1")
    lines = text.split("\r\n")
    status_line = lines[0].split(None, 2)
    if len(status_line) < 2 or not status_line[0].startswith("HTTP/") or not status_line[1].isascii() \
            or not status_line[1].isdigit():
        raise WireError("connect_error", f"RemoteProtocolError: not an HTTP response: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    raw: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and raw:  # obsolete line folding
            name, value = raw[-1]
            raw[-1] = (name, f"{value} {line.strip()}")
            headers[name] = f"{headers[name]} {line.strip()}"
            continue
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if not colon or not name:
            continue
        value = value.strip()
        raw.append((name, value))
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return status_line[0], int(status_line[1]), headers, raw


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _keep_alive(version: str, headers: dict[str, str], body: _Body) -> bool:
    """May the connection carry another request once this body is read?"""
    connection = headers.get("connection", "").lower()
    framed = body.done or body.chunked or body.remaining >= 0  # not "until the server closes"
    if version == "HTTP/1.0":
        return framed and "keep-alive" in connection
    return framed and "close" not in connection
