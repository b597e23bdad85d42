"""Names of laws, regulations, orders and standing plans a text cites: their years are not the page's.

A page dated 8 มกราคม 2567 that quotes "พระราชบัญญัติการจัดซื้อจัดจ้าง… พ.ศ. 2560" is a 2567 page,
not a 2560 one; the freshness check sets aside every date mention inside a citation found here
(DESIGN §4 *fresh*). What counts as a citation:

* ``law``: the name of an act, royal decree, emergency decree, constitution, ministerial rule,
  regulation, by-law or ministry/committee notification with its year ("พ.ร.บ.ข้อมูลข่าวสารของราชการ
  พ.ศ. ๒๕๔๐", "ระเบียบกระทรวงการคลังว่าด้วย… พ.ศ. 2560");
* ``standing_plan``: a national strategy or master plan and its years ("ยุทธศาสตร์ชาติ (พ.ศ. 2561-2580)");
* ``plan``: any other plan named with a span of years ("แผนพัฒนาท้องถิ่น พ.ศ. 2566–2570"): the
  document's own period when it is the title, a cited plan in the text;
* ``order``, ``resolution``, ``letter``: "คำสั่ง… ที่ 12/2562", a cabinet resolution or a letter
  referred to ("ตามหนังสือที่ … ลงวันที่ …"), with the date it was signed.

Never a citation: a date the page gives itself ("ประกาศ ณ วันที่ 8 มกราคม 2567", "ข้อมูล ณ วันที่ …"),
a period statement ("ปีงบประมาณ พ.ศ. 2567", "ประจำปี 2567", "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2567").
A name never runs across such a phrase or a month name, and a law's year is written right after
its name ("… พ.ศ. 2560"), never after "ปี".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .dates import ERA_PATTERN, THAI_MONTH_ABBREVIATIONS, THAI_MONTHS
from .thai import to_arabic_digits

__all__ = ["Citation", "citation_spans"]

NAME_LIMIT = 160
"""Longest name between a citation's head word and its year (characters)."""
TAIL_LIMIT = 80
"""How far after an order, resolution or letter its signing date may be (characters)."""

_LAW_HEADS = (
    r"พระราชบัญญัติ", r"พ\.?\s?ร\.?\s?บ\.?", r"พระราชกฤษฎีกา", r"พ\.\s?ร\.\s?ฎ\.", r"พระราชกำหนด",
    r"พ\.\s?ร\.\s?ก\.", r"รัฐธรรมนูญ", r"ประมวลกฎหมาย", r"ก[ฎฏ]กระทรวง", r"ก[ฎฏ]\s*ก\.",
    r"ระเบียบ(?!วาระ)", r"ข้อบังคับ", r"ข้อบัญญัติ",
    r"ประกาศ\s*(?:กระทรวง|คณะกรรมการ|สำนักนายกรัฐมนตรี|คณะรักษาความสงบแห่งชาติ|คสช|ก\.|ป\.\s?ป\.\s?ช)",
    r"คำสั่งหัวหน้าคณะรักษาความสงบแห่งชาติ",
)
_STANDING_PLAN_HEADS = (
    r"ยุทธศาสตร์ชาติ", r"แผนแม่บท", r"แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", r"แผนการปฏิรูปประเทศ",
    r"แผนปฏิรูปประเทศ", r"นโยบายและแผนระดับชาติ", r"แผนระดับชาติ",
)
_MONTHS = "|".join(re.escape(m) for m in THAI_MONTHS)
_ABBREVIATIONS = "|".join(re.escape(a) for a in THAI_MONTH_ABBREVIATIONS)
_STOP = (rf"วันที่|ประจำปี|ปี\s*งบ|ปี\s*{ERA_PATTERN}|{_MONTHS}|[0-9]\s*(?:{_ABBREVIATIONS})|(?:{_ABBREVIATIONS})\s*[0-9]"
         r"|\n\s*\n")
