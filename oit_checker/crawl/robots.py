"""``robots.txt`` rules (read with protego) and ``sitemap.xml`` files, for the crawl.

Policy (docs/config.md, ``[crawl] obey_robots``): the crawl obeys ``robots.txt`` by default, but a
URL the user configured for an item is always fetched and checked: the assessors who open it
are people, not bots. A missing, unreadable or failing ``robots.txt`` allows everything.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import zlib
from urllib.parse import urlsplit
from xml.etree import ElementTree

from protego import Protego

from ..fetch.interface import Fetcher
from ..fetch.limits import HostSpacing
from ..urls import host_of

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


class RobotsCache:
    """Each origin's ``robots.txt``, fetched once (concurrent callers share the one fetch), and
    the ``Crawl-delay`` it asks for between requests to a host (capped at ``max_delay``)."""

    def __init__(self, fetcher: Fetcher, agent: str, max_delay: float) -> None:
        self.fetcher = fetcher
        self.agent = agent
        """The product token the rules are matched against (``agent_token``)."""
        self.max_delay = max_delay
        self._tasks: dict[str, asyncio.Task[RobotsRules]] = {}
        self._spacing = HostSpacing()

    async def rules(self, url: str) -> RobotsRules:
        """The rules of ``url``'s origin."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        task = self._tasks.get(origin)
        if task is None:
            task = asyncio.ensure_future(self.load(origin))
            self._tasks[origin] = task
        return await task

    async def load(self, origin: str) -> RobotsRules:
        """Fetch and read ``origin``'s ``robots.txt`` (not cached: ``rules`` caches)."""
        try:
            result = await self.fetcher.fetch_capped(origin + "/robots.txt", lambda headers: MAX_ROBOTS_BYTES)
        except Exception:  # noqa: BLE001 - no robots.txt is no rule
            return RobotsRules(None)
        return parse_robots(result.status if result.error is None else None, result.body)

    async def wait(self, url: str, rules: RobotsRules) -> None:
        """Sleep until ``url``'s host may be asked again under ``rules``' ``Crawl-delay``."""
        await self._spacing.wait(host_of(url), min(rules.crawl_delay(self.agent), self.max_delay))


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
