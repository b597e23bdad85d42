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
DRAIN_BYTES = 16 * 1024
"""A body the caller does not want is still read when it is this small, to keep the connection."""
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


def parse_target(url: str) -> _Target:
    """Where to connect and what to ask for; raises ``WireError`` for a URL that cannot be sent."""
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
    port = port or _DEFAULT_PORTS[scheme]
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port == _DEFAULT_PORTS[scheme] else f"{shown}:{port}"
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    if not target.isascii() or " " in target or '"' in target or "<" in target or ">" in target:
        target = quote(target, safe=_TARGET_SAFE)  # Thai paths and stray spaces, escaped once
    return _Target((scheme, host, port), host_header, target)


class _Connection:
    __slots__ = ("reader", "writer", "idle_since")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def close(self) -> None:
        self.writer.close()  # the transport is dropped; no need to wait for the peer


class _Body:
    """Reads one response body off a connection, decoding ``Content-Encoding`` on the way."""

    def __init__(self, reader: asyncio.StreamReader, headers: dict[str, str], timer: asyncio.Timeout,
                 read_timeout: float) -> None:
        self.reader = reader
        self.timer = timer
        self.read_timeout = read_timeout
        self.loop = asyncio.get_running_loop()
        self.chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length = headers.get("content-length", "").split(",")[0].strip()
        self.remaining = int(length) if not self.chunked and length.isdigit() else -1
        """Bytes left of a ``Content-Length`` body (-1: chunked or until the connection closes)."""
        self.done = self.remaining == 0
        encoding = headers.get("content-encoding", "").strip().lower()
        self.decoder = (zlib.decompressobj(wbits=47) if encoding in ("gzip", "x-gzip", "deflate") else None)
        self.raw_deflate = encoding == "deflate"  # some servers send raw deflate without the zlib header

    async def _read(self, size: int) -> bytes:
        self.timer.reschedule(self.loop.time() + self.read_timeout)
        return await self.reader.read(size)

    async def _raw_chunk(self) -> bytes:
        """The next piece of the body as sent (b'' at its end)."""
        if self.done:
            return b""
        if self.chunked:
            self.timer.reschedule(self.loop.time() + self.read_timeout)
            line = await self.reader.readline()
            size_text = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not size_text:
                raise WireError("connect_error", "RemoteProtocolError: broken chunked body")
            try:
                size = int(size_text, 16)
            except ValueError:
                raise WireError("connect_error", "RemoteProtocolError: broken chunk size") from None
            if size == 0:
                while (await self.reader.readline()).strip():  # trailers
                    pass
                self.done = True
                return b""
            data = await self.reader.readexactly(size + 2)
            return data[:-2]
        if self.remaining < 0:
            data = await self._read(65536)
            if not data:
                self.done = True
            return data
        data = await self._read(min(65536, self.remaining))
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
                data = self.decoder.decompress(raw)
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
        """Close every idle connection."""
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    async def get(self, url: str, cap: Callable[[dict[str, str]], int]) -> WireResponse:
        """GET ``url`` (no redirects followed); read at most ``cap(headers)`` bytes of the body."""
        target = parse_target(url)
        request = self._request(url, target)
        for fresh in (False, True):
            connection, reused = await self._connection(target.origin, fresh)
            try:
                return await self._exchange(connection, target.origin, request, url, cap)
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
            if now - connection.idle_since < IDLE_SECONDS and not connection.reader.at_eof():
                return connection, True
            connection.close()
        scheme, host, port = origin
        try:
            async with asyncio.timeout(self._connect_timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=self._ssl() if scheme == "https" else None,
                    server_hostname=host if scheme == "https" else None, limit=MAX_HEAD_BYTES)
        except TimeoutError:
            raise WireError("timeout", "ConnectTimeout") from None
        except ssl.SSLCertVerificationError as exc:
            raise WireError("tls_error", exc.verify_message or str(exc)) from None
        except ssl.SSLError as exc:
            raise WireError("tls_error", exc.reason or str(exc)) from None
        except socket.gaierror as exc:
            raise WireError("dns_error", f"{host}: {exc}") from None
        except OSError as exc:
            raise WireError("connect_error", f"ConnectError: {exc}") from None
        sock = writer.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _Connection(reader, writer), False

    async def _exchange(self, connection: _Connection, origin: tuple[str, str, int], request: bytes, url: str,
                        cap: Callable[[dict[str, str]], int]) -> WireResponse:
        reader = connection.reader
        received = False
        try:
            async with asyncio.timeout(self._read_timeout) as timer:
                connection.writer.write(request)
                while True:  # skip 1xx interim responses
                    try:
                        head = await reader.readuntil(b"\r\n\r\n")
                    except asyncio.IncompleteReadError as exc:
                        if not exc.partial:
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
                body = _Body(reader, headers, timer, self._read_timeout)
                if status in _NO_BODY:
                    body.done = True
                keep = _keep_alive(version, headers, body)
                if limit <= 0 and not body.done:
                    if 0 < body.remaining <= DRAIN_BYTES and body.decoder is None:
                        await reader.readexactly(body.remaining)  # small: read it, keep the connection
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
            raise WireError("timeout", "ReadTimeout") from None
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ssl.SSLError) as exc:
            if not received and isinstance(exc, ConnectionError):
                raise _Stale from None
            raise WireError("connect_error", f"ReadError: {type(exc).__name__}: {exc}") from None
        except ValueError as exc:  # a head longer than the stream's limit
            raise WireError("connect_error", f"RemoteProtocolError: {exc}") from None

    def _release(self, connection: _Connection, origin: tuple[str, str, int], reusable: bool) -> None:
        idle = self._idle.setdefault(origin, [])
        if not reusable or len(idle) >= MAX_IDLE_PER_ORIGIN:
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
    if len(status_line) < 2 or not status_line[0].startswith("HTTP/") or not status_line[1].isdigit():
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
