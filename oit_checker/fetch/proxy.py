"""The proxy every request of a run goes through: ``[http] proxy``, else the environment.

Government offices reach the internet through proxies. ``HTTP_PROXY``, ``HTTPS_PROXY``,
``ALL_PROXY`` and ``NO_PROXY`` (and their lower-case forms) are honoured for every request — the
HTTP client, the crawl, the browser — and ``[http] proxy`` in config.toml overrides them.

Interface (issue 12; filled in by the fetch work): ``ProxySettings.resolve(configured)`` gives the
effective settings; ``for_url(url)`` the proxy URL for one request ('' = direct); ``server`` and
``bypass`` are what Chromium takes (``--proxy-server``, ``--proxy-bypass-list`` / Playwright's
``proxy={"server", "bypass"}``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProxySettings:
    """Where requests go: per scheme proxies and the hosts that go direct."""

    http: str = ""
    https: str = ""
    no_proxy: tuple[str, ...] = ()

    @classmethod
    def resolve(cls, configured: str = "") -> ProxySettings:
        """``configured`` (``[http] proxy``) for every scheme, else the environment's variables."""
        raise NotImplementedError  # TODO(issue 12)

    def for_url(self, url: str) -> str:
        """The proxy URL for ``url`` ('' when it goes direct)."""
        raise NotImplementedError  # TODO(issue 12)

    @property
    def server(self) -> str:
        """The proxy Chromium uses ('' for none)."""
        return self.https or self.http

    @property
    def bypass(self) -> str:
        """Chromium's bypass list (comma-separated), from ``no_proxy``."""
        return ",".join(self.no_proxy)
