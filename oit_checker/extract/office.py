"""Word and Excel files to ``Document``: DOCX and XLSX read; legacy DOC/XLS recognised and flagged.

DOCX is read with the standard library (``zipfile`` + ``xml.etree`` iterparse): the text of every
paragraph in document order, including tables, text boxes and content controls, with headings
from the paragraph styles, the page headers, and the core properties (title, created, modified).
python-docx's paragraph model skips text boxes and adds lxml for no gain here (measured in
``docs/architecture.md``). XLSX is read with openpyxl (read-only, cached values): it knows which
numbers are dates from their number formats, including Thai Buddhist-era formats.

Safety: XML is parsed with defusedxml (no entity expansion, no external entities; openpyxl uses it
too when it is installed). A DOCX/XLSX is a zip. Before anything is parsed, the sizes its entries declare are added
up; more than ``max_decompressed_mb`` (a zip bomb, or simply too big) gives ``too_large``.
``zipfile`` never returns more than an entry declares, so the check bounds what is inflated.
Workbooks stop at ``max_cells``; parsing stops when the document's time budget is spent. A file
that is not a readable zip gives ``corrupt_file``; a password-protected Office file (an OLE
container holding ``EncryptedPackage``) gives ``encrypted``; DOC/XLS give ``legacy_format``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

from ..dates import parse_w3c_date
from ..models import DocDate, Document, Table
from ..reasons import Reason
from .html import fold
from .options import DEFAULT_OPTIONS, Budget, ExtractOptions, ExtractTimeout

__all__ = ["extract_docx", "extract_legacy", "extract_xlsx", "sniff_office"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_ENTRIES = 10_000
MAX_DATE_CELLS = 5_000
HEADER_SCAN_ROWS = 15
"""Rows at the top of a sheet searched for its header row."""
MAX_TEXT_CHARS = 2_000_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE = {"{http://purl.org/dc/elements/1.1/}title": "title",
         "{http://purl.org/dc/terms/}created": "created",
         "{http://purl.org/dc/terms/}modified": "modified"}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff_office(body: bytes) -> str:
    """``docx``, ``xlsx``, ``pptx``, ``odf``, ``zip``, ``doc``, ``xls``, ``ole`` (or '') from the bytes alone."""
    if body.startswith(OLE_MAGIC):
        if _utf16("EncryptedPackage") in body:
            return "ole"  # an encrypted DOCX/XLSX: which one cannot be told without the password
        if _utf16("WordDocument") in body:
            return "doc"
        if _utf16("Workbook") in body or _utf16("Book") in body:
            return "xls"
        return "ole"
    if not body.startswith(ZIP_MAGIC):
        return ""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "mimetype" in names:
        return "odf"
    return "zip"


def extract_legacy(body: bytes, kind: str) -> Document:
    """DOC/XLS (binary Office formats) are not read: say so, or that the file is encrypted."""
    if body.startswith(OLE_MAGIC) and _utf16("EncryptedPackage") in body:
        return Document(kind=kind, text_source="none", warnings=("encrypted",))
    return Document(kind=kind, text_source="none", warnings=(Reason.LEGACY_FORMAT,), metadata={"format": kind})


class _Problem(Exception):
    """A file problem that ends extraction with this warning code."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def _failed(kind: str, problem: _Problem) -> Document:
    return Document(kind=kind, text_source="none", warnings=(problem.code,), metadata={"error": problem.detail[:200]})


