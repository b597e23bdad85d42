"""Copied assessment instructions are not content.

Agencies sometimes paste the NACC's description of an item ("องค์ประกอบด้านข้อมูล: แสดงผลการจัดซื้อ
จัดจ้าง … ปัญหาอุปสรรค … ข้อเสนอแนะ") on the item page, with no data under it. Those words name every
element, so matching them would pass a page an assessor scores 0. A line that introduces the
criteria, and the list lines right under it, are left out of what the elements are matched in.
"""

from __future__ import annotations

import re

from ..thai import compact

MARKERS = tuple(compact(m) for m in (
    "องค์ประกอบด้านข้อมูล", "องค์ประกอบด้านเวลา", "ข้อมูลอย่างน้อยประกอบด้วย", "ข้อมูลอย่างน้อยประกอบไปด้วย",
    "รายละเอียดการตอบ", "ประเด็นการประเมิน", "เกณฑ์การให้คะแนน", "คำอธิบายการตอบ", "ลักษณะการตอบ",
    "หน่วยงานจะต้องเผยแพร่", "หน่วยงานต้องเผยแพร่", "ให้หน่วยงานเผยแพร่", "ให้หน่วยงานแสดง",
))
"""Words that introduce the assessment's own criteria, not the agency's data."""
_LIST_LINE = re.compile(r"^\s*(?:[-–•●○▪■*·]|\(?[0-9๐-๙]{1,2}[.)]|[ก-ฮ][.)]|แสดง|มีข้อมูล|เป็นข้อมูล|ประกอบด้วย|อย่างน้อย)")
MAX_LIST_LINES = 15


def without_instructions(text: str) -> str:
    """``text`` without the lines that quote the assessment's criteria (see the module docstring)."""
    if not any(marker in compact(text) for marker in MARKERS):
        return text
    kept: list[str] = []
    skipping = 0
    for line in text.splitlines():
        if any(marker in compact(line) for marker in MARKERS):
            skipping = MAX_LIST_LINES
            continue
        if skipping and _LIST_LINE.match(line):
            skipping -= 1
            continue
        skipping = 0
        kept.append(line)
    return "\n".join(kept)
