"""One audit: config + checklist -> fetch every item URL -> checks -> ``AuditResult``.

This is the library entry point (``run_audit``); the CLI only parses arguments and renders.
One bad URL never stops the run: every URL ends with findings. ``plan_audit`` decides the run
first (its items, and its one id: the history row, the evidence folder and the report share it),
so a caller can record the run before it starts (``oit_checker.recorder``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import secrets
import signal
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from . import __version__, evidence
from .attachments import evidence_links, fetch_attachments
from .browse import BrowserPass
from .checklist import Item
from .checks import CheckFn, Context, Page, run_checks
from .checks.reachable import fingerprint
from .config import LoadedConfig
from .crawl import Crawler
from .errors import ConfigError
from .extract import DEFAULT_OPTIONS, ExtractOptions, extract
from .fetch.browser import BrowserFetcher
from .fetch.http import HttpFetcher
from .fetch.interface import Fetcher
from .fetch.serve_from import ServeFromFetcher
from .fetch.shared import SharedFetches
from .models import AuditResult, Check, Document, FetchResult, Finding, ItemResult, Link, Status, UrlResult
from .options import crawl_options, document_options, http_options, resolved_address_policy
from .options import origins as options_origins
from .reasons import Reason
from .run_deadline import INTERRUPTED, DeadlineFetcher, RunDeadline, sigint_stops_every_run
from .urls import blocked_reason, host_of

EXTRACT_GRACE = 10.0
"""Seconds past the run's deadline for reading the pages already fetched (no more requests)."""


class Observer(Protocol):
    """Receives progress; the library never imports a UI. An observer may also have
    ``crawled(pages: int)``, called as the crawl of the main website fetches pages."""

    def started(self, total: int) -> None:
        """``total`` URLs are about to be fetched."""

    def advanced(self, url: str) -> None:
        """One URL is done."""


class _Silent:
    def started(self, total: int) -> None:
        pass

    def advanced(self, url: str) -> None:
        pass


def select_items(loaded: LoadedConfig, codes: Iterable[str] | None) -> list[Item]:
    """The checklist items to audit: those named with ``--item``, else ``[audit] select``, else all."""
    items = list(loaded.checklist.items)
    codes = list(codes or ()) or list(loaded.config.audit.select)
    if not codes:
        return items
    wanted = [c.strip().upper() for c in codes]
    unknown = [c for c in wanted if loaded.checklist.item(c) is None]
    if unknown:
        raise ConfigError("--item", unknown[0], f"not in checklist {loaded.checklist.id}",
                          f"use one of: {', '.join(loaded.checklist.codes)}")
    return [i for i in items if i.code in wanted]


def new_run_id(now: dt.datetime) -> str:
    """A run id in the report's format: UTC time and a random suffix (the only place one is made)."""
    return now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass(frozen=True)
class AuditPlan:
    """One run, decided before anything is recorded or fetched."""

    run_id: str
    """The run's one id: its history row, its evidence folder and its report."""
    items: tuple[Item, ...]
    started_at: dt.datetime
    requested: tuple[str, ...] | None = None
    """The item codes asked for (``--item``); None: the config's ``[audit] select``, else all."""


def plan_audit(loaded: LoadedConfig, items: Iterable[str] | None = None) -> AuditPlan:
    """The run to make: its items (an unknown code is a ``ConfigError``, a usage error raised
    before any history is written), a new id and the start time."""
    selected = tuple(select_items(loaded, items))
    started = dt.datetime.now(dt.UTC)
    requested = tuple(items) if items else None
    return AuditPlan(new_run_id(started), selected, started, requested)


def run_audit(loaded: LoadedConfig, *, plan: AuditPlan | None = None, items: Iterable[str] | None = None,
              observer: Observer | None = None, fetcher: Fetcher | None = None,
              browser: str | None = None, warc: bool | None = None,
              renderer: BrowserFetcher | None = None, signals: bool = False) -> AuditResult:
    """Audit the agency's website against its checklist.

    ``plan`` (from ``plan_audit``): the run to make, so that ``result.run_id == plan.run_id``;
    without one, ``items`` (item codes) are planned here.
    ``browser``: ``auto``, ``always`` or ``never`` (default: ``[browser] mode``); ``warc``: keep a
    WARC file in the evidence (default: ``[evidence] warc``); ``renderer``: a browser fetcher the
    caller owns (else one is started when needed). An injected ``fetcher`` without a ``renderer``
    keeps the browser out of the run. The run ends by ``[audit] max_minutes``; with ``signals``,
    SIGINT/SIGTERM end it early the same way (the partial result is returned, ``complete`` False).

    Example::

        from oit_checker import load_config, run_audit
        result = run_audit(load_config("config.toml"), items=["O24"])
        print(result.counts())
    """
    plan = _the_plan(loaded, plan, items)
    return asyncio.run(audit_async(loaded, plan=plan, observer=observer, fetcher=fetcher,
                                   browser=browser, warc=warc, renderer=renderer, signals=signals))


