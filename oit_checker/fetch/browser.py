"""The browser fetcher: pages as an assessor sees them, rendered by Chromium through Playwright.

Same interface as the HTTP fetcher (``fetch(url) -> FetchResult``, never raises), plus ``render``
for what only a browser gives: the DOM after scripts ran, its visible text, a screenshot.

- **Which browser**: ``[browser] executable_path`` when set; else Playwright's own Chromium when
  ``playwright install`` put it there; else a system Chromium (``/usr/bin/chromium``,
  ``chromium-browser``, ``chromium`` on ``PATH``). None of them: every render ends with
  ``error="no_browser"`` and the audit says ``needs_browser`` (unverified), never ``fail``.
- **One browser per run**, started on first use; a new context (no cookies, no cache shared) per
  page; at most ``max_pages`` pages at once.
- **Timeouts**: navigation (``goto``) and the whole page (load, settle, read, screenshot).
- **Recycling**: after ``recycle_after`` pages the browser is replaced once its pages are done.
- **Crash recovery**: a browser that dies takes its open pages with it (``browser_crashed``); the
  next page starts a new browser, up to ``max_restarts`` times per run.
- **Proxy**: Chromium is launched with the run's proxy (``BrowserOptions.proxy``, the same
  ``ProxySettings`` as the HTTP client: ``[http] proxy``, else ``HTTP(S)_PROXY``/``NO_PROXY``).
  Loopback follows the HTTP client too: proxied unless ``NO_PROXY`` names a loopback host
  (Playwright adds Chromium's ``<-loopback>`` rule in that case, keeps the default bypass otherwise).
- **Addresses**: with an ``AddressPolicy``, every request Chromium makes — the navigation, each
  redirect hop, subresources, script navigations, iframes (out-of-process too), workers — is paused
  by a browser-wide DevTools ``Fetch`` interception and refused before it is sent when the policy
  says so. Playwright's ``route`` is not enough: it never sees redirect hops (it continues them
  itself). Refused URLs are listed on ``Rendered.blocked``; a refused page URL (itself or after a
  redirect) ends the render with ``error="blocked_address"``; a refused script navigation leaves
  the page as it was (``Aborted``, so no error page replaces it). WebSockets, which that
  interception does not see, go through Playwright's ``route_web_socket`` and the same policy.
- **serve_from** (``BrowserOptions.serve_from``, ``fetch/serve_from.py``): the same interception
  sends each request for a production origin to its actual origin (``Fetch.continueRequest`` with
  a new URL, which the page does not see, a scheme change included), so the page keeps its
  production URL, links and ``location``; a redirect or navigation that lands on an actual origin
  is answered with a redirect to its production form. The address rule judges the actual address,
  and Chromium's resolver is told the production names do not exist, so they are never looked up.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import os
import re
import shutil
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..models import FetchResult, Redirect
from .addresses import AddressPolicy
from .interface import Fetcher
from .proxy import ProxySettings
from .serve_from import OriginMap

if TYPE_CHECKING:
    from playwright.async_api import Browser, CDPSession, Page, Playwright, Request, Response, WebSocketRoute
    from playwright.async_api import ProxySettings as PlaywrightProxy

MAX_RESTARTS = 3
VIEWPORT = (1280, 900)
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
"""Flags for headless Chromium as root in a container (see the feasibility notes)."""
SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "chromium-browser", "chromium")
"""System Chromium executables tried, in order, after Playwright's own."""
BROWSER_PROBLEMS = frozenset({"no_browser", "browser_crashed", "browser_failed"})
"""``FetchResult.error`` codes that mean the browser, not the website, failed."""
RENDERED_BY = "chromium"
BLOCKED = "blocked_address"
"""``FetchResult.error`` of a page whose URL, or a redirect on its way, the address policy refused."""
_GUARDED_SCHEMES = ("http", "https", "ws", "wss")
"""Requests the address policy judges (``data:``, ``blob:`` and the like never leave the browser)."""
_REFUSED_MEMORY = 4096
_REFUSED_ERRORS = ("ERR_ABORTED", "ERR_BLOCKED_BY_CLIENT")
_EVERY_URL = re.compile(".*")
_CLOSED = ("has been closed", "Target crashed", "Browser closed", "Connection closed", "browser has disconnected")
_NET_ERRORS = {
    "ERR_NAME_NOT_RESOLVED": "dns_error", "ERR_NAME_RESOLUTION_FAILED": "dns_error",
    "ERR_CONNECTION_REFUSED": "connect_error", "ERR_CONNECTION_RESET": "connect_error",
    "ERR_CONNECTION_CLOSED": "connect_error", "ERR_EMPTY_RESPONSE": "connect_error",
    "ERR_ADDRESS_UNREACHABLE": "connect_error", "ERR_CONNECTION_FAILED": "connect_error",
    "ERR_INTERNET_DISCONNECTED": "connect_error", "ERR_TIMED_OUT": "timeout",
    "ERR_CONNECTION_TIMED_OUT": "timeout", "ERR_TOO_MANY_REDIRECTS": "too_many_redirects",
    "ERR_SSL_PROTOCOL_ERROR": "tls_handshake_failed", "ERR_SSL_VERSION_OR_CIPHER_MISMATCH": "tls_handshake_failed",
}


