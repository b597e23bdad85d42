"""Fetchers: turn a URL into a ``FetchResult`` (HTTP now; a browser fetcher shares the interface)."""

from .http import HttpFetcher
from .interface import Fetcher

__all__ = ["Fetcher", "HttpFetcher"]
