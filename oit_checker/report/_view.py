"""What the HTML, Markdown, JUnit and ITAS-CSV reports show, read once from an ``AuditResult``.

The reporters differ only in syntax; which findings to show, where the evidence keeps the click
path, the matched snippets and screenshots, and how the ITAS explanation is worded live here.
Everything returned is plain text: each reporter escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..deadline import deadline_message, deadline_status
from ..messages import reason_fix, reason_message, status_label, ui
from ..models import AuditResult, Check, Finding, ItemResult, Status, UrlResult
from ..reasons import Reason
from .crawl_section import broken_link_dict

STATUS_ORDER = (Status.PASS, Status.WARN, Status.FAIL, Status.UNVERIFIED)
"""The order statuses are listed in summaries (as in the console summary line)."""
ICONS = {Status.PASS: "✔", Status.WARN: "!", Status.FAIL: "✘", Status.UNVERIFIED: "?"}
KINDS = {"application/pdf": "PDF", "application/msword": "Word", "application/vnd.ms-excel": "Excel",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel"}
"""Media types shown as a file rather than a page in the ITAS explanation."""
SNIPPET_CHARS = 240
"""Longest snippet shown (evidence snippets are short already; this caps hostile input)."""
YEAR_SNIPPETS = 2
"""Snippets shown for the fiscal year found (a stale report repeats its year many times)."""


@dataclass(frozen=True)
class Shown:
    """A finding as a report shows it: status, code, message and fix in the report's language."""

    status: Status
    check: str
    reason: str
    message: str
    fix: str


@dataclass(frozen=True)
class Hop:
    """One step of a click path from the homepage."""

    url: str
    text: str = ""


def item_name(item: ItemResult, lang: str) -> str:
    """The item's name in ``lang`` (Thai when there is no English name)."""
    return item.name_en if lang == "en" and item.name_en else item.name_th


