"""What every check receives: the fetched page, the item, and the audit's context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..checklist import Item
from ..crawl import LinkGraph
from ..dates import THAI_TZ
from ..models import Document, FetchResult, Finding


@dataclass(frozen=True)
class Attachment:
    """A document or page an item page links as its evidence, as fetched one click away."""

    url: str
    text: str
    """The link's text, as the assessor sees it."""
    fetch: FetchResult
    doc: Document | None = None


@dataclass(frozen=True)
class Page:
    """One item URL as fetched and (when it could be read) extracted, with the evidence it links."""

    fetch: FetchResult
    doc: Document | None = None
    attachments: tuple[Attachment, ...] = ()
    """The evidence this page links (``oit_checker.attachments``), judged with the page."""


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
    max_body_bytes: int = 25 * 1024 * 1024
    homepage_ok: bool = False
    """The homepage answered: a dead URL on the agency's own host is then what the assessor sees."""
    boilerplate: frozenset[str] = frozenset()
    """Lines (``thai.compact``-ed) repeated on most pages of the site: menus, footers, not content."""
    today: dt.date = field(default_factory=lambda: dt.datetime.now(THAI_TZ).date())
    """The audit's date in Thai time: which months of a ``monthly`` item are already due."""


CheckFn = Callable[[Page, Item, Context], list[Finding]]
"""A check: a pure function from a page to findings."""
