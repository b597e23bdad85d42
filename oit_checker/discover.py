"""``oit-checker discover``: crawl the main website and propose, for every checklist item, the URL
that publishes it, ranked with a score (0–100) and the reasons.

Evidence for an (item, URL) pair, Thai-aware (``oit_checker.thai``: digits, spacing, spelling
variants folded before comparing):

- the text of the links that lead to the URL, and of the table row / list item around them,
  against the item's Thai name (how much of the name they contain);
- the item number next to the link or in the URL, written "O24", "o24", "O.24", "ข้อ 24",
  "OIT 24" or with Thai digits; the number of *another* item in the same row counts against;
- the page's title and headings against the item's name, and the item's elements in its text;
- social-network items: an account link to one of the item's allowed hosts.

Index pages that list many items are discounted, the homepage is never proposed (an item URL
must lead straight to the information), and a URL that did not open during the crawl is kept
but flagged: it is still the link the OIT page gives, and it must be fixed.

Output is ``report/discovery.py``; ``--write`` is ``config_edit``; ``--checklist`` is ``discover_carry``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from .audit import select_items
from .checklist import Element, Item
from .checks.detectors import DETECTOR_FUNCTIONS
from .config import LoadedConfig
from .crawl import Crawler, LinkGraph
from .discover_carry import Carried
from .extract.links import PageLinks
from .fetch.http import HttpFetcher
from .fetch.interface import Fetcher
from .fetch.shared import SharedFetches
from .messages import ui
from .models import CrawlSummary, Status
from .options import crawl_options, http_options, origins, resolved_address_policy
from .reasons import default_status
from .thai import normalize, normalize_phrase_variants
from .urls import host_matches, host_of, page_key, same_page

PROPOSE_AT = 35.0
"""The least score a candidate needs to be proposed."""
W_LINK, W_CONTEXT, W_CODE_LINK, W_CODE_CONTEXT, W_CODE_URL, W_CODE_PAGE = 45.0, 0.7, 15.0, 10.0, 8.0, 10.0
W_OTHER_CODE, W_TITLE, W_HEADING, W_ELEMENTS, W_SOCIAL = 20.0, 15.0, 10.0, 15.0, 40.0
HUB_ITEMS = 3
"""A page naming this many items or more is an index page: its own title and text count little."""
HUB_FACTOR = 0.3
_SHARE_PATHS = re.compile(r"sharer|/share|intent/tweet|/dialog/|plugins/", re.IGNORECASE)
_ANY_CODE = re.compile(r"(?<![a-z0-9])(?:oit\s*|o\s*\.?\s*|ข้อ(?:ที่)?\s*o?\s*)0*(\d{1,3})(?![0-9])")


def _code_pattern(code: str) -> re.Pattern[str] | None:
    """How an item number is written on Thai sites: O24, o24, O.24, O-24, OIT 24, ข้อ 24, ข้อที่ ๒๔ …"""
    match = re.fullmatch(r"([A-Za-z]+)\.?0*(\d+)", code)
    if match is None:
        return None
    letters, number = match.group(1).lower(), match.group(2)
    return re.compile(rf"(?<![a-z0-9])(?:{re.escape(letters)}it\s*|{re.escape(letters)}\s*[-.:]?\s*|"
                      rf"ข้อ(?:ที่)?\s*(?:{re.escape(letters)}\s*)?)0*{number}(?![0-9])")


def _fold(text: str) -> str:
    """Lower-case normalised text with Thai digits as Arabic, for code matching."""
    return normalize(text).lower()


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) if len(text) > 1 else frozenset({text})


class _Name:
    """An item's name in the forms the comparison needs."""

    def __init__(self, name: str) -> None:
        self.compact = normalize_phrase_variants(name)
        self.bigrams = _bigrams(self.compact)

    def similarity(self, text_compact: str, text_bigrams: frozenset[str]) -> float:
        """How much of the name the text holds (1.0: all of it), slightly favouring texts that
        are not much longer than the name."""
        if not self.compact or not text_compact:
            return 0.0
        if self.compact in text_compact:
            recall = 1.0
        else:
            recall = len(self.bigrams & text_bigrams) / len(self.bigrams)
        precision = len(self.bigrams & text_bigrams) / max(1, len(text_bigrams))
        return round(0.85 * recall + 0.15 * min(1.0, precision * 1.5), 3)


