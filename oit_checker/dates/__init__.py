"""Dates: the Thai calendar (``calendar``), dates written in text (``grammar``, ``patterns``) and
the dates a file carries about itself (``files``). The public date API is re-exported here, so
callers import from ``oit_checker.dates``."""

from __future__ import annotations

from .calendar import (
    BE_OFFSET,
    ENGLISH_MONTHS,
    THAI_MONTH_ABBREVIATIONS,
    THAI_MONTHS,
    THAI_TZ,
    DateStyle,
    be_to_ce,
    ce_to_be,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    month_name,
)
from .files import SOURCE_RANK, file_dates, parse_http_date, parse_pdf_date, parse_w3c_date
from .grammar import DateMention, find_dates, parse_date, parse_year
from .patterns import ERA_PATTERN

__all__ = [
    "BE_OFFSET",
    "ENGLISH_MONTHS",
    "ERA_PATTERN",
    "SOURCE_RANK",
    "THAI_MONTHS",
    "THAI_MONTH_ABBREVIATIONS",
    "THAI_TZ",
    "DateMention",
    "DateStyle",
    "be_to_ce",
    "ce_to_be",
    "file_dates",
    "find_dates",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_date",
    "month_name",
    "parse_date",
    "parse_http_date",
    "parse_pdf_date",
    "parse_w3c_date",
    "parse_year",
]
