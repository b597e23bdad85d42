"""A scripted raw HTTP server on 127.0.0.1 for the fetcher's edge cases (framing, compression,
1xx, garbage, stalls): an asyncio server in the test's own event loop whose replies each test
writes byte for byte; it counts the TCP connections it accepted and records every request head.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

HTML = ("Content-Type", "text/html; charset=utf-8")


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