@dataclass
class _Evidence:
    """What was found for one (item, URL) pair; best values win."""

    link: float = 0.0
    link_text: str = ""
    context: float = 0.0
    code_link: bool = False
    code_context: bool = False
    other_code: str = ""
    code_url: bool = False
    code_page: bool = False
    title: float = 0.0
    heading: float = 0.0
    heading_text: str = ""
    elements: tuple[int, int] = (0, 0)
    hub: bool = False
    page_seen: bool = False
    social_host: str = ""


@dataclass(frozen=True)
class Candidate:
    """One proposed URL for an item."""

    url: str
    score: float
    reasons: tuple[tuple[str, dict[str, Any]], ...]
    """(message key, parameters) pairs; ``reason_texts`` renders them in a language."""
    http_status: int | None = None
    problem: str | None = None
    """Reason code when the URL did not open during the crawl (``http_404`` …)."""
    click_path: tuple[str, ...] | None = None
    carried_from: str = ""
    """The old item's code when this URL is the config's URL for it (``--checklist``: carried over)."""

    @property
    def broken(self) -> bool:
        """The URL failed during the crawl (404, DNS error …), not merely unchecked."""
        return self.problem is not None and default_status(self.problem) is Status.FAIL

    def reason_texts(self, lang: str) -> list[str]:
        """The reasons in ``lang``."""
        return [ui(key, lang, **params) for key, params in self.reasons]


@dataclass(frozen=True)
class ItemProposal:
    """The ranked candidates for one checklist item."""

    code: str
    name_th: str
    name_en: str
    candidates: tuple[Candidate, ...]
    configured: tuple[str, ...] = ()
    """The URLs the config already gives for the item."""

    @property
    def proposed(self) -> Candidate | None:
        """The best candidate when it scores at least ``PROPOSE_AT``; a URL carried over from the
        previous list's item comes first whatever its score, unless it is broken."""
        if self.candidates and (self.candidates[0].score >= PROPOSE_AT or
                                (self.candidates[0].carried_from and not self.candidates[0].broken)):
            return self.candidates[0]
        return None


@dataclass(frozen=True)
class DiscoveryResult:
    """What ``discover`` found."""

    agency_name: str
    homepage: str
    checklist_id: str
    items: tuple[ItemProposal, ...]
    crawl: CrawlSummary
    complete: bool
    """False when the homepage could not be read (nothing could be discovered)."""
    homepage_problem: str | None = None
    finished_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    carried_from: str = ""
    """The config's own checklist id when URLs were carried over from it (``--checklist``)."""

    def proposed_urls(self) -> list[tuple[str, str, float]]:
        """``(code, URL, score)`` for every item with a proposal (what ``discover --write`` fills in)."""
        return [(p.code, best.url, best.score) for p in self.items if (best := p.proposed) is not None]


