"""Finding and launching Chromium for the browser fetcher.

- **Which browser**: ``[browser] executable_path`` when set; else Playwright's own Chromium when
  ``playwright install`` put it there; else a system Chromium (``/usr/bin/chromium``,
  ``chromium-browser``, ``chromium`` on ``PATH``). None of them: ``NoBrowser("no_browser")``.
- **Proxy**: Chromium is launched with the run's proxy (``BrowserOptions.proxy``, the same
  ``ProxySettings`` as the HTTP client: ``[http] proxy``, else ``HTTP(S)_PROXY``/``NO_PROXY``).
  Loopback follows the HTTP client too: proxied unless ``NO_PROXY`` names a loopback host
  (Playwright adds Chromium's ``<-loopback>`` rule in that case, keeps the default bypass otherwise).
- **serve_from**: Chromium's resolver is told the production names do not exist, so they are
  never looked up (the guard sends their requests to the actual origins).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..models import NO_BROWSER, FetchError
from ..reasons import Reason
from .browser_guard import AddressGuard
from .proxy import ProxySettings
from .serve_from import OriginMap

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright
    from playwright.async_api import ProxySettings as PlaywrightProxy

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
"""Flags for headless Chromium as root in a container (see the feasibility notes)."""
SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "chromium-browser", "chromium")
"""System Chromium executables tried, in order, after Playwright's own."""


class Generation:
    """One launched browser and the pages it has served (recycled or replaced after a crash)."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.used = 0
        self.in_flight = 0
        self.retired = False
        self.crashed = False


class NoBrowser(Exception):
    """No browser can be started: ``code`` is ``no_browser``, ``browser_failed`` or ``browser_crashed``."""

    def __init__(self, code: FetchError, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def find_browser(configured: str = "", playwright_own: str | None = None) -> tuple[str | None, str, str]:
    """Which Chromium to launch: ``(path, source, problem)``.

    ``path`` None with source ``playwright`` means Playwright's own (launch without a path); with
    ``problem`` set, nothing usable was found. ``playwright_own`` is Playwright's expected path.
    """
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured, "configured", ""
        return None, "configured", f"executable_path {configured} is not an executable file"
    if playwright_own and Path(playwright_own).is_file():
        return None, "playwright", ""
    for candidate in SYSTEM_CHROMIUMS:
        found = candidate if "/" in candidate else shutil.which(candidate)
        if found and Path(found).is_file() and os.access(found, os.X_OK):
            return found, "system", ""
    return None, "", "no Chromium found (Playwright's own, /usr/bin/chromium, chromium-browser)"


class Launcher:
    """Playwright, started once per run, and the Chromium it launches (again after a crash)."""

    def __init__(self, executable_path: str, args: tuple[str, ...], proxy: ProxySettings | None,
                 origins: OriginMap) -> None:
        self._configured = executable_path
        self._args = args
        self._proxy = proxy
        self._origins = origins
        self._playwright: Playwright | None = None
        self.path: str | None = None
        """The executable launched (None: Playwright's own)."""
        self.source = ""

    async def launch(self, guard: AddressGuard) -> Browser:
        """A new headless Chromium with ``guard`` attached when it is needed; raises ``NoBrowser``
        when none is found or it cannot start."""
        from playwright.async_api import async_playwright

        if self._playwright is None:
            self._playwright = await async_playwright().start()
            own = None
            try:
                own = self._playwright.chromium.executable_path
            except Exception:  # noqa: BLE001, S110 - no registry entry: not installed
                pass
            self.path, self.source, problem = find_browser(self._configured, own)
            if problem:
                raise NoBrowser(NO_BROWSER, problem)
        try:
            browser = await self._playwright.chromium.launch(
                executable_path=self.path, headless=True, args=[*self._args, *resolver_rules(self._origins)],
                timeout=60_000,
                proxy=playwright_proxy(self._proxy))
        except Exception as exc:  # noqa: BLE001 - a browser that cannot start is a finding, not a crash
            detail = f"{type(exc).__name__}: {exc}".split("\n")[0][:300]
            raise NoBrowser(Reason.BROWSER_FAILED, detail) from exc
        if guard.needed:
            try:
                await guard.attach(browser)
            except Exception as exc:  # no guard, no pages: a page must never go out unchecked
                await quietly(browser.close(), 10)
                detail = f"address guard: {type(exc).__name__}: {exc}".split("\n")[0][:300]
                raise NoBrowser(Reason.BROWSER_FAILED, detail) from exc
        return browser

    async def stop(self) -> None:
        """Stop Playwright (which ends the browsers it launched)."""
        if self._playwright is not None:
            await quietly(self._playwright.stop(), 10)
            self._playwright = None


async def process_id(browser: Browser) -> int | None:
    """The operating-system process id of ``browser`` (None when it is not running)."""
    if not browser.is_connected():
        return None
    session = await browser.new_browser_cdp_session()
    try:
        info = await session.send("SystemInfo.getProcessInfo")
    finally:
        await quietly(session.detach(), 5)
    for process in info.get("processInfo", []):
        if process.get("type") == "browser":
            return int(process["id"])
    return None


def resolver_rules(origins: OriginMap) -> list[str]:
    """Chromium flag making the production names of ``serve_from`` unresolvable: whatever
    Chromium would look up by itself (a preconnect, a WebSocket) fails without a DNS query."""
    hosts = origins.hidden_hosts()
    return [f"--host-resolver-rules={', '.join(f'MAP {h} ~NOTFOUND' for h in hosts)}"] if hosts else []


def bypass_rules(no_proxy: tuple[str, ...]) -> str:
    """Chromium's bypass list for ``NO_PROXY``: a domain entry (``go.th``, ``.go.th``,
    ``*.go.th``) means the domain and its subdomains, as for the HTTP client; addresses, networks
    and ``*`` are taken as they are."""
    rules: list[str] = []
    for entry in (e.strip() for e in no_proxy):
        domain = entry.lstrip("*").lstrip(".")
        if not domain or entry == "*" or "/" in entry or ":" in entry or domain.replace(".", "").isdigit():
            rules.append(entry or "")
        else:
            rules += [domain, f"*.{domain}"]
    return ",".join(dict.fromkeys(r for r in rules if r))


def playwright_proxy(settings: ProxySettings | None) -> PlaywrightProxy | None:
    """Playwright's ``launch(proxy=…)`` from the run's settings; credentials in the proxy URL are
    passed apart (Chromium's ``--proxy-server`` takes none)."""
    if settings is None or not settings.server:
        return None
    parts = urlsplit(settings.server if "://" in settings.server else f"http://{settings.server}")
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    proxy: PlaywrightProxy = {"server": f"{parts.scheme}://{shown}" + (f":{parts.port}" if parts.port else "")}
    bypass = bypass_rules(settings.no_proxy)
    if bypass:
        proxy["bypass"] = bypass
    if parts.username:
        proxy["username"] = unquote(parts.username)
        proxy["password"] = unquote(parts.password or "")
    return proxy


async def quietly(awaitable: Any, seconds: float) -> None:
    """Await a clean-up step, ignoring its failure and giving up after ``seconds``."""
    try:
        async with asyncio.timeout(seconds):
            await awaitable
    except Exception:  # noqa: BLE001, S110 - closing something already gone
        pass
