"""Content-Encoding decoding with bounded output, so the body cap counts decoded bytes.

httpx's own decoders inflate a whole network chunk at once: with nested encodings
(``gzip, gzip``) a few kilobytes become gigabytes in one call. Here every layer hands on at most
``PIECE`` bytes per step (zlib's ``max_length``), so reading stops at the cap whatever the ratio.
Only the encodings we accept are decoded (``ACCEPT_ENCODING``); brotli and zstd are not asked for
(no bounded decoder is installed), and a body in an encoding we did not ask for is kept as sent.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

ACCEPT_ENCODING = "gzip, deflate"
PIECE = 64 * 1024
"""The most one decoding step may produce."""


class DecodeError(Exception):
    """The body is not what its Content-Encoding says."""


class _Zlib:
    """One gzip or deflate layer; deflate is zlib-wrapped or raw, whichever the first bytes are."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._obj.decompress(data, PIECE)
            except zlib.error as exc:
                if self._gzip or self._started:
                    raise DecodeError(str(exc)) from exc
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                self._started = True
                continue
            self._started = True
            data = self._obj.unconsumed_tail
            if out:
                yield out
            if self._obj.eof:
                return

    def flush(self) -> Iterator[bytes]:
        out = self._obj.flush(PIECE) if not self._obj.eof else b""
        if out:
            yield out


class BoundedDecoder:
    """Decodes a body sent with ``content_encoding`` (a header value), piece by bounded piece."""

    def __init__(self, content_encoding: str) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        known = all(n in ("gzip", "x-gzip", "deflate") for n in names)
        # applied in reverse order of the header (the last encoding listed was applied last)
        self._layers = [_Zlib(n) for n in reversed(names)] if known else []

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces (each at most ``PIECE`` bytes) for the next raw bytes."""
        yield from self._push(0, raw)

    def flush(self) -> Iterator[bytes]:
        """Whatever the layers still hold once the raw body has ended."""
        for index, layer in enumerate(self._layers):
            for piece in layer.flush():
                yield from self._push(index + 1, piece)

    def _push(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        for piece in self._layers[index].feed(data):
            yield from self._push(index + 1, piece)