@dataclass(frozen=True)
class BrowserOptions:
    """Browser settings (the ``[browser]`` table of the config). No defaults for what the config
    sets: ``oit_checker.options.browser_options`` builds them (tests: ``options.defaults().browser``)."""

    executable_path: str
    """A Chromium to use instead of looking for one ('' = look)."""
    max_pages: int
    navigation_timeout: float
    page_timeout: float
    """Cap on one page: navigation, settling, reading and the screenshot."""
    idle_wait: float
    """After ``load``, at most this long waiting for the network to go quiet (scripts fetching content)."""
    recycle_after: int
    screenshot_max_height: int
    """A full-page screenshot is cut at this height (pixels; ``[evidence] screenshot_max_height``)."""
    max_restarts: int = MAX_RESTARTS
    """New browsers started after crashes in one run before giving up (``browser_crashed``)."""
    viewport: tuple[int, int] = VIEWPORT
    thumbnail: tuple[int, int, int] = (480, 720, 70)
    """The small JPEG of the top of the page that reports embed: width, most height (pixels), quality."""
    user_agent_suffix: str = ""
    """Appended to Chromium's own User-Agent (e.g. ``oit-checker/0.1.0``), so sites can tell."""
    args: tuple[str, ...] = CHROMIUM_ARGS
    proxy: ProxySettings | None = None
    """The run's proxy (None or no ``server``: direct)."""
    serve_from: OriginMap = field(default_factory=OriginMap)
    """Production origins served elsewhere (``[agency] serve_from``)."""


def _shipped_options() -> BrowserOptions:
    """The config's defaults, for a fetcher made without options (tests, the browser probe): no proxy."""
    from ..options import defaults  # not at import: this layer does not load the config (pydantic)

    return replace(defaults().browser, proxy=None)


@dataclass(frozen=True)
class Rendered:
    """One page as the browser showed it."""

    fetch: FetchResult
    """``body`` is the DOM after scripts ran (UTF-8); ``rendered_by`` is ``chromium``."""
    response_headers: dict[str, str] = field(default_factory=dict)
    """The main document's response headers as the browser received them."""
    text: str = ""
    """``document.body.innerText``: what a person sees."""
    title: str = ""
    screenshot: Path | None = None
    screenshot_error: str = ""
    thumbnail: Path | None = None
    """The small JPEG of the top of the page, when one was asked for and made."""
    blocked: tuple[str, ...] = ()
    """URLs the page asked for that the address policy refused (never sent)."""


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


