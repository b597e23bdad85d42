"""The evidence behind an item page: the documents and pages it links, one click away.

Most agencies submit one HTML page per OIT item that links the real evidence (a PDF report, a
spreadsheet, a page per year). An assessor opens those links, so the audit does too: from the
item page's main content (never its menu), it follows

- links to documents (PDF, Word, Excel, PowerPoint, OpenDocument, images), and
- links to pages whose text names the item (its code, its name, or one of its element phrases),

on the agency's own hosts and the item's ``allowed_hosts``, at most ``[audit] max_evidence_links``
per page (documents first). Each is fetched through the run's fetcher (its per-host limits and
retries) and extracted like an item URL; ``checks/linked.py`` judges the page with them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import unquote, urlsplit

from .checklist import Item
from .checks.interface import Attachment
from .models import Document, FetchResult, Link
from .reasons import Reason
from .thai import common_run, normalize_phrase_variants
from .urls import blocked_reason, host_matches, host_of, page_key

DOCUMENT_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods odp rtf csv jpg jpeg png gif webp tif tiff".split())
"""Links to these files are evidence whatever their text."""
NAME_OVERLAP = 12
"""A link text sharing this many characters in a row (compacted) with the item's name names the item."""
MIN_PHRASE = 6
"""Element phrases shorter than this (compacted) are too common to say a link is about the item."""

Fetch = Callable[[str], Awaitable[FetchResult]]
Extract = Callable[[FetchResult], Awaitable[Document | None]]


def is_document_link(url: str) -> bool:
    """Does the URL's path end in a document extension (``/files/report-2567.pdf``)?"""
    last = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in DOCUMENT_EXTENSIONS


def names_item(text: str, item: Item) -> bool:
    """Does a link's text name the item: its code (``O24``), its name, or an element phrase?"""
    words = normalize_phrase_variants(text).lower()
    if len(words) < 2:
        return False
    code = item.code.lower()
    if words == code or words.startswith((code + ".", code + ":", code + "-", code + ")")) \
            or (words.startswith(code) and not words[len(code):len(code) + 1].isdigit()):
        return True
    name = normalize_phrase_variants(item.name_th).lower()
    if common_run(words, name)[1] >= min(NAME_OVERLAP, len(name)):
        return True
    for element in item.elements:
        for phrase in element.phrases:
            needle = normalize_phrase_variants(phrase).lower()
            if len(needle) >= MIN_PHRASE and needle in words:
                return True
    return False


def evidence_links(doc: Document, page_url: str, item: Item, hosts: Iterable[str], homepage: str,
                   limit: int) -> list[Link]:
    """The links of an item page an assessor would open as its evidence, documents first, at most ``limit``."""
    if doc.kind != "html" or limit <= 0:
        return []
    allowed = (*hosts, *item.allowed_hosts)
    skip = {page_key(page_url), page_key(homepage)}
    documents: list[Link] = []
    pages: list[Link] = []
    seen: set[str] = set()
    for link in doc.main_links if doc.main_links is not None else doc.links:
        try:
            key = page_key(link.url)
        except ValueError:  # a malformed link is not evidence
            continue
        if key in skip or key in seen or not host_matches(host_of(link.url), allowed):
            continue
        if is_document_link(link.url):
            documents.append(link)
        elif names_item(link.text, item):
            pages.append(link)
        else:
            continue
        seen.add(key)
    return [*documents, *pages][:limit]


async def fetch_attachments(links: Iterable[Link], fetch: Fetch, extract: Extract,
                            private_ok: bool) -> dict[str, Attachment]:
    """Fetch and extract every link once (URL -> ``Attachment``); a failure is kept as its fetch."""
    unique = {link.url: link for link in links}

    async def one(link: Link) -> Attachment:
        blocked = blocked_reason(link.url, private_ok)
        if blocked:
            fetched = FetchResult(url=link.url, final_url=link.url, error=Reason.BLOCKED_ADDRESS, error_detail=blocked)
        else:
            try:
                fetched = await fetch(link.url)
            except Exception as exc:  # noqa: BLE001 - one bad link never stops the run
                fetched = FetchResult(url=link.url, final_url=link.url, error=Reason.INTERNAL_ERROR,
                                      error_detail=f"{type(exc).__name__}: {exc}"[:200])
        return Attachment(link.url, " ".join(link.text.split()), fetched, await extract(fetched))

    done = await asyncio.gather(*(one(link) for link in unique.values()))
    return {attachment.url: attachment for attachment in done}


def link_label(attachment: Attachment) -> str:
    """How reports name an attachment: its link text, else its file name."""
    if attachment.text:
        return attachment.text
    return unquote(urlsplit(attachment.url).path).rsplit("/", 1)[-1] or attachment.url


__all__ = ["DOCUMENT_EXTENSIONS", "evidence_links", "fetch_attachments", "is_document_link", "link_label",
           "names_item"]
