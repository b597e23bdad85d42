"""What "the page" says: its main content, without the lines the whole site repeats.

An assessor reads the main content of an item page, not its menu or footer. The extractor marks
the main content (``Document.main_text``); the crawl has seen the site's other pages and knows
which lines recur on most of them (``Context.boilerplate``). Every check that reads what a page
says (content, freshness, soft 404, login wall) reads it through here.

A repeated line is the template's when it is a link (a menu entry) or when the main content holds
the page's only copy of it (an unmarked footer). It is the page's own when the page shows it again
outside the template: a contact page repeats the footer's address and telephone in its content,
and that copy is what the assessor reads for the contact item.
"""

from __future__ import annotations

from collections import Counter

from ..models import Document
from ..thai import compact
from .interface import Context


def content_lines(doc: Document, ctx: Context) -> list[str]:
    """The lines of the page's main content that are not site boilerplate."""
    text = doc.main_text if doc.main_text is not None else doc.text
    lines = text.splitlines()
    if not ctx.boilerplate:
        return lines
    keys = [compact(line) for line in lines]
    shared = Counter(key for key in keys if key in ctx.boilerplate)
    if not shared:
        return lines
    return [line for line, key in zip(lines, keys, strict=True) if key not in shared or key in _own(doc, shared)]


def _own(doc: Document, shared: Counter[str]) -> set[str]:
    """Repeated lines of the main content that are the page's own: not a link's text, and shown
    twice in the main content or once more in the whole page (the template's copy)."""
    links = {compact(link.text) for link in doc.links}
    whole = Counter(key for key in (compact(line) for line in doc.text.splitlines()) if key in shared) \
        if doc.main_text is not None else shared
    return {key for key, count in shared.items() if key not in links and (count >= 2 or whole[key] > count)}


def content_text(doc: Document, ctx: Context) -> str:
    """``content_lines`` joined: the text the checks judge."""
    return "\n".join(content_lines(doc, ctx))


def content_headings(doc: Document) -> tuple[str, ...]:
    """The headings of the main content (all headings of a document without a marked main part)."""
    return doc.main_headings if doc.main_headings is not None else doc.headings