"""What a cited name never runs across: the page's own date ("ณ วันที่"), a period statement, a
month; an abbreviation only next to a number, as "ก.พ." also names the civil service commission
("ระเบียบ ก.พ. ว่าด้วย…")."""
_STOP_RE = re.compile(_STOP)
_YEAR_ANCHOR = re.compile(
    rf"{ERA_PATTERN}\s*[0-9]{{4}}(?P<span>\s*[-\u2013\u2014~]\s*(?:{ERA_PATTERN}\s*)?[0-9]{{4}})?(?![0-9])")
"""The year a cited name ends with: "พ.ศ. 2560", or a span of years "พ.ศ. 2566–2570"."""
_HEAD = re.compile(rf"(?P<law>{'|'.join(_LAW_HEADS)})|(?P<standing_plan>{'|'.join(_STANDING_PLAN_HEADS)})"
                   r"|(?P<plan>แผน)")
"""The word a cited name starts with; a ``plan`` must end with a span of years."""
_SIGNED = (r"(?:ลงวันที่|ลว\.|เมื่อวันที่|(?<!ณ)(?<!ณ\s)วันที่)\s*"
           r"(?:[0-9]{1,2}\s*[\u0e01-\u0e4e.]{2,12}\s*(?:" + ERA_PATTERN + r")?\s*[0-9]{2,4}"
           r"|[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2,4})(?![0-9])")
_TAIL = rf"(?:(?!ณ\s*วันที่|\n\s*\n)[^\n]){{0,{TAIL_LIMIT}}}?{_SIGNED}"
"""The signing date of an order, resolution or letter, a little after it ("… ลงวันที่ 5 มีนาคม 2562")."""
_DATED: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    # (kind, head, the signing date is required)
    ("order", re.compile(r"คำสั่ง[^\n]{0,80}?ที่\s*[0-9]{1,5}\s*/\s*(?:" + ERA_PATTERN + r")?\s*[0-9]{2,4}"), False),
    ("resolution", re.compile(r"มติ\s*(?:คณะรัฐมนตรี|ครม\.?)"), True),
    ("letter", re.compile(r"(?:ตาม|อ้างถึง)\s*หนังสือ"), True),
)
_TAIL_RE = re.compile(_TAIL)


@dataclass(frozen=True)
class Citation:
    """A cited name with its year or signing date; ``span`` points into the text given."""

    kind: str
    """``law`` | ``standing_plan`` | ``plan`` | ``order`` | ``resolution`` | ``letter``."""
    span: tuple[int, int]
    text: str


def citation_spans(text: str) -> list[Citation]:
    """Every citation in ``text``, in order and without overlaps (the longest wins)."""
    digits = to_arabic_digits(text)  # one for one: offsets stay those of ``text``
    found: list[tuple[int, int, str]] = []
    for anchor in _YEAR_ANCHOR.finditer(digits):
        heads = list(_HEAD.finditer(digits, max(0, anchor.start() - NAME_LIMIT), anchor.start()))
        for head in reversed(heads):  # the nearest head first: a farther one has a longer name
            if _STOP_RE.search(digits, head.end(), anchor.end()):
                break  # the year is not a name's: a date or period statement comes between
            kind = head.lastgroup or ""
            if kind != "plan" or anchor["span"]:
                found.append((head.start(), anchor.end(), kind))
                break
    for kind, opening, required in _DATED:
        for match in opening.finditer(digits):
            tail = _TAIL_RE.match(digits, match.end())
            if tail is not None:
                found.append((match.start(), tail.end(), kind))
            elif not required:
                found.append((match.start(), match.end(), kind))
    chosen: list[tuple[int, int, str]] = []  # sorted by start, never overlapping
    for start, end, kind in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        i = bisect.bisect_left(chosen, (start,))
        if (i > 0 and chosen[i - 1][1] > start) or (i < len(chosen) and chosen[i][0] < end):
            continue
        chosen.insert(i, (start, end, kind))
    return [Citation(kind, (start, end), text[start:end]) for start, end, kind in chosen]