class _Generation:
    """One launched browser and the pages it has served."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.used = 0
        self.in_flight = 0
        self.retired = False
        self.crashed = False


class BrowserFetcher(Fetcher):
    """See the module docstring. Use as ``async with BrowserFetcher(options, policy) as b``.

    ``policy`` None checks no address (a caller that trusts every page, e.g. the report preview).
    """

    def __init__(self, options: BrowserOptions | None = None, policy: AddressPolicy | None = None) -> None:
        self.options = options if options is not None else _shipped_options()
        self.policy = policy
        self._origins = self.options.serve_from
        self._verdicts: dict[str, asyncio.Task[str]] = {}
        """The policy's answer per ``scheme://host`` (one lookup per host per run)."""
        self._refused: OrderedDict[str, str] = OrderedDict()
        """URL of a request that failed because of a refusal -> the refused URL (itself, or the
        redirect target it was sent to): how a page learns what its refused requests were."""
        self._last_hop: OrderedDict[str, str] = OrderedDict()
        """DevTools network id -> the URL of its latest hop (to name a refused redirect's source)."""
        self._guarding: set[asyncio.Task[None]] = set()
        self.refusals = 0
        """Requests refused by the address policy in this run."""
        self._pages = asyncio.Semaphore(self.options.max_pages)
        self._lock = asyncio.Lock()
        self._playwright: Playwright | None = None
        self._current: _Generation | None = None
        self._path: str | None = None
        self._source = ""
        self.problem: str | None = None
        """Why no browser can be used (``no_browser``), once known."""
        self.problem_detail = ""
        self.description = ""
        """E.g. ``Chromium 156.0.8078.108 (/usr/bin/chromium)``, once a browser started."""
        self.launches = 0
        self.restarts = 0
        self.crashes = 0
        self.renders = 0
        self.render_seconds = 0.0
        """Time spent in successful page renders (for the per-page cost)."""
        self.active = 0
        """Pages being rendered right now."""
        self._closed = False

    async def __aenter__(self) -> BrowserFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def start(self) -> bool:
        """Start Playwright and a browser now (normally done on first use); False when none can run."""
        try:
            async with self._lock:
                await self._generation_locked()
            return True
        except _NoBrowser:
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. the Playwright driver cannot start
            self.problem, self.problem_detail = "browser_failed", f"{type(exc).__name__}: {exc}"[:300]
            return False

    async def aclose(self) -> None:
        """See ``Fetcher.aclose``: closes the browser and stops Playwright."""
        self._closed = True
        async with self._lock:
            current, self._current = self._current, None
            if current is not None:
                await _quietly(current.browser.close(), 10)
            if self._playwright is not None:
                await _quietly(self._playwright.stop(), 10)
                self._playwright = None
        for task in list(self._guarding):  # requests of a browser that is gone
            task.cancel()

    async def fetch(self, url: str) -> FetchResult:
        """See ``Fetcher.fetch``: the rendered DOM as the body."""
        return (await self.render(url)).fetch

    async def browser_pid(self) -> int | None:
        """The operating-system process id of the running browser (None when none runs)."""
        current = self._current
        if current is None or not current.browser.is_connected():
            return None
        session = await current.browser.new_browser_cdp_session()
        try:
            info = await session.send("SystemInfo.getProcessInfo")
        finally:
            await _quietly(session.detach(), 5)
        for process in info.get("processInfo", []):
            if process.get("type") == "browser":
                return int(process["id"])
        return None

    async def render(self, url: str, *, screenshot: Path | None = None, thumbnail: Path | None = None,
                     settle: bool = True, read: bool = True) -> Rendered:
        """Open ``url`` in a fresh context; never raises.

        ``screenshot``: where to write a full-page PNG (height capped); ``thumbnail``: where to
        write a small JPEG of the top of the page besides (``BrowserOptions.thumbnail``). ``settle``: wait for the
        network to go quiet after ``load`` (for pages that fetch their content with scripts).
        ``read`` False skips reading the DOM and text (a screenshot is all that is wanted).
        """
        started = time.monotonic()
        why = await self._refusal(self._origins.actual(url))
        if why:
            self.refusals += 1
            return _failed(url, BLOCKED, why, started, (url,))
        async with self._pages:
            try:
                async with self._lock:
                    generation = await self._generation_locked()
                    generation.used += 1
                    generation.in_flight += 1
            except _NoBrowser as exc:
                return _failed(url, exc.code, exc.detail, started)
            except Exception as exc:  # noqa: BLE001 - e.g. the Playwright driver cannot start
                self.problem, self.problem_detail = "browser_failed", f"{type(exc).__name__}: {exc}"[:300]
                return _failed(url, "browser_failed", self.problem_detail, started)
            self.active += 1
            try:
                async with asyncio.timeout(self.options.page_timeout):
                    rendered = await self._render_page(generation, url, (screenshot, thumbnail), settle, read,
                                                       started)
                self.renders += 1
                self.render_seconds += time.monotonic() - started
                return rendered
            except TimeoutError:
                if not generation.browser.is_connected():
                    return self._crashed(generation, url, "the browser exited", started)
                return _failed(url, "browser_failed", f"page not done after {self.options.page_timeout:g} s", started)
            except Exception as exc:  # noqa: BLE001 - Playwright errors of every kind end as a result
                message = f"{type(exc).__name__}: {exc}".split("\n")[0][:300]
                if not generation.browser.is_connected() or any(mark in message for mark in _CLOSED):
                    return self._crashed(generation, url, message, started)
                return _failed(url, _net_error(message) or "browser_failed", message, started)
            finally:
                self.active -= 1
                generation.in_flight -= 1
                if generation.retired and generation.in_flight == 0:
                    await _quietly(generation.browser.close(), 10)

    def _crashed(self, generation: _Generation, url: str, detail: str, started: float) -> Rendered:
        if not generation.crashed:
            generation.crashed = True
            self.crashes += 1
        return _failed(url, "browser_crashed", detail, started)

    async def _generation_locked(self) -> _Generation:
        """The browser to use now (call with ``_lock`` held): launched, relaunched or recycled."""
        if self._closed:
            raise _NoBrowser("browser_failed", "the browser fetcher is closed")
        if self.problem:
            raise _NoBrowser(self.problem, self.problem_detail)
        current = self._current
        if current is not None and current.browser.is_connected() and not current.crashed:
            if current.used < self.options.recycle_after:
                return current
            current.retired = True  # closed by its last page
            if current.in_flight == 0:
                await _quietly(current.browser.close(), 10)
        elif current is not None:  # it died (while idle, or its pages already reported it)
            if not current.crashed:
                current.crashed = True
                self.crashes += 1
            if self.restarts >= self.options.max_restarts:
                raise _NoBrowser("browser_crashed", f"the browser crashed {self.crashes} times; not restarted again")
            self.restarts += 1
        self._current = _Generation(await self._launch())
        return self._current

    async def _launch(self) -> Browser:
        from playwright.async_api import async_playwright

        if self._playwright is None:
            self._playwright = await async_playwright().start()
            own = None
            try:
                own = self._playwright.chromium.executable_path
            except Exception:  # noqa: BLE001, S110 - no registry entry: not installed
                pass
            self._path, self._source, problem = find_browser(self.options.executable_path, own)
            if problem:
                self.problem, self.problem_detail = "no_browser", problem
                raise _NoBrowser(self.problem, problem)
        try:
            browser = await self._playwright.chromium.launch(
                executable_path=self._path, headless=True, args=[*self.options.args, *self._resolver_rules()],
                timeout=60_000,
                proxy=_playwright_proxy(self.options.proxy))
        except Exception as exc:  # noqa: BLE001 - a browser that cannot start is a finding, not a crash
            detail = f"{type(exc).__name__}: {exc}".split("\n")[0][:300]
            self.problem, self.problem_detail = "browser_failed", detail
            raise _NoBrowser(self.problem, detail) from exc
        self.launches += 1
        shown = self._path or "Playwright's own"
        self.description = f"Chromium {browser.version} ({shown})"
        if self.policy is not None or self._origins:
            try:
                await self._guard(browser)
            except Exception as exc:  # no guard, no pages: a page must never go out unchecked
                await _quietly(browser.close(), 10)
                detail = f"address guard: {type(exc).__name__}: {exc}".split("\n")[0][:300]
                self.problem, self.problem_detail = "browser_failed", detail
                raise _NoBrowser(self.problem, detail) from exc
        return browser

    async def _guard(self, browser: Browser) -> None:
        """Pause every request of the whole browser (all contexts, frames, workers, redirect hops)
        at the DevTools ``Fetch`` domain and let it go only when the address policy allows it."""
        session = await browser.new_browser_cdp_session()

        def paused(event: dict[str, Any]) -> None:
            task = asyncio.get_running_loop().create_task(self._judge_paused(session, event))
            self._guarding.add(task)
            task.add_done_callback(self._guarding.discard)

        session.on("Fetch.requestPaused", paused)
        await session.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})

    async def _judge_paused(self, session: CDPSession, event: dict[str, Any]) -> None:
        url = str(event["request"]["url"])
        network_id = str(event.get("networkId") or "")
        sent = self._origins.actual(url)
        why = await self._refusal(sent)
        try:
            if not why:
                if network_id:
                    _remember(self._last_hop, network_id, url)
                if self._origins.is_actual(url) and (event.get("redirectedRequestId")
                                                     or event.get("resourceType") == "Document"):
                    # landed on the copy's own address: back to the production name
                    await session.send("Fetch.fulfillRequest", {
                        "requestId": event["requestId"], "responseCode": 302,
                        "responseHeaders": [{"name": "Location", "value": self._origins.production(url)}]})
                    return
                changed = {"url": sent} if sent != url else {}
                await session.send("Fetch.continueRequest", {"requestId": event["requestId"], **changed})
                return
            self.refusals += 1
            _remember(self._refused, url, url)
            if event.get("redirectedRequestId") and network_id in self._last_hop:
                _remember(self._refused, self._last_hop[network_id], url)  # the hop that redirected
            # A document refused with "Aborted" leaves the frame as it was (no error page over it).
            reason = "Aborted" if event.get("resourceType") == "Document" else "BlockedByClient"
            await session.send("Fetch.failRequest", {"requestId": event["requestId"], "errorReason": reason})
        except Exception:  # noqa: BLE001, S110 - the page or the browser is gone: nothing is sent
            pass

    def _resolver_rules(self) -> list[str]:
        """Chromium flag making the production names of ``serve_from`` unresolvable: whatever
        Chromium would look up by itself (a preconnect, a WebSocket) fails without a DNS query."""
        hosts = self._origins.hidden_hosts()
        return [f"--host-resolver-rules={', '.join(f'MAP {h} ~NOTFOUND' for h in hosts)}"] if hosts else []

    async def _refusal(self, url: str) -> str:
        """The policy's refusal of ``url`` (the address actually contacted; '' = may be
        requested), one lookup per host."""
        if self.policy is None:
            return ""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _GUARDED_SCHEMES:
            return ""
        key = f"{scheme}://{(parts.hostname or '').lower()}"
        checked = self._verdicts.get(key)
        if checked is None:
            plain = url if scheme in ("http", "https") else ("https" if scheme == "wss" else "http") + url[len(scheme):]
            checked = self._verdicts[key] = asyncio.get_running_loop().create_task(self.policy.refusal(plain))
        try:
            return await asyncio.shield(checked)
        except Exception as exc:  # noqa: BLE001 - an address that cannot be checked is not requested
            return f"the address could not be checked: {type(exc).__name__}"

    async def _render_page(self, generation: _Generation, url: str, shots: tuple[Path | None, Path | None],
                           settle: bool, read: bool, started: float) -> Rendered:
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        width, height = self.options.viewport
        context = await generation.browser.new_context(
            viewport={"width": width, "height": height}, locale="th-TH", timezone_id="Asia/Bangkok",
            ignore_https_errors=True, user_agent=await self._user_agent(generation.browser),
            accept_downloads=False)
        blocked: dict[str, None] = {}
        page_left = asyncio.Event()
        """A navigation of the page's own frame was refused: its ``load`` will never come."""

        def failed(request: Request) -> None:
            refused = self._refused.get(request.url)
            if refused is None or not any(mark in (request.failure or "") for mark in _REFUSED_ERRORS):
                return
            blocked[refused] = None
            try:
                if request.is_navigation_request() and request.frame == page.main_frame:
                    page_left.set()
            except Exception:  # noqa: BLE001, S110 - a worker's request has no frame
                pass

        context.on("requestfailed", failed)

        async def websocket(route: WebSocketRoute) -> None:
            why = await self._refusal(self._origins.actual(route.url))
            if not why:
                route.connect_to_server()
                return
            self.refusals += 1
            blocked[route.url] = None
            await route.close(code=1008, reason="refused address")

        try:
            if self.policy is not None:  # WebSockets are not paused by the Fetch interception
                await context.route_web_socket(_EVERY_URL, websocket)
            page = await context.new_page()
            page.set_default_timeout(self.options.navigation_timeout * 1000)
            try:
                response = await page.goto(url, wait_until="commit", timeout=self.options.navigation_timeout * 1000)
            except Exception as exc:
                refused = self._refused.get(url) or next(iter(blocked), "")
                if refused and any(mark in str(exc) for mark in _REFUSED_ERRORS):
                    return _failed(url, BLOCKED, f"{refused}: refused by the address rule", started,
                                   tuple(blocked) or (refused,))
                raise
            if not await _loaded(page, page_left, self.options.navigation_timeout - (time.monotonic() - started)):
                return _failed(url, "timeout", f"no load event after {self.options.navigation_timeout:g} s",
                               started, tuple(blocked))
            if settle and self.options.idle_wait > 0:
                try:
                    await page.wait_for_load_state("networkidle", timeout=self.options.idle_wait * 1000)
                except PlaywrightTimeout:
                    pass  # a page that keeps polling: take it as it is now
            html, text, title = await _read(page) if read else ("", "", "")
            shot, shot_error, thumb = None, "", None
            screenshot, thumbnail = shots
            if screenshot is not None:
                shot, shot_error = await self._screenshot(page, screenshot)
            if thumbnail is not None and shot is not None:
                thumb = await self._thumbnail(page, thumbnail)
            headers = await response.all_headers() if response is not None else {}
            chain = await _redirect_chain(response) if response is not None else ()
            final = page.url
        finally:
            await _quietly(context.close(), 10)
        fetched = FetchResult(
            url=url, final_url=final, status=response.status if response is not None else 200,
            headers={**headers, "content-type": "text/html; charset=utf-8"}, body=html.encode("utf-8"),
            redirects=chain, elapsed=round(time.monotonic() - started, 3),
            fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), rendered_by=RENDERED_BY)
        if self._origins:
            fetched = self._origins.result(fetched, url)
            blocked = dict.fromkeys(self._origins.production(b) for b in blocked)
        return Rendered(fetched, dict(headers), str(text or ""), title, shot, shot_error, thumb, tuple(blocked))

    async def _screenshot(self, page: Page, target: Path) -> tuple[Path | None, str]:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            full = int(await page.evaluate(
                "() => Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"))
            cap = self.options.screenshot_max_height
            options: dict[str, Any] = {"path": str(target), "full_page": True, "animations": "disabled"}
            if full > cap:
                options["clip"] = {"x": 0, "y": 0, "width": self.options.viewport[0], "height": cap}
            await page.screenshot(**options)
            return target, ""
        except Exception as exc:  # noqa: BLE001 - a missing screenshot never changes a verdict
            return None, f"{type(exc).__name__}: {exc}".split("\n")[0][:200]

    async def _thumbnail(self, page: Page, target: Path) -> Path | None:
        """The top of the page scaled down to a JPEG by Chromium itself (DevTools
        ``Page.captureScreenshot`` with a clip scale): reports embed it, not the full PNG."""
        try:
            width, most_height, quality = self.options.thumbnail
            view = self.options.viewport[0]
            full = int(await page.evaluate(
                "() => Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"))
            scale = width / view
            clip = {"x": 0, "y": 0, "width": view, "height": max(1, min(full, int(most_height / scale))), "scale": scale}
            session = await page.context.new_cdp_session(page)
            try:
                shot = await session.send("Page.captureScreenshot", {
                    "format": "jpeg", "quality": quality, "clip": clip, "captureBeyondViewport": True})
            finally:
                await _quietly(session.detach(), 5)
            target.write_bytes(base64.b64decode(shot["data"]))
            return target
        except Exception:  # noqa: BLE001 - a missing thumbnail only means the report links the full PNG
            return None

    async def _user_agent(self, browser: Browser) -> str | None:
        if not self.options.user_agent_suffix:
            return None
        agent = f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{browser.version} Safari/537.36"
        return f"{agent} {self.options.user_agent_suffix}"


