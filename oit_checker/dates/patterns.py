"""The regular expressions of the date grammar, one per format family (``dates.grammar`` reads them)."""

from __future__ import annotations

import re

from .calendar import ENGLISH_MONTHS, THAI_MONTH_ABBREVIATIONS, THAI_MONTHS

_THAI_CHAR = "\u0e01-\u0e4e"
_RANGE_CONNECTOR = r"(?:[-~\u2013\u2014\u2212]|(?:จน)?ถึง(?:\s*(?:วันที่|เดือน))?|(?i:to|until))"
"""Between the two sides of a range: hyphen, en/em dash, minus sign, tilde, "ถึง", "to"."""
_ERA = r"(?:พ\s?\.\s?ศ\s?\.{0,2}|พศ\.{0,2}|ค\s?\.\s?ศ\s?\.{0,2})"
ERA_PATTERN = _ERA
"""'พ.ศ.' or 'ค.ศ.' in the spellings pages use ('พ.ศ', 'พศ.', 'พ. ศ.'), for modules that find
other things written with a year (``oit_checker.citations``)."""
_YEAR_DIGITS = r"(?:[0-9]{4}|[0-9]{2})(?![0-9])"
_DAY_DIGITS = r"(?<![0-9.,/:])[0-9]{1,2}(?![0-9])"


def _abbreviation_pattern(abbreviation: str) -> str:
    """'มี.ค.' -> a pattern accepting 'มี.ค.', 'มี.ค', 'มีค.', 'มีค', 'มี. ค.'."""
    first, second = abbreviation.strip(".").split(".")
    return rf"{first}\s?\.?\s?{second}(?:\s?\.)?(?![{_THAI_CHAR}.])"


def _alternation(patterns: list[str]) -> str:
    """Longest first, so that 'มิถุนายน' is tried before 'มิ.ย.'."""
    return "|".join(sorted(patterns, key=len, reverse=True))


def _first_letters(names: list[str]) -> str:
    """The first letters of ``names`` in both cases, for a leading ``(?=[...])``: it lets the
    regex engine skip most positions cheaply (several times faster on long PDF texts)."""
    return "".join(sorted({name[0] for name in names} | {name[0].upper() for name in names}))


_THAI_MONTH = _alternation(
    [re.escape(name) for name in THAI_MONTHS]
    + [_abbreviation_pattern(abbr) for abbr in THAI_MONTH_ABBREVIATIONS]
)
_THAI_MONTH_LETTERS = _first_letters([*THAI_MONTHS, *THAI_MONTH_ABBREVIATIONS])
_ENGLISH_MONTH = _alternation(list(ENGLISH_MONTHS))
_ENGLISH_MONTH_LETTERS = _first_letters(list(ENGLISH_MONTHS))

THAI_DATE_RE = re.compile(
    rf"(?=[0-9{_THAI_MONTH_LETTERS}])"
    # "1-15 มีนาคม 2566": optional first day of a range within one month
    rf"(?:(?P<d0>{_DAY_DIGITS})\s*{_RANGE_CONNECTOR}\s*)?"
    rf"(?:(?P<d>{_DAY_DIGITS})\s*(?:เดือน\s*)?)?"
    rf"(?P<m>{_THAI_MONTH})"
    # WordPress: "มิถุนายน 9, 2026"
    r"(?:\s*(?P<d2>[0-9]{1,2})\s*,)?"
    rf"(?:\s*,?\s*(?:ปี\s*)?(?P<era>{_ERA})?\s*(?P<y>{_YEAR_DIGITS}))?"
)
"""Thai month with optional day(s) and year: day, month, WordPress and day-range forms."""

ENGLISH_DATE_RE = re.compile(
    rf"(?=[0-9{_ENGLISH_MONTH_LETTERS}])"
    r"(?:(?P<d>(?<![0-9])[0-9]{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?)?"
    rf"(?<![A-Za-z])(?P<m>(?i:{_ENGLISH_MONTH}))\.?(?![A-Za-z])"
    r"(?:\s*(?P<d2>[0-9]{1,2})(?:st|nd|rd|th)?(?![0-9]))?"
    r"\s*,?\s*(?P<y>[0-9]{4})(?![0-9])"
)
"""'9 June 2026', 'June 9, 2026', 'Oct 2023' (a four-digit year is required)."""

