"""The data that flows through an audit: fetch results, documents, findings, verdicts.

Everything here is a frozen dataclass or an enum so that checks stay pure functions
over values, and reporters render the same values in every format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias

from .reasons import Check as Check  # (defined with the reason codes; re-exported here)
from .reasons import Reason as Reason
from .reasons import Status as Status

NO_BROWSER: Final = "no_browser"
"""``FetchResult.error`` of a browser fetch when no browser could be started: a fault of this
machine, not of the page, so it is no ``Reason`` (the checks report such a page ``needs_browser``)."""
FetchError: TypeAlias = Reason | Literal["no_browser"]
"""What ``FetchResult.error`` may hold: a reason code, or ``NO_BROWSER`` from the browser fetcher."""


def worst(statuses: list[Status] | tuple[Status, ...]) -> Status:
    """The most severe status of a non-empty sequence (pass for an empty one)."""
    return max(statuses, key=lambda s: s.severity, default=Status.PASS)


@dataclass(frozen=True)
class Finding:
    """The answer to one check: a status, a stable reason code and the evidence for it.

    The message is not stored: reporters render it from the catalogue in the user's
    language (``oit_checker.messages``) using ``reason`` and ``params``.
    """

    check: Check
    status: Status
    reason: Reason
    """Stable snake_case code, e.g. ``http_404`` (``oit_checker.reasons``); a ``StrEnum``, so it
    serialises and compares as the plain code, and mypy rejects a misspelt one."""
    params: dict[str, Any] = field(default_factory=dict)
    """Values the message template needs (years found, element names …)."""
    evidence: dict[str, Any] = field(default_factory=dict)
    """What proves the finding: snippets, headers, the date's source …"""


@dataclass(frozen=True)
class Redirect:
    """One hop of a redirect chain."""

    url: str
    status: int


@dataclass(frozen=True)
class FetchResult:
    """What a fetcher saw for one URL, whether or not it succeeded.

    A fetch never raises: network problems are recorded in ``error`` as a reason code.
    """

    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    """Response headers of the final response, names lower-cased."""
    body: bytes = b""
    redirects: tuple[Redirect, ...] = ()
    error: FetchError | None = None
    """Reason code when no usable response was obtained (``timeout``, ``dns_error`` …)."""
    error_detail: str = ""
    tls_error: str | None = None
    """Set when certificate verification failed and the fetch was retried without it."""
    truncated: bool = False
    """The body hit the size cap."""
    attempts: int = 1
    elapsed: float = 0.0
    """Seconds for the whole fetch, retries included."""
    fetched_at: str = ""
    """ISO timestamp (UTC) of the final attempt."""
    rendered_by: str = ""
    """``chromium`` when a browser fetched it: ``body`` is then the DOM after scripts ran."""

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def ok(self) -> bool:
        """A response arrived and it is 2xx."""
        return self.error is None and self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Link:
    """A link found in a document, resolved to an absolute URL."""

    url: str
    text: str = ""


@dataclass(frozen=True)
class DocDate:
    """A date a file carries outside its running text, and where it came from."""

    source: str
    """``pdf_metadata``, ``docx_properties``, ``xlsx_properties`` or ``xlsx_cell``."""
    field: str
    """The field or cell: ``CreationDate``, ``modified``, ``ต.ค. 66!H4`` …"""
    value: dt.date


@dataclass(frozen=True)
class Table:
    """The header rows of one table (the first rows, or a sheet's header zone)."""

    where: str
    """``table 2``, a sheet name …"""
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Document:
    """Text and structure extracted from one fetched resource, whatever its format."""

    kind: str
    """``html``, ``pdf``, ``docx``, ``xlsx`` or ``other``."""
    text: str = ""
    """Visible text, in reading order, whitespace folded within lines."""
    title: str = ""
    headings: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    meta_refresh: str | None = None
    """Absolute target of a ``<meta http-equiv=refresh>``, if any."""
    password_inputs: int = 0
    forms: int = 0
    scripts: int = 0
    pages: int = 0
    """Pages of a paged document (PDF); 0 for HTML."""
    text_source: str = "html"
    """Where the text came from: ``html``, ``pdftotext``, ``pypdfium2`` …"""
    metadata: dict[str, str] = field(default_factory=dict)
    """Format metadata (PDF CreationDate/ModDate, title …)."""
    encoding: str = ""
    """The character encoding used to decode an HTML page, and why (e.g. ``cp874 (meta)``)."""
    warnings: tuple[str, ...] = ()
    """Reason codes for extraction problems (``no_text_layer``, ``extract_failed`` …)."""
    dates: tuple[DocDate, ...] = ()
    """Dates the format itself holds, with where each came from (PDF CreationDate, DOCX core
    properties, XLSX date cells); dates written in the text are found by the checks."""
    tables: tuple[Table, ...] = ()
    """Tables' header rows (HTML, DOCX, XLSX), for the ``columns`` element rule."""
    ocr_confidence: float | None = None
    """Mean word confidence (0–100) when some of the text was read by OCR."""
    extraction: dict[str, Any] = field(default_factory=dict)
    """How the text was obtained, for evidence: pages read, scanned pages, OCR state, caps hit."""
    main_text: str | None = None
    """HTML: the page's main content (navigation, menus, header, footer and sidebars left out),
    what an assessor reads; None when the whole ``text`` is content (PDF, office files)."""
    main_headings: tuple[str, ...] | None = None
    """HTML: the headings inside the main content; None when ``headings`` are all content."""
    main_links: tuple[Link, ...] | None = None
    """HTML: the links inside the main content (the evidence an item page links); None: all ``links``."""
    placeholders: tuple[Link, ...] = ()
    """HTML: links in the main content that lead nowhere (``href=""``, ``#``, ``javascript:``), with
    their text (``url`` is the raw href)."""