class _NoBrowser(Exception):
    """No browser can be started: ``code`` is ``no_browser``, ``browser_failed`` or ``browser_crashed``."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


async def _loaded(page: Page, page_left: asyncio.Event, seconds: float) -> bool:
    """Wait for the page's ``load`` (False when it does not come in ``seconds``). A refused
    navigation of the page (``location`` set by a script) stops its loading without a ``load``
    event: the page is then taken as it is."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    load = asyncio.ensure_future(page.wait_for_load_state("load", timeout=max(seconds, 0.1) * 1000))
    left = asyncio.ensure_future(page_left.wait())
    try:
        await asyncio.wait((load, left), return_when=asyncio.FIRST_COMPLETED)
    finally:
        left.cancel()
        if not load.done():
            load.cancel()
    if load.done() and not load.cancelled():
        try:
            load.result()
        except PlaywrightTimeout:
            return False
    return True


async def _read(page: Page) -> tuple[str, str, str]:
    """The DOM, the visible text and the title; a page still redirecting (meta refresh, script)
    is given time to land first."""
    attempts = 8
    for attempt in range(attempts):
        try:
            html = await page.content()
            text = await page.evaluate("() => document.body ? document.body.innerText : ''")
            return html, str(text or ""), await page.title()
        except Exception as exc:  # noqa: BLE001 - Playwright raises its own Error while navigating
            navigating = any(word in str(exc) for word in ("navigating", "Execution context was destroyed"))
            if attempt == attempts - 1 or not navigating:
                raise
            # The next document may not have started loading yet, so "load" can already hold for
            # the old one: give the navigation a moment before waiting for it.
            await asyncio.sleep(0.1 * (attempt + 1))
            await page.wait_for_load_state("load")
    raise AssertionError("unreachable")