class _Collector:
    """The crawl's page visitor: scores every page and link against every item as it goes."""

    def __init__(self, items: list[Item], homepage: str) -> None:
        self.items = items
        self.homepage = homepage
        self.names = {item.code: _Name(item.name_th) for item in items}
        self.codes = {item.code: _code_pattern(item.code) for item in items}
        self.evidence: dict[str, dict[str, _Evidence]] = {item.code: {} for item in items}
        self._link_cache: dict[tuple[str, str], list[tuple[str, float, float, bool, bool, str]]] = {}

    def _get(self, code: str, url: str) -> _Evidence:
        key = page_key(url)
        found = self.evidence[code].get(key)
        if found is None:
            found = self.evidence[code][key] = _Evidence()
        return found

    def page(self, url: str, depth: int, links: PageLinks) -> None:
        """See ``PageVisitor.page``."""
        text = "\n".join((links.title, *links.headings, links.text))
        text_variants = normalize_phrase_variants(text)
        title_compact = normalize_phrase_variants(links.title)
        title_bigrams = _bigrams(title_compact)
        headings = [(h, normalize_phrase_variants(h)) for h in links.headings[:20]]
        page_fold = _fold(" ".join((links.title, *links.headings[:5])))
        named = sum(1 for name in self.names.values() if len(name.compact) >= 4 and name.compact in text_variants)
        hub = named >= HUB_ITEMS
        norm_text = normalize(text)
        for item in self.items:
            ev = self._get(item.code, url)
            ev.page_seen = True
            ev.hub = hub
            name = self.names[item.code]
            ev.title = max(ev.title, name.similarity(title_compact, title_bigrams))
            for heading, heading_compact in headings:
                sim = name.similarity(heading_compact, _bigrams(heading_compact))
                if sim > ev.heading:
                    ev.heading, ev.heading_text = sim, heading[:80]
            pattern = self.codes[item.code]
            if pattern is not None and pattern.search(page_fold):
                ev.code_page = True
            if item.elements:
                found = sum(1 for element in item.elements if _element_found(element, text_variants, norm_text))
                ev.elements = max(ev.elements, (found, len(item.elements)))
        for link in links.links:
            self._link(link.url, link.text, link.context)

    def _link(self, url: str, text: str, context: str) -> None:
        if same_page(url, self.homepage):
            return
        cached = self._link_cache.get((text, context))
        if cached is None:
            cached = self._score_link(text, context)
            if len(self._link_cache) < 50_000:
                self._link_cache[(text, context)] = cached
        host = host_of(url)
        for code, link_sim, context_sim, code_link, code_context, other in cached:
            ev = self._get(code, url)
            if link_sim > ev.link:
                ev.link, ev.link_text = link_sim, text[:80]
            ev.context = max(ev.context, context_sim)
            ev.code_link = ev.code_link or code_link
            ev.code_context = ev.code_context or code_context
            if other and not (code_link or code_context):
                ev.other_code = ev.other_code or other
        for item in self.items:
            if item.social and host_matches(host, item.allowed_hosts) and not _SHARE_PATHS.search(url) \
                    and urlsplit(url).path.strip("/"):
                self._get(item.code, url).social_host = host
        for item in self.items:
            pattern = self.codes[item.code]
            if pattern is not None and pattern.search(_fold(urlsplit(url).path.replace("/", " "))):
                self._get(item.code, url).code_url = True

    def _score_link(self, text: str, context: str) -> list[tuple[str, float, float, bool, bool, str]]:
        text_compact = normalize_phrase_variants(text)
        text_bigrams = _bigrams(text_compact)
        context_compact = normalize_phrase_variants(context)
        context_bigrams = _bigrams(context_compact)
        text_fold, context_fold = _fold(text), _fold(context)
        numbers = {m.group(1) for m in _ANY_CODE.finditer(context_fold)} | \
                  {m.group(1) for m in _ANY_CODE.finditer(text_fold)}
        out = []
        for item in self.items:
            name = self.names[item.code]
            link_sim = name.similarity(text_compact, text_bigrams) if len(text_compact) > 1 else 0.0
            context_sim = name.similarity(context_compact, context_bigrams) if context_compact else 0.0
            pattern = self.codes[item.code]
            code_link = bool(pattern is not None and pattern.search(text_fold))
            code_context = bool(pattern is not None and pattern.search(context_fold))
            own = re.sub(r"\D", "", item.code).lstrip("0")
            others = sorted(n for n in numbers if n.lstrip("0") != own)
            other = f"O{others[0]}" if others and not (code_link or code_context) else ""
            if link_sim or context_sim or code_link or code_context or other:
                out.append((item.code, link_sim, context_sim, code_link, code_context, other))
        return out


def _element_found(element: Element, text_variants: str, norm_text: str) -> bool:
    for phrase in element.phrases:
        if normalize_phrase_variants(phrase) in text_variants:
            return True
    for pattern in element.patterns:
        if re.search(pattern, norm_text):
            return True
    return any(DETECTOR_FUNCTIONS[name](norm_text) is not None for name in element.detectors)


