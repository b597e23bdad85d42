"""Extractors: fetched bytes to a ``Document``, whatever the format."""

from __future__ import annotations

from ..models import Document, FetchResult
from .html import extract_html
from .pdf import extract_pdf

__all__ = ["extract", "extract_html", "extract_pdf", "sniff_kind"]

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


def extract(fetch: FetchResult) -> Document:
    """The ``Document`` for a successful fetch; unknown formats give an empty document."""
    kind = sniff_kind(fetch)
    if kind == "html":
        return extract_html(fetch.body, fetch.final_url, fetch.headers.get("content-type", ""))
    if kind == "pdf":
        return extract_pdf(fetch.body)
    return Document(kind=kind, text_source="none", warnings=("unsupported_format",))
