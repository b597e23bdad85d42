"""Thai text and dates: the one place that knows the quirks of Thai government pages and PDFs.

Why a hand-written parser: ``dateparser`` reads B.E. years as C.E. and loses abbreviated
months, and pythainlp is 67 MB for what is a few tables and regular expressions
(``shared/reference/feasibility.md`` §4). Formats handled are listed in
``shared/reference/oit-criteria.md`` §6.

Year rules (used everywhere in this module):

* B.E. (พ.ศ.) = C.E. (ค.ศ.) + 543.
* A two-digit year is B.E. ``25yy`` ("66" -> 2566). In running text (``find_dates``) only
  ``yy`` 40–99 (B.E. 2540–2599) is accepted, because "มีนาคม 15 วัน" would otherwise become
  the year 2515.
* A four-digit year 2400–2799 is B.E.; 1900–2200 is C.E. (and converted); anything else is not a
  year. An explicit "พ.ศ." / "ค.ศ." must agree with the value.
* The Thai fiscal year (ปีงบประมาณ) N runs 1 October (N-1) – 30 September N, both B.E.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = [
    "ERA_PATTERN",
    "THAI_DIGITS",
    "DateMention",
    "be_to_ce",
    "ce_to_be",
    "common_run",
    "compact",
    "find_dates",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "normalize",
    "normalize_phrase_variants",
    "parse_date",
    "parse_year",
    "to_arabic_digits",
]

# ---------------------------------------------------------------------------------------------
# Data tables
# ---------------------------------------------------------------------------------------------

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
"""Thai digits zero to nine, in order (Python's ``int()`` reads them, our regexes do not)."""

BE_OFFSET = 543
"""B.E. year minus C.E. year."""

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

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Invisible characters that split Thai words in HTML/PDF text and break phrase matching."""

_WINDOWS_PUA_THAI: dict[str, str] = {
    "\uf700": "\u0e10",  # ฐ without its lower tail (drawn when a lower vowel follows)
    "\uf701": "\u0e34",  # ิ  shifted left (above a tall consonant ป ฝ ฟ ฬ)
    "\uf702": "\u0e35",  # ี  shifted left
    "\uf703": "\u0e36",  # ึ  shifted left
    "\uf704": "\u0e37",  # ื  shifted left
    "\uf705": "\u0e48",  # ่  lowered and shifted left
    "\uf706": "\u0e49",  # ้  lowered and shifted left
    "\uf707": "\u0e4a",  # ๊  lowered and shifted left
    "\uf708": "\u0e4b",  # ๋  lowered and shifted left
    "\uf709": "\u0e4c",  # ์  lowered and shifted left
    "\uf70a": "\u0e48",  # ่  lowered (no upper vowel below it)
    "\uf70b": "\u0e49",  # ้  lowered
    "\uf70c": "\u0e4a",  # ๊  lowered
    "\uf70d": "\u0e4b",  # ๋  lowered
    "\uf70e": "\u0e4c",  # ์  lowered
    "\uf70f": "\u0e0d",  # ญ without its lower tail
    "\uf710": "\u0e31",  # ั  shifted left
    "\uf711": "\u0e4d",  # ํ  shifted left
    "\uf712": "\u0e47",  # ็  shifted left
    "\uf713": "\u0e48",  # ่  shifted left
    "\uf714": "\u0e49",  # ้  shifted left
    "\uf715": "\u0e4a",  # ๊  shifted left
    "\uf716": "\u0e4b",  # ๋  shifted left
    "\uf717": "\u0e4c",  # ์  shifted left
    "\uf718": "\u0e38",  # ุ  lowered (below ฎ ฏ ญ ฐ descenders)
    "\uf719": "\u0e39",  # ู  lowered
    "\uf71a": "\u0e3a",  # ฺ  lowered
}
_MAC_PUA_THAI: dict[str, str] = {
    # the same glyphs at Apple's code points (U+F884–U+F89E), same order of meaning
    "\uf884": "\u0e31", "\uf885": "\u0e34", "\uf886": "\u0e35", "\uf887": "\u0e36",
    "\uf888": "\u0e37", "\uf889": "\u0e47", "\uf88a": "\u0e48", "\uf88b": "\u0e48",
    "\uf88c": "\u0e48", "\uf88d": "\u0e49", "\uf88e": "\u0e49", "\uf88f": "\u0e49",
    "\uf890": "\u0e4a", "\uf891": "\u0e4a", "\uf892": "\u0e4a", "\uf893": "\u0e4b",
    "\uf894": "\u0e4b", "\uf895": "\u0e4b", "\uf896": "\u0e4c", "\uf897": "\u0e4c",
    "\uf898": "\u0e4c", "\uf899": "\u0e4d", "\uf89a": "\u0e0d", "\uf89b": "\u0e38",
    "\uf89c": "\u0e39", "\uf89d": "\u0e3a", "\uf89e": "\u0e10",
}  # fmt: skip
PUA_THAI: dict[str, str] = {**_WINDOWS_PUA_THAI, **_MAC_PUA_THAI}
"""Private-use glyphs that Thai fonts without OpenType tables (the Windows "Thai PUA" set
U+F700–U+F71A, used by TLWG and old Microsoft fonts, and Apple's U+F884–U+F89E) leave in PDF
text layers, mapped back to the character they draw. The shifted/lowered variants differ only
in position, so each maps to its plain character. Table as in HarfBuzz's Thai fallback shaper
(harfbuzz/harfbuzz ``src/hb-ot-shaper-thai.cc``, ``thai_pua_mapping_t``)."""

TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋
UPPER_VOWELS = "\u0e34\u0e35\u0e36\u0e37\u0e31\u0e47"  # ิ ี ึ ื ั ็
NIKHAHIT, SARA_AA, SARA_AM = "\u0e4d", "\u0e32", "\u0e33"

PHRASE_VARIANTS: dict[str, str] = {
    # characters first, so that the word rows below see the repaired words: แ typed as two เ
    # (ข้อเสนอเเนะ), marks typed twice (ที่่, ขั้้น), a tone typed after sara am (นำ้), sara am
    # typed backwards (าํ)
    r"\u0e40\u0e40": "\u0e41",
    r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+": r"\1",
    r"\u0e33([\u0e48-\u0e4b])": "\\1\u0e33",
    r"\u0e32\u0e4d": "\u0e33",
    # "พ.ศ." written "พ.ศ", "พศ.", "พ.ศ.." before a year -> "พ.ศ."; same for "ค.ศ."
    r"พ\.?ศ\.{0,2}(?=[0-9])": "พ.ศ.",
    r"ค\.?ศ\.{0,2}(?=[0-9])": "ค.ศ.",
    # "ปีงบ 2566", "ปีงบฯ 2566" -> "ปีงบประมาณ"
    r"ปีงบ(?:ฯ|(?=พ\.ศ\.|[0-9]))": "ปีงบประมาณ",
    # OIT element "problems and obstacles" (ปัญหาอุปสรรค) in all its spellings
    r"ปัญหา(?:และ|/|,|-)?อุปสรรค": "ปัญหาอุปสรรค",
    # OIT item "authority" (อำนาจหน้าที่)
    r"หน้าที่(?:และ|/|,)?อำนาจ|อำนาจ(?:และ|/|,)หน้าที่": "อำนาจหน้าที่",
    # "จัดซื้อจัดจ้าง" written with a separator
    r"จัดซื้อ(?:และ|/|-)จัดจ้าง": "จัดซื้อจัดจ้าง",
    # common misspellings of "website"; "e-service"
    r"เว็ปไซ[ตท]์|เวบไซ[ตท]์|เว็บไซท์": "เว็บไซต์",
    r"e[-\u2013]?service": "e-service",
    # misspellings seen on real pages: ฎ/ฏ swapped, a final karan added or lost, ศ for ส
    r"ปฎิบัติ": "ปฏิบัติ",
    r"(?<!รา)กฏ": "กฎ",  # กฏหมาย, กฏกระทรวง; not ปรากฏ, which is right with ฏ
    r"อุปสรรค์": "อุปสรรค",
    r"โอกาศ": "โอกาส",
    r"สัมฤทธิ?์?(?!ิ)": "สัมฤทธิ์",
    r"อิเล็?[กค]ทรอนิ[กค]ส?์?": "อิเล็กทรอนิกส์",
    r"คอ(?:ร์)?รัปชั่?น": "คอร์รัปชัน",
    r"คูมือ": "คู่มือ",  # the tone mark lost by a PDF text layer or a typist
}
"""Spelling variants folded to one canonical form, applied to compacted (space-free, lower-case)
text by ``normalize_phrase_variants``. Keys are regular expressions, applied in order (values may
use group references). The one table of spelling variants: each row has a test in
``tests/unit/test_thai.py`` that a checklist phrase matches the misspelled page text. Kept small
on purpose: only folds that never merge two different OIT elements ("ข้อเสนอแนะ" and
"ข้อเสนอแนะนำ" are deliberately left alone)."""

# ---------------------------------------------------------------------------------------------
# Regular expressions (one per format family)
# ---------------------------------------------------------------------------------------------

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

_THAI_DATE_RE = re.compile(
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

_ENGLISH_DATE_RE = re.compile(
    rf"(?=[0-9{_ENGLISH_MONTH_LETTERS}])"
    r"(?:(?P<d>(?<![0-9])[0-9]{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?)?"
    rf"(?<![A-Za-z])(?P<m>(?i:{_ENGLISH_MONTH}))\.?(?![A-Za-z])"
    r"(?:\s*(?P<d2>[0-9]{1,2})(?:st|nd|rd|th)?(?![0-9]))?"
    r"\s*,?\s*(?P<y>[0-9]{4})(?![0-9])"
)
"""'9 June 2026', 'June 9, 2026', 'Oct 2023' (a four-digit year is required)."""

_NUMERIC_DATE_RE = re.compile(
    r"(?<![0-9./\-])(?P<d>[0-9]{1,2})(?P<sep>[/.\-])(?P<m>[0-9]{1,2})(?P=sep)"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[/.\-][0-9])"
)
"""Day/month/year: '08/03/2566', '8/3/66', '8-3-2566', '08.03.2566' (dots need 4 digits)."""

_ISO_DATE_RE = re.compile(
    r"(?<![0-9./\-])(?P<y>[0-9]{4})(?P<sep>[\-/.])(?P<m>[0-9]{1,2})(?P=sep)"
    r"(?P<d>[0-9]{1,2})(?![0-9]|[/.\-][0-9])"
)
"""Year first: '2023-03-08' (C.E.) or '2566-03-08' (B.E.)."""

_YEAR_TAIL = (
    rf"(?:\s*{_RANGE_CONNECTOR}\s*(?:ปี\s*(?:งบ\s*(?:ประมาณ|ฯ)?)?\s*)?(?:{_ERA}\s*)?"
    rf"(?P<y2>{_YEAR_DIGITS}))?"
)

_FISCAL_YEAR_RE = re.compile(
    r"(?=[ปFf])"
    r"(?P<kw>(?:ประจำ\s*)?ปี\s*งบ\s*(?:ประมาณ|ฯ)?|(?<![A-Za-z])(?i:FY|fiscal\s+year))"
    rf"\s*(?P<era>{_ERA})?\s*(?P<y1>{_YEAR_DIGITS})" + _YEAR_TAIL
)
"""'ปีงบประมาณ พ.ศ. ๒๕๖๖', 'ประจำปีงบประมาณ 2566', 'ปีงบ 66', 'FY2023', with an optional
second year for a span of fiscal years ('ปีงบประมาณ 2566-2570')."""

_YEAR_RE = re.compile(
    r"(?=[ปพค])"
    rf"(?:(?P<pre>ประจำ\s*)?(?P<pi>ปี)\s*(?P<era1>{_ERA})?|(?P<era2>{_ERA}))"
    rf"\s*(?P<y1>{_YEAR_DIGITS})" + _YEAR_TAIL
)
"""A year with a keyword: 'ปี พ.ศ. 2566', 'ประจำปี 2566', 'ปี ๒๕๖๑', 'พ.ศ.2564', 'ค.ศ. 2024'.
A bare number ('2566', '© 2024') is never a year."""

_QUARTER_RE = re.compile(
    r"(?=ไ)ไตรมาส\s*(?:ที่\s*)?(?P<q1>[1-4])(?:\s*[-\u2013]\s*(?:ไตรมาส\s*(?:ที่\s*)?)?(?P<q2>[1-4]))?"
    r"\s*(?:/\s*|(?:ของ\s*|ประจำ\s*)?ปี\s*(?:งบ\s*(?:ประมาณ|ฯ)?)?\s*)"
    rf"(?:(?P<era>{_ERA})\s*)?(?P<y>{_YEAR_DIGITS})"
)
"""A quarter of a fiscal year: 'ไตรมาส 2/2567', 'ไตรมาสที่ 1-2 ปีงบประมาณ 2567', 'ไตรมาส 3/67'.
Government quarters are fiscal: the first is October–December."""

_CONNECTOR_GAP_RE = re.compile(rf"\s*{_RANGE_CONNECTOR}\s*")
_DAY_PREFIX_RE = re.compile(r"(?:ณ|ลง)?วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?ที่|")
"""What may precede a lone date in ``parse_date`` ('วันที่', 'ณ วันที่', 'วันจันทร์ที่')."""

_SPACES_RE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINE_SPACES_RE = re.compile(r" ?\n ?")

_DIGIT_TABLE = str.maketrans(THAI_DIGITS, "0123456789")
_ONE_TO_ONE_TABLE = str.maketrans({**dict(zip(THAI_DIGITS, "0123456789", strict=True)), **PUA_THAI})
_REPAIR_RE = re.compile(
    f"(?P<drop>[{ZERO_WIDTH}\x00]+)"
    f"|{NIKHAHIT}(?P<tone>[{TONE_MARKS}])?{SARA_AA}"
    f"|{SARA_AM}{SARA_AA}"
    f"|(?P<swap_tone>[{TONE_MARKS}])(?P<swap_vowel>[{UPPER_VOWELS}])"
)
"""Spots where ``_repair`` changes the length or order of the text."""

# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def to_arabic_digits(text: str) -> str:
    """Thai digits -> 0-9, so that regexes with [0-9] and int() see one digit set."""
    return text.translate(_DIGIT_TABLE)


def _repaired(match: re.Match[str]) -> str:
    """What ``_REPAIR_RE`` turns a spot into."""
    if match["drop"]:
        return ""
    if match["swap_tone"]:
        return match["swap_vowel"] + match["swap_tone"]
    return (match["tone"] or "") + SARA_AM


def _repair(text: str) -> str:
    """The character-level repairs of ``normalize``: digits and PDF glyphs replaced one for one,
    zero-width characters dropped, sara am composed (ํ + า, ํ + tone + า -> tone + ำ, and a
    doubled ำ + า), a tone mark typed before an upper vowel moved after it."""
    return _REPAIR_RE.sub(_repaired, text.translate(_ONE_TO_ONE_TABLE))


def _repair_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """``_repair``, plus each output character's span in ``text`` (starts, ends), so that dates
    found in repaired text can point into the original."""
    text = text.translate(_ONE_TO_ONE_TABLE)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for match in _REPAIR_RE.finditer(text):
        at = match.start()
        pieces.append(text[done:at])
        starts.extend(range(done, at))
        ends.extend(range(done + 1, at + 1))
        done = match.end()
        piece = _repaired(match)
        pieces.append(piece)
        if match["swap_tone"]:  # vowel (was second) + tone (was first)
            starts.extend((at + 1, at))
            ends.extend((at + 2, at + 1))
        elif match["tone"]:  # tone (was second) + sara am (from the nikhahit, first, to the end)
            starts.extend((at + 1, at))
            ends.extend((at + 2, done))
        elif piece:
            starts.append(at)
            ends.append(done)
    pieces.append(text[done:])
    starts.extend(range(done, len(text)))
    ends.extend(range(done + 1, len(text) + 1))
    return "".join(pieces), starts, ends


def normalize(text: str) -> str:
    """Canonical Thai text: the same words compare equal whatever the HTML, PDF or typist did.

    Thai digits -> Arabic; zero-width characters, soft hyphens and NUL removed; PDF private-use
    glyphs mapped back (``PUA_THAI``); sara am composed; tone mark moved after an upper vowel;
    NFC; runs of spaces/tabs (incl. no-break spaces) folded to one space; CR/CRLF -> LF; newlines
    kept with the spaces around them removed; leading/trailing spaces stripped.
    """
    cleaned = unicodedata.normalize("NFC", _repair(text))
    cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = cleaned.replace("\u2028", "\n").replace("\u2029", "\n")
    cleaned = _SPACES_RE.sub(" ", cleaned)
    cleaned = _NEWLINE_SPACES_RE.sub("\n", cleaned)
    return cleaned.strip(" ")


def compact(text: str) -> str:
    """``normalize`` without any whitespace and in lower case: PDF text layers put spaces in
    the middle of Thai words (and drop them between words), so phrases are matched on this.
    Whitespace goes first, so that a sara am split by a space ('อํ า') is composed too."""
    return normalize("".join(text.split())).lower()


def common_run(text: str, other: str) -> tuple[int, int]:
    """``(start in text, length)`` of the longest run of characters ``text`` shares with ``other``
    (compacted texts: "does this link text, line or statement name the item?")."""
    match = SequenceMatcher(None, text, other, autojunk=False).find_longest_match(0, len(text), 0, len(other))
    return match.a, match.size


_PHRASE_VARIANT_RULES = [(re.compile(key), value) for key, value in PHRASE_VARIANTS.items()]


def normalize_phrase_variants(text: str) -> str:
    """``compact(text)`` with spelling variants folded (``PHRASE_VARIANTS``), so one checklist
    phrase matches every way agencies write it. Apply it to both the phrase and the page."""
    result = compact(text)
    for pattern, canonical in _PHRASE_VARIANT_RULES:
        result = pattern.sub(canonical, result)
    return result


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


_YEAR_TOKEN_RE = re.compile(rf"(?P<era>{_ERA})?\s*(?P<y>[0-9]+)")


def parse_year(token: str) -> int | None:
    """A year token as a B.E. year ('66', '2566', '๒๕๖๖', '2023', 'พ.ศ. 2566'), or None.

    Two digits are B.E. 25yy; four digits 2400–2799 are B.E., 1900–2200 are C.E. and converted.
    """
    match = _YEAR_TOKEN_RE.fullmatch(to_arabic_digits(token).strip())
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
    """Atoms of ``_THAI_DATE_RE``; an impossible day is dropped together with its month."""
    atoms: list[_Atom] = []
    position = 0
    while match := _THAI_DATE_RE.search(text, position):
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
    for regex in (_NUMERIC_DATE_RE, _ISO_DATE_RE):
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
    """Atoms of ``_ENGLISH_DATE_RE``."""
    atoms: list[_Atom] = []
    for match in _ENGLISH_DATE_RE.finditer(text):
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
    for match in _FISCAL_YEAR_RE.finditer(text):
        if (atom := _year_span_atom(match, match["era"], fiscal=True)) is not None:
            atoms.append(atom)
    for match in _YEAR_RE.finditer(text):
        era = match["era1"] or match["era2"]
        if not era and not match["pre"] and len(match["y1"]) != 4:
            continue  # "ปี 10" is a duration far more often than 2510
        if (atom := _year_span_atom(match, era, fiscal=False)) is not None:
            atoms.append(atom)
    return atoms


def _quarter_atoms(text: str) -> list[_Atom]:
    """Atoms of ``_QUARTER_RE``: a range from the first day of the first quarter to the last day
    of the last one."""
    atoms: list[_Atom] = []
    for match in _QUARTER_RE.finditer(text):
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
            and _CONNECTOR_GAP_RE.fullmatch(text, left.end, right.start)
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
    cleaned, starts, ends = _repair_with_offsets(text)
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
    if stripped[finish:].strip() or not _DAY_PREFIX_RE.fullmatch(compact(stripped[:begin])):
        return None
    return mentions[0].start