def _score(item: Item, url: str, ev: _Evidence, graph: LinkGraph) -> Candidate:
    reasons: list[tuple[str, dict[str, Any]]] = []
    score = 0.0
    link = max(ev.link, W_CONTEXT * ev.context)
    if link > 0.3:
        score += W_LINK * link
        if ev.link >= W_CONTEXT * ev.context and ev.link_text:
            reasons.append(("discover_link_text", {"text": ev.link_text, "similarity": round(ev.link * 100)}))
        else:
            reasons.append(("discover_context_match", {"similarity": round(ev.context * 100)}))
    if ev.code_link or ev.code_context:
        score += W_CODE_LINK if ev.code_link else W_CODE_CONTEXT
        reasons.append(("discover_code", {"code": item.code}))
    elif ev.other_code:
        score -= W_OTHER_CODE
        reasons.append(("discover_other_code", {"other": ev.other_code}))
    if ev.code_url:
        score += W_CODE_URL
        reasons.append(("discover_url_code", {"code": item.code}))
    if ev.social_host and item.social:
        score += W_SOCIAL
        reasons.append(("discover_social", {"host": ev.social_host}))
    factor = HUB_FACTOR if ev.hub else 1.0
    page = 0.0
    if ev.title > 0.5:
        page += W_TITLE * ev.title
        reasons.append(("discover_title_match", {"similarity": round(ev.title * 100)}))
    if ev.heading > 0.5:
        page += W_HEADING * ev.heading
        reasons.append(("discover_heading_match", {"text": ev.heading_text, "similarity": round(ev.heading * 100)}))
    if ev.code_page:
        page += W_CODE_PAGE
    found, total = ev.elements
    if total and found:
        page += W_ELEMENTS * found / total
        reasons.append(("discover_elements", {"found": found, "total": total}))
    if ev.hub:
        reasons.append(("discover_index_page", {}))
    score += factor * page
    info = graph.info(url)
    path = graph.click_path(url)
    if info is not None and info.problem:
        broken = default_status(info.problem) is Status.FAIL
        score *= 0.85 if broken else 0.95
        reasons.append(("discover_broken" if broken else "discover_unchecked", {"problem": info.problem}))
    if path is not None:
        reasons.append(("discover_clicks", {"clicks": len(path) - 1}))
    elif info is not None and info.in_sitemap:
        score *= 0.8
        reasons.append(("discover_orphan", {}))
    shown = info.url if info is not None else url
    return Candidate(url=shown, score=round(min(100.0, max(0.0, score)), 1), reasons=tuple(reasons),
                     http_status=info.status if info is not None else None,
                     problem=info.problem if info is not None else None,
                     click_path=tuple(path) if path is not None else None)


def rank(items: Iterable[Item], collector: _Collector, graph: LinkGraph, domains: tuple[str, ...],
         top: int = 3, carried: Carried | None = None) -> list[tuple[Item, list[Candidate]]]:
    """The candidates of every item, best first (the homepage and foreign hosts left out); URLs
    carried over from the previous list come first unless they are broken."""
    out = []
    for item in items:
        candidates = _carried_candidates(item, (carried or {}).get(item.code, ()), collector, graph)
        taken = {page_key(c.url) for c in candidates}
        for key, ev in collector.evidence[item.code].items():
            info_url = graph.url_for_key(key)
            if info_url is None or same_page(info_url, graph.homepage):
                continue
            host = host_of(info_url)
            if not (host_matches(host, domains) or host_matches(host, item.allowed_hosts)):
                continue
            if item.social and not host_matches(host, item.allowed_hosts):
                continue
            candidate = _score(item, info_url, ev, graph)
            if candidate.score > 0 and page_key(candidate.url) not in taken:
                candidates.append(candidate)
        candidates.sort(key=lambda c: (not (c.carried_from and not c.broken), -c.score,
                                       len(c.click_path or ()) or 99, c.url))
        out.append((item, candidates[:max(top, sum(1 for c in candidates if c.carried_from))]))
    return out


