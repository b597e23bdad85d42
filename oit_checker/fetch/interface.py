"""The one method every fetcher has."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from ..models import FetchResult

BodyCap = Callable[[dict[str, str]], int]
"""Given the final response's headers (names lower-cased), how many body bytes to read."""


class Fetcher(ABC):
    """Fetches a URL and never raises for network problems: they end up in ``FetchResult.error``."""

    @abstractmethod
    async def fetch(self, url: str) -> FetchResult:
        """Fetch ``url``, following redirects; the result records the whole chain."""

    async def fetch_capped(self, url: str, body_cap: BodyCap) -> FetchResult:
        """Like ``fetch``, but read at most ``body_cap(headers)`` bytes of the final response's
        body (0: none; decoded bytes: a compressed body counts what it inflates to), so a crawl
        can check a file without downloading it. The result's
        ``truncated`` is True when the body was cut. Default: a full ``fetch``."""
        return await self.fetch(url)

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release connections and processes."""
