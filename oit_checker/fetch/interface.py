"""The one method every fetcher has."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..models import FetchResult


class Fetcher(ABC):
    """Fetches a URL and never raises for network problems: they end up in ``FetchResult.error``."""

    @abstractmethod
    async def fetch(self, url: str) -> FetchResult:
        """Fetch ``url``, following redirects; the result records the whole chain."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release connections and processes."""
