"""PDF to ``Document``: the text layer, read as an assessor reads it, and scans read by OCR or flagged.

Text: ``pdftotext -raw`` (poppler, a separate GPL program run as a subprocess) reads Thai
correctly because it honours /ActualText; pypdfium2 (in-process, BSD/Apache) is the fallback when
poppler is missing, fails or refuses (a PDF that forbids copying still opens for everyone, so it
is read). pdfminer, pdfplumber and pypdf garble Thai. Measured in ``bench/pdf_extract.py``; the
choice is written up in ``docs/architecture.md``.

Scans: a page is a scan when an image covers much of it and its text layer is a token (a header
or stamp over the image: fewer than ``TOKEN_TEXT_CHARS`` characters), or when the whole document
has almost no text. Scanned pages are read by OCR (``extract/ocr.py``) when Tesseract is there
and allowed; otherwise, or when OCR is too poor to judge, the document says ``no_text_layer``.

Garbage: a page whose text layer is not readable text (a legacy Thai font's Latin codes,
``extract/readable.py``) is read like a scan: its layer is dropped, OCR reads the page image, and
when OCR cannot the document says ``unreadable_text_layer`` (or ``partly_read`` when only a few
pages are garbage). The first words of the garbage are kept as evidence (``garbled_sample``).

Bad files never raise: a PDF that needs a password to open gives ``encrypted``; one that neither
pdfium nor poppler can open gives ``corrupt_file``; a spent time budget gives what was read so
far, marked ``partly_read``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any

from ..dates import parse_pdf_date
from ..models import DocDate, Document
from ..reasons import Reason
from .html import fold
from .ocr import ocr_pages, ocr_unavailable_reason
from .options import DEFAULT_OPTIONS, Budget, ExtractOptions
from .pdfium import serialized
from .readable import garbled_pages

MIN_CHARS_PER_PAGE = 40
"""A document with fewer readable characters than this per page has no real text layer."""
TOKEN_TEXT_CHARS = 200
"""A page with an image over it and fewer characters than this is a scan with a token text layer."""
IMAGE_COVER = 0.3
"""Share of the page an image must cover for the page to count as a possible scan."""
MAX_TEXT_CHARS = 2_000_000
"""Text kept from one document (bounds the work of the checks' regular expressions)."""
GARBLED_SAMPLE_CHARS = 40
"""Characters of a garbled text layer quoted in the evidence."""
PDFIUM_WRONG_PASSWORD = 4
_HEADING_LINES = 4
_HEADING_CHARS = 300


@dataclass
class _Inspection:
    pages: int = 0
    metadata: dict[str, str] = field(default_factory=dict)
    sizes: list[tuple[float, float]] = field(default_factory=list)
    image_cover: list[float] = field(default_factory=list)
    error: str = ""
    encrypted: bool = False


def extract_pdf(body: bytes, options: ExtractOptions = DEFAULT_OPTIONS) -> Document:
    """Text (per page, OCR for scans), title, first lines as headings, metadata and its dates."""
    budget = Budget(options.timeout)
    info = _inspect(body, options.max_pages)
    if info.encrypted:
        return Document(kind="pdf", text_source="none", warnings=("encrypted",),
                        metadata={"error": info.error})
    last = min(info.pages, options.max_pages) if info.pages else options.max_pages
    pages_text, source = _pdftotext_pages(body, last, budget)
    if pages_text is None and not info.error:
        pages_text, source = _pypdfium2_pages(body, last, budget), "pypdfium2"
        if not pages_text and budget.spent():
            return _timed_out(info)
    if pages_text is None:
        if info.error:
            return Document(kind="pdf", text_source="none", warnings=(Reason.CORRUPT_FILE,),
                            metadata={"error": info.error})
        return _timed_out(info)
    pages = info.pages or len(pages_text)
    pages_text = [fold(_clean(t)) for t in pages_text[:last]]
    extraction: dict[str, Any] = {"pages": pages, "pages_read": len(pages_text), "text_engine": source}
    warnings: list[str] = []
    if pages > len(pages_text):
        warnings.append("partly_read")
        extraction["why_partly"] = "max_pages" if pages > options.max_pages else "timeout"
    scanned = scanned_pages(pages_text, info.image_cover)
    garbled = garbled_pages(pages_text, skip=scanned)
    if garbled:  # a legacy Thai font's garbage is never judged: the page is read like a scan
        extraction["garbled_pages"] = [i + 1 for i in garbled]
        extraction["garbled_sample"] = _sample(pages_text[garbled[0]])
        for index in garbled:
            pages_text[index] = ""
    to_ocr = sorted(scanned + garbled)
    ocr_confidence: float | None = None
    text_source = source
    if to_ocr:
        if scanned:
            extraction["scanned_pages"] = [i + 1 for i in scanned]
        unread, ocr_confidence, ocr_state = _ocr(body, pages_text, to_ocr, info.sizes, options, budget)
        extraction["ocr"] = ocr_state
        if ocr_confidence is not None:
            extraction["ocr_confidence"] = ocr_confidence
        if len(unread) < len(to_ocr):
            text_source = "ocr" if len(to_ocr) == len(pages_text) else f"{source}+ocr"
        if unread:
            extraction["unread_pages"] = [i + 1 for i in unread]
            mostly_garbled = 2 * len(set(unread) & set(garbled)) >= len(unread)
            why = Reason.UNREADABLE_TEXT_LAYER if mostly_garbled else Reason.NO_TEXT_LAYER
            if len(unread) * 2 >= len(pages_text):
                warnings.append(why)
            elif "partly_read" not in warnings:
                warnings.append("partly_read")
                extraction["why_partly"] = "scanned_pages" if why == Reason.NO_TEXT_LAYER else why
    text = "\n".join(t for t in pages_text if t)[:MAX_TEXT_CHARS]
    return Document(kind="pdf", text=text, title=info.metadata.get("Title", "").strip(), headings=_headings(text),
                    pages=pages, text_source=text_source, metadata=info.metadata, warnings=tuple(warnings),
                    dates=_metadata_dates(info.metadata), ocr_confidence=ocr_confidence, extraction=extraction)


def scanned_pages(pages_text: list[str], image_cover: list[float]) -> list[int]:
    """0-based pages that are scans: an image over a token text layer, or (for a document with
    almost no text at all) every page."""
    readable = [sum(1 for ch in t if not ch.isspace()) for t in pages_text]
    if sum(readable) < MIN_CHARS_PER_PAGE * max(1, len(pages_text)):
        return [i for i, chars in enumerate(readable) if chars < TOKEN_TEXT_CHARS]
    covered = image_cover + [0.0] * (len(pages_text) - len(image_cover))
    return [i for i, chars in enumerate(readable) if covered[i] >= IMAGE_COVER and chars < TOKEN_TEXT_CHARS]


def _ocr(body: bytes, pages_text: list[str], scanned: list[int], sizes: list[tuple[float, float]],
         options: ExtractOptions, budget: Budget) -> tuple[list[int], float | None, str]:
    """OCR the scanned (and garbled) pages in place; returns the pages left unread, the confidence
    and the OCR state."""
    why = ocr_unavailable_reason(options)
    if why:
        return scanned, None, why
    result = ocr_pages(body, scanned, sizes, options, budget)
    confidence = result.confidence if result.pages else None
    chars = sum(sum(1 for ch in p.text if not ch.isspace()) for p in result.pages)
    if not result.pages or confidence is None or confidence < options.ocr_min_confidence \
            or chars < MIN_CHARS_PER_PAGE * len(result.pages):
        state = "timeout" if result.timed_out and not result.pages else "low_confidence"
        return scanned, confidence, state
    done = {p.index for p in result.pages}
    for page in result.pages:
        layer = pages_text[page.index]
        pages_text[page.index] = f"{layer}\n{fold(_clean(page.text))}" if layer else fold(_clean(page.text))
    state = "used" if not result.timed_out and len(done) == len(scanned) else "partial"
    return [i for i in scanned if i not in done], confidence, state


def _sample(text: str) -> str:
    """The first words of a garbled page, as the evidence an admin recognises."""
    words = " ".join(text.split())
    return words if len(words) <= GARBLED_SAMPLE_CHARS else words[:GARBLED_SAMPLE_CHARS].rsplit(" ", 1)[0] + " …"


def _timed_out(info: _Inspection) -> Document:
    return Document(kind="pdf", text_source="none", pages=info.pages, metadata=info.metadata,
                    warnings=(Reason.EXTRACT_TIMEOUT,), dates=_metadata_dates(info.metadata))


def _clean(text: str) -> str:
    return text.replace("\x00", "")


def _headings(text: str) -> tuple[str, ...]:
    """The first lines of the text, joined (a title's year is often on its second line): where a
    PDF's title and reporting period are written."""
    lines = [line for line in text[:_HEADING_CHARS * 2].splitlines() if line.strip()]
    out: list[str] = []
    used = 0
    for line in lines[:_HEADING_LINES]:
        if used + len(line) > _HEADING_CHARS and out:
            break
        out.append(line)
        used += len(line)
    return (" ".join(out),) if out else ()


def _metadata_dates(metadata: dict[str, str]) -> tuple[DocDate, ...]:
    out = []
    for key in ("CreationDate", "ModDate"):
        value = parse_pdf_date(metadata.get(key, ""))
        if value is not None:
            out.append(DocDate("pdf_metadata", key, value))
    return tuple(out)


@serialized
def _inspect(body: bytes, max_pages: int) -> _Inspection:
    """Page count, sizes, image coverage and metadata via pypdfium2; never raises."""
    import pypdfium2  # type: ignore[import-untyped]
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    info = _Inspection()
    try:
        pdf = pypdfium2.PdfDocument(body)
    except pypdfium2.PdfiumError as exc:
        info.error = str(exc)
        info.encrypted = getattr(exc, "err_code", None) == PDFIUM_WRONG_PASSWORD
        return info
    try:
        info.metadata = {k: str(v) for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
        info.pages = len(pdf)
        for index in range(min(info.pages, max_pages)):
            page = pdf[index]
            width, height = page.get_size()
            info.sizes.append((width, height))
            info.image_cover.append(_image_cover(page, width, height, pdfium_c))
    except (pypdfium2.PdfiumError, ValueError, OSError) as exc:
        info.error = str(exc)
    finally:
        pdf.close()
    return info


def _image_cover(page: Any, width: float, height: float, pdfium_c: Any) -> float:
    """Share of the page covered by image objects (overlaps counted twice, capped at 1)."""
    area = width * height
    if area <= 0:
        return 0.0
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
        w = max(0.0, min(right, width) - max(left, 0.0))
        h = max(0.0, min(top, height) - max(bottom, 0.0))
        covered += w * h
    return min(1.0, covered / area)


def _pdftotext_pages(body: bytes, last_page: int, budget: Budget) -> tuple[list[str] | None, str]:
    """Text per page (pdftotext ends each page with a form feed); None when poppler cannot help."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None, ""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(body)
        fh.flush()
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [exe, "-raw", "-enc", "UTF-8", "-l", str(max(1, last_page)), fh.name, "-"],
                capture_output=True, timeout=max(1.0, budget.left()), check=False)
        except subprocess.TimeoutExpired:
            return None, ""
    if done.returncode != 0:
        return None, ""
    pages = done.stdout.decode("utf-8", errors="replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages, "pdftotext"


@serialized
def _pypdfium2_pages(body: bytes, last_page: int, budget: Budget) -> list[str] | None:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(body)
    except pypdfium2.PdfiumError:
        return None
    try:
        parts = []
        for index in range(min(len(pdf), last_page)):
            if budget.spent():
                break
            parts.append(_repair_pdfium(pdf[index].get_textpage().get_text_range()))
        return parts
    finally:
        pdf.close()


_CRLF_IN_WORD = re.compile(r"\r?\n(?=[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])")


def _repair_pdfium(text: str) -> str:
    """pypdfium2 breaks lines before Thai combining marks (LibreOffice PDFs): join them back."""
    return _CRLF_IN_WORD.sub("", text.replace("\r\n", "\n"))
