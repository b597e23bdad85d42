"""``robots.txt`` rules (read with protego) and ``sitemap.xml`` files, for the crawl.

Policy (docs/config.md, ``[crawl] obey_robots``): the crawl obeys ``robots.txt`` by default, but a
URL the user configured for an item is always fetched and checked: the assessors who open it
are people, not bots. A missing, unreadable or failing ``robots.txt`` allows everything.
"""

from __future__ import annotations

import gzip
import io
import zlib
from xml.etree import ElementTree

from protego import Protego

MAX_ROBOTS_BYTES = 512 * 1024
MAX_SITEMAP_BYTES = 20 * 1024 * 1024
"""Sitemap files are cut at this size (after decompression)."""


class RobotsRules:
    """The rules of one host's ``robots.txt`` (``RobotsRules(None)`` allows everything)."""

    def __init__(self, text: str | None) -> None:
        self._parser = Protego.parse(text) if text else None

    def allowed(self, url: str, agent: str) -> bool:
        """May ``agent`` crawl ``url``?"""
        return self._parser is None or bool(self._parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float:
        """Seconds to wait between requests asked for by ``Crawl-delay`` (0 when none)."""
        if self._parser is None:
            return 0.0
        delay = self._parser.crawl_delay(agent)
        return float(delay) if delay else 0.0

    @property
    def sitemaps(self) -> tuple[str, ...]:
        """Sitemap URLs named by ``Sitemap:`` lines."""
        return tuple(self._parser.sitemaps) if self._parser is not None else ()


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against (``oit-checker/0.1 (…)`` -> ``oit-checker``)."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def parse_robots(status: int | None, body: bytes) -> RobotsRules:
    """Rules from a ``robots.txt`` response; anything but a 2xx allows everything."""
    if status is None or not 200 <= status < 300 or not body:
        return RobotsRules(None)
    return RobotsRules(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace"))


def parse_sitemap(body: bytes) -> tuple[list[str], list[str]]:
    """``(page URLs, nested sitemap URLs)`` of a sitemap or sitemap index (gzip allowed). A file
    that is not a readable sitemap gives two empty lists."""
    data = _gunzip(body) if body[:2] == b"\x1f\x8b" else body[:MAX_SITEMAP_BYTES]
    pages: list[str] = []
    nested: list[str] = []
    try:
        # Python 3.11's bundled expat (>= 2.4.1) caps entity amplification ("billion laughs") and
        # ElementTree never loads external entities, so defusedxml is not needed for this.
        for _, element in ElementTree.iterparse(io.BytesIO(data), events=("end",)):  # noqa: S314
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "loc" and element.text:
                pages.append(element.text.strip())
            elif tag == "sitemap":
                nested.extend(u for u in pages[-1:])
                del pages[-1:]
            if tag in ("url", "sitemap"):
                element.clear()
    except ElementTree.ParseError:
        pass
    return pages, nested


def _gunzip(body: bytes) -> bytes:
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return inflater.decompress(body, MAX_SITEMAP_BYTES)
    except (zlib.error, gzip.BadGzipFile):
        return b""
