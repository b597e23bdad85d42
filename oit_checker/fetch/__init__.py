"""Fetchers: turn a URL into a ``FetchResult`` (HTTP, and the browser for pages that need one)."""

from .browser import BrowserFetcher, BrowserOptions
from .http import HttpFetcher
from .interface import Fetcher

__all__ = ["BrowserFetcher", "BrowserOptions", "Fetcher", "HttpFetcher"]
