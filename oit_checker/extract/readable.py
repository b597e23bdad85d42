"""Is a page's text layer readable, or the garbage a legacy Thai font leaves?

Old Thai fonts draw Thai glyphs at Latin code points (the keys of the Thai keyboard), at Latin-1
code points (TIS-620 bytes read as Latin-1: ``¡ÒÃ``) or in the private-use area, and some PDFs
carry a broken ToUnicode map: the page *shows* Thai, its text layer reads ``{rufrd Qo HH 'tuYl``.
Such a page is unreadable, not empty: it is read like a scan (OCR), never judged on its garbage.

Judged per page on the normalised text (``thai.normalize`` already maps the private-use glyphs a
correct font leaves back to Thai, so those count as Thai here):

* too few letters to tell (a table of numbers, a signature line) → readable;
* mostly Latin-1 letters, or private-use characters left after normalising → garbage;
* mostly Latin letters → readable when it is English (enough of the commonest English words, few
  symbols or odd capitals inside words), garbage otherwise: an agency's English document is fine;
* mostly Thai → readable unless the Thai itself is broken (vowel and tone marks with no consonant
  to sit on, almost none of the commonest Thai words): a ToUnicode map pointing at wrong letters.

Cheap on purpose (a few regular expressions per page): it runs on every page of every PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..thai import normalize

__all__ = ["Readability", "garbled_pages", "is_garbled", "judge"]

MIN_LETTERS = 12
"""Fewer letters than this on a page: nothing to judge (numbers, a stamp, a signature)."""
ENGLISH_MIN_HITS = 0.15
"""Share of Latin words that must be common English words for Latin text to be English."""
ODD_WORDS = 0.2
"""Share of Latin words with symbols, digits or capitals inside above which Latin text is garbage."""
NO_ENGLISH = 0.05
"""Below this share of common English words, a long Latin text is not English whatever its shape."""
LONG_LATIN_WORDS = 20
FOREIGN_SHARE = 0.3
"""Share of letters that are Latin-1 accented letters or private-use characters that makes a page garbage."""
MIN_THAI_LETTERS = 60
"""Thai letters needed before the Thai itself is judged."""
BROKEN_THAI_MARKS = 0.12
"""Share of Thai letters that are marks with nothing to sit on: Thai read through a wrong map."""
MIN_THAI_WORDS_PER_100 = 1.0
"""Common Thai words per 100 Thai letters below which long Thai text is not Thai (real text: 8–20)."""
LONG_THAI_LETTERS = 300

COMMON_ENGLISH = frozenset("""
a about above after all also an and annual any are as at be been before between budget but by can
committee complaint complaints data date department director during each for from government has
have he her his if in information into is it its management may ministry more no not of office
officer on or other our out over performance plan policy procurement project public report results
service services shall should so staff such than that the their there these they this to under
up was we were which who will with year would you your mr mrs ms dr page no fiscal total amount
baht province district thailand thai national agency act law section order announcement list name
status progress quarter month number integrity transparency assessment risk corruption anti
""".split())
"""The commonest English words, and the words an agency's English document is made of."""

COMMON_THAI = ("การ", "ที่", "และ", "ของ", "ใน", "ให้", "เป็น", "มี", "ได้", "ไม่", "จะ", "กับ",
               "ความ", "งาน", "ประ", "โดย", "ตาม", "จาก", "หรือ", "เพื่อ", "ซึ่ง", "นี้", "แล้ว",
               "ผู้", "ปี", "วัน", "ราย", "นาย", "นาง", "สำ", "กรม", "บาท", "เรื่อง", "ดำเนิน")
"""Words and syllables that occur in any Thai text, counted per Thai letter."""

_COMMON_THAI_RE = re.compile("|".join(COMMON_THAI))
_THAI_LETTER_RE = re.compile("[\u0e01-\u0e4e]")
_LATIN_LETTER_RE = re.compile("[A-Za-z]")
_FOREIGN_RE = re.compile("[\u00c0-\u00ff\u00a1-\u00bf\ue000-\uf8ff]")
"""Latin-1 letters and symbols (TIS-620 bytes read as Latin-1) and private-use characters."""
_FLOATING_MARK_RE = re.compile(
    "(?:^|(?<=[^\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]))[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
    "|[\u0e40-\u0e44](?=[^\u0e01-\u0e2e]|$)", re.M)
