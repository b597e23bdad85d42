"""A hostile website on 127.0.0.1 that misbehaves at the byte level (raw asyncio sockets).

Every request line it got is recorded (``HostileServer.requests``), so a test can prove that a
URL it must never fetch was not requested. Paths (any query string is ignored, so ``?v=1``
makes distinct URLs with the same behaviour):

``/`` a homepage linking every trap and a malformed ``http://[`` link; ``/ok`` a plain page;
``/tarpit`` accepts and never answers; ``/loris`` one byte a second; ``/endless`` a chunked body
without end; ``/endless-1xx`` ``102 Processing`` forever; ``/bomb-gzip``, ``/bomb-deflate``
small bodies inflating to hundreds of MB; ``/loop-a`` <-> ``/loop-b``; ``/chain/N`` 100 hops;
``/to-metadata`` a redirect to 169.254.169.254; ``/to-file`` a redirect to ``file:///etc/passwd``;
``/huge-header``, ``/many-headers``; ``/reset`` a TCP reset; ``/garbage`` a garbage status line;
``/no-eol`` a status line that never ends; ``/xxe.docx``, ``/xxe.xlsx``, ``/xxe.svg`` external
entities and entity expansion; ``/calendar/N`` an endless calendar; ``/deep/...`` ever deeper paths.
"""

from __future__ import annotations

import asyncio
import io
import socket
import struct
import threading
import zipfile
import zlib
from collections.abc import Awaitable, Callable

TRAPS = ("tarpit", "loris", "endless", "endless-1xx", "bomb-gzip", "bomb-deflate", "loop-a", "chain/0",
         "to-file", "huge-header", "many-headers", "reset", "garbage", "no-eol", "xxe.docx",
         "xxe.xlsx", "xxe.svg", "calendar/1", "deep/a", "ok")
"""What the homepage links (``/to-metadata`` is left out: a test adds it only where the fetcher
refuses the redirect hop, so that no request can leave for 169.254.169.254)."""

XXE = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">' \
      b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'


def _office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", XXE + b"<Types>&x;</Types>")
        if kind == "docx":
            archive.writestr("word/document.xml", XXE + b"<w:document xmlns:w='http://schemas.openxmlformats.org/"
                             b"wordprocessingml/2006/main'><w:body><w:p><w:r><w:t>&x;&c;&c;</w:t></w:r></w:p>"
                             b"</w:body></w:document>")
        else:
            archive.writestr("xl/workbook.xml", XXE + b"<workbook>&x;</workbook>")
            archive.writestr("xl/sharedStrings.xml", XXE + b"<sst><si><t>&x;&c;</t></si></sst>")
            archive.writestr("xl/worksheets/sheet1.xml", XXE + b"<worksheet>&c;&c;</worksheet>")
    return buffer.getvalue()


def _deflated(size_mb: int, gzip: bool) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31 if gzip else 15)
    block = bytes(1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(size_mb)) + packer.flush()


