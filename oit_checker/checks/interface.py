"""What every check receives: the fetched page, the item, and the audit's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..checklist import Item
from ..models import Document, FetchResult, Finding


@dataclass(frozen=True)
class Page:
    """One item URL as fetched and (when it could be read) extracted."""

    fetch: FetchResult
    doc: Document | None = None


@dataclass(frozen=True)
class Context:
    """Facts about the whole audit that checks need, gathered before the checks run."""

    homepage: str
    domains: tuple[str, ...]
    assessment_year: int
    """B.E. year of the assessment; periods are relative to it."""
    homepage_links: frozenset[str] | None = None
    """Normalised URLs linked from the homepage, or None when the homepage could not be read."""
    soft_404_fingerprints: dict[str, str] = field(default_factory=dict)
    """Host -> fingerprint of the page it serves for a random, surely missing path (when 200)."""
    max_body_bytes: int = 25 * 1024 * 1024


CheckFn = Callable[[Page, Item, Context], list[Finding]]
"""A check: a pure function from a page to findings."""