"""A vowel or tone mark after something that is not a Thai consonant or mark, or a leading vowel
(เ แ โ ใ ไ) not followed by a consonant: impossible spellings."""
_TOKEN_RE = re.compile(r"\S*[A-Za-z]\S*")
_SKIP_TOKEN_RE = re.compile(r"://|^www\.|@|\.(?:go|ac|or|co|in)\.th", re.I)
_SMALL_LETTER_RE = re.compile("[a-z]")
_EDGE_PUNCT = "()\"'.,;:!?“”‘’«»"
_ODD_INSIDE_RE = re.compile(r"[^A-Za-z0-9\-./&'’_]|[a-z][A-Z]|[a-z]{2}[0-9]|[0-9](?!(?:st|nd|rd|th)\b)[a-z]{2}"
                            r"|'(?!(?:s|t|d|ll|re|ve|m)$)")
"""Inside a Latin word: a symbol, a capital after a small letter, digits glued to letters, an
apostrophe that is not an English contraction — the marks of Thai read through Latin codes."""
_LETTERS_ONLY_RE = re.compile(r"[^a-z]")


@dataclass(frozen=True)
class Readability:
    """What ``judge`` found on one page."""

    garbled: bool
    why: str = ""
    """``latin_not_english``, ``legacy_bytes`` or ``broken_thai`` when garbled."""
    thai_letters: int = 0
    latin_letters: int = 0
    english_hits: float = 0.0
    odd_words: float = 0.0


def judge(text: str) -> Readability:
    """Whether ``text`` (one page) is garbage a reader would not recognise, and the figures why."""
    norm = normalize(text)
    thai = len(_THAI_LETTER_RE.findall(norm))
    latin = len(_LATIN_LETTER_RE.findall(norm))
    foreign = len(_FOREIGN_RE.findall(norm))
    letters = thai + latin + foreign
    if letters < MIN_LETTERS:
        return Readability(False, thai_letters=thai, latin_letters=latin)
    if foreign >= FOREIGN_SHARE * letters:
        return Readability(True, "legacy_bytes", thai, latin)
    if latin > thai:
        hits, odd = _latin_words(norm)
        words = _count_words(norm)
        garbled = (hits < ENGLISH_MIN_HITS and odd >= ODD_WORDS) or (hits < NO_ENGLISH and words >= LONG_LATIN_WORDS)
        return Readability(garbled, "latin_not_english" if garbled else "", thai, latin, hits, odd)
    if thai >= MIN_THAI_LETTERS:
        floating = len(_FLOATING_MARK_RE.findall(norm)) / thai
        common = len(_COMMON_THAI_RE.findall(norm)) * 100 / thai
        if floating >= BROKEN_THAI_MARKS or (thai >= LONG_THAI_LETTERS and common < MIN_THAI_WORDS_PER_100):
            return Readability(True, "broken_thai", thai, latin)
    return Readability(False, thai_letters=thai, latin_letters=latin)


def is_garbled(text: str) -> bool:
    """``judge(text).garbled``."""
    return judge(text).garbled


def garbled_pages(pages_text: list[str], skip: list[int] | tuple[int, ...] = ()) -> list[int]:
    """0-based pages whose text layer is garbage (pages in ``skip``, e.g. scans, are not judged)."""
    return [i for i, text in enumerate(pages_text) if i not in skip and is_garbled(text)]


def _latin_tokens(text: str) -> list[str]:
    out = []
    for token in _TOKEN_RE.findall(text):
        if _SKIP_TOKEN_RE.search(token) or not _SMALL_LETTER_RE.search(token):
            continue  # addresses, and acronyms or codes (ITA, O10, EB1): neither English nor garbage
        core = token.strip(_EDGE_PUNCT)
        if core:
            out.append(core if not token.startswith("'") else token)  # a leading ' is a Thai ง in disguise
    return out


def _count_words(text: str) -> int:
    return len(_latin_tokens(text))


def _latin_words(text: str) -> tuple[float, float]:
    """(share of common English words, share of odd words) among the Latin words of ``text``."""
    tokens = _latin_tokens(text)
    if not tokens:
        return 0.0, 0.0
    hits = sum(1 for t in tokens if _LETTERS_ONLY_RE.sub("", t.lower()) in COMMON_ENGLISH)
    odd = sum(1 for t in tokens if _ODD_INSIDE_RE.search(t))
    return hits / len(tokens), odd / len(tokens)
