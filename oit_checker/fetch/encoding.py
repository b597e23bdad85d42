"""Decode HTML bytes the way a browser would, so TIS-620 / windows-874 Thai pages read right.

Order: HTTP header charset, byte-order mark, ``<meta charset>``, strict UTF-8, a statistical
guess (charset-normalizer), then Thai windows-874. Python does not know the labels
``windows-874``/``x-windows-874`` and treats TIS-620 as a strict subset, so every Thai label
maps to ``cp874`` (what WHATWG does too).
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_THAI_ALIASES = {
    "tis-620": "cp874", "tis620": "cp874", "tis_620": "cp874", "iso-8859-11": "cp874",
    "iso8859-11": "cp874", "windows-874": "cp874", "x-windows-874": "cp874", "cp874": "cp874",
    "dos-874": "cp874",
}
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def codec_for(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    name = label.strip().strip("'\"").lower()
    name = _THAI_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header value."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip()
    return None


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Return ``(text, how)`` where ``how`` names the codec and where it came from."""
    for codec, source in _candidates(body, content_type):
        try:
            return body.decode(codec), f"{codec} ({source})"
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("cp874", errors="replace"), "cp874 (fallback, with errors)"


def _candidates(body: bytes, content_type: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    declared = codec_for(header_charset(content_type))
    for bom, codec in _BOMS:
        if body.startswith(bom):
            out.append((codec, "bom"))
    if declared:
        # A page labelled as Thai may still carry windows-874 extras (curly quotes): cp874 covers both.
        out.insert(0, (declared, "header"))
    meta = _META.search(body[:8192])
    meta_codec = codec_for(meta.group(1).decode("ascii", "ignore")) if meta else None
    if meta_codec:
        out.append((meta_codec, "meta"))
    out.append(("utf-8", "default"))
    guess = charset_normalizer.from_bytes(body[:65536]).best()
    guessed = codec_for(guess.encoding) if guess is not None else None
    if guessed:
        out.append((guessed, "guessed"))
    out.append(("cp874", "thai fallback"))
    return out
