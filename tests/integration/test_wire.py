"""The lean HTTP/1.1 client (``fetch/wire.py``) against real servers on 127.0.0.1.

Driven mostly through ``HttpFetcher.fetch_capped``, the way the crawl uses it, and compared with
``fetch`` (httpx) where both should agree. The odd server behaviours (framing, compression, 1xx,
idle keep-alive connections closed, garbage, stalls) come from ``RawServer``: an asyncio server in
the test's own event loop whose replies are written byte for byte by each test, and which counts
the TCP connections it accepted and records every request head it read.

Assertions are on outcomes (status, reason code, body bytes, connection counts, the request line
the server saw), never on wording, and never on tight timings.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import gzip
import socket
import ssl
import struct
import warnings
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fixture_server import BIG_BYTES, CATCHALL_TITLE, OK_PHRASES, FixtureServer

from oit_checker.fetch.http import HttpFetcher, HttpOptions
from oit_checker.fetch.interface import BodyCap
from oit_checker.fetch.wire import WireClient, WireError, parse_target
from oit_checker.models import FetchResult

OPTIONS = HttpOptions(user_agent="oit-checker-tests", connect_timeout=2, read_timeout=2,
                      backoff=0.01, per_host_interval=0, retries=0, max_retry_after=60)
GENEROUS = 10_000_000

THAI_TEXT = ("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ปัญหาอุปสรรค ข้อเสนอแนะ "
             "การเปิดโอกาสให้เกิดการมีส่วนร่วม ") * 40
THAI_PAGE = f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"></head><body><p>{THAI_TEXT}</p></body></html>'
THAI = THAI_PAGE.encode()
HTML = ("Content-Type", "text/html; charset=utf-8")


_SSL_CONTEXTS: dict[bool, ssl.SSLContext] = {}
_create_ssl_context = httpx.create_ssl_context


@pytest.fixture(autouse=True)
def _shared_ssl_contexts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the CA bundle costs ~50 ms per fetcher, and these tests make ~200 fetchers: the
    contexts (verifying or not) are made once. Nothing here changes a context after it is made."""
    def shared(verify: bool = True, **other: Any) -> ssl.SSLContext:
        if other:
            return _create_ssl_context(verify=verify, **other)
        if verify not in _SSL_CONTEXTS:
            _SSL_CONTEXTS[verify] = _create_ssl_context(verify=verify)
        return _SSL_CONTEXTS[verify]

    monkeypatch.setattr(httpx, "create_ssl_context", shared)


def cap(limit: int) -> BodyCap:
    return lambda headers: limit


