"""The browser fetcher: pages as an assessor sees them, rendered by Chromium through Playwright.

Same interface as the HTTP fetcher (``fetch(url) -> FetchResult``, never raises), plus ``render``
for what only a browser gives: the DOM after scripts ran, its visible text, a screenshot.

- **Which browser**, launched how: ``fetch/browser_launch.py``. None found: every render ends with
  ``error="no_browser"`` and the audit says ``needs_browser`` (unverified), never ``fail``.
- **One browser per run**, started on first use; a new context (no cookies, no cache shared) per
  page; at most ``max_pages`` pages at once.
- **Timeouts**: navigation (``goto``) and the whole page (load, settle, read, screenshot).
- **Recycling**: after ``recycle_after`` pages the browser is replaced once its pages are done.
- **Crash recovery**: a browser that dies takes its open pages with it (``browser_crashed``); the
  next page starts a new browser, up to ``max_restarts`` times per run.
- **Addresses**, **serve_from**: every request is judged by ``fetch/browser_guard.py``. Refused URLs
  are on ``Rendered.blocked``; a refused page URL (itself or after a redirect) ends the render with
  ``error="blocked_address"``; a refused script navigation leaves the page as it was.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models import NO_BROWSER, FetchError, FetchResult, Redirect
from ..reasons import Reason
from .addresses import AddressPolicy
from .browser_guard import AddressGuard, was_refused
from .browser_launch import CHROMIUM_ARGS, Generation, Launcher, NoBrowser, process_id, quietly
from .interface import Fetcher
from .proxy import ProxySettings
from .serve_from import OriginMap

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, Request, Response

MAX_RESTARTS = 3
VIEWPORT = (1280, 900)
BROWSER_PROBLEMS = frozenset({NO_BROWSER, Reason.BROWSER_CRASHED, Reason.BROWSER_FAILED})
"""``FetchResult.error`` codes that mean the browser, not the website, failed."""
RENDERED_BY = "chromium"
BLOCKED = Reason.BLOCKED_ADDRESS
"""``FetchResult.error`` of a page whose URL, or a redirect on its way, the address policy refused."""
_CLOSED = ("has been closed", "Target crashed", "Browser closed", "Connection closed", "browser has disconnected")
_NET_ERRORS = {
    "ERR_NAME_NOT_RESOLVED": Reason.DNS_ERROR, "ERR_NAME_RESOLUTION_FAILED": Reason.DNS_ERROR,
    "ERR_CONNECTION_REFUSED": Reason.CONNECT_ERROR, "ERR_CONNECTION_RESET": Reason.CONNECT_ERROR,
    "ERR_CONNECTION_CLOSED": Reason.CONNECT_ERROR, "ERR_EMPTY_RESPONSE": Reason.CONNECT_ERROR,
    "ERR_ADDRESS_UNREACHABLE": Reason.CONNECT_ERROR, "ERR_CONNECTION_FAILED": Reason.CONNECT_ERROR,
    "ERR_INTERNET_DISCONNECTED": Reason.CONNECT_ERROR, "ERR_TIMED_OUT": Reason.TIMEOUT,
    "ERR_CONNECTION_TIMED_OUT": Reason.TIMEOUT, "ERR_TOO_MANY_REDIRECTS": Reason.TOO_MANY_REDIRECTS,
    **dict.fromkeys(("ERR_SSL_PROTOCOL_ERROR", "ERR_SSL_VERSION_OR_CIPHER_MISMATCH"), Reason.TLS_HANDSHAKE_FAILED),
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


class BrowserFetcher(Fetcher):
    """See the module docstring. Use as ``async with BrowserFetcher(options, policy) as b``.

    ``policy`` None checks no address (a caller that trusts every page, e.g. the report preview).
    """

    def __init__(self, options: BrowserOptions | None = None, policy: AddressPolicy | None = None) -> None:
        if options is None:  # the config's defaults (tests, the browser probe), without a proxy
            from ..options import defaults  # not at import: this layer does not load the config (pydantic)
            options = replace(defaults().browser, proxy=None)
        self.options = options
        self.policy = policy
        self._origins = self.options.serve_from
        self._guard = AddressGuard(policy, self._origins)
        self._launcher = Launcher(self.options.executable_path, self.options.args, self.options.proxy, self._origins)
        self._pages = asyncio.Semaphore(self.options.max_pages)
        self._lock = asyncio.Lock()
        self._current: Generation | None = None
        self.problem: FetchError | None = None
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

    @property
    def refusals(self) -> int:
        """Requests refused by the address policy in this run."""
        return self._guard.refusals

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
        except NoBrowser:
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. the Playwright driver cannot start
            self.problem, self.problem_detail = Reason.BROWSER_FAILED, f"{type(exc).__name__}: {exc}"[:300]
            return False

    async def aclose(self) -> None:
        """See ``Fetcher.aclose``: closes the browser and stops Playwright."""
        self._closed = True
        async with self._lock:
            current, self._current = self._current, None
            if current is not None:
                await quietly(current.browser.close(), 10)
            await self._launcher.stop()
        self._guard.cancel()  # requests of a browser that is gone

    async def fetch(self, url: str) -> FetchResult:
        """See ``Fetcher.fetch``: the rendered DOM as the body."""
        return (await self.render(url)).fetch

    async def browser_pid(self) -> int | None:
        """The operating-system process id of the running browser (None when none runs)."""
        current = self._current
        return await process_id(current.browser) if current is not None else None

    async def render(self, url: str, *, screenshot: Path | None = None, thumbnail: Path | None = None,
                     settle: bool = True, read: bool = True) -> Rendered:
        """Open ``url`` in a fresh context; never raises.

        ``screenshot``: where to write a full-page PNG (height capped); ``thumbnail``: where to
        write a small JPEG of the top of the page besides (``BrowserOptions.thumbnail``). ``settle``: wait for the
        network to go quiet after ``load`` (for pages that fetch their content with scripts).
        ``read`` False skips reading the DOM and text (a screenshot is all that is wanted).
        """
        started = time.monotonic()
        why = await self._guard.check(url)
        if why:
            return _failed(url, BLOCKED, why, started, (url,))
        async with self._pages:
            try:
                async with self._lock:
                    generation = await self._generation_locked()
                    generation.used += 1
                    generation.in_flight += 1
            except NoBrowser as exc:
                return _failed(url, exc.code, exc.detail, started)
            except Exception as exc:  # noqa: BLE001 - e.g. the Playwright driver cannot start
                self.problem, self.problem_detail = Reason.BROWSER_FAILED, f"{type(exc).__name__}: {exc}"[:300]
                return _failed(url, Reason.BROWSER_FAILED, self.problem_detail, started)
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
                return _failed(url, Reason.BROWSER_FAILED, f"page not done after {self.options.page_timeout:g} s",
                               started)
            except Exception as exc:  # noqa: BLE001 - Playwright errors of every kind end as a result
                message = f"{type(exc).__name__}: {exc}".split("\n")[0][:300]
                if not generation.browser.is_connected() or any(mark in message for mark in _CLOSED):
                    return self._crashed(generation, url, message, started)
                return _failed(url, _net_error(message) or Reason.BROWSER_FAILED, message, started)
            finally:
                self.active -= 1
                generation.in_flight -= 1
                if generation.retired and generation.in_flight == 0:
                    await quietly(generation.browser.close(), 10)

    def _crashed(self, generation: Generation, url: str, detail: str, started: float) -> Rendered:
        if not generation.crashed:
            generation.crashed = True
            self.crashes += 1
        return _failed(url, Reason.BROWSER_CRASHED, detail, started)

    async def _generation_locked(self) -> Generation:
        """The browser to use now (call with ``_lock`` held): launched, relaunched or recycled."""
        if self._closed:
            raise NoBrowser(Reason.BROWSER_FAILED, "the browser fetcher is closed")
        if self.problem:
            raise NoBrowser(self.problem, self.problem_detail)
        current = self._current
        if current is not None and current.browser.is_connected() and not current.crashed:
            if current.used < self.options.recycle_after:
                return current
            current.retired = True  # closed by its last page
            if current.in_flight == 0:
                await quietly(current.browser.close(), 10)
        elif current is not None:  # it died (while idle, or its pages already reported it)
            if not current.crashed:
                current.crashed = True
                self.crashes += 1
            if self.restarts >= self.options.max_restarts:
                raise NoBrowser(Reason.BROWSER_CRASHED,
                                f"the browser crashed {self.crashes} times; not restarted again")
            self.restarts += 1
        self._current = Generation(await self._launch())
        return self._current

    async def _launch(self) -> Browser:
        try:
            browser = await self._launcher.launch(self._guard)
        except NoBrowser as exc:
            self.problem, self.problem_detail = exc.code, exc.detail
            raise
        self.launches += 1
        shown = self._launcher.path or "Playwright's own"
        self.description = f"Chromium {browser.version} ({shown})"
        return browser

    async def _render_page(self, generation: Generation, url: str, shots: tuple[Path | None, Path | None],
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
            refused = self._guard.refused(request.url)
            if refused is None or not was_refused(request.failure or ""):
                return
            blocked[refused] = None
            try:
                if request.is_navigation_request() and request.frame == page.main_frame:
                    page_left.set()
            except Exception:  # noqa: BLE001, S110 - a worker's request has no frame
                pass

        context.on("requestfailed", failed)

        try:
            await self._guard.watch_websockets(context, blocked)  # the Fetch interception misses them
            page = await context.new_page()
            page.set_default_timeout(self.options.navigation_timeout * 1000)
            try:
                response = await page.goto(url, wait_until="commit", timeout=self.options.navigation_timeout * 1000)
            except Exception as exc:
                refused = self._guard.refused(url) or next(iter(blocked), "")
                if refused and was_refused(str(exc)):
                    return _failed(url, BLOCKED, f"{refused}: refused by the address rule", started,
                                   tuple(blocked) or (refused,))
                raise
            if not await _loaded(page, page_left, self.options.navigation_timeout - (time.monotonic() - started)):
                return _failed(url, Reason.TIMEOUT, f"no load event after {self.options.navigation_timeout:g} s",
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
            await quietly(context.close(), 10)
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
                await quietly(session.detach(), 5)
            target.write_bytes(base64.b64decode(shot["data"]))
            return target
        except Exception:  # noqa: BLE001 - a missing thumbnail only means the report links the full PNG
            return None

    async def _user_agent(self, browser: Browser) -> str | None:
        if not self.options.user_agent_suffix:
            return None
        agent = f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{browser.version} Safari/537.36"
        return f"{agent} {self.options.user_agent_suffix}"


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


def _net_error(message: str) -> Reason | None:
    for code, reason in _NET_ERRORS.items():
        if code in message:
            return reason
    if "ERR_CERT" in message:
        return Reason.TLS_HANDSHAKE_FAILED
    if "Timeout" in message and "goto" in message.lower():
        return Reason.TIMEOUT
    return None


def _failed(url: str, error: FetchError, detail: str, started: float, blocked: tuple[str, ...] = ()) -> Rendered:
    return Rendered(FetchResult(url=url, final_url=url, error=error, error_detail=detail,
                                elapsed=round(time.monotonic() - started, 3),
                                fetched_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                rendered_by=RENDERED_BY), blocked=blocked)
