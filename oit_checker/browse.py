"""The browser pass of an audit: which item pages to open in Chromium, and what it saw there.

It only renders. It runs after the HTTP fetches and before the checks, and returns the pages the
checks read: a rendered page replaces the HTTP one, and every page the browser planned or opened
carries a ``BrowserView`` (``Page.browser``). What that changes in a verdict is the checks' part
(``oit_checker.checks.social``, ``oit_checker.checks.browser``); the screenshots it stages are
moved into the run's bundle by the audit, once the result exists.

When to render (``--browser`` / ``[browser] mode``):

- ``auto`` (default) opens an item URL in the browser when its HTTP text is script-built (an HTML
  page with scripts and almost no text, what the content check calls ``needs_browser``), when it
  is a social-network page of a social item (a host of ``oit_checker/data/social_rules.toml`` or
  of the item's ``allowed_hosts``), or when its host is in ``[browser] hosts_needing_browser``;
- ``always`` opens every item URL that is not a document (PDF, Office);
- ``never`` opens nothing: the pages above end ``unverified`` (``needs_browser``), never ``fail``.

A page the browser could not open (none installed, crashed, failed) or whose navigation failed
(DNS, refused, timeout) is recorded as such, and the run goes on.

The crawl borrows the same browser (``crawl_renderer``) for pages whose navigation is built by
JavaScript; the pass owns the browser's lifetime either way. Screenshots (``screenshots = "all"``)
are taken of every page the verdict renders, and in ``auto`` of every other item page that opened
(2xx HTML); not of error pages or bot walls.

The browser the pass starts uses the run's proxy (``options.run_proxy``) and refuses, on every navigation,
redirect hop and subresource, what the run's ``AddressPolicy`` refuses; the refused URLs of a page
are in its notes (``BrowserView.notes["blocked"]``).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from .checklist import Item
from .checks.content import is_script_shell
from .checks.interface import BrowserView, Page
from .config import LoadedConfig
from .extract import sniff_kind
from .extract.html import extract_html
from .fetch.addresses import AddressPolicy
from .fetch.browser import BROWSER_PROBLEMS, BrowserFetcher, Rendered
from .models import NO_BROWSER, FetchResult
from .options import address_policy, browser_options, social_rules_path
from .reasons import Reason
from .social import SocialRules, load_rules
from .urls import host_matches, host_of

MODES = ("auto", "always", "never")
_DOCUMENTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip")
NAVIGATION = "navigation_failed"
"""``BrowserView.why`` of a page the browser could not load (``code`` holds the network reason)."""


class ShotPaths(Protocol):
    """Where the browser writes a URL's screenshot and thumbnail, and how big they may be
    (the run's bundle staging, ``Staging``)."""

    @property
    def max_height(self) -> int: ...

    @property
    def thumbnail(self) -> tuple[int, int, int]: ...

    def screenshot_path(self, url: str) -> Path: ...

    def thumbnail_path(self, url: str) -> Path: ...


def needs_browser(item: Item, url: str, page: Page | None, *, mode: str, rules: SocialRules,
                  hosts: Iterable[str]) -> tuple[str, ...]:
    """Why the verdict on ``url`` for ``item`` needs a browser: ``social``, ``host``, ``script``,
    ``always`` (empty: the HTTP page is enough)."""
    needs: list[str] = []
    host = host_of(url)
    if item.social and (rules.network_for(url) is not None or host_matches(host, item.allowed_hosts)):
        needs.append("social")
    if host_matches(host, tuple(hosts)):
        needs.append("host")
    doc = page.doc if page is not None else None
    if page is not None and page.fetch.ok and doc is not None and is_script_shell(doc):
        needs.append("script")
    if mode == "always" and (doc is None or doc.kind == "html"):
        needs.append("always")
    return tuple(needs)


@dataclasses.dataclass
class _Outcome:
    """What happened to one URL that the verdict wanted rendered."""

    rendered: bool
    why: str = ""
    detail: str = ""
    code: str = ""


class BrowserPass:
    """The browser step of one audit (create it inside the running event loop).

    ``renderer``: a browser fetcher owned by the caller (shared between runs, or in tests), which
    keeps its own address policy; ``use_browser`` False keeps the browser out (an injected HTTP
    fetcher without a renderer). ``policy``: the run's address rule for the browser this pass
    starts (default: ``address_policy(loaded)``). ``shots``: where screenshots go, and
    ``screenshots`` which ones (``all``, ``rendered``, ``none``).
    """

    def __init__(self, loaded: LoadedConfig, items: Iterable[Item], *, mode: str | None = None,
                 renderer: BrowserFetcher | None = None, use_browser: bool = True,
                 policy: AddressPolicy | None = None, shots: ShotPaths | None = None,
                 screenshots: str = "none") -> None:
        config = loaded.config
        self.loaded = loaded
        self.policy = policy if policy is not None else address_policy(loaded)
        self.items = list(items)
        self.mode = mode or config.browser.mode
        if self.mode not in MODES:
            raise ValueError(f"browser mode must be one of {MODES}, not {self.mode!r}")
        rules_file = social_rules_path(loaded)
        self.rules = load_rules(str(rules_file) if rules_file else "")
        self.hosts = config.browser.hosts_needing_browser
        self.item_urls = sorted({u for item in self.items for u in loaded.urls_for(item.code)})
        self.shots = shots
        self.screenshots = screenshots if shots is not None else "none"
        self.browser_on = self.mode != "never" and (use_browser or renderer is not None)
        self.renderer = renderer
        self._own_renderer = renderer is None
        self.http_pages: dict[str, Page] = {}
        self.rendered_pages: dict[str, Page] = {}
        self.rendered: dict[str, Rendered] = {}
        self.taken: dict[str, Path] = {}
        """URL -> screenshot the browser wrote (a staged path)."""
        self.needs: dict[str, dict[str, tuple[str, ...]]] = {}
        self.outcomes: dict[str, _Outcome] = {}
        self.notes: dict[str, dict[str, Any]] = {}
        self.problem: str | None = None
        self.problem_detail = ""
        self._warmup: asyncio.Task[bool] | None = None
        pages_likely = any(not u.split("?")[0].lower().endswith(_DOCUMENTS) for u in self.item_urls)
        if self.browser_on and pages_likely and (self.mode == "always" or self.screenshots == "all"):
            # Surely needed: start Chromium while the HTTP fetches run.
            self._warmup = asyncio.get_running_loop().create_task(self._browser().start())

    def crawl_renderer(self) -> Callable[[str], Awaitable[FetchResult | None]] | None:
        """The crawl's way to open a page in this pass's browser (``oit_checker.crawl.Renderer``),
        or None when the run has no browser (``--browser never``, an injected HTTP fetcher)."""
        if not self.browser_on:
            return None

        async def render(url: str) -> FetchResult | None:
            return (await self._browser().render(url, settle=True, read=True)).fetch  # errors say why

        return render

    def _browser(self) -> BrowserFetcher:
        if self.renderer is None:
            self.renderer = BrowserFetcher(browser_options(self.loaded, self.shots), self.policy)
        return self.renderer

    async def run(self, pages: Mapping[str, Page]) -> dict[str, Page]:
        """Render what needs it and take the screenshots; the pages the checks read (``pages``)."""
        self.http_pages = dict(pages)
        try:
            plan: dict[str, tuple[str, ...]] = {}
            for item in self.items:
                for url in self.loaded.urls_for(item.code):
                    needs = needs_browser(item, url, pages.get(url), mode=self.mode, rules=self.rules, hosts=self.hosts)
                    if needs:
                        plan[url] = tuple(dict.fromkeys((*plan.get(url, ()), *needs)))
                        self.needs.setdefault(url, {})[item.code] = needs
            shots = self._screenshot_only(plan)
            for url, needs in plan.items():
                self.notes[url] = {"needed_for": list(needs)}
            for url in shots:
                self.notes.setdefault(url, {})["screenshot_only"] = True
            if self.browser_on:
                await asyncio.gather(*(self._render(url, url in plan) for url in (*plan, *shots)))
            elif plan and self.mode == "never":  # (an injected fetcher alone keeps the HTTP verdicts)
                self.problem = "browser_off"
                for url in plan:
                    self._not_rendered(url, "browser_off", "--browser never")
        finally:
            await self.aclose()
        return self.pages()

    def stop(self, why: str) -> None:
        """The run ended (its deadline): pages still to open are ``browser_failed``, said why."""
        for url, note in self.notes.items():
            if "needed_for" in note and url not in self.outcomes:
                self._not_rendered(url, "browser_failed", why)

    def pages(self) -> dict[str, Page]:
        """The pages the checks read: rendered ones in place of the HTTP ones, each URL the
        browser planned or opened with its ``BrowserView``."""
        out = dict(self.http_pages)
        for url in (*self.notes, *self.rendered):
            base = self.rendered_pages.get(url) or out.get(url)
            if base is None:
                continue
            outcome = self.outcomes.get(url)
            seen = self.rendered.get(url)
            out[url] = dataclasses.replace(base, browser=BrowserView(
                planned=outcome is not None, rendered=outcome is not None and outcome.rendered,
                why=outcome.why if outcome else "", detail=outcome.detail if outcome else "",
                code=outcome.code if outcome else "", needs=dict(self.needs.get(url, {})),
                text=seen.text if seen else "", title=seen.title if seen else "", seen=seen,
                screenshot=self.taken.get(url), notes=dict(self.notes.get(url, {}))))
        return out

    def summary(self) -> dict[str, Any]:
        """How the browser was used (``AuditResult.browser``)."""
        renderer = self.renderer
        return {
            "mode": self.mode, "used": renderer.description if renderer is not None and renderer.launches else None,
            "rendered": sum(1 for o in self.outcomes.values() if o.rendered),
            "screenshots": len(self.taken),
            "problem": self.problem, "problem_detail": self.problem_detail or None,
            "crashes": renderer.crashes if renderer is not None else 0,
        }

    async def aclose(self) -> None:
        """Close the browser this pass started (a caller's renderer stays open)."""
        if self._warmup is not None:
            await asyncio.gather(self._warmup, return_exceptions=True)
        if self._own_renderer and self.renderer is not None:
            await self.renderer.aclose()

    def _screenshot_only(self, plan: dict[str, tuple[str, ...]]) -> list[str]:
        """The HTML item pages to open only for their screenshot: those that opened (2xx, no bot
        challenge). An error page, a bot wall or a page that did not load is said by its finding
        and its ``fetch.json``; a browser visit per such URL costs seconds and shows nothing more.
        Pages the verdict renders (``plan``; every HTML page in ``always``) keep their screenshot."""
        if self.screenshots != "all" or not self.browser_on:
            return []
        out = []
        for url in self.item_urls:
            page = self.http_pages.get(url)
            if url in plan or page is None or not page.fetch.body or not _opened(page.fetch):
                continue
            if (page.doc.kind if page.doc is not None else sniff_kind(page.fetch)) == "html":
                out.append(url)
        return out

    async def _render(self, url: str, for_verdict: bool) -> None:
        if self._warmup is not None:
            await asyncio.gather(self._warmup, return_exceptions=True)
        shot = thumb = None
        if self.shots is not None and (self.screenshots == "all" or (self.screenshots == "rendered" and for_verdict)):
            shot, thumb = self.shots.screenshot_path(url), self.shots.thumbnail_path(url)
        seen = await self._browser().render(url, screenshot=shot, thumbnail=thumb, settle=for_verdict,
                                            read=for_verdict)
        if seen.blocked:  # what the page asked for and the address rule refused (never sent)
            self.notes.setdefault(url, {})["blocked"] = list(seen.blocked)
        error = seen.fetch.error
        if error in BROWSER_PROBLEMS:
            if error in (NO_BROWSER, Reason.BROWSER_FAILED) and self.problem is None:
                self.problem, self.problem_detail = error, seen.fetch.error_detail
            self.notes.setdefault(url, {}).update(browser_error=error, detail=seen.fetch.error_detail)
            if for_verdict:
                self._not_rendered(url, error or "browser_failed", seen.fetch.error_detail)
            return
        if error is not None:  # the page did not load (DNS, refused, timeout): nothing was seen
            self.notes.setdefault(url, {}).update(navigation_error=error, detail=seen.fetch.error_detail)
            if for_verdict:
                self.outcomes[url] = _Outcome(rendered=False, why=NAVIGATION, detail=seen.fetch.error_detail[:300],
                                              code=error)
                self.notes[url].update(rendered=False, why=NAVIGATION)
            return
        self.rendered[url] = seen
        if seen.screenshot is not None and self.shots is not None:
            self.taken[url] = seen.screenshot
        if for_verdict:
            doc = await asyncio.to_thread(extract_html, seen.fetch.body, seen.fetch.final_url,
                                          "text/html; charset=utf-8") if seen.fetch.body else None
            if doc is not None:
                doc = dataclasses.replace(doc, text_source="chromium")
            self.rendered_pages[url] = Page(seen.fetch, doc)
            self.outcomes[url] = _Outcome(rendered=True)
            self.notes[url]["rendered"] = True

    def _not_rendered(self, url: str, why: str, detail: str) -> None:
        self.outcomes[url] = _Outcome(rendered=False, why=why, detail=detail)
        self.notes.setdefault(url, {}).update(rendered=False, why=why)


def _opened(fetch: FetchResult) -> bool:
    """The page opened: a 2xx answer that is not a CDN's bot challenge (``cf-mitigated``)."""
    return fetch.ok and "cf-mitigated" not in fetch.headers


__all__ = ["MODES", "BrowserPass", "BrowserView", "ShotPaths", "needs_browser"]