class Sleeps:
    """A stand-in for ``asyncio.sleep`` that records each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@asynccontextmanager
async def fetcher(sleep: Sleeps | None = None, **changes: Any) -> AsyncIterator[HttpFetcher]:
    async with HttpFetcher(dataclasses.replace(OPTIONS, **changes), sleep=sleep or Sleeps()) as f:
        assert f._lean  # the lean client really is what fetch_capped uses here
        yield f


# --- a scripted raw server ------------------------------------------------------------------------

@dataclasses.dataclass
class Seen:
    """One request head as the server read it."""

    connection: int
    """1-based index of the TCP connection it came on."""
    number: int
    """1-based index of the request on that connection."""
    head: bytes

    @property
    def target(self) -> str:
        return self.head.split(b"\r\n", 1)[0].split(b" ")[1].decode("ascii")

    def header(self, name: str) -> str | None:
        for line in self.head.decode("latin-1").split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None


Responder = Callable[[Seen, asyncio.StreamWriter], Awaitable[bool]]
"""Answers one request by writing to the stream; returns False to close the connection after."""


class RawServer:
    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.accepts = 0
        self.closed = 0
        self.requests: list[Seen] = []
        self.url = ""
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writers: list[asyncio.StreamWriter] = []
        self._server: asyncio.Server | None = None

    async def start(self, tls: ssl.SSLContext | None = None) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=tls)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for writer in self._writers:  # a TLS close still waiting for the client's close_notify: drop it
            writer.transport.abort()
        await self._server.wait_closed()
        await asyncio.sleep(0)  # the aborted transports close their sockets

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.append(writer)
        self.accepts += 1
        connection, number = self.accepts, 0
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
                    break
                number += 1
                seen = Seen(connection, number, head)
                self.requests.append(seen)
                if not await self.responder(seen, writer):
                    break
                await writer.drain()
        except (OSError, asyncio.CancelledError):  # cancelled by stop(): end quietly (3.11 logs a cancelled handler)
            pass
        finally:
            writer.close()
            self.closed += 1
            self._tasks.discard(task)


@asynccontextmanager
async def serve(responder: Responder, tls: ssl.SSLContext | None = None) -> AsyncIterator[RawServer]:
    server = RawServer(responder)
    await server.start(tls)
    try:
        yield server
    finally:
        await server.stop()


def replying(make: Callable[[Seen], bytes], keep: bool = True) -> Responder:
    """A responder writing ``make(seen)``, keeping the connection open (or not)."""
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(make(seen))
        return keep
    return respond


def response(body: bytes = b"", status: int = 200, headers: Sequence[tuple[str, str]] = (HTML,), *,
             length: bool = True, version: str = "HTTP/1.1", reason: str = "OK") -> bytes:
    """A response head (UTF-8, so Thai header values go as UTF-8 bytes) and body."""
    lines = [f"{version} {status} {reason}", *(f"{name}: {value}" for name, value in headers)]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked(pieces: Sequence[bytes], extensions: bool = False, trailers: Sequence[str] = ()) -> bytes:
    out = b"".join(f"{len(p):x}{';name=value;flag' if extensions else ''}\r\n".encode() + p + b"\r\n"
                   for p in pieces)
    return out + b"0\r\n" + b"".join(f"{t}\r\n".encode() for t in trailers) + b"\r\n"


def split(data: bytes, *sizes: int) -> list[bytes]:
    """``data`` cut into pieces of ``sizes`` (the last one takes the rest)."""
    pieces, at = [], 0
    for size in sizes:
        pieces.append(data[at:at + size])
        at += size
    return [*pieces, data[at:]]


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


def same_headers(a: dict[str, str], b: dict[str, str]) -> None:
    assert {k: v for k, v in a.items() if k != "date"} == {k: v for k, v in b.items() if k != "date"}


async def both(url: str, limit: int = GENEROUS, **changes: Any) -> tuple[FetchResult, FetchResult]:
    """``fetch_capped(url, limit)`` and ``fetch(url)``, each with a fresh fetcher (own cookies)."""
    async with fetcher(**changes) as f:
        capped = await f.fetch_capped(url, cap(limit))
    async with fetcher(**changes) as f:
        full = await f.fetch(url)
    return capped, full


async def wait_until(condition: Callable[[], bool]) -> bool:
    for _ in range(200):
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


# --- 1. keep-alive --------------------------------------------------------------------------------

async def test_sequential_fetches_reuse_one_keep_alive_connection() -> None:
    async with serve(replying(lambda seen: response(f"<p>{seen.target}</p>".encode()))) as server:
        async with fetcher() as f:
            results = [await f.fetch_capped(f"{server.url}/page/{n}", cap(GENEROUS)) for n in range(25)]
    assert [(r.status, r.error, r.body) for r in results] == [(200, None, f"<p>/page/{n}</p>".encode())
                                                               for n in range(25)]
    assert server.accepts == 1
    assert [s.number for s in server.requests] == list(range(1, 26))
    assert all(s.header("host") == server.url.removeprefix("http://") for s in server.requests)


async def test_every_framing_leaves_the_connection_reusable() -> None:
    """Each body is read to its exact end, so the next response on the connection is not garbled."""
    replies = [
        response(THAI),
        response(chunked(split(THAI, 1, 100, 3), extensions=True, trailers=["X-Trailer: 1"]), length=False,
                 headers=[HTML, ("Transfer-Encoding", "chunked")]),
        response(gzip.compress(THAI), headers=[HTML, ("Content-Encoding", "gzip")]),
        response(zlib.compress(THAI), headers=[HTML, ("Content-Encoding", "deflate")]),
        response(b"", 204, length=False),
        response(b"", 304, headers=[("Content-Length", "1234")], length=False),
        b"HTTP/1.1 100 Continue\r\n\r\n" + response(THAI),
        response(chunked([gzip.compress(THAI)]), length=False,
                 headers=[HTML, ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]),
        response(b"", 200),
        response(THAI, version="HTTP/1.0", headers=[HTML, ("Connection", "keep-alive")]),
        response(THAI),
    ]
    expected = [THAI, THAI, THAI, THAI, b"", b"", THAI, THAI, b"", THAI, THAI]
    async with serve(replying(lambda seen: replies[seen.number - 1])) as server, fetcher() as f:
        results = [await f.fetch_capped(f"{server.url}/{n}", cap(GENEROUS)) for n in range(len(replies))]
    assert [r.error for r in results] == [None] * len(replies)
    assert [r.status for r in results] == [200, 200, 200, 200, 204, 304, 200, 200, 200, 200, 200]
    assert [r.body for r in results] == expected
    assert not any(r.truncated for r in results)
    assert server.accepts == 1


async def test_connection_close_and_http_10_are_not_reused() -> None:
    """The server says so but keeps its socket open: a client reusing it would send a second
    request on a connection the server meant to end."""
    replies = {0: response(THAI, headers=[HTML, ("Connection", "close")]),
               1: response(THAI, version="HTTP/1.0")}
    async with serve(replying(lambda seen: replies[seen.connection % 2])) as server, fetcher() as f:
        results = [await f.fetch_capped(f"{server.url}/{n}", cap(GENEROUS)) for n in range(6)]
    assert [(r.status, r.error, r.body) for r in results] == [(200, None, THAI)] * 6
    assert server.accepts == 6
    assert {s.number for s in server.requests} == {1}


async def test_keep_alive_over_tls(tls_server: FixtureServer) -> None:
    assert tls_server.tls is not None
    async with serve(replying(lambda seen: response(THAI)), tls=tls_server.tls) as server:
        async with fetcher(verify_tls=False) as f:
            results = [await f.fetch_capped(f"{server.url}/{n}", cap(GENEROUS)) for n in range(8)]
    assert [(r.status, r.error, r.tls_error, r.body) for r in results] == [(200, None, None, THAI)] * 8
    assert server.accepts == 1


async def test_concurrent_fetches_never_share_a_connection() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.01)
        writer.write(response(f"<p>{seen.target}</p>".encode()))
        return True

    async with serve(respond) as server, fetcher(per_host_concurrency=3) as f:
        results = await asyncio.gather(*(f.fetch_capped(f"{server.url}/p{n}", cap(GENEROUS)) for n in range(15)))
    assert [(r.status, r.body) for r in results] == [(200, f"<p>/p{n}</p>".encode()) for n in range(15)]
    assert server.accepts <= 3


# --- 2. idle keep-alive connections closed by the server -------------------------------------------

async def test_server_closing_after_each_response_is_transparent() -> None:
    """The server closes the (keep-alive) connection right after each response."""
    async with serve(replying(lambda seen: response(THAI), keep=False)) as server, fetcher() as f:
        results = [await f.fetch_capped(f"{server.url}/{n}", cap(GENEROUS)) for n in range(4)]
    assert [(r.status, r.error, r.attempts, r.body) for r in results] == [(200, None, 1, THAI)] * 4
    assert server.accepts == 4


@pytest.mark.parametrize("reset", [False, True], ids=["fin", "rst"])
async def test_request_on_a_connection_the_server_just_closed_is_sent_again(reset: bool) -> None:
    """The race of a keep-alive timeout: the server drops the connection as the next request
    arrives (FIN or RST). The request goes again on a new connection, without an error and
    without using one of the fetcher's retries (retries=0 here)."""
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.number == 1:
            writer.write(response(f"<p>{seen.target}</p>".encode()))
            return True
        if reset:
            writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        return False

    async with serve(respond) as server, fetcher() as f:
        results = [await f.fetch_capped(f"{server.url}/{n}", cap(GENEROUS)) for n in range(4)]
    assert [(r.status, r.error, r.attempts, r.body) for r in results] == [
        (200, None, 1, f"<p>/{n}</p>".encode()) for n in range(4)]
    assert server.accepts == 4
    answered = [s.target for s in server.requests if s.number == 1]
    assert answered == [f"/{n}" for n in range(4)]