async def audit_async(loaded: LoadedConfig, *, plan: AuditPlan | None = None, items: Iterable[str] | None = None,
                      observer: Observer | None = None, fetcher: Fetcher | None = None,
                      browser: str | None = None, warc: bool | None = None,
                      renderer: BrowserFetcher | None = None, signals: bool = False) -> AuditResult:
    """See ``run_audit``; for callers that already run an event loop."""
    plan = _the_plan(loaded, plan, items)
    deadline = RunDeadline(loaded.config.audit.max_minutes * 60)
    deadline.start()
    stop_signals = _catch_signals(deadline) if signals else ()
    try:
        return await _audit(loaded, plan, deadline, observer=observer, fetcher=fetcher, browser=browser,
                            warc=warc, renderer=renderer)
    finally:
        deadline.close()
        loop = asyncio.get_running_loop()
        for sig in stop_signals:
            loop.remove_signal_handler(sig)


def _the_plan(loaded: LoadedConfig, plan: AuditPlan | None, items: Iterable[str] | None) -> AuditPlan:
    if plan is not None and items is not None:
        raise TypeError("give plan= or items=, not both: the plan holds the items")
    return plan if plan is not None else plan_audit(loaded, items)


def _catch_signals(deadline: RunDeadline) -> tuple[signal.Signals, ...]:
    """SIGINT/SIGTERM end the run like its deadline (a report is still written); a second one
    is left to Python's own handling, so a stuck run can still be killed."""
    loop = asyncio.get_running_loop()
    if sigint_stops_every_run():  # a fleet worker auditing in several threads: its handler ends this run too
        return ()
    caught = (signal.SIGINT, signal.SIGTERM)

    def on_signal() -> None:
        deadline.stop(INTERRUPTED)
        for sig in caught:
            loop.remove_signal_handler(sig)

    for sig in caught:
        loop.add_signal_handler(sig, on_signal)
    return caught


