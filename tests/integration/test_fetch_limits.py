"""Caps on what a server can make the fetcher hold: decoded bytes, headers, endless status lines.

Real servers on 127.0.0.1 (``raw_server.RawServer``) write each reply byte for byte. Memory is
measured with ``tracemalloc`` around one fetch: a bomb that inflates to hundreds of megabytes must
cost about the cap. Assertions are on reason codes, sizes and peaks, never on wording.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import tracemalloc
import zlib
from typing import Any

import pytest
from raw_server import HTML, Seen, chunked, replying, response, serve

from oit_checker.fetch.http import HttpFetcher
from oit_checker.models import FetchResult
from oit_checker.options import defaults

OPTIONS = dataclasses.replace(defaults().http, user_agent="oit-checker-tests", connect_timeout=2, read_timeout=2, total_timeout=10,
                      backoff=0.01, per_host_interval=0, retries=0)
CAP = 1024 * 1024
INFLATED = 128 * 1024 * 1024
"""What each bomb below inflates to: far above the cap and above what a test may hold."""
THAI = ("<html><body><p>" + "รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ " * 200 + "</p></body></html>").encode()


def _zeros_compressed(wbits: int, size: int = INFLATED) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1024 * 1024)
    return b"".join(compressor.compress(block) for _ in range(size // len(block))) + compressor.flush()


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return _zeros_compressed(16 + zlib.MAX_WBITS)


async def _fetch(url: str, capped: int | None = None, **changes: Any) -> tuple[FetchResult, int]:
    """The result and the peak memory the fetch allocated (bytes)."""
    tracemalloc.start()
    try:
        async with HttpFetcher(dataclasses.replace(OPTIONS, max_body_bytes=CAP, **changes)) as fetcher:
            if capped is None:
                result = await fetcher.fetch(url)
            else:
                result = await fetcher.fetch_capped(url, lambda headers: capped)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _reply(body: bytes, encoding: str, framing: str = "length") -> bytes:
    headers = [HTML, ("Content-Encoding", encoding)]
    if framing == "chunked":
        pieces = [body[i:i + 16384] for i in range(0, len(body), 16384)]
        return response(chunked(pieces), headers=[*headers, ("Transfer-Encoding", "chunked")], length=False)
    return response(body, headers=headers)


@pytest.mark.parametrize("framing", ["length", "chunked"])
async def test_gzip_bomb_costs_the_cap_not_its_inflated_size(gzip_bomb: bytes, framing: str) -> None:
    async with serve(replying(lambda seen: _reply(gzip_bomb, "gzip", framing))) as server:
        result, peak = await _fetch(server.url + "/bomb")
    assert result.status == 200 and result.truncated
    assert len(result.body) == CAP
    assert peak < 16 * CAP


async def test_nested_gzip_bomb_is_cut_at_the_cap() -> None:
    """A few KB that inflate to 128 MB through two gzip layers (the 10 KB → 10 GB case, smaller)."""
    inner = _zeros_compressed(16 + zlib.MAX_WBITS)
    outer = gzip.compress(inner, 9)
    assert len(outer) < 10_000
    async with serve(replying(lambda seen: _reply(outer, "gzip, gzip"))) as server:
        result, peak = await _fetch(server.url + "/nested")
    assert result.truncated and len(result.body) == CAP and set(result.body) == {0}
    assert peak < 16 * CAP


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
async def test_deflate_bomb_is_cut_at_the_cap(wbits: int) -> None:
    bomb = _zeros_compressed(wbits)
    async with serve(replying(lambda seen: _reply(bomb, "deflate"))) as server:
        result, peak = await _fetch(server.url + "/deflate")
    assert result.truncated and len(result.body) == CAP
    assert peak < 16 * CAP


async def test_crawl_cap_counts_decoded_bytes(gzip_bomb: bytes) -> None:
    async with serve(replying(lambda seen: _reply(gzip_bomb, "gzip"))) as server:
        result, _ = await _fetch(server.url + "/bomb", capped=1000)
    assert result.truncated and len(result.body) == 1000


@pytest.mark.parametrize(("encoding", "encode"), [
    ("gzip", gzip.compress), ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ("gzip, deflate", lambda b: zlib.compress(gzip.compress(b))),
    ("identity", lambda b: b),
])
@pytest.mark.parametrize("framing", ["length", "chunked"])
async def test_encodings_and_framings_decode_to_the_page(encoding: str, encode: Any, framing: str) -> None:
    async with serve(replying(lambda seen: _reply(encode(THAI), encoding, framing))) as server:
        result, _ = await _fetch(server.url + "/page")
        accepted = server.requests[0].header("accept-encoding")
    assert result.error is None and result.body == THAI and not result.truncated
    assert accepted is not None and "br" not in accepted  # no brotli decoder: not asked for


async def test_a_body_that_is_not_what_its_encoding_says_is_a_bad_response() -> None:
    async with serve(replying(lambda seen: _reply(b"this is not gzip at all" * 10, "gzip"))) as server:
        result, _ = await _fetch(server.url + "/liar")
    assert result.error == "bad_response"


async def test_an_unrequested_encoding_is_kept_as_sent() -> None:
    async with serve(replying(lambda seen: _reply(b"\x1b\x00opaque", "br"))) as server:
        result, _ = await _fetch(server.url + "/br")
    assert result.error is None and result.body == b"\x1b\x00opaque"


# --- headers and status lines ---------------------------------------------------------------------

async def _write_and_hold(seen: Seen, writer: asyncio.StreamWriter, data: bytes) -> bool:
    writer.write(data)
    await writer.drain()
    await asyncio.sleep(5)  # then hold the connection open: the client must not wait for more
    return False


@pytest.mark.parametrize(("name", "head"), [
    ("huge header", b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 100_000 + b"\r\nContent-Length: 2\r\n\r\nok"),
    ("10,000 headers", b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(10_000))
     + b"Content-Length: 2\r\n\r\nok"),
    ("endless status line", b"HTTP/1.1 200 " + b"O" * 1_000_000),
    ("garbage status line", b"SSH-2.0-OpenSSH_9.6\r\n\r\n"),
])
async def test_broken_heads_are_bad_responses_not_hangs(name: str, head: bytes) -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        return await _write_and_hold(seen, writer, head)

    loop = asyncio.get_running_loop()
    started = loop.time()
    async with serve(respond) as server:
        result, _ = await _fetch(server.url + "/head")
    assert result.error == "bad_response", name
    assert loop.time() - started < 5  # found at once, not by a timeout


async def test_a_status_line_that_never_ends_slowly_is_a_timeout() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 ")
        for _ in range(100):
            writer.write(b"O")
            await writer.drain()
            await asyncio.sleep(0.1)
        return False

    async with serve(respond) as server:
        result, _ = await _fetch(server.url + "/slow", total_timeout=1.5, read_timeout=1)
    assert result.error == "timeout"


async def test_interim_1xx_responses_are_skipped() -> None:
    reply = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + response(THAI)
    async with serve(replying(lambda seen: reply)) as server:
        result, _ = await _fetch(server.url + "/1xx")
    assert result.status == 200 and result.body == THAI


async def test_endless_interim_responses_end_as_a_timeout() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        for _ in range(1000):
            writer.write(b"HTTP/1.1 102 Processing\r\n\r\n")
            await writer.drain()
            await asyncio.sleep(0.01)
        return False

    async with serve(respond) as server:
        result, _ = await _fetch(server.url + "/1xx-forever", total_timeout=1.5)
    assert result.error == "timeout"


async def test_an_endless_chunked_body_is_cut_at_the_cap() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"%x\r\n%s\r\n" % (65536, b"a" * 65536)
        for _ in range(10_000):  # 640 MB if nobody stops reading
            writer.write(piece)
            await writer.drain()
        return False

    async with serve(respond) as server:
        result, peak = await _fetch(server.url + "/endless")
    assert result.truncated and len(result.body) == CAP
    assert peak < 16 * CAP


async def test_a_reset_connection_is_a_connect_error() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.transport.abort()  # RST, no answer
        return False

    async with serve(respond) as server:
        result, _ = await _fetch(server.url + "/reset")
    assert result.error == "connect_error"