async def test_idle_connection_closed_long_before_the_next_request() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(response(THAI))
        await writer.drain()
        await asyncio.sleep(0.05)  # then the server's keep-alive timeout closes it
        return False

    async with serve(respond) as server, fetcher() as f:
        first = await f.fetch_capped(server.url + "/a", cap(GENEROUS))
        assert await wait_until(lambda: server.closed == 1)
        await asyncio.sleep(0.05)
        second = await f.fetch_capped(server.url + "/b", cap(GENEROUS))
    assert [(r.status, r.error, r.attempts) for r in (first, second)] == [(200, None, 1)] * 2
    assert server.accepts == 2


async def test_a_new_connection_closed_without_an_answer_is_an_error_not_a_loop() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        return False

    async with serve(respond) as server, fetcher() as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    assert (result.status, result.error) == (None, "connect_error")
    assert server.accepts <= 2


# --- 3./4. body framing and encodings ----------------------------------------------------------------

TE = ("Transfer-Encoding", "chunked")
ENCODED: dict[str, bytes] = {
    "content-length": response(THAI),
    "chunked-ext-trailers": response(chunked(split(THAI, 1, 2, 3, 500), extensions=True,
                                             trailers=["X-Checksum: abc", "Expires: 0"]),
                                     headers=[HTML, TE], length=False),
    "gzip": response(gzip.compress(THAI), headers=[HTML, ("Content-Encoding", "gzip")]),
    "deflate-zlib": response(zlib.compress(THAI), headers=[HTML, ("Content-Encoding", "deflate")]),
    "deflate-raw": response(raw_deflate(THAI), headers=[HTML, ("Content-Encoding", "deflate")]),
    "gzip-chunked-tiny": response(chunked(split(gzip.compress(THAI), 1, 1, 7, 50)), length=False,
                                  headers=[HTML, TE, ("Content-Encoding", "gzip")]),
    "deflate-zlib-chunked-tiny": response(chunked(split(zlib.compress(THAI), 1, 1, 7)), length=False,
                                          headers=[HTML, TE, ("Content-Encoding", "deflate")]),
    "deflate-raw-chunked": response(chunked(split(raw_deflate(THAI), 30, 30)), length=False,
                                    headers=[HTML, TE, ("Content-Encoding", "deflate")]),
}


@pytest.mark.parametrize("name", list(ENCODED))
async def test_body_framing_and_encoding_decode_to_the_page(name: str) -> None:
    async with serve(replying(lambda seen: ENCODED[name])) as server:
        capped, full = await both(server.url + "/page")
    assert (capped.status, capped.error, capped.truncated) == (200, None, False)
    assert capped.body == THAI
    assert OK_PHRASES[0] in capped.body.decode("utf-8")
    assert (full.status, full.error, full.body) == (capped.status, capped.error, capped.body)  # httpx agrees
    same_headers(capped.headers, full.headers)


@pytest.mark.parametrize("encoding", ["deflate", "x-gzip"])
async def test_raw_deflate_or_gzip_split_after_its_first_byte(encoding: str) -> None:
    """Streaming compressors flush whenever they like: a first chunk of one byte must not lose it
    (with ``deflate``, the raw-deflate fallback has to start from the body's first byte)."""
    data = raw_deflate(THAI) if encoding == "deflate" else gzip.compress(THAI)
    reply = response(chunked(split(data, 1, 1, 40)), length=False,
                     headers=[HTML, TE, ("Content-Encoding", encoding)])
    async with serve(replying(lambda seen: reply)) as server, fetcher() as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    assert (result.status, result.error, result.body) == (200, None, THAI)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