def _carried_candidates(item: Item, pairs: Iterable[tuple[str, str]], collector: _Collector,
                        graph: LinkGraph) -> list[Candidate]:
    """The config's URLs of the old items, scored like any candidate (the homepage is never proposed)."""
    out: list[Candidate] = []
    for old, url in pairs:
        if same_page(url, graph.homepage) or any(page_key(c.url) == page_key(url) for c in out):
            continue
        info = graph.info(url)
        key = page_key(info.url if info is not None else url)
        ev = collector.evidence[item.code].get(key) or collector.evidence[item.code].get(page_key(url)) or _Evidence()
        out.append(replace(_score(item, url, ev, graph), carried_from=old))
    return out


async def discover_async(loaded: LoadedConfig, *, items: Iterable[str] | None = None, top: int = 3,
                         fetcher: Fetcher | None = None, max_pages: int | None = None,
                         progress: Callable[[int], None] | None = None, carried: Carried | None = None,
                         carried_from: str = "") -> DiscoveryResult:
    """See ``run_discover``."""
    selected = select_items(loaded, items)
    agency = loaded.agency
    options = replace(crawl_options(loaded), check_links=False)  # candidates' own statuses come from the crawl
    if max_pages is not None:
        options = replace(options, max_pages=max_pages)
    collector = _Collector(selected, agency.homepage)
    own = fetcher is None
    policy = await resolved_address_policy(loaded)  # the address contacted (a copy crawled as the real site)
    active: Fetcher = fetcher or HttpFetcher(http_options(loaded), policy=policy, serve_from=origins(loaded))
    try:
        old_urls = [url for item in selected for _, url in (carried or {}).get(item.code, ())]
        crawler = Crawler(active, agency.homepage, agency.domains, options, items=old_urls,
                          shared=SharedFetches(active, old_urls),  # read in full: scored like the crawl's pages
                          extra_hosts={h for item in selected for h in item.allowed_hosts},
                          private_ok=policy.private_ok, visitor=collector, progress=progress)
        graph = await crawler.run()
        for url in old_urls:  # still checked when no link led to it: opened, scored, flagged if broken
            await crawler.visit_unlinked(url)
    finally:
        if own:
            await active.aclose()
    proposals = tuple(
        ItemProposal(code=item.code, name_th=item.name_th, name_en=item.name_en, candidates=tuple(candidates),
                     configured=loaded.urls_for(item.code))
        for item, candidates in rank(selected, collector, graph, agency.domains, top, carried))
    return DiscoveryResult(agency_name=agency.name, homepage=agency.homepage, checklist_id=loaded.checklist.id,
                           items=proposals, crawl=graph.summary(), complete=graph.root_ok,
                           homepage_problem=graph.homepage_problem, carried_from=carried_from if carried else "")


def run_discover(loaded: LoadedConfig, *, items: Iterable[str] | None = None, top: int = 3,
                 fetcher: Fetcher | None = None, max_pages: int | None = None,
                 progress: Callable[[int], None] | None = None, carried: Carried | None = None,
                 carried_from: str = "") -> DiscoveryResult:
    """Crawl the agency's main website and rank candidate URLs for each checklist item.

    ``carried`` (from ``discover_carry.carry_over``): the config's URLs of last list's items, proposed first for
    the items that continue them (``carried_from``: that list's id).

    Example::

        from oit_checker import load_config
        from oit_checker.discover import run_discover
        from oit_checker.report.discovery import items_toml
        found = run_discover(load_config("config.toml"))
        print(items_toml(found))
    """
    return asyncio.run(discover_async(loaded, items=items, top=top, fetcher=fetcher, max_pages=max_pages,
                                      progress=progress, carried=carried, carried_from=carried_from))


__all__ = ["Candidate", "DiscoveryResult", "ItemProposal", "PROPOSE_AT", "discover_async", "rank", "run_discover"]