NUMERIC_DATE_RE = re.compile(
    r"(?<![0-9./\-])(?P<d>[0-9]{1,2})(?P<sep>[/.\-])(?P<m>[0-9]{1,2})(?P=sep)"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[/.\-][0-9])"
)
"""Day/month/year: '08/03/2566', '8/3/66', '8-3-2566', '08.03.2566' (dots need 4 digits)."""

ISO_DATE_RE = re.compile(
    r"(?<![0-9./\-])(?P<y>[0-9]{4})(?P<sep>[\-/.])(?P<m>[0-9]{1,2})(?P=sep)"
    r"(?P<d>[0-9]{1,2})(?![0-9]|[/.\-][0-9])"
)
"""Year first: '2023-03-08' (C.E.) or '2566-03-08' (B.E.)."""

_YEAR_TAIL = (
    rf"(?:\s*{_RANGE_CONNECTOR}\s*(?:ปี\s*(?:งบ\s*(?:ประมาณ|ฯ)?)?\s*)?(?:{_ERA}\s*)?"
    rf"(?P<y2>{_YEAR_DIGITS}))?"
)

FISCAL_YEAR_RE = re.compile(
    r"(?=[ปFf])"
    r"(?P<kw>(?:ประจำ\s*)?ปี\s*งบ\s*(?:ประมาณ|ฯ)?|(?<![A-Za-z])(?i:FY|fiscal\s+year))"
    rf"\s*(?P<era>{_ERA})?\s*(?P<y1>{_YEAR_DIGITS})" + _YEAR_TAIL
)
"""'ปีงบประมาณ พ.ศ. ๒๕๖๖', 'ประจำปีงบประมาณ 2566', 'ปีงบ 66', 'FY2023', with an optional
second year for a span of fiscal years ('ปีงบประมาณ 2566-2570')."""

YEAR_RE = re.compile(
    r"(?=[ปพค])"
    rf"(?:(?P<pre>ประจำ\s*)?(?P<pi>ปี)\s*(?P<era1>{_ERA})?|(?P<era2>{_ERA}))"
    rf"\s*(?P<y1>{_YEAR_DIGITS})" + _YEAR_TAIL
)
"""A year with a keyword: 'ปี พ.ศ. 2566', 'ประจำปี 2566', 'ปี ๒๕๖๑', 'พ.ศ.2564', 'ค.ศ. 2024'.
A bare number ('2566', '© 2024') is never a year."""

QUARTER_RE = re.compile(
    r"(?=ไ)ไตรมาส\s*(?:ที่\s*)?(?P<q1>[1-4])(?:\s*[-\u2013]\s*(?:ไตรมาส\s*(?:ที่\s*)?)?(?P<q2>[1-4]))?"
    r"\s*(?:/\s*|(?:ของ\s*|ประจำ\s*)?ปี\s*(?:งบ\s*(?:ประมาณ|ฯ)?)?\s*)"
    rf"(?:(?P<era>{_ERA})\s*)?(?P<y>{_YEAR_DIGITS})"
)
"""A quarter of a fiscal year: 'ไตรมาส 2/2567', 'ไตรมาสที่ 1-2 ปีงบประมาณ 2567', 'ไตรมาส 3/67'.
Government quarters are fiscal: the first is October–December."""

CONNECTOR_GAP_RE = re.compile(rf"\s*{_RANGE_CONNECTOR}\s*")
DAY_PREFIX_RE = re.compile(r"(?:ณ|ลง)?วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?ที่|")
"""What may precede a lone date in ``parse_date`` ('วันที่', 'ณ วันที่', 'วันจันทร์ที่')."""

YEAR_TOKEN_RE = re.compile(rf"(?P<era>{_ERA})?\s*(?P<y>[0-9]+)")
"""A lone year token with an optional era ('พ.ศ. 2566', '66'), for ``parse_year``."""