@pytest.mark.parametrize("framing", ["length", "chunked"])
async def test_a_body_that_is_not_what_its_encoding_says_is_a_connect_error(encoding: str, framing: str) -> None:
    """A misconfigured server labels a plain page ``deflate``/``gzip``: an error code, like httpx
    gives, never an exception out of the fetcher."""
    body = b"<html><body>" + b"plain, not compressed " * 50 + b"</body></html>"
    reply = (response(body, headers=[HTML, ("Content-Encoding", encoding)]) if framing == "length" else
             response(chunked(split(body, 100)), headers=[HTML, TE, ("Content-Encoding", encoding)], length=False))
    async with serve(replying(lambda seen: reply)) as server:
        capped, full = await both(server.url + "/")
    assert capped.error == full.error == "connect_error"


async def test_corrupt_zlib_deflate_stream_midway_is_a_connect_error() -> None:
    good = zlib.compress(THAI)
    broken = good[:40] + bytes(b ^ 0x55 for b in good[40:80]) + good[80:]
    reply = response(chunked(split(broken, 40, 40)), headers=[HTML, TE, ("Content-Encoding", "deflate")],
                     length=False)
    async with serve(replying(lambda seen: reply)) as server:
        capped, full = await both(server.url + "/")
    assert capped.error == full.error == "connect_error"  # not a raw-deflate retry of the stream's middle


@pytest.mark.parametrize("version", ["HTTP/1.1", "HTTP/1.0"])
async def test_body_without_length_or_chunking_is_read_until_the_server_closes(version: str) -> None:
    big = THAI * 30  # ~ 250 kB, many reads

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.connection == 2:
            writer.write(response(b"second", version=version))
            return False
        writer.write(response(version=version, length=False))
        for piece in split(big, 1000, 50_000, 3):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.01)
        return False

    async with serve(respond) as server, fetcher() as f:
        first = await f.fetch_capped(server.url + "/a", cap(GENEROUS))
        second = await f.fetch_capped(server.url + "/b", cap(GENEROUS))
    assert (first.status, first.error, first.truncated) == (200, None, False)
    assert first.body == big
    assert (second.status, second.body) == (200, b"second")
    assert server.accepts == 2


# --- 5. the body cap ------------------------------------------------------------------------------

async def test_cap_smaller_than_the_body(base_url: str) -> None:
    async with fetcher() as f:
        whole = await f.fetch_capped(base_url + "/big", cap(GENEROUS))
        cut = await f.fetch_capped(base_url + "/big", cap(1000))
        empty = await f.fetch_capped(base_url + "/big", cap(0))
        after = await f.fetch_capped(base_url + "/ok", cap(GENEROUS))
        exact = await f.fetch_capped(base_url + "/big?size=1000", cap(1000))
    assert (whole.truncated, len(whole.body)) == (False, BIG_BYTES)
    assert (cut.status, cut.error, cut.truncated, cut.body) == (200, None, True, whole.body[:1000])
    assert (empty.status, empty.error, empty.truncated, empty.body) == (200, None, True, b"")
    assert (after.status, after.error, after.truncated) == (200, None, False)
    assert OK_PHRASES[0] in after.body.decode("utf-8")
    assert (exact.truncated, len(exact.body)) == (False, 1000)


async def test_cap_sees_the_final_headers(base_url: str) -> None:
    seen: list[dict[str, str]] = []

    def by_type(headers: dict[str, str]) -> int:
        seen.append(headers)
        return 0 if headers.get("content-type") == "application/pdf" else GENEROUS

    async with fetcher() as f:
        pdf = await f.fetch_capped(base_url + "/report.pdf", by_type)
        page = await f.fetch_capped(base_url + "/chain/2", by_type)
    assert (pdf.status, pdf.body, pdf.truncated) == (200, b"", True)
    assert (page.status, page.truncated) == (200, False) and OK_PHRASES[0] in page.body.decode()
    # asked for every response, redirects included (both paths do); the last one is the page's
    assert (seen[0]["content-type"], seen[-1]["content-type"]) == ("application/pdf", "text/html; charset=utf-8")


async def test_a_truncated_response_does_not_poison_the_next_on_that_host() -> None:
    """The rest of a cut body is still in flight: the connection must be dropped, not reused."""
    big = b"A" * 200_000

    def make(seen: Seen) -> bytes:
        return response(big) if seen.target == "/big" else response(THAI)

    async with serve(replying(make)) as server, fetcher() as f:
        cut = await f.fetch_capped(server.url + "/big", cap(100))
        chunked_cut = await f.fetch_capped(server.url + "/big", cap(0))
        after = await f.fetch_capped(server.url + "/page", cap(GENEROUS))
    assert (cut.truncated, cut.body) == (True, b"A" * 100)
    assert (chunked_cut.truncated, chunked_cut.body) == (True, b"")
    assert (after.status, after.error, after.body) == (200, None, THAI)
    assert server.accepts == 3


async def test_cap_zero_on_a_small_body_keeps_the_connection() -> None:
    async with serve(replying(lambda seen: response(THAI))) as server, fetcher() as f:
        heads = [await f.fetch_capped(server.url + f"/{n}", cap(0)) for n in range(3)]
        after = await f.fetch_capped(server.url + "/page", cap(GENEROUS))
    assert [(r.status, r.body, r.truncated) for r in heads] == [(200, b"", True)] * 3
    assert after.body == THAI
    assert server.accepts == 1