class HostileServer:
    """Serve the traps on 127.0.0.1 in a thread of its own; ``with HostileServer() as s: s.base``."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._clients: set[asyncio.Task[None]] = set()
        self.base = ""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._bodies = {"bomb-gzip": _deflated(200, True), "bomb-deflate": _deflated(200, False),
                        "xxe.docx": _office("docx"), "xxe.xlsx": _office("xlsx")}

    def __enter__(self) -> HostileServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _shutdown(self) -> None:
        """Stop every trap still running (their ``finally`` closes the connections)."""
        self._server.close()
        for task in list(self._clients):
            task.cancel()
        await asyncio.gather(*self._clients, return_exceptions=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0,
                                                                          limit=1 << 20))
        self.base = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._server.wait_closed())
        self._loop.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._clients.add(task)
        try:
            line = (await reader.readline()).decode("latin-1").strip()
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            self.requests.append(line)
            parts = line.split(" ")
            path = parts[1].split("?", 1)[0].lstrip("/") if len(parts) > 1 else ""
            await self._handler(path)(writer)
        except (ConnectionError, OSError, asyncio.CancelledError):  # (cancelled: the server is stopping)
            pass
        finally:
            if task is not None:
                self._clients.discard(task)
            writer.close()  # (after the bytes written: a reset is only the /reset trap's)

    def _handler(self, path: str) -> Callable[[asyncio.StreamWriter], Awaitable[None]]:
        if path.startswith("chain/"):
            hop = int(path.split("/")[1] or 0)
            return self._redirect(f"/chain/{hop + 1}" if hop < 100 else "/ok")
        if path.startswith("calendar/"):
            month = int(path.split("/")[1] or 0)
            return self._html(f'<a href="/calendar/{month + 1}">next</a><a href="/calendar/{month - 1}">prev</a>')
        if path.startswith("deep/"):
            return self._html(f'<a href="/{path}/a">deeper</a><a href="{path.rsplit("/", 1)[-1]}/b">deeper</a>')
        simple: dict[str, Callable[[asyncio.StreamWriter], Awaitable[None]]] = {
            "": self._html("".join(f'<a href="/{trap}">{trap}</a>' for trap in TRAPS)
                           + '<a href="http://[">broken</a><a href="http://[::1">broken</a>'),
            "ok": self._html("<h1>ok</h1>"),
            "tarpit": self._tarpit, "loris": self._loris, "endless": self._endless, "endless-1xx": self._endless_1xx,
            "loop-a": self._redirect("/loop-b"), "loop-b": self._redirect("/loop-a"),
            "to-metadata": self._redirect("http://169.254.169.254/latest/meta-data/"),
            "to-file": self._redirect("file:///etc/passwd"),
            "huge-header": self._raw(b"HTTP/1.1 200 OK\r\nX-Huge: " + b"a" * (2 << 20) + b"\r\nContent-Length: 0\r\n\r\n"),
            "many-headers": self._raw(b"HTTP/1.1 200 OK\r\n" + b"X-H: 1\r\n" * 100_000 + b"Content-Length: 0\r\n\r\n"),
            "reset": self._reset, "garbage": self._raw(b"HTCPCP/9 ??? \x00\xff garbage\r\n\r\n"),
            "no-eol": self._no_eol,
            "bomb-gzip": self._body(self._bodies["bomb-gzip"], "text/html", "gzip"),
            "bomb-deflate": self._body(self._bodies["bomb-deflate"], "text/html", "deflate"),
            "xxe.docx": self._body(self._bodies["xxe.docx"], "application/vnd.openxmlformats-officedocument."
                                   "wordprocessingml.document"),
            "xxe.xlsx": self._body(self._bodies["xxe.xlsx"], "application/vnd.openxmlformats-officedocument."
                                   "spreadsheetml.sheet"),
            "xxe.svg": self._body(XXE + b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;&c;</text></svg>',
                                  "image/svg+xml"),
        }
        return simple.get(path, self._raw(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))

    @staticmethod
    def _raw(data: bytes) -> Callable[[asyncio.StreamWriter], Awaitable[None]]:
        async def send(writer: asyncio.StreamWriter) -> None:
            writer.write(data)
            await writer.drain()
        return send

    def _body(self, body: bytes, kind: str, encoding: str = "") -> Callable[[asyncio.StreamWriter], Awaitable[None]]:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
        if encoding:
            head += f"Content-Encoding: {encoding}\r\n"
        return self._raw(head.encode() + b"Connection: close\r\n\r\n" + body)

    def _html(self, body: str) -> Callable[[asyncio.StreamWriter], Awaitable[None]]:
        return self._body(f"<html><head><title>trap</title></head><body>{body}</body></html>".encode(),
                          "text/html; charset=utf-8")

    def _redirect(self, target: str) -> Callable[[asyncio.StreamWriter], Awaitable[None]]:
        return self._raw(f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode())

    @staticmethod
    async def _tarpit(writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    @staticmethod
    async def _loris(writer: asyncio.StreamWriter) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100000:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(1)

    @staticmethod
    async def _endless(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (65536, b"<p>" + b"a" * 65533)
        while True:
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(0.001)

    @staticmethod
    async def _endless_1xx(writer: asyncio.StreamWriter) -> None:
        while True:
            writer.write(b"HTTP/1.1 102 Processing\r\n\r\n")
            await writer.drain()
            await asyncio.sleep(0.01)

    @staticmethod
    async def _no_eol(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 ")
        while True:
            writer.write(b"A" * 4096)
            await writer.drain()
            await asyncio.sleep(0.005)

    @staticmethod
    async def _reset(writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()


__all__ = ["TRAPS", "HostileServer"]