async def _redirect_chain(response: Response) -> tuple[Redirect, ...]:
    hops: list[Redirect] = []
    request = response.request.redirected_from
    while request is not None:
        previous = await request.response()
        hops.append(Redirect(request.url, previous.status if previous is not None else 0))
        request = request.redirected_from
    return tuple(reversed(hops))


def _net_error(message: str) -> str | None:
    for code, reason in _NET_ERRORS.items():
        if code in message:
            return reason
    if "ERR_CERT" in message:
        return "tls_handshake_failed"
    if "Timeout" in message and "goto" in message.lower():
        return "timeout"
    return None


def _failed(url: str, error: str, detail: str, started: float, blocked: tuple[str, ...] = ()) -> Rendered:
    return Rendered(FetchResult(url=url, final_url=url, error=error, error_detail=detail,
                                elapsed=round(time.monotonic() - started, 3),
                                fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                rendered_by=RENDERED_BY), blocked=blocked)


def _remember(memory: OrderedDict[str, str], key: str, value: str) -> None:
    """Keep ``key -> value`` in a bounded memory (the oldest entries go first)."""
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > _REFUSED_MEMORY:
        memory.popitem(last=False)


def _bypass_rules(no_proxy: tuple[str, ...]) -> str:
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


def _playwright_proxy(settings: ProxySettings | None) -> PlaywrightProxy | None:
    """Playwright's ``launch(proxy=…)`` from the run's settings; credentials in the proxy URL are
    passed apart (Chromium's ``--proxy-server`` takes none)."""
    if settings is None or not settings.server:
        return None
    parts = urlsplit(settings.server if "://" in settings.server else f"http://{settings.server}")
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    proxy: PlaywrightProxy = {"server": f"{parts.scheme}://{shown}" + (f":{parts.port}" if parts.port else "")}
    bypass = _bypass_rules(settings.no_proxy)
    if bypass:
        proxy["bypass"] = bypass
    if parts.username:
        proxy["username"] = unquote(parts.username)
        proxy["password"] = unquote(parts.password or "")
    return proxy


async def _quietly(awaitable: Any, seconds: float) -> None:
    """Await a clean-up step, ignoring its failure and giving up after ``seconds``."""
    try:
        async with asyncio.timeout(seconds):
            await awaitable
    except Exception:  # noqa: BLE001, S110 - closing something already gone
        pass
