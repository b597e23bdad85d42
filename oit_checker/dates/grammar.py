"""The date grammar: every date, month, range and (fiscal) year written in Thai or English text.

Why a hand-written parser: ``dateparser`` reads B.E. years as C.E. and loses abbreviated
months, and pythainlp is 67 MB for what is a few tables and regular expressions
(``shared/reference/feasibility.md`` §4). Formats handled are listed in
``shared/reference/oit-criteria.md`` §6; the year rules are in ``dates.calendar``.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..thai import compact, repair_with_offsets, to_arabic_digits
from .calendar import (
    ENGLISH_MONTHS,
    THAI_MONTH_ABBREVIATIONS,
    THAI_MONTHS,
    be_to_ce,
    ce_to_be,
    fiscal_year_bounds,
    fiscal_year_of,
)
from .patterns import (
    CONNECTOR_GAP_RE,
    DAY_PREFIX_RE,
    ENGLISH_DATE_RE,
    FISCAL_YEAR_RE,
    ISO_DATE_RE,
    NUMERIC_DATE_RE,
    QUARTER_RE,
    THAI_DATE_RE,
    YEAR_RE,
    YEAR_TOKEN_RE,
)

__all__ = ["DateMention", "find_dates", "parse_date", "parse_year"]

# ---------------------------------------------------------------------------------------------
# Years
# ---------------------------------------------------------------------------------------------

_BE_RANGE = range(2400, 2800)
_CE_RANGE = range(1900, 2201)


def _resolve_year(
    digits: str, era: str | None, *, strict_two_digit: bool
) -> tuple[int, bool] | None:
    """(B.E. year, written in C.E.?) for a year token, or None when it is not a plausible year.

    ``era`` is the 'พ.ศ.'/'ค.ศ.' text if one was written. With ``strict_two_digit`` a two-digit
    year must be 40–99 (B.E. 2540–2599), to keep counts like 'มีนาคม 15 วัน' out of running text.
    """
    is_ce_era = era is not None and "ค" in era
    value = int(digits)
    if len(digits) == 2:
        if is_ce_era or (strict_two_digit and value < 40):
            return None
        return 2500 + value, False
    if len(digits) != 4:
        return None
    if value in _BE_RANGE and not is_ce_era:
        return value, False
    if value in _CE_RANGE and not (era and not is_ce_era):
        return ce_to_be(value), True
    return None


def parse_year(token: str) -> int | None:
    """A year token as a B.E. year ('66', '2566', '๒๕๖๖', '2023', 'พ.ศ. 2566'), or None.

    Two digits are B.E. 25yy; four digits 2400–2799 are B.E., 1900–2200 are C.E. and converted.
    """
    match = YEAR_TOKEN_RE.fullmatch(to_arabic_digits(token).strip())
    if not match:
        return None
    resolved = _resolve_year(match["y"], match["era"], strict_two_digit=False)
    return resolved[0] if resolved else None


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    """One date, month, range or (fiscal) year written in a text; freshness checks compare its
    ``fiscal_year`` with the year an item must cover and show ``text`` as evidence."""

    text: str
    """The matched text as it appears in the input."""
    span: tuple[int, int]
    """Offsets in the original input string: ``input[span[0]:span[1]] == text``."""
    kind: str
    """"day" | "month" | "range" | "fiscal_year" | "year"."""
    start: dt.date
    """First day covered (C.E.): a month's first day, a fiscal year's 1 October, 1 January of a
    calendar year."""
    end: dt.date
    """Last day covered (C.E.)."""
    fiscal_year: int
    """B.E. fiscal year the mention reports on: the FY of the date (day/month), of the end (range),
    or the year as written for 'ปีงบประมาณ X', 'ประจำปี X', 'ปี พ.ศ. X' (OIT wording for the
    assessed fiscal year)."""
    year_is_ce: bool = False
    """The year was written in C.E."""


@dataclass(frozen=True)
class _Atom:
    """A candidate mention in cleaned text; ``partial`` ones lack a year and only serve as one
    side of a range ('ตุลาคม - ธันวาคม 2566')."""

    start: int
    end: int
    kind: str
    first: dt.date | None = None
    last: dt.date | None = None
    fiscal_year: int = 0
    year_is_ce: bool = False
    month: int = 0
    day: int | None = None

    @property
    def partial(self) -> bool:
        return self.first is None


def _month_number(text: str) -> int:
    """Month number of a matched Thai month name or abbreviation (in any dot/space spelling)."""
    if text in THAI_MONTHS:
        return THAI_MONTHS[text]
    letters = re.sub(r"[\s.]", "", text)
    for abbr, number in THAI_MONTH_ABBREVIATIONS.items():
        if abbr.replace(".", "") == letters:
            return number
    raise ValueError(f"not a Thai month: {text!r}")


def _valid_day(year_ce: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year_ce, month)[1]


def _month_bounds(year_ce: int, month: int) -> tuple[dt.date, dt.date]:
    last_day = calendar.monthrange(year_ce, month)[1]
    return dt.date(year_ce, month, 1), dt.date(year_ce, month, last_day)


def _dated_atom(
    start: int,
    end: int,
    year_be: int,
    is_ce: bool,
    month: int,
    day: int | None,
    day0: int | None = None,
) -> _Atom | None:
    """A complete day/month/in-month-range atom, or None for an impossible date (31 ก.พ.)."""
    year_ce = be_to_ce(year_be)
    if day is None:
        first, last = _month_bounds(year_ce, month)
        return _Atom(start, end, "month", first, last, fiscal_year_of(first), is_ce, month)
    if not _valid_day(year_ce, month, day):
        return None
    last = dt.date(year_ce, month, day)
    if day0 is None:
        return _Atom(start, end, "day", last, last, fiscal_year_of(last), is_ce, month, day)
    first = dt.date(year_ce, month, day0)
    return _Atom(start, end, "range", first, last, fiscal_year_of(last), is_ce, month, day)


def _thai_month_left_ok(text: str, position: int) -> bool:
    """An abbreviation must not continue a word or an acronym ('สำนักงานก.พ.', 'ส.ก.พ.'); it may
    follow 'เดือน' directly. Full month names are long enough to need no check."""
    if position == 0:
        return True
    before = text[position - 1]
    if before == ".":
        return False
    if "\u0e01" <= before <= "\u0e4e":
        return text.endswith("เดือน", 0, position)
    return True


def _thai_atoms(text: str) -> list[_Atom]:
    """Atoms of ``THAI_DATE_RE``; an impossible day is dropped together with its month."""
    atoms: list[_Atom] = []
    position = 0
    while match := THAI_DATE_RE.search(text, position):
        month_text = match["m"]
        if month_text not in THAI_MONTHS and not _thai_month_left_ok(text, match.start("m")):
            position = match.start("m") + 1
            continue
        month = _month_number(month_text)
        # the WordPress day ("มิถุนายน 9, 2026") wins over a number written before the month
        day_text = match["d2"] or match["d"]
        start = match.start("d") if day_text and not match["d2"] else match.start("m")
        year = None
        if match["y"]:
            year = _resolve_year(match["y"], match["era"], strict_two_digit=True)
        if year is None:
            # no year: a partial atom ending at the month, usable as one side of a range
            partial_day = int(match["d"]) if match["d"] and not match["d2"] else None
            partial_start = start if partial_day is not None else match.start("m")
            atoms.append(
                _Atom(partial_start, match.end("m"), "month", month=month, day=partial_day)
            )
            position = match.end("m")
            continue
        day = int(day_text) if day_text else None
        day0 = int(match["d0"]) if match["d0"] and match["d"] and not match["d2"] else None
        if day0 is not None and day is not None and 1 <= day0 < day:
            start = match.start("d0")
        else:
            day0 = None
        atom = _dated_atom(start, match.end(), year[0], year[1], month, day, day0)
        if atom is not None:
            atoms.append(atom)
        position = match.end()
    return atoms


def _numeric_atoms(text: str) -> list[_Atom]:
    """Atoms of the all-digit families (d/m/y and ISO y-m-d)."""
    atoms: list[_Atom] = []
    for regex in (NUMERIC_DATE_RE, ISO_DATE_RE):
        for match in regex.finditer(text):
            if match["sep"] == "." and len(match["y"]) == 2:
                continue  # "1.2.66" is far more often a section number than a date
            year = _resolve_year(match["y"], None, strict_two_digit=True)
            if year is None:
                continue
            month, day = int(match["m"]), int(match["d"])
            atom = _dated_atom(match.start(), match.end(), year[0], year[1], month, day)
            if atom is not None and atom.kind == "day":
                atoms.append(atom)
    return atoms


def _english_atoms(text: str) -> list[_Atom]:
    """Atoms of ``ENGLISH_DATE_RE``."""
    atoms: list[_Atom] = []
    for match in ENGLISH_DATE_RE.finditer(text):
        if match["d"] and match["d2"]:
            continue
        year = _resolve_year(match["y"], None, strict_two_digit=True)
        if year is None:
            continue
        day_text = match["d"] or match["d2"]
        start = match.start() if match["d"] else match.start("m")
        month = ENGLISH_MONTHS[match["m"].lower()]
        day = int(day_text) if day_text else None
        atom = _dated_atom(start, match.end(), year[0], year[1], month, day)
        if atom is not None:
            atoms.append(atom)
    return atoms


def _year_span_atom(match: re.Match[str], era: str | None, *, fiscal: bool) -> _Atom | None:
    """A (fiscal) year atom, or a range of them when a valid second year follows."""
    first = _resolve_year(match["y1"], era, strict_two_digit=True)
    if first is None:
        return None
    year_be, is_ce = first
    end = match.end("y1")
    last_be = year_be
    if match["y2"] and len(match["y2"]) == len(match["y1"]):
        second = _resolve_year(match["y2"], None, strict_two_digit=True)
        if second is not None and second[1] == is_ce and year_be < second[0] <= year_be + 20:
            last_be, end = second[0], match.end("y2")

    def bounds(y: int) -> tuple[dt.date, dt.date]:
        if fiscal:
            return fiscal_year_bounds(y)
        return dt.date(be_to_ce(y), 1, 1), dt.date(be_to_ce(y), 12, 31)

    kind = "range" if last_be != year_be else ("fiscal_year" if fiscal else "year")
    return _Atom(match.start(), end, kind, bounds(year_be)[0], bounds(last_be)[1], last_be, is_ce)


def _year_atoms(text: str) -> list[_Atom]:
    """Atoms of the fiscal-year and year-keyword families."""
    atoms: list[_Atom] = []
    for match in FISCAL_YEAR_RE.finditer(text):
        if (atom := _year_span_atom(match, match["era"], fiscal=True)) is not None:
            atoms.append(atom)
    for match in YEAR_RE.finditer(text):
        era = match["era1"] or match["era2"]
        if not era and not match["pre"] and len(match["y1"]) != 4:
            continue  # "ปี 10" is a duration far more often than 2510
        if (atom := _year_span_atom(match, era, fiscal=False)) is not None:
            atoms.append(atom)
    return atoms


def _quarter_atoms(text: str) -> list[_Atom]:
    """Atoms of ``QUARTER_RE``: a range from the first day of the first quarter to the last day
    of the last one."""
    atoms: list[_Atom] = []
    for match in QUARTER_RE.finditer(text):
        year = _resolve_year(match["y"], match["era"], strict_two_digit=True)
        first_q, last_q = int(match["q1"]), int(match["q2"] or match["q1"])
        if year is None or last_q < first_q:
            continue
        start, _ = fiscal_year_bounds(year[0])
        first = _add_months(start, 3 * (first_q - 1))
        last = _add_months(start, 3 * last_q) - dt.timedelta(days=1)
        atoms.append(_Atom(match.start(), match.end(), "range", first, last, year[0], year[1]))
    return atoms


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _select(candidates: list[_Atom]) -> list[_Atom]:
    """Non-overlapping atoms, longest first (a 'ปีงบประมาณ' phrase beats the bare 'พ.ศ. 2566'
    inside it), returned in text order."""
    chosen: list[_Atom] = []  # kept sorted by start; never overlapping, so sorted by end too
    chosen_starts: list[int] = []
    for atom in sorted(candidates, key=lambda a: (a.start - a.end, a.partial, a.start)):
        i = bisect.bisect_left(chosen_starts, atom.start)
        if i > 0 and chosen[i - 1].end > atom.start:
            continue
        if i < len(chosen) and chosen[i].start < atom.end:
            continue
        chosen.insert(i, atom)
        chosen_starts.insert(i, atom.start)
    return chosen


def _complete(partial: _Atom, anchor: _Atom, *, before: bool) -> _Atom | None:
    """Give a yearless side of a range the year of the other side, stepping back (or forward)
    a year when the months would otherwise run backwards ('ต.ค. - มี.ค. 66')."""
    reference = anchor.first if before else anchor.last
    if reference is None:  # the anchor is a partial atom too: nothing to borrow
        return None
    year_ce = reference.year
    key = (partial.month, partial.day or (1 if before else 31))
    if before and key > (reference.month, reference.day):
        year_ce -= 1
    if not before and key < (reference.month, reference.day):
        year_ce += 1
    return _dated_atom(
        partial.start,
        partial.end,
        ce_to_be(year_ce),
        anchor.year_is_ce,
        partial.month,
        partial.day,
    )


def _join_ranges(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """Merge 'A – B' pairs of day/month atoms into one range atom; drop leftover partial atoms."""
    joinable = {"day", "month"}
    result: list[_Atom] = []
    i = 0
    while i < len(atoms):
        left = atoms[i]
        right = atoms[i + 1] if i + 1 < len(atoms) else None
        if (
            right is not None
            and left.kind in joinable
            and right.kind in joinable
            and not (left.partial and right.partial)
            and CONNECTOR_GAP_RE.fullmatch(text, left.end, right.start)
        ):
            a = _complete(left, right, before=True) if left.partial else left
            b = _complete(right, left, before=False) if right.partial else right
            if a is not None and b is not None and a.first and b.last and a.first <= b.last:
                is_ce = a.year_is_ce or b.year_is_ce
                fiscal_year = fiscal_year_of(b.last)
                result.append(_Atom(a.start, b.end, "range", a.first, b.last, fiscal_year, is_ce))
                i += 2
                continue
        if not left.partial:
            result.append(left)
        i += 1
    return result


def find_dates(text: str) -> list[DateMention]:
    """Every date, month, range and (fiscal) year mentioned in ``text``, in order and without
    overlaps, with spans into ``text`` itself. Bare numbers ('2566', '© 2024') are not mentions.

    >>> [m.fiscal_year for m in find_dates("รอบ 6 เดือน (ต.ค.64 - มี.ค.65)")]
    [2565]
    """
    cleaned, starts, ends = repair_with_offsets(text)
    candidates = [
        *_thai_atoms(cleaned),
        *_numeric_atoms(cleaned),
        *_english_atoms(cleaned),
        *_year_atoms(cleaned),
        *_quarter_atoms(cleaned),
    ]
    mentions: list[DateMention] = []
    for atom in _join_ranges(cleaned, _select(candidates)):
        if atom.first is None or atom.last is None:  # partial atoms never get this far
            continue
        span = (min(starts[atom.start : atom.end]), max(ends[atom.start : atom.end]))
        mentions.append(
            DateMention(
                text=text[span[0] : span[1]],
                span=span,
                kind=atom.kind,
                start=atom.first,
                end=atom.last,
                fiscal_year=atom.fiscal_year,
                year_is_ce=atom.year_is_ce,
            )
        )
    return mentions


def parse_date(text: str) -> dt.date | None:
    """The date of a string that is exactly one day-date ('๘ มีนาคม ๒๕๖๖', 'วันที่ 5 พ.ค. 68',
    '2023-03-08'), else None; for table cells and metadata fields that hold only a date."""
    stripped = text.strip()
    mentions = find_dates(stripped)
    if len(mentions) != 1 or mentions[0].kind != "day":
        return None
    begin, finish = mentions[0].span
    if stripped[finish:].strip() or not DAY_PREFIX_RE.fullmatch(compact(stripped[:begin])):
        return None
    return mentions[0].start
