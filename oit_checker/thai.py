"""Thai text normalisation: the one place that knows the quirks of Thai text on government pages and PDFs.

Digits, zero-width characters, the private-use glyphs of old Thai fonts, sara am and tone-mark
order, spaces, and the spelling variants of OIT phrases. Dates written in Thai are read by
``oit_checker.dates``.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

__all__ = [
    "THAI_DIGITS",
    "common_run",
    "compact",
    "normalize",
    "normalize_phrase_variants",
    "repair_with_offsets",
    "to_arabic_digits",
]

# ---------------------------------------------------------------------------------------------
# Data tables
# ---------------------------------------------------------------------------------------------

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
"""Thai digits zero to nine, in order (Python's ``int()`` reads them, our regexes do not)."""

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
# Regular expressions and translation tables
# ---------------------------------------------------------------------------------------------

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


def repair_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """``_repair``, plus each output character's span in ``text`` (starts, ends), so that dates
    found in repaired text (``dates.find_dates``) can point into the original."""
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
