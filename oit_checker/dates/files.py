"""Dates that come with a file rather than in its text: PDF metadata, OOXML properties, HTTP headers.

The freshness check ranks date sources (``SOURCE_RANK``): what the content says (title, headings,
text) beats the dates a file carries about itself (PDF CreationDate/ModDate, DOCX/XLSX core
properties, XLSX cells that are real dates), which beat the server's ``Last-Modified``. The
last is weak evidence (a copy, a restore, a static file server's upload time): alone it never
makes a page stale, only a ``warn`` (``checks/period.py``). Each parser here returns a
``datetime.date`` in Thai time (UTC+7) or None, and never raises.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from ..models import DocDate, Document
from .calendar import THAI_TZ

__all__ = ["SOURCE_RANK", "file_dates", "parse_http_date", "parse_pdf_date", "parse_w3c_date"]

SOURCE_RANK = {
    "title": 0, "heading": 0, "text": 1, "ocr": 1, "xlsx_cell": 2, "pdf_metadata": 3,
    "docx_properties": 3, "xlsx_properties": 3, "http_last_modified": 4,
}
"""Lower is stronger. Content (0–1), the data itself (2), what the file says of itself (3), the server (4)."""

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz]|[+-]\d{2}'?\d{2}'?)?")
_W3C_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?")
_MIN_YEAR, _MAX_YEAR = 1990, 2200


def _in_thailand(year: int, month: int, day: int, hour: int, minute: int, second: int,
                 offset: dt.timezone | None) -> dt.date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        moment = dt.datetime(year, month, day, hour, minute, min(second, 59), tzinfo=offset)
    except ValueError:
        return None
    if offset is None:  # local time as written
        return moment.date()
    return moment.astimezone(THAI_TZ).date()


def _offset(text: str | None) -> dt.timezone | None:
    if not text:
        return None
    if text in ("Z", "z"):
        return dt.UTC
    digits = text.replace("'", "").replace(":", "")
    sign = -1 if digits[0] == "-" else 1
    try:
        hours, minutes = int(digits[1:3]), int(digits[3:5] or 0)
    except ValueError:
        return None
    if hours > 14 or minutes > 59:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_pdf_date(value: str) -> dt.date | None:
    """A PDF date string (``D:20231005103000+07'00'``; parts may be missing) as a Thai-time date."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (
        int(g) if g else d for g, d in zip(match.groups()[:6], (0, 1, 1, 0, 0, 0), strict=True))
    return _in_thailand(year, month, day, hour, minute, second, _offset(match.group(7)))


def parse_w3c_date(value: str) -> dt.date | None:
    """An OOXML core-property date (``2023-10-05T03:30:00Z``) as a Thai-time date."""
    match = _W3C_DATE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups()[:6])
    return _in_thailand(year, month, day, hour, minute, second, _offset(match.group(7)))


def parse_http_date(value: str) -> dt.date | None:
    """An HTTP date (``Wed, 21 Oct 2015 07:28:00 GMT``) as a Thai-time date."""
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(THAI_TZ).date()


def file_dates(doc: Document | None, headers: dict[str, str]) -> list[DocDate]:
    """Every date the file carries about itself, strongest source first: the document's own
    (``Document.dates``), then the server's ``Last-Modified``."""
    out = list(doc.dates) if doc is not None else []
    modified = parse_http_date(headers.get("last-modified", ""))
    if modified is not None:
        out.append(DocDate("http_last_modified", "Last-Modified", modified))
    return sorted(out, key=lambda d: SOURCE_RANK.get(d.source, 9))
