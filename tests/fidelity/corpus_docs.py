"""The corpus's evidence files, built at run time (no big binaries in the tree) and cached.

* ``Pdf`` — a Thai PDF with a real text layer: Chromium prints the HTML (as agencies' "Save as PDF");
* ``Scan`` — a scanned report: a JPEG screenshot of the HTML placed full-page, no text layer
  (``oit_checker.demo.build_documents.scan_pdf``); ``faint`` makes it a poor photocopy;
* ``LegacyPdf`` — a PDF made with a legacy Thai font: the page shows Thai but its text layer is the
  Latin letters of the same keys on a Kedmanee keyboard (``ikp'ko`` …), as pdftotext reads such
  files (``tests/integration/mkpdf.py``'s ``legacy_font_pdf``); ``faint`` makes it a poor scan
  under an invisible layer of that garbage;
* ``Docx`` — a Word file written by hand (the minimal WordprocessingML parts);
* ``Xlsx`` — a workbook written with openpyxl.

Chromium-made files are cached by content hash under the temp folder, so a second run starts fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CACHE = Path(tempfile.gettempdir()) / "oit-fidelity-cache"
CACHE_VERSION = "2"
"""Bump when a builder changes: the cached files are rebuilt."""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STYLE = ('<style>@page { size: A4; margin: 2cm; } body { font-family: "Laksaman"; font-size: 17pt; '
         "line-height: 1.5; } h1 { font-size: 20pt; text-align: center; } h2 { font-size: 17pt; }</style>")
FAINT = "img, body { filter: blur(2.2px) contrast(0.35) brightness(1.25); }"


def report_html(title: str, body: str) -> str:
    """An A4 report page in a Thai font (what the Chromium builders print or photograph)."""
    return (f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"{STYLE}</head><body><h1>{html.escape(title)}</h1>{body}</body></html>")


@dataclass(frozen=True)
class Pdf:
    """A text PDF printed by Chromium."""

    title: str
    body: str
    """HTML of the report's body."""


@dataclass(frozen=True)
class Scan:
    """A scanned PDF (image only)."""

    title: str
    body: str
    faint: bool = False


@dataclass(frozen=True)
class LegacyPdf:
    """A PDF made with a legacy Thai font: Thai on the page, Latin garbage in the text layer."""

    title: str
    body: str
    faint: bool = False


@dataclass(frozen=True)
class Docx:
    """A Word document: paragraphs of text (the first is the title)."""

    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Xlsx:
    """A workbook: one sheet per (name, rows)."""

    sheets: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]
    title: str = ""


Spec = Pdf | Scan | LegacyPdf | Docx | Xlsx
CONTENT_TYPES = {Pdf: "application/pdf", Scan: "application/pdf", LegacyPdf: "application/pdf",
                 Docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 Xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def content_type(spec: Spec) -> str:
    return CONTENT_TYPES[type(spec)]


def build_all(specs: list[Spec]) -> dict[Spec, bytes]:
    """Every spec's bytes; Chromium is started once, and only when a file is not cached."""
    out: dict[Spec, bytes] = {}
    pending: list[tuple[Spec, Path]] = []
    CACHE.mkdir(parents=True, exist_ok=True)
    for spec in dict.fromkeys(specs):
        if isinstance(spec, Docx):
            out[spec] = docx_bytes(spec)
        elif isinstance(spec, Xlsx):
            out[spec] = xlsx_bytes(spec)
        else:
            key = hashlib.sha256(f"{CACHE_VERSION}{spec!r}".encode()).hexdigest()[:24]
            target = CACHE / f"{type(spec).__name__.lower()}-{key}.pdf"
            if target.is_file():
                out[spec] = target.read_bytes()
            else:
                pending.append((spec, target))
    if pending:
        _chromium_build(pending)
        out.update({spec: target.read_bytes() for spec, target in pending})
    return out


def _chromium_build(pending: list[tuple[Spec, Path]]) -> None:
    from playwright.sync_api import sync_playwright

    from oit_checker.demo.build_documents import scan_pdf

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for spec, target in pending:
                source = report_html(spec.title, spec.body)
                partial = target.with_suffix(".part")
                if isinstance(spec, Pdf):
                    page = browser.new_page()
                    page.set_content(source, wait_until="load")
                    page.evaluate("document.fonts.ready")
                    page.pdf(path=str(partial), format="A4")
                    page.close()
                elif isinstance(spec, Scan):
                    scan_pdf(source, partial, css=FAINT if spec.faint else "", browser=browser,
                             **({"scale": 1.0, "quality": 30} if spec.faint else {}))
                else:
                    _legacy_pdf(browser, spec, source, partial)
                partial.replace(target)
        finally:
            browser.close()


# -- legacy-font PDF --------------------------------------------------------------------------------
# The garbling itself is tests/integration/mkpdf.py's (the documents tests use it too).

def _legacy_pdf(browser: Any, spec: LegacyPdf, source: str, target: Path) -> None:
    """A legacy-font PDF: Chromium's PDF with its Thai text layer sent to Kedmanee keys; the faint
    kind is a poor scan under an invisible layer of that garbage (a "searchable" legacy scan)."""
    from mkpdf import legacy_font_pdf, scan_with_hidden_text, to_legacy_keys

    from oit_checker.demo.build_documents import scan_pdf

    page = browser.new_page()
    page.set_content(source, wait_until="load")
    page.evaluate("document.fonts.ready")
    if spec.faint:
        lines = page.inner_text("body")
        page.close()
        scan_pdf(source, target, css=FAINT, browser=browser, scale=1.0, quality=30)
        target.write_bytes(scan_with_hidden_text(target.read_bytes(), to_legacy_keys(lines)))
    else:
        pdf = page.pdf(format="A4")
        page.close()
        target.write_bytes(legacy_font_pdf(pdf))


# -- office files -----------------------------------------------------------------------------------

_DOCX_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
</Relationships>"""


def docx_bytes(spec: Docx) -> bytes:
    """A minimal valid DOCX: one run per paragraph."""
    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{html.escape(p)}</w:t></w:r></w:p>'
                         for p in spec.paragraphs)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{paragraphs}</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", _DOCX_TYPES), ("_rels/.rels", _DOCX_RELS),
                           ("word/document.xml", document)):
            zf.writestr(zipfile.ZipInfo(name, (2024, 11, 1, 9, 0, 0)), text)
    return buffer.getvalue()


def xlsx_bytes(spec: Xlsx) -> bytes:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    book.remove(book.active)
    book.properties.title = spec.title
    book.properties.created = book.properties.modified = dt.datetime(2024, 11, 1, 9, 0)
    for name, rows in spec.sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
