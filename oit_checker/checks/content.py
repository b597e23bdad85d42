"""Are the item's required elements present? Phrases, regexes and detectors, Thai-normalised."""

from __future__ import annotations

import re

from ..checklist import Element, Item
from ..models import Check, Document, Finding, Status
from ..thai import compact, normalize, normalize_phrase_variants
from .detectors import DETECTOR_FUNCTIONS
from .documents import match_columns, never_fail_unsure, ocr_evidence, unreadable_finding
from .interface import Context, Page

SNIPPET = 50
WHERE_CHARS = 200
"""Longest page title or heading kept as evidence."""
SCRIPT_SHELL_CHARS = 200
"""An HTML page with scripts and less visible text than this is probably built by JavaScript."""


class _Text:
    """The document text in the forms matching needs, with a map back for snippets."""

    def __init__(self, raw: str) -> None:
        self.norm = normalize(raw)
        chars: list[str] = []
        index: list[int] = []
        for pos, ch in enumerate(self.norm):
            if not ch.isspace():
                chars.append(ch.lower())
                index.append(pos)
        self.compact = "".join(chars)
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
    if unreadable is not None:
        return [Finding(Check.CONTENT, *unreadable)]
    if not item.elements:
        return [Finding(Check.CONTENT, Status.PASS, "no_elements_defined", {}, where(doc))]
    text = _Text("\n".join((doc.title, *doc.headings, doc.text)))
    found: dict[str, str] = {}
    missing: list[Element] = []
    for element in item.elements:
        snippet = match_element(element, text, doc)
        if snippet is None:
            missing.append(element)
        else:
            found[element.name] = snippet
    evidence = {"found": found, "missing": [e.name for e in missing], "text_source": doc.text_source, **where(doc),
                **ocr_evidence(doc)}
    if not missing:
        names = [e for e in item.elements if e.name in found]
        return [Finding(Check.CONTENT, Status.PASS, "elements_found", _names("found", names), evidence)]
    if doc.kind == "html" and doc.scripts and len(text.compact) < SCRIPT_SHELL_CHARS \
            and doc.text_source != "chromium":  # a page the browser rendered is judged as it is
        return [Finding(Check.CONTENT, Status.UNVERIFIED, "needs_browser", {}, evidence)]
    return never_fail_unsure(  # a scan read by OCR, or a file read in part, cannot prove an absence
        [Finding(Check.CONTENT, Status.FAIL, "missing_element", _names("missing", missing), evidence)], doc)


def where(doc: Document) -> dict[str, str]:
    """Where the information sits, for reports (the ITAS explanation): page title and first heading."""
    out = {"title": " ".join(doc.title.split())[:WHERE_CHARS],
           "heading": " ".join(doc.headings[0].split())[:WHERE_CHARS] if doc.headings else ""}
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
