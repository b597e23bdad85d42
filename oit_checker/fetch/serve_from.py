"""``[agency] serve_from``: audit a copy (staging, a local server) as if it were the real site.

Real sites link to themselves by their production name (``https://college.vercel.app/ITA``). With
``serve_from = {"https://college.vercel.app" = "http://127.0.0.1:3000"}`` every request for the
production origin goes to the actual one, while URLs kept in results (the URL, its final URL, the
redirect chain) stay in production form, so the crawl, the checks and the reports see the real
site's names. The production name itself is never looked up: the address rule judges the address
actually contacted.

``OriginMap`` does the mapping; ``HttpFetcher`` and ``BrowserFetcher`` apply it on every hop, and
``ServeFromFetcher`` wraps any other fetcher (one hop: it cannot see the redirects inside).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from ..models import FetchResult, Redirect
from .interface import BodyCap, Fetcher

_DEFAULT_PORTS = {"http": 80, "https": 443}
_URL_HEADERS = ("location", "content-location")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` lower-cased, default port dropped ('' for a URL without a host)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if not host or scheme not in _DEFAULT_PORTS:
        return ""
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + (f":{port}" if port is not None and port != _DEFAULT_PORTS[scheme] else "")


@dataclasses.dataclass(frozen=True)
class OriginMap:
    """Production origin <-> actual origin (both ``origin_of`` form)."""

    to_actual: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_config(cls, serve_from: Mapping[str, str]) -> OriginMap:
        """From ``[agency] serve_from`` (production -> actual, already validated as origins)."""
        return cls(tuple((origin_of(p), origin_of(a)) for p, a in serve_from.items() if origin_of(p) and origin_of(a)))

    def __bool__(self) -> bool:
        return bool(self.to_actual)

    def actual(self, url: str) -> str:
        """Where ``url`` is really fetched (unchanged when its origin is not mapped)."""
        return _swap(url, dict(self.to_actual))

    def production(self, url: str) -> str:
        """The production form of a URL on an actual origin (unchanged otherwise)."""
        return _swap(url, {a: p for p, a in reversed(self.to_actual)})

    def is_actual(self, url: str) -> bool:
        """``url`` is on an actual origin (one that has a production name)."""
        return origin_of(url) in {a for _, a in self.to_actual}

    def hidden_hosts(self) -> tuple[str, ...]:
        """Production host names that are never contacted as such (no actual origin uses them)."""
        used = {urlsplit(a).hostname for _, a in self.to_actual}
        return tuple(dict.fromkeys(h for p, _ in self.to_actual if (h := urlsplit(p).hostname) and h not in used))

    def text(self, value: str) -> str:
        """A message with actual origins written in production form (error details)."""
        for production, actual in self.to_actual:
            value = value.replace(actual, production)
        return value

    def result(self, fetched: FetchResult, url: str | None = None) -> FetchResult:
        """``fetched`` with every URL it holds in production form (``url``: the URL asked for)."""
        headers = {k: (self.production(v) if k in _URL_HEADERS else v) for k, v in fetched.headers.items()}
        return dataclasses.replace(
            fetched, url=url if url is not None else self.production(fetched.url),
            final_url=self.production(fetched.final_url), headers=headers,
            redirects=tuple(Redirect(self.production(r.url), r.status) for r in fetched.redirects),
            error_detail=self.text(fetched.error_detail))


def _swap(url: str, origins: Mapping[str, str]) -> str:
    origin = origin_of(url)
    target = origins.get(origin) if origin else None
    if target is None:
        return url
    parts = urlsplit(url.strip())
    new = urlsplit(target)
    return urlunsplit((new.scheme, new.netloc, parts.path, parts.query, parts.fragment))


class ServeFromFetcher(Fetcher):
    """Any fetcher, asked for the actual URL and answering in production form. Redirects the
    inner fetcher follows by itself are not mapped hop by hop (``HttpFetcher`` does that)."""

    def __init__(self, inner: Fetcher, origins: OriginMap) -> None:
        self.inner = inner
        self.origins = origins

    async def fetch(self, url: str) -> FetchResult:
        """See ``Fetcher.fetch``."""
        return self.origins.result(await self.inner.fetch(self.origins.actual(url)), url)

    async def fetch_capped(self, url: str, body_cap: BodyCap) -> FetchResult:
        """See ``Fetcher.fetch_capped``."""
        return self.origins.result(await self.inner.fetch_capped(self.origins.actual(url), body_cap), url)

    async def aclose(self) -> None:
        """See ``Fetcher.aclose``."""
        await self.inner.aclose()
