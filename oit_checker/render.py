"""The browser's part of an audit: which item pages to open in Chromium, what that changes in the
findings, and the evidence bundle of the run.

When to render (``--browser`` / ``[browser] mode``):

- ``auto`` (default) opens an item URL in the browser when its HTTP text is script-built (an HTML
  page with scripts and almost no text, what the content check calls ``needs_browser``), when it
  is a social-network page of a social item (a host of ``oit_checker/data/social_rules.toml`` or
  of the item's ``allowed_hosts``), or when its host is in ``[browser] hosts_needing_browser``;
- ``always`` opens every item URL that is not a document (PDF, Office);
- ``never`` opens nothing: the pages above end ``unverified`` (``needs_browser``), never ``fail``.

A rendered page replaces the HTTP page for the checks; a social page is then judged by
``oit_checker.social``. A page the browser could not open (none installed, crashed, failed) is
``unverified`` with the reason, and the run goes on. A page whose navigation failed in the
browser (DNS, refused, timeout) was never seen: it is not judged as an empty page, and the run
says so once (the HTTP fetch's own network finding, or one ``unverified`` finding).

The crawl borrows the same browser (``crawl_renderer``) for pages whose navigation is built by
JavaScript; the pass owns the browser's lifetime either way. Screenshots for the evidence
(``[evidence] screenshots = "all"``) are taken of every page the verdict renders, and in ``auto`` of
every other item page that opened (2xx HTML, PDF page 1); not of error pages or bot walls.

The browser the pass starts uses the run's proxy (``run_proxy``) and refuses, on every navigation,
redirect hop and subresource, what the run's ``AddressPolicy`` refuses; the refused URLs of a page
are in its evidence (``fetch.json``, ``render.blocked``).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from . import __version__
from .checklist import Item
from .checks import Context, Page, run_checks
from .checks.content import check_content, is_script_shell
from .checks.fresh import check_fresh
from .config import LoadedConfig, host_is_private
from .evidence import THUMBNAIL_QUALITY, THUMBNAIL_WIDTH, EvidenceOptions, EvidenceRun, prune, resolve_dir
from .extract import sniff_kind
from .extract.html import extract_html
from .fetch.addresses import AddressPolicy
from .fetch.browser import BROWSER_PROBLEMS, BrowserFetcher, BrowserOptions, Rendered
from .fetch.proxy import ProxySettings
from .fetch.serve_from import OriginMap
from .messages import REASONS
from .models import AuditResult, Check, FetchResult, Finding, ItemResult, Status
from .social import SocialRules, judge, load_rules
from .urls import host_matches, host_of

MODES = ("auto", "always", "never")
_DOCUMENTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip")
_REASON_FOR = {"browser_off": "needs_browser", "no_browser": "needs_browser",
               "browser_crashed": "browser_crashed", "browser_failed": "browser_failed"}
NAVIGATION = "navigation_failed"
"""``_Outcome.why`` of a page the browser could not load (``detail`` holds the network reason code)."""


def browser_options(loaded: LoadedConfig) -> BrowserOptions:
    """The browser fetcher's settings from ``[browser]`` and ``[evidence]``."""
    settings = loaded.config.browser
    return BrowserOptions(
        executable_path=settings.executable_path, max_pages=settings.max_pages,
        navigation_timeout=settings.navigation_timeout, page_timeout=settings.page_timeout,
        idle_wait=settings.idle_wait, recycle_after=settings.recycle_after,
        screenshot_max_height=loaded.config.evidence.screenshot_max_height,
        thumbnail=(THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 3 // 2, THUMBNAIL_QUALITY),
        user_agent_suffix=f"oit-checker/{__version__}", proxy=run_proxy(loaded),
        serve_from=OriginMap.from_config(loaded.config.agency.serve_from))


def run_proxy(loaded: LoadedConfig) -> ProxySettings:
    """The run's proxy: ``[http] proxy``, else the environment's (the HTTP client's settings)."""
    return ProxySettings.resolve(getattr(loaded.config.http, "proxy", "") or "")


def address_policy(loaded: LoadedConfig) -> AddressPolicy:
    """The run's address rule: private addresses only when the agency's homepage is itself private."""
    agency = loaded.config.agency
    served = OriginMap.from_config(agency.serve_from).actual(agency.homepage)  # the address contacted
    return AddressPolicy(private_ok=host_is_private(host_of(served)))


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
    """When not rendered: ``browser_off``, ``no_browser``, ``browser_crashed``, ``browser_failed``
    or ``navigation_failed``."""
    detail: str = ""
    code: str = ""
    """``navigation_failed``: the network reason code (``dns_error``, ``timeout`` …)."""


class RenderPass:
    """The browser and evidence steps of one audit (create it inside the running event loop).

    ``renderer``: a browser fetcher owned by the caller (shared between runs, or in tests), which
    keeps its own address policy; ``use_browser`` False keeps the browser out (an injected HTTP
    fetcher without a renderer). ``policy``: the run's address rule for the browser this pass
    starts (default: ``address_policy(loaded)``).
    """

    def __init__(self, loaded: LoadedConfig, items: Iterable[Item], *, mode: str | None = None,
                 warc: bool | None = None, renderer: BrowserFetcher | None = None, use_browser: bool = True,
                 policy: AddressPolicy | None = None) -> None:
        config = loaded.config
        self.loaded = loaded
        self.policy = policy if policy is not None else address_policy(loaded)
        self.items = list(items)
        self.mode = mode or config.browser.mode
        if self.mode not in MODES:
            raise ValueError(f"browser mode must be one of {MODES}, not {self.mode!r}")
        self.rules = load_rules(_relative(config.browser.social_rules, loaded.path))
        self.hosts = config.browser.hosts_needing_browser
        self.item_urls = sorted({u for item in self.items for u in loaded.urls_for(item.code)})
        evidence = config.evidence
        self.screenshots = evidence.screenshots if evidence.enabled else "none"
        self.evidence: EvidenceRun | None = None
        if evidence.enabled:
            options = EvidenceOptions(resolve_dir(evidence.dir, loaded.path), evidence.screenshots,
                                      evidence.warc if warc is None else warc, evidence.max_age_days)
            self.evidence = EvidenceRun(options, self.item_urls)
        self.browser_on = self.mode != "never" and (use_browser or renderer is not None)
        self.renderer = renderer
        self._own_renderer = renderer is None
        self.http_pages: dict[str, Page] = {}
        self.rendered: dict[str, Rendered] = {}
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
            self.renderer = BrowserFetcher(browser_options(self.loaded), self.policy)
        return self.renderer

    async def run(self, pages: dict[str, Page]) -> None:
        """Render what needs it (replacing those pages in ``pages``) and take the screenshots."""
        self.http_pages = dict(pages)
        try:
            plan: dict[str, tuple[str, ...]] = {}
            for item in self.items:
                for url in self.loaded.urls_for(item.code):
                    needs = needs_browser(item, url, pages.get(url), mode=self.mode, rules=self.rules, hosts=self.hosts)
                    if needs:
                        plan[url] = tuple(dict.fromkeys((*plan.get(url, ()), *needs)))
            shots = self._screenshot_only(pages, plan)
            pdfs = [u for u in self.item_urls if self.screenshots == "all" and _is_pdf(pages.get(u))]
            for url, needs in plan.items():
                self.notes[url] = {"needed_for": list(needs)}
            for url in shots:
                self.notes.setdefault(url, {})["screenshot_only"] = True
            jobs = [self._pdf_shot(url, pages[url]) for url in pdfs]
            if self.browser_on:
                jobs += [self._render(url, pages, url in plan) for url in (*plan, *shots)]
            elif plan and self.mode == "never":  # (an injected fetcher alone keeps the HTTP verdicts)
                self.problem = "browser_off"
                for url in plan:
                    self._not_rendered(url, "browser_off", "--browser never")
            await asyncio.gather(*jobs)
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the browser this pass started (a caller's renderer stays open)."""
        if self._warmup is not None:
            await asyncio.gather(self._warmup, return_exceptions=True)
        if self._own_renderer and self.renderer is not None:
            await self.renderer.aclose()

    def _screenshot_only(self, pages: dict[str, Page], plan: dict[str, tuple[str, ...]]) -> list[str]:
        """The HTML item pages to open only for their screenshot: those that opened (2xx, no bot
        challenge). An error page, a bot wall or a page that did not load is said by its finding
        and its ``fetch.json``; a browser visit per such URL costs seconds and shows nothing more.
        Pages the verdict renders (``plan``; every HTML page in ``always``) keep their screenshot."""
        if self.screenshots != "all" or not self.browser_on:
            return []
        out = []
        for url in self.item_urls:
            page = pages.get(url)
            if url in plan or page is None or not page.fetch.body or not _opened(page.fetch):
                continue
            if (page.doc.kind if page.doc is not None else sniff_kind(page.fetch)) == "html":
                out.append(url)
        return out

    async def _pdf_shot(self, url: str, page: Page) -> None:
        if self.evidence is not None:
            await self.evidence.pdf_screenshot(url, page.fetch.body)

    async def _render(self, url: str, pages: dict[str, Page], for_verdict: bool) -> None:
        if self._warmup is not None:
            await asyncio.gather(self._warmup, return_exceptions=True)
        shot = thumb = None
        if self.evidence is not None and (self.screenshots == "all" or (self.screenshots == "rendered" and for_verdict)):
            shot, thumb = self.evidence.screenshot_path(url), self.evidence.thumbnail_path(url)
        seen = await self._browser().render(url, screenshot=shot, thumbnail=thumb, settle=for_verdict,
                                            read=for_verdict)
        if seen.blocked:  # what the page asked for and the address rule refused (never sent)
            self.notes.setdefault(url, {})["blocked"] = list(seen.blocked)
        error = seen.fetch.error
        if error in BROWSER_PROBLEMS:
            if error in ("no_browser", "browser_failed") and self.problem is None:
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
        if seen.screenshot is not None and self.evidence is not None:
            self.evidence.screenshots[url] = seen.screenshot
        if for_verdict:
            doc = await asyncio.to_thread(extract_html, seen.fetch.body, seen.fetch.final_url,
                                          "text/html; charset=utf-8") if seen.fetch.body else None
            if doc is not None:
                doc = dataclasses.replace(doc, text_source="chromium")
            pages[url] = Page(seen.fetch, doc)
            self.outcomes[url] = _Outcome(rendered=True)
            self.notes[url]["rendered"] = True

    def _not_rendered(self, url: str, why: str, detail: str) -> None:
        self.outcomes[url] = _Outcome(rendered=False, why=why, detail=detail)
        self.notes.setdefault(url, {}).update(rendered=False, why=why)

    def checks(self, page: Page, item: Item, ctx: Context) -> list[Finding]:
        """``run_checks``, then what the browser adds: the social verdict on a rendered social page,
        or ``unverified`` where the verdict needed a browser it did not get."""
        findings = run_checks(page, item, ctx)
        url = page.fetch.url
        outcome = self.outcomes.get(url)
        if outcome is None:
            return findings
        if outcome.rendered:
            return self._social(findings, page, item, ctx) if item.social else findings
        needs = needs_browser(item, url, self.http_pages.get(url), mode=self.mode, rules=self.rules, hosts=self.hosts)
        return self._without_browser(findings, needs, outcome)

    def _without_browser(self, findings: list[Finding], needs: tuple[str, ...], outcome: _Outcome) -> list[Finding]:
        if outcome.why == NAVIGATION and ("social" in needs or "host" in needs):
            return _navigation_failed(findings, needs, outcome)
        reason = _REASON_FOR.get(outcome.why, "browser_failed")
        params = {"detail": outcome.detail}
        evidence: dict[str, Any] = {"why": outcome.why, "needed_for": list(needs), "detail": outcome.detail}
        if "social" in needs or "host" in needs:
            # The HTTP view of such a page proves nothing either way (social networks answer
            # scripts with login walls): keep only the URL's location and network trouble.
            keep = [f for f in findings if f.check is Check.LOCATION
                    or (f.check is Check.REACHABLE and f.status is Status.UNVERIFIED)]
            return [*keep, Finding(Check.PUBLIC, Status.UNVERIFIED, reason, params, evidence)]
        if "script" in needs:
            shell = [f for f in findings if f.reason == "needs_browser"]
            if not shell:
                return findings  # the HTTP text already decided the content
            out = [f for f in findings if f.reason != "needs_browser"]
            return [*out, Finding(Check.CONTENT, Status.UNVERIFIED, reason, params, {**shell[0].evidence, **evidence})]
        if "always" in needs and outcome.why in ("browser_crashed", "browser_failed"):
            return [*findings, Finding(Check.REACHABLE, Status.UNVERIFIED, reason, params, evidence)]
        return findings

    def _social(self, findings: list[Finding], page: Page, item: Item, ctx: Context) -> list[Finding]:
        url, final = page.fetch.url, page.fetch.final_url
        network = self.rules.network_for(final) or self.rules.network_for(url)
        if network is None or any(f.reason == "bot_wall" for f in findings if f.check is Check.PUBLIC):
            return findings
        seen = self.rendered.get(url)
        doc = page.doc
        verdict = judge(network, self.rules, final_url=final, html=page.fetch.body.decode("utf-8", "replace"),
                        text=seen.text if seen is not None else (doc.text if doc else ""),
                        title=seen.title if seen is not None else (doc.title if doc else ""))
        kept = [f for f in findings if f.check is not Check.PUBLIC
                and (verdict.status is Status.PASS or f.check not in (Check.FRESH, Check.CONTENT))]
        at = next((n for n, f in enumerate(kept) if f.check is not Check.REACHABLE), len(kept))
        out = [*kept[:at], verdict.finding(final), *kept[at:]]
        judged = {f.check for f in out}
        if verdict.status is Status.PASS and doc is not None and not judged & {Check.FRESH, Check.CONTENT} \
                and not any(f.status in (Status.FAIL, Status.UNVERIFIED) for f in out):
            out += check_fresh(page, item, ctx) + check_content(page, item, ctx)  # the generic check had stopped them
        return out

    def finish(self, result: AuditResult, pages: dict[str, Page]) -> AuditResult:
        """Record how the browser was used, write the evidence bundle, link it from the result."""
        renderer = self.renderer
        result = dataclasses.replace(result, browser={
            "mode": self.mode, "used": renderer.description if renderer is not None and renderer.launches else None,
            "rendered": sum(1 for o in self.outcomes.values() if o.rendered),
            "screenshots": len(self.evidence.screenshots) if self.evidence is not None else 0,
            "problem": self.problem, "problem_detail": self.problem_detail or None,
            "crashes": renderer.crashes if renderer is not None else 0,
        })
        if self.evidence is None:
            return result
        try:
            folder, links = self.evidence.write(result, self.http_pages, pages, self.rendered, self.notes)
            prune(self.evidence.options.root, self.evidence.options.max_age_days)
        except OSError as exc:  # evidence that cannot be written must not lose the audit itself
            self.evidence.discard()
            return dataclasses.replace(result, browser={**result.browser, "evidence_error": str(exc)[:200]})
        items = tuple(_link(item, links) for item in result.items)
        return dataclasses.replace(result, items=items, evidence_dir=str(folder))


def _navigation_failed(findings: list[Finding], needs: tuple[str, ...], outcome: _Outcome) -> list[Finding]:
    """A social (or browser-only) page the browser could not load: ``unverified``, said once.
    The HTTP view proves nothing either way (see ``_without_browser``): only the location and a
    network problem the HTTP fetch already reported are kept; without one, one finding gives
    the browser's network reason."""
    kept = [f for f in findings if f.check is Check.LOCATION
            or (f.check is Check.REACHABLE and f.status is not Status.PASS)]
    if any(f.check is Check.REACHABLE for f in kept):
        return kept
    code = outcome.code
    reason = code if code in REASONS and REASONS[code].check is Check.REACHABLE else "browser_failed"
    evidence = {"why": NAVIGATION, "code": code, "needed_for": list(needs), "detail": outcome.detail}
    return [Finding(Check.REACHABLE, Status.UNVERIFIED, reason, {"detail": outcome.detail or code}, evidence), *kept]


def _link(item: ItemResult, links: dict[str, dict[str, str]]) -> ItemResult:
    urls = []
    for url in item.urls:
        files = links.get(url.url, {})
        findings = url.findings
        if "screenshot" in files and findings:  # reports look for evidence["screenshot"]
            first = findings[0]
            findings = (dataclasses.replace(first, evidence={**first.evidence, "screenshot": files["screenshot"]}),
                        *findings[1:])
        urls.append(dataclasses.replace(url, findings=findings, evidence_files=files))
    return dataclasses.replace(item, urls=tuple(urls))


def _opened(fetch: FetchResult) -> bool:
    """The page opened: a 2xx answer that is not a CDN's bot challenge (``cf-mitigated``)."""
    return fetch.ok and "cf-mitigated" not in fetch.headers


def _is_pdf(page: Page | None) -> bool:
    return page is not None and page.fetch.ok and page.fetch.body.lstrip()[:5].startswith(b"%PDF")


def _relative(value: str, config_path: str) -> str:
    if not value:
        return ""
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else Path(config_path).resolve().parent / path)


__all__ = ["MODES", "RenderPass", "address_policy", "browser_options", "needs_browser", "run_proxy"]