@dataclass(frozen=True)
class UrlResult:
    """Every finding for one URL of one item."""

    url: str
    fetch: FetchResult | None
    findings: tuple[Finding, ...]
    evidence_files: dict[str, str] = field(default_factory=dict)
    """This URL's files in the run's evidence bundle by kind (``screenshot``, ``fetch``, ``text``,
    ``findings``), absolute paths; empty when no evidence was kept (``oit_checker.evidence``)."""

    @property
    def screenshot(self) -> str | None:
        """The screenshot in the evidence bundle (reports read it here, never from a finding)."""
        return self.evidence_files.get("screenshot") or None

    @property
    def thumbnail(self) -> str | None:
        """The screenshot's small JPEG in the evidence bundle."""
        return self.evidence_files.get("thumbnail") or None

    @property
    def status(self) -> Status:
        """Worst status among this URL's findings."""
        return worst([f.status for f in self.findings])


@dataclass(frozen=True)
class ItemResult:
    """The verdict for one checklist item."""

    code: str
    name_th: str
    name_en: str
    group: str
    status: Status
    urls: tuple[UrlResult, ...]
    findings: tuple[Finding, ...] = ()
    """Item-level findings (e.g. ``no_url_given``) that belong to no URL."""
    passing_url: str | None = None
    """The URL that satisfied every check, when one did."""
    confidence: str = "unverified"


@dataclass(frozen=True)
class BrokenLink:
    """A link on an OIT index page of the main website that is broken or could not be checked."""

    page: str
    """The page the link is on."""
    url: str
    text: str
    """The link's text, as the assessor sees it."""
    status: Status
    """``fail`` when broken (404, 410, loop …), ``unverified`` when it could not be checked."""
    reason: str
    """A reason code of the reachable or public check (``http_404``, ``dns_error``, ``bot_wall`` …)."""
    http_status: int | None = None
    detail: str = ""
    """What the fetch said (the error, the bot-wall header …)."""
    other_pages: int = 0
    """Further OIT pages that link the same URL (a menu repeats a link on every page)."""


@dataclass(frozen=True)
class CrawlSummary:
    """What the crawl of the main website did, for reports (see ``oit_checker.crawl``)."""

    pages: int
    """HTML pages read."""
    fetches: int
    """Requests made on the main website."""
    urls_seen: int
    depth_reached: int
    limit_reached: str
    """``max_pages`` or ``max_depth`` when the crawl stopped early ('' when it saw everything)."""
    max_pages: int
    max_depth: int
    robots_blocked: int = 0
    sitemap_urls: int = 0
    elapsed: float = 0.0
    oit_pages: tuple[str, ...] = ()
    """Pages whose links were checked: the homepage, the OIT index pages, pages linking to 2+ item URLs."""
    broken_links: tuple[BrokenLink, ...] = ()
    unread_pages: int = 0
    """Linked pages the crawl could not read (network error, 5xx, bot wall, script-built without a browser)."""
    rendered_pages: int = 0
    """Pages opened in the browser during the crawl for their script-built navigation."""


@dataclass(frozen=True)
class AuditResult:
    """One audit run: what the reporters render and the store keeps."""

    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    tool_version: str
    checklist_id: str
    checklist_title: str
    assessment_year: int
    agency_name: str
    homepage: str
    items: tuple[ItemResult, ...]
    complete: bool = True
    """False when nothing could be fetched at all (every request failed or was blocked)."""
    homepage_problem: str | None = None
    """Reason code when the homepage itself could not be read (links from it are then unknown)."""
    crawl: CrawlSummary | None = None
    """The crawl of the main website (None when no crawl ran)."""
    deadline: dt.date | None = None
    """The ITAS submission deadline (``[assessment] submission_deadline``), when one is set."""
    deadline_warn_days: int = 30
    """Within this many days of ``deadline``, items still failing are raised (``[assessment] warn_days``)."""
    evidence_dir: str | None = None
    """Where this run's evidence bundle was written (None when evidence is off)."""
    checklist_choice: dict[str, Any] = field(default_factory=dict)
    """Which checklist and why (``ChecklistChoice.to_dict``): chosen or configured, its year against
    the round being assessed, what is partial or unverified. Every report says it."""
    browser: dict[str, Any] = field(default_factory=dict)
    """How pages were rendered: ``mode``, the browser ``used``, pages ``rendered``, and the
    ``problem`` (``no_browser``, ``browser_off``) when some page needed a browser it did not get."""

    def counts(self) -> dict[Status, int]:
        """How many items ended in each status (every status present, maybe 0)."""
        out = {s: 0 for s in Status}
        for item in self.items:
            out[item.status] += 1
        return out
