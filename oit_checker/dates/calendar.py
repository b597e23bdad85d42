"""The Thai calendar: B.E./C.E. years, fiscal years, month tables and the one way dates are written.

Year rules (used by the whole ``dates`` package):

* B.E. (พ.ศ.) = C.E. (ค.ศ.) + 543.
* A two-digit year is B.E. ``25yy`` ("66" -> 2566). In running text (``find_dates``) only
  ``yy`` 40–99 (B.E. 2540–2599) is accepted, because "มีนาคม 15 วัน" would otherwise become
  the year 2515.
* A four-digit year 2400–2799 is B.E.; 1900–2200 is C.E. (and converted); anything else is not a
  year. An explicit "พ.ศ." / "ค.ศ." must agree with the value.
* The Thai fiscal year (ปีงบประมาณ) N runs 1 October (N-1) – 30 September N, both B.E.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

__all__ = [
    "BE_OFFSET",
    "ENGLISH_MONTHS",
    "THAI_MONTHS",
    "THAI_MONTH_ABBREVIATIONS",
    "THAI_TZ",
    "DateStyle",
    "be_to_ce",
    "ce_to_be",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_date",
    "month_name",
]

BE_OFFSET = 543
"""B.E. year minus C.E. year."""

THAI_TZ = dt.timezone(dt.timedelta(hours=7))
"""Thailand's time zone (no daylight saving): a file saved at 23:30 UTC on 30 Sep is in October."""

THAI_MONTHS: dict[str, int] = {
    "มกราคม": 1,
    "กุมภาพันธ์": 2,
    "กุมภาพันธ": 2,  # thanthakhat often lost in PDF text layers
    "มีนาคม": 3,
    "เมษายน": 4,
    "พฤษภาคม": 5,
    "มิถุนายน": 6,
    "กรกฎาคม": 7,
    "กรกฏาคม": 7,  # common misspelling (ฏ for ฎ)
    "สิงหาคม": 8,
    "กันยายน": 9,
    "ตุลาคม": 10,
    "พฤศจิกายน": 11,
    "ธันวาคม": 12,
}
"""Full Thai month names (and frequent misspellings) -> month number."""

THAI_MONTH_ABBREVIATIONS: dict[str, int] = {
    "ม.ค.": 1,
    "ก.พ.": 2,
    "มี.ค.": 3,
    "เม.ย.": 4,
    "พ.ค.": 5,
    "มิ.ย.": 6,
    "ก.ค.": 7,
    "ส.ค.": 8,
    "ก.ย.": 9,
    "ต.ค.": 10,
    "พ.ย.": 11,
    "ธ.ค.": 12,
}
"""Standard abbreviations; matching also accepts them without dots, a missing final dot, or a
space around a dot ("ม.ค", "มค.", "ก. ย.")."""

ENGLISH_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
"""English month names and abbreviations (English UIs of Thai sites), matched case-insensitively."""


# ---------------------------------------------------------------------------------------------
# Labels: the one way reports write a month or a date
# ---------------------------------------------------------------------------------------------

THAI_MONTH_NAMES = {number: name for name, number in reversed(THAI_MONTHS.items())}
"""Month number -> its full Thai name: the first spelling of each month in ``THAI_MONTHS`` (read
backwards, so the first wins; the others are misspellings pages use)."""
THAI_MONTH_SHORT_NAMES = {number: name for name, number in THAI_MONTH_ABBREVIATIONS.items()}
"""Month number -> its standard Thai abbreviation ('มี.ค.')."""
ENGLISH_MONTH_SHORT_NAMES = {number: name.title() for name, number in ENGLISH_MONTHS.items() if len(name) == 3}
"""Month number -> its English abbreviation ('Mar')."""

DateStyle = Literal["day", "month"]
"""How a date is written. ``day``: a day of the calendar, as the deadline is ('31 มี.ค. 2568',
'31 Mar 2025'). ``month``: a month of a year, as the period check names months ('มีนาคม 2567',
'Mar 2024 (B.E. 2567)')."""


def month_name(month: int, lang: str, style: DateStyle = "day") -> str:
    """The month as ``style`` writes it: Thai abbreviated for a day, in full for a month; English
    abbreviated in both."""
    if lang == "en":
        return ENGLISH_MONTH_SHORT_NAMES[month]
    return (THAI_MONTH_SHORT_NAMES if style == "day" else THAI_MONTH_NAMES)[month]


def format_date(day: dt.date, lang: str, style: DateStyle = "day") -> str:
    """``day`` written in ``style`` (see ``DateStyle``): Thai with the B.E. year, English with the
    C.E. year (and the B.E. one beside a month, as the assessment names years in B.E.)."""
    name = month_name(day.month, lang, style)
    year_be = ce_to_be(day.year)
    if style == "month":
        return f"{name} {day.year} (B.E. {year_be})" if lang == "en" else f"{name} {year_be}"
    return f"{day.day} {name} {day.year}" if lang == "en" else f"{day.day} {name} {year_be}"


# ---------------------------------------------------------------------------------------------
# Years and fiscal years
# ---------------------------------------------------------------------------------------------


def be_to_ce(year_be: int) -> int:
    """B.E. (พ.ศ.) -> C.E.; ``datetime.date`` needs C.E."""
    return year_be - BE_OFFSET


def ce_to_be(year_ce: int) -> int:
    """C.E. -> B.E. (พ.ศ.), the calendar Thai agencies and the NACC name years in."""
    return year_ce + BE_OFFSET


def fiscal_year_of(day: dt.date) -> int:
    """The B.E. fiscal year containing ``day`` (October starts the next one): what freshness
    rules are stated in."""
    year_be = ce_to_be(day.year)
    return year_be + 1 if day.month >= 10 else year_be


def fiscal_year_bounds(fy_be: int) -> tuple[dt.date, dt.date]:
    """First and last day (C.E. dates) of B.E. fiscal year ``fy_be``: 1 Oct (N-1) – 30 Sep N."""
    year_ce = be_to_ce(fy_be)
    return dt.date(year_ce - 1, 10, 1), dt.date(year_ce, 9, 30)