async def test_cap_counts_decoded_bytes() -> None:
    reply = response(chunked(split(gzip.compress(THAI), 10, 10, 10)), length=False,
                     headers=[HTML, TE, ("Content-Encoding", "gzip")])
    async with serve(replying(lambda seen: reply)) as server, fetcher() as f:
        result = await f.fetch_capped(server.url + "/", cap(777))
    assert (result.status, result.truncated, result.body) == (200, True, THAI[:777])


@pytest.mark.parametrize("framing", ["length", "chunked"])
async def test_capped_read_of_a_huge_body_returns_once_the_cap_arrived(framing: str) -> None:
    """A 20 MB file in one piece (a PHP/ASP page flushing a whole file as one chunk) of which
    only the first 200 kB ever arrive: the capped read ends at the cap, not waits for the rest."""
    size = 20_000_000
    head = (response(headers=[("Content-Type", "application/pdf"), ("Content-Length", str(size))], length=False)
            if framing == "length" else
            response(headers=[("Content-Type", "application/pdf"), TE], length=False) + f"{size:x}\r\n".encode())

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(head + b"%PDF-1.7\n" + b"x" * 200_000)
        await writer.drain()
        await asyncio.sleep(3600)  # the rest never comes (cancelled at the end of the test)
        return False

    async with serve(respond) as server, fetcher() as f:
        result = await f.fetch_capped(server.url + "/report.pdf", cap(1000))
    assert (result.status, result.error, result.truncated, len(result.body)) == (200, None, True, 1000)
    assert result.body.startswith(b"%PDF-1.7\n")


@dataclasses.dataclass
class Download:
    sent: int = 0
    end: str = ""


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_a_cut_body_stops_the_download(scheme: str, tls_server: FixtureServer) -> None:
    """The cap drops the connection: the server's writes fail soon after, the rest of a 64 MB
    file is not downloaded (and discarded) in the background."""
    total, piece = 64 << 20, b"x" * (256 << 10)
    state = Download()

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(response(headers=[("Content-Type", "application/pdf"), ("Content-Length", str(total))],
                              length=False))
        try:
            while state.sent < total:
                writer.write(piece)
                await writer.drain()
                state.sent += len(piece)
            state.end = "completed"
        except OSError:
            state.end = "dropped"
        return False

    async with serve(respond, tls=tls_server.tls if scheme == "https" else None) as server:
        async with fetcher(verify_tls=False) as f:
            result = await f.fetch_capped(server.url + "/file.pdf", cap(1000))
            assert await wait_until(lambda: bool(state.end))
    assert (result.status, result.truncated, len(result.body)) == (200, True, 1000)
    assert (state.end, state.sent < total) == ("dropped", True)


# --- 6. interim and bodiless responses --------------------------------------------------------------

async def test_interim_1xx_responses_are_skipped() -> None:
    interim = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
    async with serve(replying(lambda seen: interim + response(THAI, headers=[HTML, ("X-Final", "yes")]))) as server:
        async with fetcher() as f:
            results = [await f.fetch_capped(server.url + f"/{n}", cap(GENEROUS)) for n in range(2)]
    assert [(r.status, r.error, r.body, r.headers.get("x-final")) for r in results] == [(200, None, THAI, "yes")] * 2
    assert server.accepts == 1


@pytest.mark.parametrize("status", [204, 304])
async def test_bodiless_statuses_do_not_wait_for_a_body(status: int) -> None:
    """No Content-Length, the connection kept open: reading "until close" would hang to the timeout."""
    def make(seen: Seen) -> bytes:
        return response(status=status, headers=[], length=False) if seen.number == 1 else response(THAI)

    async with serve(replying(make)) as server, fetcher(read_timeout=5) as f:
        first = await f.fetch_capped(server.url + "/a", cap(GENEROUS))
        second = await f.fetch_capped(server.url + "/b", cap(GENEROUS))
    assert (first.status, first.error, first.body, first.truncated) == (status, None, b"", False)
    assert (second.status, second.body) == (200, THAI)
    assert server.accepts == 1


# --- 7. cookies ---------------------------------------------------------------------------------

async def test_cookie_setting_self_redirect_is_not_a_loop(base_url: str) -> None:
    async with fetcher() as f:
        result = await f.fetch_capped(base_url + "/cookie-gate", cap(GENEROUS))
    assert (result.status, result.error) == (200, None)
    assert [r.status for r in result.redirects] == [302]
    assert OK_PHRASES[0] in result.body.decode("utf-8")


async def test_every_set_cookie_is_sent_back() -> None:
    def make(seen: Seen) -> bytes:
        if seen.number == 1:
            return response(b"", 302, [("Location", "/next"), ("Set-Cookie", "a=1; Path=/"),
                                       ("Set-Cookie", "b=2; Path=/; HttpOnly")])
        return response(THAI)

    async with serve(replying(make)) as server, fetcher() as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    assert (result.status, result.final_url) == (200, server.url + "/next")
    cookie = server.requests[1].header("cookie") or ""
    assert sorted(part.strip() for part in cookie.split(";")) == ["a=1", "b=2"]
    assert server.requests[0].header("cookie") is None


# --- 8. errors and their reason codes ---------------------------------------------------------------

async def test_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with fetcher() as f:
        result = await f.fetch_capped(f"http://127.0.0.1:{port}/", cap(GENEROUS))
    assert (result.status, result.error, result.attempts) == (None, "connect_error", 1)


@pytest.mark.parametrize("host", ["nonexistent.invalid", "www..nonexistent.invalid",
                                  "a" * 64 + ".nonexistent.invalid"])
