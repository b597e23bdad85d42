"""Extractors: fetched bytes to a ``Document``, whatever the format."""

from __future__ import annotations

from ..models import Document, FetchResult
from ..reasons import Reason
from .html import extract_html
from .office import extract_docx, extract_legacy, extract_xlsx, sniff_office
from .options import DEFAULT_OPTIONS, ExtractOptions
from .pdf import extract_pdf

__all__ = ["DEFAULT_OPTIONS", "ExtractOptions", "extract", "extract_docx", "extract_html", "extract_pdf",
           "extract_xlsx", "sniff_kind"]

_OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
}


def sniff_kind(fetch: FetchResult) -> str:
    """``html``, ``pdf``, ``docx``, ``xlsx``, ``doc``, ``xls`` or ``other``, from bytes then headers."""
    head = fetch.body[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    office = sniff_office(fetch.body)  # by magic bytes: servers often send office files as octet-stream
    if office in ("docx", "xlsx", "doc", "xls"):
        return office
    if office == "ole":  # an encrypted DOCX/XLSX, or another OLE file: say which from the URL or header
        return _OFFICE.get(fetch.content_type) or next(
            (ext for ext in ("docx", "xlsx", "xls") if fetch.final_url.split("?")[0].lower().endswith("." + ext)),
            "doc")
    ctype = fetch.content_type
    if ctype in _OFFICE:
        return _OFFICE[ctype]
    path = fetch.final_url.split("?")[0].lower()
    for ext in ("docx", "xlsx", "doc", "xls", "pdf"):
        if path.endswith("." + ext) and ctype in ("", "application/octet-stream"):
            return ext
    lowered = head[:512].lower()
    if ctype in ("text/html", "application/xhtml+xml") or lowered.startswith((b"<!doctype html", b"<html")) \
            or b"<html" in lowered or b"<body" in lowered:
        return "html"
    if ctype.startswith("text/"):
        return "html"
    return "other"


def extract(fetch: FetchResult, options: ExtractOptions = DEFAULT_OPTIONS) -> Document:
    """The ``Document`` for a successful fetch; unknown formats give an empty document."""
    doc = _extract(fetch, options)
    if fetch.truncated and Reason.CORRUPT_FILE in doc.warnings:  # cut at [http] max_body_mb: not the agency's fault
        return Document(kind=doc.kind, text_source="none", warnings=(Reason.EXTRACT_FAILED,),
                        metadata={"error": "the file was cut at the download size limit ([http] max_body_mb)"})
    return doc


def _extract(fetch: FetchResult, options: ExtractOptions) -> Document:
    kind = sniff_kind(fetch)
    if kind == "html":
        return extract_html(fetch.body, fetch.final_url, fetch.headers.get("content-type", ""))
    if kind == "pdf":
        return extract_pdf(fetch.body, options)
    if kind == "docx":
        return extract_docx(fetch.body, options)
    if kind == "xlsx":
        return extract_xlsx(fetch.body, options)
    if kind in ("doc", "xls"):
        return extract_legacy(fetch.body, kind)
    return Document(kind=kind, text_source="none", warnings=(Reason.UNSUPPORTED_FORMAT,))