def _open_zip(body: bytes, kind: str, options: ExtractOptions) -> zipfile.ZipFile:
    if body.startswith(OLE_MAGIC):
        raise _Problem("encrypted" if _utf16("EncryptedPackage") in body else Reason.CORRUPT_FILE,
                       "an OLE container, not an OOXML zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _Problem(Reason.CORRUPT_FILE, f"not a readable {kind.upper()} (zip): {exc}") from exc
    declared = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ENTRIES or declared > options.max_decompressed_bytes:
        raise _Problem(Reason.TOO_LARGE, f"{len(entries)} entries expanding to {declared:,} bytes "
                                    f"(cap {options.max_decompressed_bytes:,})")
    return archive


def _member(archive: zipfile.ZipFile, name: str) -> IO[bytes] | None:
    try:
        return archive.open(name)
    except KeyError:
        return None


def _core_properties(archive: zipfile.ZipFile, source: str) -> tuple[str, list[DocDate]]:
    """Title and dates from ``docProps/core.xml``."""
    stream = _member(archive, "docProps/core.xml")
    if stream is None:
        return "", []
    title, dates = "", []
    try:
        for _, elem in iterparse(stream):
            key = _CORE.get(elem.tag)
            if key == "title":
                title = (elem.text or "").strip()
            elif key:
                value = parse_w3c_date(elem.text or "")
                if value is not None:
                    dates.append(DocDate(source, key, value))
    except (ParseError, DefusedXmlException):
        return "", []
    return title, dates


# --- DOCX ------------------------------------------------------------------------------------


def extract_docx(body: bytes, options: ExtractOptions = DEFAULT_OPTIONS) -> Document:
    """Paragraphs, tables and text boxes in order; headings by style; page headers; core properties."""
    budget = Budget(options.timeout)
    try:
        archive = _open_zip(body, "docx", options)
        stream = _member(archive, "word/document.xml")
        if stream is None:
            raise _Problem(Reason.CORRUPT_FILE, "word/document.xml is missing")
        headings_styles = _heading_styles(archive)
        reader = _DocxReader(headings_styles, budget)
        partly = False
        try:
            for name in sorted(n for n in archive.namelist() if re.fullmatch(r"word/header\d*\.xml", n)):
                header = _member(archive, name)
                if header is not None:
                    reader.read(header, header_part=True)
            reader.read(stream)
        except ExtractTimeout:
            partly = True
        title, dates = _core_properties(archive, "docx_properties")
    except _Problem as problem:
        return _failed("docx", problem)
    except (ParseError, DefusedXmlException) as exc:
        return _failed("docx", _Problem(Reason.CORRUPT_FILE, f"broken XML: {exc}"))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # a damaged entry (bad CRC, truncated)
        return _failed("docx", _Problem(Reason.CORRUPT_FILE, f"{type(exc).__name__}: {exc}"))
    text = fold("\n".join(reader.lines))[:MAX_TEXT_CHARS]
    extraction: dict[str, Any] = {"paragraphs": reader.paragraphs, "tables": len(reader.tables)}
    if partly:
        extraction["why_partly"] = "timeout"
    headings = tuple(reader.headings) or tuple(line for line in text.splitlines()[:2] if line)
    return Document(kind="docx", text=text, title=title, headings=headings[:20], text_source="docx",
                    dates=tuple(dates), tables=tuple(reader.tables), extraction=extraction,
                    warnings=("partly_read",) if partly else ())


def _heading_styles(archive: zipfile.ZipFile) -> set[str]:
    """Style ids whose (English, built-in) name is a title or heading, whatever the UI language."""
    stream = _member(archive, "word/styles.xml")
    out = {"Title", "Subtitle", *(f"Heading{i}" for i in range(1, 10))}
    if stream is None:
        return out
    try:
        for _, elem in iterparse(stream):
            if elem.tag == f"{W}style":
                name_node = elem.find(f"{W}name")
                name = (name_node.get(f"{W}val") or "").lower() if name_node is not None else ""
                if name in ("title", "subtitle") or name.startswith("heading"):
                    out.add(elem.get(f"{W}styleId") or "")
                elem.clear()
    except (ParseError, DefusedXmlException):
        pass
    return out


class _DocxReader:
    """Walks WordprocessingML once, keeping only the text (memory stays flat: elements are cleared)."""

    def __init__(self, heading_styles: set[str], budget: Budget) -> None:
        self.heading_styles = heading_styles
        self.budget = budget
        self.lines: list[str] = []
        self.headings: list[str] = []
        self.tables: list[Table] = []
        self.paragraphs = 0

    def read(self, stream: IO[bytes], header_part: bool = False) -> None:
        para: list[list[str]] = []      # open paragraphs (text boxes nest them)
        heading: list[bool] = []
        cells: list[list[str]] = []     # open cells' paragraphs
        rows: list[list[str]] = []      # open rows' cells
        tables: list[list[list[str]]] = []
        events = 0
        for event, elem in iterparse(stream, events=("start", "end")):
            events += 1
            if events % 2000 == 0:
                self.budget.check()
            tag = elem.tag
            if event == "start":
                if tag == f"{W}p":
                    para.append([])
                    heading.append(False)
                elif tag == f"{W}tbl":
                    tables.append([])
                elif tag == f"{W}tr":
                    rows.append([])
                elif tag == f"{W}tc":
                    cells.append([])
                continue
            if tag == f"{W}t" and para:
                para[-1].append(elem.text or "")
            elif tag == f"{W}tab" and para:
                para[-1].append("\t")
            elif tag in (f"{W}br", f"{W}cr") and para:
                para[-1].append("\n")
            elif tag == f"{W}pStyle" and heading:
                heading[-1] = heading[-1] or (elem.get(f"{W}val") or "") in self.heading_styles
            elif tag == f"{W}outlineLvl" and heading:
                heading[-1] = True
            elif tag == f"{W}p" and para:
                text = "".join(para.pop()).strip()
                is_heading = heading.pop()
                self.paragraphs += 1
                if cells:
                    cells[-1].append(text)
                elif text:
                    self.lines.append(text)
                    if is_heading or header_part:
                        self.headings.append(" ".join(text.split()))
                elem.clear()
            elif tag == f"{W}tc" and cells:
                cell = " ".join(t for t in cells.pop() if t)
                if rows:
                    rows[-1].append(cell)
            elif tag == f"{W}tr" and rows:
                row = rows.pop()
                if tables:
                    tables[-1].append(row)
                if cells:  # a table nested in a cell: its rows are text of that cell
                    cells[-1].append("\t".join(row))
                else:
                    self.lines.append("\t".join(row))
            elif tag == f"{W}tbl" and tables:
                table = tables.pop()
                self.tables.append(Table(f"table {len(self.tables) + 1}", tuple(tuple(r) for r in table[:3])))
                elem.clear()


# --- XLSX ------------------------------------------------------------------------------------


def extract_xlsx(body: bytes, options: ExtractOptions = DEFAULT_OPTIONS) -> Document:
    """Every sheet's cells as tab-separated lines; date cells as dates; header rows as tables."""
    budget = Budget(options.timeout)
    try:
        archive = _open_zip(body, "xlsx", options)
        title, core_dates = _core_properties(archive, "xlsx_properties")
        archive.close()
        book = _load_workbook(body)
    except _Problem as problem:
        return _failed("xlsx", problem)
    lines: list[str] = []
    headings: list[str] = []
    tables: list[Table] = []
    dates: list[DocDate] = []
    cells = 0
    why_partly = ""
    try:
        for sheet in book.worksheets:
            lines.append(sheet.title)
            headings.append(sheet.title)
            top: list[tuple[str, ...]] = []
            for row_number, row in enumerate(_rows(sheet), start=1):
                if row_number % 200 == 0:
                    budget.check()
                cells += len(row)
                if cells > options.max_cells:
                    why_partly = "max_cells"
                    break
                rendered: list[str] = []
                for column, value in enumerate(row, start=1):
                    if isinstance(value, (dt.datetime, dt.date)):
                        day = value.date() if isinstance(value, dt.datetime) else value
                        if len(dates) < MAX_DATE_CELLS and 1900 < day.year < 2200:
                            dates.append(DocDate("xlsx_cell", f"{sheet.title}!{_column(column)}{row_number}", day))
                        rendered.append("")
                    else:
                        rendered.append(_cell_text(value))
                if row_number <= HEADER_SCAN_ROWS:
                    top.append(tuple(rendered))
                if any(rendered):
                    lines.append("\t".join(rendered).rstrip("\t"))
            header, above = _header_zone(top)
            if header:
                tables.append(Table(sheet.title, header))
            headings.extend(above)
            if why_partly:
                break
    except ExtractTimeout:
        why_partly = "timeout"
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on broken parts
        return _failed("xlsx", _Problem(Reason.CORRUPT_FILE, f"{type(exc).__name__}: {exc}"))
    finally:
        book.close()
    extraction: dict[str, Any] = {"sheets": len(book.sheetnames), "cells": cells, "date_cells": len(dates)}
    if why_partly:
        extraction["why_partly"] = why_partly
    return Document(kind="xlsx", text=fold("\n".join(lines))[:MAX_TEXT_CHARS], title=title,
                    headings=tuple(h for h in headings if h)[:40], text_source="xlsx",
                    dates=tuple(core_dates + dates), tables=tuple(tables), extraction=extraction,
                    warnings=("partly_read",) if why_partly else ())


def _load_workbook(body: bytes) -> Any:
    import warnings

    import openpyxl  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions, not our problem
            return openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises KeyError, InvalidFileException, XML errors …
        raise _Problem(Reason.CORRUPT_FILE, f"{type(exc).__name__}: {exc}") from exc


def _rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield from sheet.iter_rows(values_only=True)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _column(number: int) -> str:
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _header_zone(top: list[tuple[str, ...]]) -> tuple[tuple[tuple[str, ...], ...], list[str]]:
    """The header row (the first with at least three text cells) and the row after it when it too is
    text (a two-row header), plus the title rows above it."""
    for index, row in enumerate(top):
        texts = [c for c in row if c and not _numeric(c)]
        if len(texts) >= 3:
            zone = [row]
            if index + 1 < len(top):
                following = [c for c in top[index + 1] if c]
                if following and all(not _numeric(c) for c in following):
                    zone.append(top[index + 1])
            above = [" ".join(c for c in r if c) for r in top[:index]]
            return tuple(zone), [a for a in above if a][:3]
    return (), []


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,]+(?:\.\d+)?", text))
