"""The proxy every request of a run goes through: ``[http] proxy``, else the environment.

Government offices reach the internet through proxies. ``HTTP_PROXY``, ``HTTPS_PROXY``,
``ALL_PROXY`` and ``NO_PROXY`` (and their lower-case forms) are honoured for every request — the
HTTP client, the crawl, the browser — and ``[http] proxy`` in config.toml overrides the proxy
variables (``NO_PROXY`` still sends its hosts direct).

``ProxySettings.resolve(configured)`` gives the effective settings; ``for_url(url)`` the proxy URL
for one request ('' = direct); ``server`` and ``bypass`` are what Chromium takes
(``--proxy-server``, ``--proxy-bypass-list`` / Playwright's ``proxy={"server", "bypass"}``);
``mounts()`` what httpx takes.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx


def _env(name: str) -> str:
    # urllib's rule: the lower-case form wins; both forms are read
    return (os.environ.get(name.lower()) or os.environ.get(name.upper()) or "").strip()


@dataclass(frozen=True)
class ProxySettings:
    """Where requests go: per scheme proxies and the hosts that go direct."""

    http: str = ""
    https: str = ""
    no_proxy: tuple[str, ...] = ()

    @classmethod
    def resolve(cls, configured: str = "") -> ProxySettings:
        """``configured`` (``[http] proxy``) for every scheme, else the environment's variables."""
        no_proxy = tuple(h.strip() for h in _env("no_proxy").split(",") if h.strip())
        if configured:
            return cls(http=configured, https=configured, no_proxy=no_proxy)
        proxies = urllib.request.getproxies_environment()  # the *_proxy variables, lower case winning
        every = proxies.get("all", "")
        return cls(http=proxies.get("http", every), https=proxies.get("https", every), no_proxy=no_proxy)

    def for_url(self, url: str) -> str:
        """The proxy URL for ``url`` ('' when it goes direct)."""
        parts = urlsplit(url)
        proxy = self.https if parts.scheme == "https" else self.http
        if not proxy or self.bypassed(parts.hostname or ""):
            return ""
        return proxy

    def bypassed(self, host: str) -> bool:
        """True when ``host`` is in ``no_proxy`` (``*``, an exact name or address, or a domain suffix)."""
        if "*" in self.no_proxy:
            return True
        host = host.strip("[]").rstrip(".").lower()
        for entry in map(_entry_host, self.no_proxy):
            if entry and (host == entry or host.endswith("." + entry) or ("/" in entry and _in_network(host, entry))):
                return True
        return False

    def mounts(self, verify: bool = True) -> dict[str, httpx.AsyncBaseTransport | None]:
        """httpx ``mounts``: each scheme through its proxy, ``no_proxy`` hosts direct (None: the
        client's own transport)."""
        if "*" in self.no_proxy:
            return {}
        mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
        for scheme, proxy in (("http", self.http), ("https", self.https)):
            if proxy:
                mounts[f"{scheme}://"] = httpx.AsyncHTTPTransport(proxy=proxy, verify=verify)
        if not mounts:
            return {}
        for host in map(_entry_host, self.no_proxy):
            if not host or "/" in host:
                continue
            try:
                address = ipaddress.ip_address(host)
                mounts[f"all://[{host}]" if address.version == 6 else f"all://{host}"] = None
            except ValueError:
                mounts[f"all://{host}"] = None
                mounts[f"all://*.{host}"] = None
        return mounts

    @property
    def server(self) -> str:
        """The proxy Chromium uses ('' for none)."""
        return self.https or self.http

    @property
    def bypass(self) -> str:
        """Chromium's bypass list (comma-separated), from ``no_proxy``."""
        return ",".join(self.no_proxy)


def _entry_host(entry: str) -> str:
    """A ``no_proxy`` entry's host part: no scheme, port, brackets or leading ``*.``/``.``."""
    entry = entry.strip().lower()
    if "://" in entry:
        entry = urlsplit(entry).hostname or ""
    if entry.count(":") == 1:  # host:port (an IPv6 address has several colons)
        entry = entry.rsplit(":", 1)[0]
    return entry.strip("[]").lstrip("*").lstrip(".")


def _in_network(host: str, network: str) -> bool:
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network(network, strict=False)
    except ValueError:
        return False