def grouped(items: tuple[ItemResult, ...]) -> list[tuple[str, list[ItemResult]]]:
    """Items by checklist group, groups in the order they first appear."""
    groups: dict[str, list[ItemResult]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return list(groups.items())


def shown(finding: Finding, lang: str) -> Shown:
    """A finding's message and fix rendered in ``lang``."""
    return Shown(finding.status, finding.check.value, finding.reason,
                 reason_message(finding.reason, finding.params, lang),
                 reason_fix(finding.reason, finding.params, lang))


def problems(findings: tuple[Finding, ...] | list[Finding], lang: str) -> list[Shown]:
    """The findings that are not ``pass``, worst first (stable within a status)."""
    bad = [f for f in findings if f.status is not Status.PASS]
    return [shown(f, lang) for f in sorted(bad, key=lambda f: -f.status.severity)]


def highlights(findings: tuple[Finding, ...] | list[Finding], lang: str) -> list[Shown]:
    """What a passing URL proved that matters to a reader: the year and the elements found."""
    return [shown(f, lang) for f in findings
            if f.status is Status.PASS and f.check in (Check.FRESH, Check.CONTENT)]


def all_problems(item: ItemResult, lang: str) -> list[Shown]:
    """Item-level and URL-level problems of an item (a passing item has none worth showing)."""
    if item.status is Status.PASS:
        return []
    return problems([*item.findings, *(f for u in item.urls for f in u.findings)], lang)


def submit_url(item: ItemResult) -> UrlResult | None:
    """The URL to type into ITAS: the passing one, else the first one given."""
    for url in item.urls:
        if url.url == item.passing_url:
            return url
    return item.urls[0] if item.urls else None


def evidence(url: UrlResult, key: str) -> Any:
    """The first value of ``key`` in this URL's findings' evidence (None when absent)."""
    for finding in url.findings:
        if key in finding.evidence and finding.evidence[key]:
            return finding.evidence[key]
    return None


def click_path(url: UrlResult) -> list[Hop]:
    """The click path from the homepage (evidence ``click_path``: URLs, or ``{url, text}`` hops)."""
    raw = evidence(url, "click_path")
    hops: list[Hop] = []
    if isinstance(raw, list | tuple):
        for hop in raw:
            if isinstance(hop, str):
                hops.append(Hop(hop))
            elif isinstance(hop, dict) and isinstance(hop.get("url"), str):
                hops.append(Hop(hop["url"], str(hop.get("text") or hop.get("title") or "")))
    return hops


def hop_label(hop: Hop, index: int, base_url: str, lang: str) -> str:
    """How one hop reads in a sentence: its link text, 'homepage' first, else a short URL."""
    if hop.text:
        return _fold(hop.text)
    if index == 0:
        return ui("report_homepage_hop", lang)
    return short_url(hop.url, base_url)


def short_url(url: str, base_url: str) -> str:
    """The path of a URL on the same host as ``base_url`` (decoded for Thai), else the whole URL."""
    parts, base = urlsplit(url), urlsplit(base_url)
    if parts.netloc and parts.netloc == base.netloc:
        return unquote(parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return url


def snippets(url: UrlResult, lang: str) -> list[tuple[str, str]]:
    """Matched text from the evidence: (label, snippet) for each element found and for the year."""
    out: list[tuple[str, str]] = []
    for finding in url.findings:
        ev = finding.evidence
        if finding.check is Check.CONTENT and isinstance(ev.get("found"), dict):
            out.extend((str(name), _cap(str(text))) for name, text in ev["found"].items())
        elif finding.check is Check.FRESH:
            year = finding.params.get("found") or finding.params.get("year") or ""
            label = ui("report_year_label", lang, year=year)
            texts = [ev["snippet"]] if isinstance(ev.get("snippet"), str) else list(ev.get("snippets") or ())
            out.extend((label, _cap(str(text))) for text in texts[:YEAR_SNIPPETS])
    return out


def screenshots(url: UrlResult) -> list[str]:
    """Screenshot paths: the evidence bundle's (``UrlResult.screenshot``); findings carry none."""
    return [url.screenshot] if url.screenshot else []


def thumbnail(url: UrlResult, screenshot: str) -> str | None:
    """The evidence bundle's small JPEG of ``screenshot`` (``evidence_files["thumbnail"]``), if any."""
    return url.thumbnail if url.screenshot == screenshot else None


def page_title(url: UrlResult) -> str:
    """The page or document title recorded by the content check ('' when none)."""
    value = evidence(url, "title")
    return _fold(value) if isinstance(value, str) else ""


def page_heading(url: UrlResult) -> str:
    """The first heading of the page, when it says more than the title ('' otherwise)."""
    value = evidence(url, "heading")
    if not isinstance(value, str):
        return ""
    heading = _fold(value)
    return "" if not heading or heading in page_title(url) else heading


def file_kind(url: UrlResult) -> str:
    """``PDF``, ``Word`` or ``Excel`` for a document URL; '' for a web page."""
    return KINDS.get(url.fetch.content_type, "") if url.fetch else ""


def http_status(url: UrlResult) -> int | None:
    """The final HTTP status, when a response arrived."""
    return url.fetch.status if url.fetch else None


def elapsed(item: ItemResult) -> float:
    """Seconds spent fetching the item's URLs."""
    return sum(u.fetch.elapsed for u in item.urls if u.fetch)


def safe_href(url: str) -> str | None:
    """``url`` when it may be a link target (http or https only), else None."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


@dataclass(frozen=True)
class Deadline:
    """The deadline line of a report."""

    text: str
    urgent: bool
    """Items still fail and the deadline is near or past."""


def deadline(result: AuditResult, lang: str) -> Deadline | None:
    """Days to the ITAS deadline (``[assessment] submission_deadline``), or None when not set.

    Counted from the run's date in Bangkok, so a report says the same whenever it is opened.
    """
    if getattr(result, "deadline", None) is None:
        return None
    status = deadline_status(result)
    if status is None:
        return None
    return Deadline(deadline_message(status, lang), bool(status.failing) and (status.near or status.passed))


@dataclass(frozen=True)
class CrawlView:
    """The crawl section: what was crawled, limits, and the broken links on the OIT pages."""

    notes: list[str]
    broken_title: str
    broken: list[dict[str, Any]]
    """``broken_link_dict`` of each link: page, url, text, status, reason, message, fix."""


def crawl(result: AuditResult, lang: str) -> CrawlView | None:
    """The crawl section in ``lang``, or None when no crawl ran."""
    summary = getattr(result, "crawl", None)
    if summary is None:
        return None
    notes = [ui("crawl_summary", lang, pages=summary.pages, depth=summary.depth_reached,
                seconds=f"{summary.elapsed:.1f}")]
    if summary.limit_reached:
        notes.append(ui("crawl_limited", lang, limit=summary.limit_reached, max_pages=summary.max_pages,
                        max_depth=summary.max_depth))
    if summary.robots_blocked:
        notes.append(ui("crawl_robots", lang, blocked=summary.robots_blocked))
    if summary.unread_pages:
        notes.append(ui("crawl_unread", lang, count=summary.unread_pages))
    pages = len(summary.oit_pages)
    if summary.broken_links:
        title = ui("broken_links_title", lang, count=len(summary.broken_links), pages=pages)
    else:
        title = ui("broken_links_none", lang, pages=pages) if pages else ""
    return CrawlView(notes, title, [broken_link_dict(b, lang) for b in summary.broken_links])


def hints(result: AuditResult, lang: str) -> list[str]:
    """The notes under the summary (same as the console's)."""
    counts = result.counts()
    out = []
    if not result.complete:
        out.append(ui("hint_incomplete", lang))
    if result.homepage_problem:
        out.append(ui("hint_homepage", lang, url=result.homepage, problem=result.homepage_problem))
    if counts[Status.UNVERIFIED]:
        out.append(ui("hint_unverified", lang))
    if any(i.confidence == "unverified" for i in result.items):
        out.append(ui("hint_confidence", lang))
    return out


MAX_CODES_NAMED = 8
"""Unverified item codes named in the checklist note; more are counted."""


def choice_notes(result: AuditResult, lang: str) -> list[str]:
    """What the report says about the checklist used: chosen by default (and which), another year's
    list than the round being assessed, partial, items no good source confirms."""
    choice = result.checklist_choice
    if not choice:
        return []
    out = []
    if choice["why"] == "newest_general":
        out.append(ui("choice_default", lang, checklist=choice["id"], year=choice["assessment_year"]))
    if choice["other_year"]:
        out.append(ui("choice_other_year", lang, checklist=choice["id"], year=choice["assessment_year"],
                      current=choice["current_assessment_year"]))
    if choice["partial"]:
        out.append(ui("choice_partial", lang, checklist=choice["id"]))
    codes = list(choice["unverified_items"])
    if codes:
        named = ", ".join(codes[:MAX_CODES_NAMED]) + (f" (+{len(codes) - MAX_CODES_NAMED})"
                                                      if len(codes) > MAX_CODES_NAMED else "")
        out.append(ui("choice_unverified", lang, codes=named, count=len(codes)))
    return out


def status_word(status: Status, lang: str) -> str:
    """The status in ``lang`` (re-exported for the reporters)."""
    return status_label(status, lang)


def explanation(item: ItemResult, lang: str, base_url: str) -> str:
    """A suggested คำอธิบายเพิ่มเติม for ITAS: where the information sits, from the evidence.

    The click path from the homepage, the page or file title and its heading, the fiscal year
    found and the elements found. '' when nothing is known (the URL did not open).
    """
    url = submit_url(item)
    if url is None:
        return ""
    parts: list[str] = []
    hops = click_path(url)
    if len(hops) > 1:
        path = " > ".join(hop_label(h, i, base_url, lang) for i, h in enumerate(hops))
        parts.append(ui("explain_click_path", lang, path=path, clicks=len(hops) - 1))
    title, heading, kind = page_title(url), page_heading(url), file_kind(url)
    if kind:
        name = title or unquote(urlsplit(url.url).path.rsplit("/", 1)[-1])
        parts.append(ui("explain_file", lang, kind=kind, title=name))
    elif title:
        parts.append(ui("explain_page", lang, title=title))
    if heading:
        parts.append(ui("explain_heading", lang, heading=heading))
    for finding in url.findings:
        if finding.reason == Reason.FISCAL_YEAR_FOUND:
            parts.append(ui("explain_year", lang, year=finding.params.get("year", "")))
        elif finding.reason in (Reason.ELEMENTS_FOUND, Reason.MISSING_ELEMENT) and finding.evidence.get("found"):
            names = finding.params.get("found_en" if lang == "en" else "found")
            found = names or ", ".join(str(n) for n in finding.evidence["found"])
            parts.append(ui("explain_elements", lang, found=found))
            files = linked_files(finding.evidence)
            if files:
                parts.append(ui("explain_linked_files", lang, files=", ".join(files)))
    return " ".join(parts)


def linked_files(evidence: dict[str, object]) -> list[str]:
    """The names of the linked files that held elements (``found_in`` of the content check)."""
    found_in = evidence.get("found_in")
    if not isinstance(found_in, dict):
        return []
    urls = dict.fromkeys(str(u) for u in found_in.values() if u != "page")
    return [unquote(urlsplit(u).path.rsplit("/", 1)[-1]) or u for u in urls]


def _fold(text: str) -> str:
    return " ".join(text.split())


def _cap(text: str) -> str:
    text = _fold(text)
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"