async def test_unresolvable_host_is_a_dns_error(host: str) -> None:
    """Also host names that cannot even be IDNA-encoded (an empty or over-long label, typos an
    agency CMS links to): a reason code like ``fetch`` gives, never an exception."""
    capped, full = await both(f"http://{host}/")
    assert (capped.status, capped.error) == (None, "dns_error")
    assert full.error == capped.error


async def test_stalled_server_is_a_timeout() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(3600)
        return False

    async with serve(respond) as server, fetcher(read_timeout=0.3) as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    assert (result.status, result.error, result.attempts) == (None, "timeout", 1)


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
async def test_body_that_stalls_midway_is_a_timeout(framing: str) -> None:
    headers = {"length": [HTML, ("Content-Length", str(len(THAI)))], "chunked": [HTML, TE], "close": [HTML]}[framing]
    start = response(headers=headers, length=False) + (f"{len(THAI):x}\r\n".encode() if framing == "chunked" else b"")

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(start + THAI[:100])
        await writer.drain()
        await asyncio.sleep(3600)
        return False

    async with serve(respond) as server, fetcher(read_timeout=0.3) as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    assert (result.error, result.attempts) == ("timeout", 1)


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
async def test_a_slow_but_steady_body_is_not_a_timeout(framing: str) -> None:
    """The read timeout is between reads (as with httpx), not for the whole body."""
    pieces = split(THAI, *[len(THAI) // 8] * 7)  # 8 pieces 0.1 s apart: the body takes longer than the timeout
    headers = {"length": [HTML, ("Content-Length", str(len(THAI)))], "chunked": [HTML, TE], "close": [HTML]}[framing]
    start = response(headers=headers, length=False) + (f"{len(THAI):x}\r\n".encode() if framing == "chunked" else b"")

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(start)
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.1)
        writer.write(b"\r\n0\r\n\r\n" if framing == "chunked" else b"")
        return framing != "close"

    async with serve(respond) as server, fetcher(read_timeout=0.5) as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    assert (result.status, result.error, result.body) == (200, None, THAI)


async def test_slow_loris_is_cut_by_the_total_timeout() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(response(headers=[HTML, ("Content-Length", "100000")], length=False))
        for _ in range(1000):
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(0.05)
        return False

    async with serve(respond) as server, fetcher(read_timeout=1, total_timeout=0.5) as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    assert (result.error, result.attempts) == ("timeout", 1)


BROKEN: dict[str, tuple[bytes, bool]] = {
    # name: (what the server sends, whether it then keeps the connection open)
    "ssh-banner-then-close": (b"SSH-2.0-OpenSSH_9.6\r\n", False),
    "not-http-with-blank-line": (b"<html><body>hello</body></html>\r\n\r\n", True),
    "bad-status": (b"HTTP/1.1 OK fine\r\nContent-Length: 0\r\n\r\n", True),
    "head-cut-short": (b"HTTP/1.1 200 OK\r\nContent-Type: text/ht", False),
    "body-cut-short": (response(THAI)[:-100], False),
    "bad-chunk-size": (response(headers=[HTML, TE], length=False) + b"zz\r\nhello\r\n0\r\n\r\n", True),
    "chunked-cut-short": (response(headers=[HTML, TE], length=False) + b"1000\r\nhello", False),
    "head-too-long": (b"HTTP/1.1 200 OK\r\n" + b"X-Junk: " + b"j" * 200_000 + b"\r\n\r\n", True),
    "status-not-a-number": ("HTTP/1.1 ²00 OK\r\nContent-Length: 0\r\n\r\n".encode(), True),
}


@pytest.mark.parametrize("name", list(BROKEN))
async def test_broken_replies_are_connect_errors(name: str) -> None:
    data, keep = BROKEN[name]
    async with serve(replying(lambda seen: data, keep=keep)) as server:
        capped, full = await both(server.url + "/")
    assert (capped.status, capped.error) == (None, "connect_error")
    assert full.error == capped.error  # httpx agrees


async def test_content_length_that_is_not_an_ascii_number_does_not_raise() -> None:
    """``"²".isdigit()`` is True but ``int("²")`` raises: the fetch must end with a result."""
    reply = response(headers=[HTML, ("Content-Length", "²")], length=False) + b"hello"
    async with serve(replying(lambda seen: reply, keep=False)) as server, fetcher() as f:
        result = await f.fetch_capped(server.url + "/", cap(GENEROUS))
    # read until the server closes (as browsers do), or refused as httpx does
    assert (result.status, result.body) == (200, b"hello") or result.error == "connect_error"


async def test_self_signed_tls_is_recorded_and_the_page_still_fetched(tls_base_url: str) -> None:
    async with fetcher() as f:
        result = await f.fetch_capped(tls_base_url + "/ok", cap(GENEROUS))
        again = await f.fetch_capped(tls_base_url + "/ok", cap(GENEROUS))
    for r in (result, again):
        assert r.tls_error
        assert (r.status, r.error, r.attempts) == (200, None, 2)  # verified (refused), then not
        assert OK_PHRASES[0] in r.body.decode("utf-8")


async def test_tls_not_verified_when_switched_off(tls_base_url: str) -> None:
    async with fetcher(verify_tls=False) as f:
        result = await f.fetch_capped(tls_base_url + "/ok", cap(GENEROUS))
    assert (result.status, result.error, result.tls_error, result.attempts) == (200, None, None, 1)


async def test_https_to_a_plain_http_server_is_a_failed_handshake(base_url: str) -> None:
    capped, full = await both(base_url.replace("http://", "https://") + "/ok")
    assert capped.status is None and capped.tls_error
    assert capped.error == full.error == "tls_handshake_failed"


# --- 9. request targets and host names --------------------------------------------------------------

TARGETS = [
    ("/ภาษาไทย/หน้า แรก.html?q=ค่า 1&x=ก",
     f"/{quote('ภาษาไทย')}/{quote('หน้า แรก.html')}?q={quote('ค่า 1')}&x={quote('ก')}"),
    ("/%E0%B8%81%E0%B8%82/a%20b?q=%E0%B8%81", "/%E0%B8%81%E0%B8%82/a%20b?q=%E0%B8%81"),
    ("/%E0%B8%81/ข", f"/%E0%B8%81/{quote('ข')}"),
    ("/ok#ส่วนที่ 2", "/ok"),
    ("", "/"),
    ("?a=1", "/?a=1"),
]


@pytest.mark.parametrize(("path", "expected"), TARGETS)
async def test_request_target_is_escaped_exactly_once(path: str, expected: str) -> None:
    async with serve(replying(lambda seen: response(THAI))) as server:
        capped, full = await both(server.url + path)
    assert (capped.status, capped.error) == (200, None)
    lean, httpx_target = (s.target for s in server.requests)
    assert lean == expected
    assert lean == httpx_target  # the same bytes httpx sends


@pytest.mark.parametrize("cookie", [False, True], ids=["no-cookie", "cookie-jar"])
@pytest.mark.parametrize("char", ["\x7f", "\x00", "\x0b"], ids=["del", "nul", "vt"])
async def test_control_character_in_the_url_is_refused_not_sent_or_raised(base_url: str, fixture_server: FixtureServer,
                                                                          cookie: bool, char: str) -> None:
    """A link with a control character: httpx refuses it (``blocked_address``); the lean client
    must neither put it raw in the request line nor raise (it builds an httpx.Request for the
    cookies once the jar holds one)."""
    url = f"{base_url}/ok{char}x"
    async with fetcher() as f:
        if cookie:
            assert (await f.fetch_capped(base_url + "/cookie-gate", cap(GENEROUS))).status == 200
        capped = await f.fetch_capped(url, cap(GENEROUS))
        full = await f.fetch(url)
    assert capped.error == full.error == "blocked_address"
    assert not any(path.startswith("/ok") for path in fixture_server.hits)


async def test_thai_path_reaches_the_fixture_route(base_url: str) -> None:
    async with fetcher() as f:
        result = await f.fetch_capped(base_url + "/catchall/หน้า แรก/ข่าว", cap(GENEROUS))
    assert (result.status, result.error) == (200, None)
    assert CATCHALL_TITLE in result.body.decode("utf-8")


def test_parse_target_idna_ports_and_odd_hosts() -> None:
    thai = parse_target("http://กรมตัวอย่าง.ไทย/หน้า")
    assert thai.origin == ("http", "กรมตัวอย่าง.ไทย".encode("idna").decode("ascii"), 80)
    assert thai.origin[1].startswith("xn--") and thai.origin[1].endswith(".xn--o3cw4h")
    assert thai.host_header == thai.origin[1]
    assert thai.request_target == "/" + quote("หน้า")
    port = parse_target("https://กรมตัวอย่าง.go.th:8443/")
    assert port.origin[1].startswith("xn--") and port.host_header == f"{port.origin[1]}:8443"
    assert parse_target("HTTP://WWW.Example.GO.TH./a").origin == ("http", "www.example.go.th", 80)
    assert parse_target("https://example.go.th:443/").host_header == "example.go.th"
    v6 = parse_target("http://[::1]:8080/x")
    assert (v6.origin, v6.host_header) == (("http", "::1", 8080), "[::1]:8080")
    for bad in ("ftp://example.go.th/", "http:///nohost", "http://example.go.th:99999/", "mailto:a@b.go.th",
                "http://example.go.th:0/"):
        with pytest.raises(WireError) as info:
            parse_target(bad)
        assert info.value.code == "blocked_address"


# --- 10. response headers ------------------------------------------------------------------------

async def test_response_headers_lower_cased_joined_and_utf8() -> None:
    headers = [HTML, ("X-Multi", "a"), ("x-multi", "b"), ("X-Thai", "สวัสดี ครับ"), ("X-MiXeD-CaSe", "v"),
               ("Cache-Control", "no-cache")]
    async with serve(replying(lambda seen: response(THAI, headers=headers))) as server:
        capped, full = await both(server.url + "/")
    assert capped.status == 200
    assert all(name == name.lower() for name in capped.headers)
    assert capped.headers["x-multi"] == "a, b"
    assert capped.headers["x-thai"] == "สวัสดี ครับ"
    assert capped.headers["x-mixed-case"] == "v"
    assert capped.headers["content-type"] == "text/html; charset=utf-8"
    assert capped.content_type == "text/html"
    same_headers(capped.headers, full.headers)


@pytest.mark.parametrize("method", ["fetch_capped", "fetch"])
async def test_retry_after_on_a_429_is_honoured(method: str) -> None:
    def make(seen: Seen) -> bytes:
        if len(server.requests) == 1:
            return response(b"slow down", 429, [HTML, ("Retry-After", "7")], reason="Too Many Requests")
        return response(THAI)

    sleeps = Sleeps()
    async with serve(replying(make)) as server, fetcher(sleep=sleeps, retries=2) as f:
        result = await (f.fetch_capped(server.url + "/", cap(GENEROUS)) if method == "fetch_capped"
                        else f.fetch(server.url + "/"))
    assert (result.status, result.error, result.attempts, result.body) == (200, None, 2, THAI)
    assert sleeps.delays == [7.0]


@pytest.mark.parametrize("method", ["fetch_capped", "fetch"])
async def test_retry_after_beyond_the_cap_gives_up_at_once(method: str) -> None:
    reply = response(b"", 429, [HTML, ("Retry-After", "3600")], reason="Too Many Requests")
    sleeps = Sleeps()
    async with serve(replying(lambda seen: reply)) as server, fetcher(sleep=sleeps, retries=2) as f:
        result = await (f.fetch_capped(server.url + "/", cap(GENEROUS)) if method == "fetch_capped"
                        else f.fetch(server.url + "/"))
    assert (result.status, result.error, result.attempts) == (429, "rate_limited", 1)
    assert sleeps.delays == []


# --- 11. parity with fetch (httpx) on the fixture routes ----------------------------------------------

@pytest.mark.parametrize(("path", "limit"), [
    ("/ok", GENEROUS), ("/404", GENEROUS), ("/tis620", GENEROUS), ("/big", 10_000), ("/big", GENEROUS),
    ("/chain/3", GENEROUS), ("/botwall", GENEROUS), ("/report.pdf", GENEROUS), ("/cookie-gate", GENEROUS),
    ("/401", GENEROUS), ("/members", GENEROUS), ("/loop-a", GENEROUS),
])
async def test_fetch_capped_agrees_with_fetch(base_url: str, path: str, limit: int) -> None:
    async with fetcher() as f:
        capped = await f.fetch_capped(base_url + path, cap(limit))
    async with fetcher(max_body_bytes=min(limit, OPTIONS.max_body_bytes)) as f:
        full = await f.fetch(base_url + path)
    assert (capped.status, capped.final_url, capped.error, capped.truncated) == (
        full.status, full.final_url, full.error, full.truncated)
    assert capped.redirects == full.redirects
    assert capped.body == full.body
    for name in ("content-type", "content-length", "cf-mitigated", "location", "www-authenticate"):
        assert capped.headers.get(name) == full.headers.get(name)
    same_headers(capped.headers, full.headers)


# --- WireClient directly ----------------------------------------------------------------------------

def wire_client(read_timeout: float = 2) -> WireClient:
    return WireClient({"User-Agent": "oit-checker-tests"}, connect_timeout=2, read_timeout=read_timeout,
                      ssl_context=ssl.create_default_context, cookies=httpx.Cookies())


async def test_wire_client_request_and_aclose() -> None:
    async with serve(replying(lambda seen: response(THAI, headers=[HTML, ("X-A", "1")]))) as server:
        client = wire_client()
        try:
            first = await client.get(server.url + "/a?x=1", lambda headers: GENEROUS, total_timeout=5)
            second = await client.get(server.url + "/b", lambda headers: 10, total_timeout=5)
            third = await client.get(server.url + "/c", lambda headers: GENEROUS, total_timeout=5)
        finally:
            await client.aclose()
        assert await wait_until(lambda: server.closed == server.accepts)
    assert (first.status, first.body, first.truncated, first.headers["x-a"]) == (200, THAI, False, "1")
    assert (second.body, second.truncated) == (THAI[:10], True)
    assert third.body == THAI
    assert server.accepts == 2  # the truncated one was dropped
    request = server.requests[0]
    assert request.head.startswith(b"GET /a?x=1 HTTP/1.1\r\n")
    assert request.header("user-agent") == "oit-checker-tests"
    assert request.header("accept-encoding") == "gzip, deflate"


async def test_wire_client_errors_carry_reason_codes() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = wire_client(read_timeout=0.3)
    try:
        with pytest.raises(WireError) as refused:
            await client.get(f"http://127.0.0.1:{port}/", lambda headers: GENEROUS, total_timeout=5)
        with pytest.raises(WireError) as dns:
            await client.get("http://nonexistent.invalid/", lambda headers: GENEROUS, total_timeout=5)

        async def stall(seen: Seen, writer: asyncio.StreamWriter) -> bool:
            await asyncio.sleep(3600)
            return False

        async with serve(stall) as server:
            with pytest.raises(WireError) as timeout:
                await client.get(server.url + "/", lambda headers: GENEROUS, total_timeout=5)
    finally:
        await client.aclose()
    assert (refused.value.code, dns.value.code, timeout.value.code) == ("connect_error", "dns_error", "timeout")


@pytest.mark.parametrize("last", ["whole", "truncated"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_aclose_leaves_no_socket_open(scheme: str, last: str, base_url: str, tls_base_url: str) -> None:
    """A run ends (``asyncio.run`` returns) right after the fetcher is closed: every connection,
    kept alive or dropped for a cut body, TLS ones included, must be closed by then, not leak as
    "unclosed transport" (which, under ``filterwarnings = error``, fails whichever test runs next)."""
    base = tls_base_url if scheme == "https" else base_url

    async def run() -> list[FetchResult]:
        async with fetcher(verify_tls=False) as f:
            first = await f.fetch_capped(base + "/ok", cap(GENEROUS))
            return [first, await f.fetch_capped(base + "/big", cap(100 if last == "truncated" else GENEROUS))]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = asyncio.run(run())
        gc.collect()
    assert [r.status for r in results] == [200, 200]
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []
