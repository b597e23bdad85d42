"""Are the item's required elements present? Phrases, regexes and detectors, Thai-normalised.

What is read is what an assessor reads: the item page's main content (no menus, headers, footers,
site boilerplate, or copied assessment instructions) plus the evidence it links (its attachments,
``oit_checker.attachments``); the evidence says which file held each element (``found_in``).
An element is missing only when everything was read: an attachment that could not be read (a
scan, a timeout) makes a missing element ``unverified``. An HTML item page with nothing in its
main content and no evidence linked is ``no_evidence``.
"""

from __future__ import annotations

import re
import string
from array import array
from typing import Any

from ..checklist import Element, Item
from ..models import Check, Document, Finding, Status
from ..reasons import Reason
from ..thai import TONE_MARKS, common_run, compact, normalize, normalize_phrase_variants
from .detectors import DETECTOR_FUNCTIONS
from .documents import (
    is_unreadable,
    match_columns,
    never_fail_unsure,
    ocr_evidence,
    partly_read,
    read_by_ocr,
    unreadable_finding,
)
from .instructions import without_instructions
from .interface import Context, Page
from .linked import is_broken
from .nil import nil_statement
from .text import content_headings, content_text

SNIPPET = 50
_NON_SPACE = re.compile(r"\S+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
MAX_JUDGED_CHARS = 2_000_000
"""Text of one page or file the elements are looked for in; past it the rest is unread, so a missing
element is ``unverified`` (a page that size is a dump, not an OIT page)."""
WHERE_CHARS = 200
"""Longest page title or heading kept as evidence."""
SCRIPT_SHELL_CHARS = 200
"""An HTML page with scripts and less visible text than this is probably built by JavaScript."""


class _Text:
    """The document text in the forms matching needs, with a map back for snippets.

    Built with C-level operations (a regex over the runs of non-space characters, an ``array`` of
    offsets): a 2 MB page once cost 600 MB as Python lists of characters and ints."""

    def __init__(self, raw: str) -> None:
        self.norm = normalize(raw)
        index = array("l")
        runs = []
        for run in _NON_SPACE.finditer(self.norm):
            index.extend(range(run.start(), run.end()))
            runs.append(run.group())
        self.compact = "".join(runs).translate(_ASCII_LOWER)  # one for one: offsets stay aligned
        self._index = index
        self.variants = normalize_phrase_variants(self.compact)

    def snippet(self, start: int, end: int) -> str:
        return " ".join(self.norm[max(0, start - SNIPPET): end + SNIPPET].split())

    def compact_span(self, start: int, end: int) -> tuple[int, int]:
        if not self._index:
            return 0, 0
        return self._index[min(start, len(self._index) - 1)], self._index[min(end, len(self._index)) - 1] + 1


def check_content(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring."""
    doc = page.doc
    if doc is None:
        return []
    unreadable = unreadable_finding(doc)  # scans, broken, legacy or too large files (checks/documents.py)
    if unreadable is not None and not page.attachments:
        return [Finding(Check.CONTENT, *unreadable)]
    if not item.elements:
        return [Finding(Check.CONTENT, Status.PASS, Reason.NO_ELEMENTS_DEFINED, {}, where(doc))]
    sources, unsure = _sources(page, item, ctx, readable_page=unreadable is None)
    found: dict[str, str] = {}
    found_in: dict[str, str] = {}
    missing: list[Element] = []
    for element in item.elements:
        hit = next(((label, snippet) for label, source_doc, text in sources
                    if (snippet := match_element(element, text, source_doc)) is not None), None)
        if hit is None and unreadable is None:
            hit = _site_contact(element, doc)
        if hit is None:
            missing.append(element)
        else:
            found_in[element.name], found[element.name] = hit
    evidence: dict[str, Any] = {"found": found, "missing": [e.name for e in missing], "text_source": doc.text_source,
                                **where(doc), **ocr_evidence(doc)}
    if page.attachments:
        evidence["found_in"] = found_in
        evidence["evidence_links"] = [a.url for a in page.attachments]
    if not missing:
        names = [e for e in item.elements if e.name in found]
        return [Finding(Check.CONTENT, Status.PASS, Reason.ELEMENTS_FOUND, _names("found", names), evidence)]
    statement = next((s for _, _, text in sources if (s := nil_statement(text.norm, item)) is not None), None)
    if statement is not None:  # "ไม่มีเรื่องร้องเรียน": written out, as the NACC asks (checks/nil.py)
        return [Finding(Check.CONTENT, Status.PASS, Reason.NIL_STATEMENT, {"statement": statement},
                        {**evidence, "statement": statement})]
    if is_script_shell(doc) and not page.attachments:  # a page the browser rendered is judged as it is
        return [Finding(Check.CONTENT, Status.UNVERIFIED, Reason.NEEDS_BROWSER, {}, evidence)]
    reason = Reason.MISSING_ELEMENT
    in_content = [name for name, where_found in found_in.items() if where_found != SITE_CONTACT]
    if doc.kind == "html" and not (page.attachments or in_content or doc.placeholders or doc.tables):
        # nothing in the main content, nothing linked: the menu naming the item proves nothing
        reason = Reason.NO_EVIDENCE
    findings = [Finding(Check.CONTENT, Status.FAIL, reason, _names("missing", missing), evidence)]
    if unsure:  # the missing element may sit in what could not be read: no proof of absence
        evidence = {**evidence, "unread_evidence": unsure, "downgraded_from": "fail"}
        return [Finding(Check.CONTENT, Status.UNVERIFIED, reason, _names("missing", missing), evidence)]
    return never_fail_unsure(findings, doc)  # a scan read by OCR, or a file read in part, cannot prove an absence


_NO_TONES = str.maketrans("", "", TONE_MARKS)

PAGE = "page"
"""The label of the item page itself among the sources of ``check_content``."""
SITE_CONTACT = "page_footer"
"""Where a contact element was found when only the page's header or footer has it."""
CONTACT_DETECTORS = frozenset({"phone", "email"})


def _site_contact(element: Element, doc: Document) -> tuple[str, str] | None:
    """A phone number or e-mail address anywhere on the page (its footer), for a contact element:
    the agency's contact details in the footer are what the assessor reads there too."""
    if doc.kind != "html" or not CONTACT_DETECTORS & set(element.detectors):
        return None
    text = _Text(doc.text)
    for name in (d for d in element.detectors if d in CONTACT_DETECTORS):  # the checklist's order: stable
        span = DETECTOR_FUNCTIONS[name](text.norm)
        if span is not None:
            return SITE_CONTACT, text.snippet(*span)
    return None


def _sources(page: Page, item: Item, ctx: Context, *, readable_page: bool) -> tuple[list[tuple[str, Document, _Text]], list[str]]:
    """What the elements are looked for in — the page's main content, then each readable
    attachment (label = its URL) — and the URLs of evidence that could not be read with certainty."""
    sources: list[tuple[str, Document, _Text]] = []
    unsure: list[str] = []
    doc = page.doc
    if doc is not None and readable_page:
        sources.append((PAGE, doc, _capped(judged_text(doc, ctx, item), page.fetch.url, unsure)))
    elif doc is not None:
        unsure.append(page.fetch.url)
    for attachment in page.attachments:
        adoc = attachment.doc
        if not attachment.fetch.ok or adoc is None:
            if not is_broken(attachment, ctx):  # broken links are their own finding (checks/linked.py)
                unsure.append(attachment.url)
            continue
        if is_unreadable(adoc):
            unsure.append(attachment.url)
            continue
        if read_by_ocr(adoc) or partly_read(adoc):
            unsure.append(attachment.url)
        sources.append((attachment.url, adoc, _capped(judged_text(adoc, ctx, item), attachment.url, unsure)))
    return sources, unsure


def _capped(text: str, url: str, unsure: list[str]) -> _Text:
    """``_Text`` of at most ``MAX_JUDGED_CHARS``; a longer text's URL joins ``unsure``."""
    if len(text) > MAX_JUDGED_CHARS:
        unsure.append(url)
        text = text[:MAX_JUDGED_CHARS]
    return _Text(text)


def judged_text(doc: Document, ctx: Context, item: Item) -> str:
    """The text elements are matched in: an HTML page's main content without site boilerplate,
    copied assessment instructions or lines that only name the item; a file's whole text."""
    if doc.kind != "html":
        return "\n".join((doc.title, doc.text))
    return without_item_titles(without_instructions(content_text(doc, ctx)), item)


TITLE_SHARE = 0.6
"""A line that is mostly the item's name, and holds most of it, is a title, not content
("1. ผลการดำเนินการ" under a report's name is a section of content)."""


def without_item_titles(text: str, item: Item) -> str:
    """``text`` without the lines that only name the item (its heading, a breadcrumb): the item's
    name holds the element words ("รายงานผลการดำเนินการ…") but proves none of them."""
    name = compact(item.name_th)
    kept = []
    for line in text.splitlines():
        squeezed = compact(line)
        if squeezed and len(name) >= MIN_NAME and not NIL_WORDS.search(squeezed):
            _, size = common_run(squeezed, name)
            if size >= TITLE_SHARE * len(squeezed) and size >= TITLE_SHARE * len(name):
                continue
        kept.append(line)
    return "\n".join(kept)


NIL_WORDS = re.compile("ไม่มี|ไม่พบ")
"""A line that denies the item's subject is a statement (``checks/nil.py``), not a title."""
MIN_NAME = 15
"""Item names shorter than this (``โครงสร้าง``, ``Social Network``) are too short to tell a title line
by: "แผนผังโครงสร้าง" is content of O1."""


def is_script_shell(doc: Document) -> bool:
    """An HTML page with scripts and almost no text, not yet rendered: built by JavaScript."""
    return doc.kind == "html" and bool(doc.scripts) and doc.text_source != "chromium" \
        and len(compact("\n".join((doc.title, *doc.headings, doc.text)))) < SCRIPT_SHELL_CHARS


def where(doc: Document) -> dict[str, str]:
    """Where the information sits, for reports (the ITAS explanation): page title and first heading."""
    headings = content_headings(doc)
    out = {"title": " ".join(doc.title.split())[:WHERE_CHARS],
           "heading": " ".join(headings[0].split())[:WHERE_CHARS] if headings else ""}
    return {key: value for key, value in out.items() if value}


def _names(key: str, elements: list[Element]) -> dict[str, str]:
    """Message parameters naming elements in Thai (``key``) and English (``key_en``)."""
    return {key: ", ".join(e.name for e in elements),
            f"{key}_en": ", ".join(e.name_en or e.name for e in elements)}


def match_element(element: Element, text: _Text, doc: Document | None = None) -> str | None:
    """The snippet proving the element is present, or None (``doc`` gives tables and date cells)."""
    if element.columns and doc is not None:
        columns = match_columns(element, doc, text.compact)
        if columns is not None:
            return columns
    for phrase in element.phrases:
        needle = compact(phrase)
        for haystack, variant in ((text.compact, needle), (text.variants, normalize_phrase_variants(needle))):
            pos = haystack.find(variant)
            if pos >= 0 and haystack is text.compact:
                return text.snippet(*text.compact_span(pos, pos + len(variant)))
            if pos >= 0:
                return f"{phrase} (~)"
    if doc is not None and read_by_ocr(doc):  # Tesseract drops Thai tone marks: 'ขอเสนอแนะ' is 'ข้อเสนอแนะ'
        toneless = text.variants.translate(_NO_TONES)
        for phrase in element.phrases:
            if normalize_phrase_variants(compact(phrase)).translate(_NO_TONES) in toneless:
                return f"{phrase} (OCR ~)"
    for pattern in element.patterns:
        match = re.search(pattern, text.norm)
        if match:
            return text.snippet(*match.span())
    for name in element.detectors:
        span = DETECTOR_FUNCTIONS[name](text.norm)
        if span is not None:
            return text.snippet(*span)
        cell = next((d for d in doc.dates if d.source == "xlsx_cell"), None) if doc is not None else None
        if name == "thai_date" and cell is not None:  # a workbook's date cells are dates, not text
            return f"{cell.field} = {cell.value.isoformat()}"
    return None
