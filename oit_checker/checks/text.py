"""What "the page" says: its main content, without the lines the whole site repeats.

An assessor reads the main content of an item page, not its menu or footer. The extractor marks
the main content (``Document.main_text``); the crawl has seen the site's other pages and knows
which lines recur on most of them (``Context.boilerplate``). Every check that reads what a page
says (content, freshness, soft 404, login wall) reads it through here.
"""

from __future__ import annotations

from ..models import Document
from ..thai import compact
from .interface import Context


def content_lines(doc: Document, ctx: Context) -> list[str]:
    """The lines of the page's main content that are not site boilerplate."""
    text = doc.main_text if doc.main_text is not None else doc.text
    lines = text.splitlines()
    if not ctx.boilerplate:
        return lines
    return [line for line in lines if compact(line) not in ctx.boilerplate]


def content_text(doc: Document, ctx: Context) -> str:
    """``content_lines`` joined: the text the checks judge."""
    return "\n".join(content_lines(doc, ctx))


def content_headings(doc: Document) -> tuple[str, ...]:
    """The headings of the main content (all headings of a document without a marked main part)."""
    return doc.main_headings if doc.main_headings is not None else doc.headings