async def _audit(loaded: LoadedConfig, plan: AuditPlan, deadline: RunDeadline, *, observer: Observer | None,
                 fetcher: Fetcher | None, browser: str | None, warc: bool | None,
                 renderer: BrowserFetcher | None) -> AuditResult:
    selected = list(plan.items)
    observer = observer or _Silent()
    agency = loaded.agency
    options = http_options(loaded)
    doc_options = document_options(loaded)
    own_fetcher = fetcher is None
    # the address rule on every hop, HTTP and browser: private addresses only when the homepage is private
    origins = options_origins(loaded)  # a copy audited as the real site (fetch/serve_from.py)
    policy = await resolved_address_policy(loaded)
    inner: Fetcher = (HttpFetcher(options, policy=policy, serve_from=origins) if fetcher is None
                      else ServeFromFetcher(fetcher, origins) if origins else fetcher)
    active: Fetcher = DeadlineFetcher(inner, deadline)  # every request ends at the run's deadline
    private_ok = policy.private_ok
    item_urls = {u for item in selected for u in loaded.urls_for(item.code)}
    staging = evidence.Staging.for_run(loaded, item_urls, warc)
    browser_pass = BrowserPass(loaded, selected, mode=browser, renderer=renderer, use_browser=fetcher is None,
                               policy=policy, shots=staging,
                               screenshots=staging.options.screenshots if staging is not None else "none")
    probes = _probe_urls(item_urls) if loaded.config.http.soft_404_probe else {}
    targets = sorted({agency.homepage, *item_urls, *probes.values()})
    shared = SharedFetches(active, targets)  # read in full once, by the crawl when it reaches one, else below
    try:
        crawler = Crawler(active, agency.homepage, agency.domains, crawl_options(loaded), shared=shared,
                          items=item_urls, extra_hosts={h for item in selected for h in item.allowed_hosts},
                          private_ok=private_ok, progress=getattr(observer, "crawled", None),
                          renderer=browser_pass.crawl_renderer())
        finished, crawled = await deadline.race(crawler.run())
        graph = crawled if finished and crawled is not None else crawler.cut_short(deadline.reason)
        if deadline.expired:  # a crawl cut short is incomplete, never proof that an item is not linked
            graph.limit_reached = deadline.reason
        observer.started(len(targets))

        async def one(url: str) -> tuple[str, Page]:  # after the crawl: its counts do not depend on timing
            blocked = blocked_reason(url, private_ok)
            if blocked:
                fetched = FetchResult(url=url, final_url=url, error=Reason.BLOCKED_ADDRESS, error_detail=blocked)
            else:
                try:
                    fetched = await shared.fetch(url)  # the crawl's response when it reached the URL
                except Exception as exc:  # noqa: BLE001 - one bad URL never stops the run
                    fetched = FetchResult(url=url, final_url=url, error=Reason.INTERNAL_ERROR,
                                          error_detail=f"{type(exc).__name__}: {exc}"[:200])
            page = Page(fetched, await _extract(fetched, doc_options))
            observer.advanced(url)
            return url, page

        http_pages = await _all_pages(targets, one, deadline)
        pdf_shots = evidence.pdf_screenshots(staging, http_pages) if staging is not None else asyncio.sleep(0)
        rendered, _ = await deadline.race(asyncio.gather(browser_pass.run(http_pages), pdf_shots))
        if not rendered:  # the run ended while the browser (oit_checker.browse) was at work
            browser_pass.stop(deadline.reason)
        pages = {**http_pages, **browser_pass.pages()}  # what the checks read: rendered pages, each with its view
        linked = await _linked_evidence(loaded, selected, pages, active, doc_options, private_ok)
    finally:
        shared.cancel()
        await browser_pass.aclose()
        if own_fetcher:
            await inner.aclose()

    home = pages[agency.homepage]
    ctx = Context(
        homepage=agency.homepage, domains=agency.domains, assessment_year=loaded.checklist.assessment_year,
        crawl=graph,
        soft_404_fingerprints={host: fingerprint(p.doc.title, p.doc.main_text or p.doc.text)
                               for host, url in probes.items()
                               if (p := pages[url]).fetch.ok and p.doc is not None},
        max_body_bytes=options.max_body_bytes, homepage_ok=home.fetch.ok, boilerplate=graph.boilerplate,
        social_rules=browser_pass.rules,
    )
    results = tuple(_item_result(item, loaded.urls_for(item.code), linked.get(item.code, pages), ctx,
                                 all_required=loaded.urls_mode(item.code) == "all")
                    for item in selected)
    result = AuditResult(
        run_id=plan.run_id, started_at=plan.started_at, finished_at=dt.datetime.now(dt.UTC), tool_version=__version__,
        checklist_id=loaded.checklist.id, checklist_title=loaded.checklist.title_th,
        assessment_year=loaded.checklist.assessment_year, agency_name=agency.name,
        homepage=agency.homepage, items=results, checklist_choice=loaded.choice.to_dict(),
        complete=_any_answer(pages.values()) and deadline.reason != INTERRUPTED,
        homepage_problem=_problem(home),
        crawl=graph.summary(),
        deadline=loaded.config.assessment.submission_deadline,
        deadline_warn_days=loaded.config.assessment.warn_days,
        browser=_browser_summary(browser_pass, staging),
    )
    if staging is None:
        return result
    with_evidence = {url: page for by_url in linked.values() for url, page in by_url.items() if page.attachments}
    return evidence.write_bundle(result, http_pages, {**pages, **with_evidence}, staging)  # linked from the result


def _item_result(item: Item, urls: tuple[str, ...], pages: dict[str, Page], ctx: Context,
                 checks: CheckFn = run_checks, all_required: bool = False) -> ItemResult:
    """The item's verdict from its URLs' findings: the best URL decides (they are alternatives), or
    with ``all_required`` (``urls_mode = "all"``: a plan *and* its report) the worst one does, and
    each URL that does not pass is named in an item-level finding."""
    def result(status: Status, urls: tuple[UrlResult, ...], findings: tuple[Finding, ...] = (),
               passing: str | None = None) -> ItemResult:
        return ItemResult(code=item.code, name_th=item.name_th, name_en=item.name_en, group=item.group,
                          status=status, urls=urls, findings=findings, passing_url=passing,
                          confidence=item.confidence.value)

    if not urls:
        return result(Status.FAIL, (), (Finding(Check.ITEM, Status.FAIL, Reason.NO_URL_GIVEN, {"code": item.code}),))
    url_results = tuple(UrlResult(u, pages[u].fetch, _checked(checks, pages[u], item, ctx)) for u in urls)
    if all_required:
        missing = tuple(Finding(Check.ITEM, r.status, Reason.REQUIRED_URL_NOT_PASSING,
                                {"url": r.url, "status": r.status.value})
                        for r in url_results if r.status is not Status.PASS)
        worst_url = max(url_results, key=lambda r: r.status.severity)
        return result(worst_url.status, url_results, missing, passing=None if missing else url_results[0].url)
    best = min(url_results, key=lambda r: r.status.severity)
    return result(best.status, url_results, passing=next((r.url for r in url_results if r.status is Status.PASS), None))


def _checked(checks: CheckFn, page: Page, item: Item, ctx: Context) -> tuple[Finding, ...]:
    """The checks' findings; a check that raises is an ``internal_error`` finding, never a crash."""
    try:
        return tuple(checks(page, item, ctx))
    except Exception as exc:  # noqa: BLE001 - one URL's error never stops the run
        return (Finding(Check.REACHABLE, Status.UNVERIFIED, Reason.INTERNAL_ERROR,
                        {"detail": f"{type(exc).__name__}: {exc}"[:200]}),)


async def _all_pages(targets: list[str], one: Callable[[str], Awaitable[tuple[str, Page]]],
                     deadline: RunDeadline) -> dict[str, Page]:
    """Every target's page; those unfinished at the deadline are cancelled and say so. Past the
    deadline a fetch ends at once (``DeadlineFetcher``), so pages already fetched (by the crawl)
    get ``EXTRACT_GRACE`` seconds to be read rather than being thrown away."""
    tasks = {url: asyncio.ensure_future(one(url)) for url in targets}
    if tasks:
        finished, _ = await deadline.race(asyncio.wait(tasks.values()))
        if not finished:
            await asyncio.wait(tasks.values(), timeout=EXTRACT_GRACE)
    pages: dict[str, Page] = {}
    for url, task in tasks.items():
        if not task.done():
            task.cancel()
            pages[url] = Page(deadline.result(url), None)
        elif task.cancelled():
            pages[url] = Page(deadline.result(url), None)
        elif (exc := task.exception()) is not None:
            pages[url] = Page(FetchResult(url=url, final_url=url, error=Reason.INTERNAL_ERROR,
                                          error_detail=f"{type(exc).__name__}: {exc}"[:200]), None)
        else:
            pages[url] = task.result()[1]
    return pages


def _browser_summary(browser_pass: BrowserPass, staging: evidence.Staging | None) -> dict[str, Any]:
    """How the browser was used; ``screenshots`` counts the PDF page-1 images too."""
    summary = browser_pass.summary()
    summary["screenshots"] += len(staging.screenshots) if staging is not None else 0
    return summary


async def _linked_evidence(loaded: LoadedConfig, selected: list[Item], pages: dict[str, Page], fetcher: Fetcher,
                           doc_options: ExtractOptions, private_ok: bool) -> dict[str, dict[str, Page]]:
    """Item code -> its pages with the evidence they link attached (``oit_checker.attachments``);
    every linked URL is fetched once, whichever items link it."""
    limit = loaded.config.audit.max_evidence_links
    agency = loaded.agency
    wanted: dict[tuple[str, str], list[Link]] = {}
    for item in selected:
        for url in loaded.urls_for(item.code):
            page = pages[url]
            if page.fetch.ok and page.doc is not None:
                links = evidence_links(page.doc, page.fetch.final_url, item, agency.domains, agency.homepage, limit)
                if links:
                    wanted[item.code, url] = links
    if not wanted:
        return {}
    fetched = await fetch_attachments((link for links in wanted.values() for link in links), fetcher.fetch,
                                      lambda result: _extract(result, doc_options), private_ok)
    out: dict[str, dict[str, Page]] = {}
    for (code, url), links in wanted.items():
        attached = tuple(dataclasses.replace(fetched[link.url], text=" ".join(link.text.split())) for link in links)
        out.setdefault(code, dict(pages))[url] = dataclasses.replace(pages[url], attachments=attached)
    return out


async def _extract(fetched: FetchResult, options: ExtractOptions = DEFAULT_OPTIONS) -> Document | None:
    """Extract in a worker thread (PDF parsing is blocking); None when there is nothing to read."""
    if not fetched.ok or not fetched.body:
        return None
    try:
        return await asyncio.to_thread(extract, fetched, options)
    except Exception as exc:  # noqa: BLE001 - a broken file must become a finding, not a crash
        return Document(kind="other", text_source="none", warnings=(Reason.EXTRACT_FAILED,),
                        metadata={"error": f"{type(exc).__name__}: {exc}"[:200]})


def _probe_urls(urls: Iterable[str]) -> dict[str, str]:
    """One random, surely missing path per host, to recognise sites that answer 200 for anything."""
    out: dict[str, str] = {}
    for url in sorted(urls):
        host = host_of(url)
        if host and host not in out:
            base = url.split("/", 3)
            out[host] = f"{base[0]}//{base[2]}/oit-checker-probe-{uuid.uuid4().hex[:12]}"
    return out


def _problem(page: Page) -> str | None:
    """The reason code of a page that could not be read, else None."""
    if page.fetch.error:
        return page.fetch.error
    if not page.fetch.ok:
        return f"http_{page.fetch.status}"
    return None


def _any_answer(pages: Iterable[Page]) -> bool:
    """False when no server answered at all: the run says nothing about the agency."""
    return any(p.fetch.status is not None and "cf-mitigated" not in p.fetch.headers for p in pages)
