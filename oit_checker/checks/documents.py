"""What the checks do differently for files: unreadable files, scans read by OCR, partly read files,
and table columns.

Rules (DESIGN §3, §4):

* a file that cannot be read says why, as one finding: ``corrupt_file`` fails (an assessor cannot
  open it either); ``no_text_layer``, ``too_large``, ``legacy_format``, ``extract_timeout`` … are
  ``unverified`` — never ``pass`` on faith;
* a text layer that is garbage (a legacy Thai font, ``extract/readable.py``) is not missing text:
  the page is read by OCR like a scan, else ``unreadable_text_layer`` is ``unverified``;
* text read by OCR is judged like text, but a scan is never failed: a ``fail`` found in OCR text
  is reported ``unverified``, with the OCR confidence as evidence (Tesseract misreads Thai digits);
* a file read only in part (page cap, time cap, unread scanned pages) cannot prove that something
  is missing: such a ``fail`` is ``unverified`` too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ..checklist import Element
from ..models import Document, Finding, Status, Table
from ..reasons import Reason
from ..thai import compact, normalize_phrase_variants

UNREADABLE: dict[Reason, Status] = {
    Reason.CORRUPT_FILE: Status.FAIL,
    Reason.NO_TEXT_LAYER: Status.UNVERIFIED,
    Reason.UNREADABLE_TEXT_LAYER: Status.UNVERIFIED,
    Reason.TOO_LARGE: Status.UNVERIFIED,
    Reason.LEGACY_FORMAT: Status.UNVERIFIED,
    Reason.EXTRACT_TIMEOUT: Status.UNVERIFIED,
    Reason.UNSUPPORTED_FORMAT: Status.UNVERIFIED,
    Reason.EXTRACT_FAILED: Status.UNVERIFIED,
}
"""Extraction warnings that leave nothing to judge, and the content status each gives."""

COLUMN_WINDOW = 400
"""Without tables (a PDF), column words must all occur within this many (compacted) characters."""

_WHY = {
    "not_installed": ("ไม่ได้ติดตั้งโปรแกรม OCR: tesseract-ocr", "OCR is not installed: tesseract-ocr"),
    "no_language_data": ("OCR ไม่มีข้อมูลภาษาไทย: tesseract-ocr-tha", "OCR has no Thai data: tesseract-ocr-tha"),
    "off": ("ปิดการอ่านด้วย OCR ไว้: [documents] ocr = \"off\"", "OCR is turned off: [documents] ocr = \"off\""),
    "low_confidence": ("อ่านด้วย OCR แล้วไม่ชัดพอ: ความมั่นใจ {confidence}%",
                       "OCR could not read it well enough: confidence {confidence}%"),
    "timeout": ("อ่านด้วย OCR ไม่ทันเวลาที่กำหนด", "OCR ran out of time"),
}


def is_unreadable(doc: Document) -> bool:
    """True when the document has no text the checks could judge."""
    return any(w in UNREADABLE for w in doc.warnings) or "encrypted" in doc.warnings


def unreadable_finding(doc: Document) -> tuple[Status, Reason, dict[str, Any], dict[str, Any]] | None:
    """(status, reason, params, evidence) for a document that cannot be judged, else None."""
    for warning, status in UNREADABLE.items():
        if warning not in doc.warnings:
            continue
        evidence: dict[str, Any] = {"kind": doc.kind, "text_source": doc.text_source, **doc.extraction}
        params: dict[str, Any] = {"detail": doc.kind if warning in (Reason.UNSUPPORTED_FORMAT, Reason.LEGACY_FORMAT)
                                  else doc.metadata.get("error", "")}
        if warning in (Reason.NO_TEXT_LAYER, Reason.UNREADABLE_TEXT_LAYER):
            state = str(doc.extraction.get("ocr", ""))
            confidence = doc.ocr_confidence if doc.ocr_confidence is not None else 0
            why_th, why_en = _WHY.get(state, ("", ""))
            params = {"why": f" ({why_th.format(confidence=confidence)})" if why_th else "",
                      "why_en": f" ({why_en.format(confidence=confidence)})" if why_en else ""}
            if warning == Reason.UNREADABLE_TEXT_LAYER:
                params["sample"] = str(doc.extraction.get("garbled_sample", ""))
            if doc.ocr_confidence is not None:
                evidence["ocr_confidence"] = doc.ocr_confidence
        return status, warning, params, evidence
    return None


def read_by_ocr(doc: Document) -> bool:
    """Some of the text came from OCR."""
    return "ocr" in doc.text_source


def partly_read(doc: Document) -> bool:
    """Only part of the document was read (page cap, time cap, unread scanned pages)."""
    return "partly_read" in doc.warnings


def never_fail_unsure(findings: list[Finding], doc: Document,
                      keep: Callable[[Finding], bool] | None = None) -> list[Finding]:
    """Turn a ``fail`` into ``unverified`` when it rests on OCR text or on a partly read file.

    ``keep`` names fails that stand on a partly read (but not OCR-read) file, e.g. a stale year
    in the title: the first page was read.
    """
    if not (read_by_ocr(doc) or partly_read(doc)):
        return findings
    out = []
    for finding in findings:
        trusted = keep is not None and not read_by_ocr(doc) and keep(finding)
        if finding.status is Status.FAIL and not trusted:
            evidence = {**finding.evidence, "downgraded_from": "fail", "text_source": doc.text_source}
            if doc.ocr_confidence is not None:
                evidence["ocr_confidence"] = doc.ocr_confidence
            if partly_read(doc):
                evidence["why_partly"] = doc.extraction.get("why_partly", "")
                evidence["pages_read"] = doc.extraction.get("pages_read", "")
            finding = dataclasses.replace(finding, status=Status.UNVERIFIED, evidence=evidence)
        out.append(finding)
    return out


def ocr_evidence(doc: Document) -> dict[str, Any]:
    """Evidence every finding on an OCR-read document carries."""
    if doc.ocr_confidence is None:
        return {}
    out = {"ocr_confidence": doc.ocr_confidence, "scanned_pages": doc.extraction.get("scanned_pages", [])}
    if "garbled_pages" in doc.extraction:  # pages whose legacy-font text layer was replaced by OCR
        out["garbled_pages"] = doc.extraction["garbled_pages"]
    return out


def _alternatives(column: str) -> list[str]:
    return [normalize_phrase_variants(compact(a)) for a in column.split("|") if a.strip()]


def match_columns(element: Element, doc: Document, compact_text: str) -> str | None:
    """Evidence that a table has every column of ``element``, or None.

    A table matches when each column word is in a cell of its header rows. A document without
    tables (a PDF, OCR text) matches when all the words occur close together in the text.
    """
    wanted = [_alternatives(c) for c in element.columns]
    for table in doc.tables:
        found = _table_columns(table, wanted)
        if found is not None:
            return f"{table.where}: " + " | ".join(found)
    if doc.tables:
        return None
    variants = normalize_phrase_variants(compact_text)
    return _window(variants, wanted)


def _table_columns(table: Table, wanted: list[list[str]]) -> list[str] | None:
    cells = [(cell, normalize_phrase_variants(compact(cell))) for row in table.rows for cell in row if cell.strip()]
    found = []
    for alternatives in wanted:
        hit = next((cell for cell, key in cells if any(a in key for a in alternatives)), None)
        if hit is None:
            return None
        found.append(" ".join(hit.split()))
    return found


def _window(text: str, wanted: list[list[str]]) -> str | None:
    """The words, when every column word occurs within ``COLUMN_WINDOW`` characters of the first."""
    first = wanted[0] if wanted else []
    for start_word in first:
        pos = text.find(start_word)
        while pos >= 0:
            window = text[max(0, pos - COLUMN_WINDOW): pos + COLUMN_WINDOW]
            hits = [next((a for a in alts if a in window), None) for alts in wanted]
            if all(hits):
                return " … ".join(h for h in hits if h)
            pos = text.find(start_word, pos + 1)
    return None
