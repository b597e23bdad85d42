"""An explicit "nothing to report" is an answer.

The NACC asks agencies to write out an empty period rather than leave it blank ("ไม่มีเรื่องร้องเรียน",
"ไม่มีการจัดซื้อจัดจ้างในเดือนนี้", "ไม่มีปัญหาอุปสรรค"; ``oit-criteria.md`` §3 rule 6), and assessors accept
such a statement in place of the figures. A statement counts when it denies the item's own subject:
the words right after "ไม่มี" share a run of characters with the item's name (``ไม่มีเรื่องร้องเรียน`` for
"ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริต…"), so a stray "ไม่มีค่าใช้จ่าย" proves nothing about complaints.
"""

from __future__ import annotations

import re

from ..checklist import Item
from ..thai import common_run, compact

_NIL = re.compile(r"(?:ไม่มี|ไม่พบ)(?P<subject>.{4,40})")
SUBJECT_OVERLAP = 6
"""Characters in a row the denied subject must share with the item's name..."""
SUBJECT_START = 3
"""... starting this close to what is denied ('ไม่มี|ข้อ|ร้องเรียน'), not later in the sentence."""
_NOT_NIL = re.compile(r"^(?:ข้อมูล|หน้า|ไฟล์|เอกสาร)")
"""'ไม่พบข้อมูล', 'ไม่พบหน้า': a page that failed, not a statement about the period."""


def nil_statement(text: str, item: Item) -> str | None:
    """The line of ``text`` that states the item has nothing to report, or None."""
    name = compact(item.name_th)
    for line in text.splitlines():
        squeezed = compact(line)
        for match in _NIL.finditer(squeezed):
            subject = match.group("subject").removeprefix("การ")
            if _NOT_NIL.match(subject):
                continue
            start, size = common_run(subject, name)
            if size >= SUBJECT_OVERLAP and start <= SUBJECT_START:
                return " ".join(line.split())[:200]
    return None
