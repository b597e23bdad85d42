"""What every check receives: the fetched page, the item, and the audit's context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checklist import Item
from ..crawl import LinkGraph
from ..dates import THAI_TZ
from ..models import Document, FetchResult, Finding

if TYPE_CHECKING:
    from ..fetch.browser import Rendered
    from ..social import SocialRules


@dataclass(frozen=True)
class Attachment:
    """A document or page an item page links as its evidence, as fetched one click away."""

    url: str
    text: str
    """The link's text, as the assessor sees it."""
    fetch: FetchResult
    doc: Document | None = None


@dataclass(frozen=True)
class BrowserView:
    """What the browser pass did with one URL (``oit_checker.browse``): the checks read it."""

    planned: bool = False
    """The verdict wanted the page rendered (else the browser opened it only for a screenshot)."""
    rendered: bool = False
    why: str = ""
    """When planned and not rendered: ``browser_off``, ``no_browser``, ``browser_crashed``,
    ``browser_failed`` or ``navigation_failed``."""
    detail: str = ""
    code: str = ""
    """``navigation_failed``: the network reason code (``dns_error``, ``timeout`` …)."""
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Item code -> why its verdict needed the browser (``social``, ``host``, ``script``, ``always``)."""
    text: str = ""
    """The rendered page's innerText and title (the social check reads them)."""
    title: str = ""
    seen: Rendered | None = None
    """The browser's visit, when it loaded the page."""
    screenshot: Path | None = None
    """The staged screenshot the browser wrote (the bundle moves it)."""
    notes: dict[str, Any] = field(default_factory=dict)
    """Why the browser was or was not used (``fetch.json``'s ``render`` key)."""


@dataclass(frozen=True)
class Page:
    """One item URL as fetched and (when it could be read) extracted, with the evidence it links."""

    fetch: FetchResult
    doc: Document | None = None
    attachments: tuple[Attachment, ...] = ()
    """The evidence this page links (``oit_checker.attachments``), judged with the page."""
    browser: BrowserView | None = None
    """What the browser did with this URL, when the browser pass planned or opened it."""


@dataclass(frozen=True)
class Context:
    """Facts about the whole audit that checks need, gathered before the checks run."""

    homepage: str
    domains: tuple[str, ...]
    assessment_year: int
    """B.E. year of the assessment; periods are relative to it."""
    crawl: LinkGraph | None = None
    """The crawl of the main website (links, click paths), or None when no crawl ran."""
    soft_404_fingerprints: dict[str, str] = field(default_factory=dict)
    """Host -> fingerprint of the page it serves for a random, surely missing path (when 200)."""
    max_body_bytes: int = 0
    """The download cap (``[http] max_body_mb``) in bytes, which the audit passes from its ``HttpOptions``
    (0: not given, a caller that fetched nothing itself)."""
    homepage_ok: bool = False
    """The homepage answered: a dead URL on the agency's own host is then what the assessor sees."""
    boilerplate: frozenset[str] = frozenset()
    """Lines (``thai.compact``-ed) repeated on most pages of the site: menus, footers, not content."""
    today: dt.date = field(default_factory=lambda: dt.datetime.now(THAI_TZ).date())
    """The audit's date in Thai time: which months of a ``monthly`` item are already due."""
    social_rules: SocialRules | None = None
    """The run's social-network rules (``[browser] social_rules``); None: the bundled ones."""


CheckFn = Callable[[Page, Item, Context], list[Finding]]
"""A check: a pure function from a page to findings."""
