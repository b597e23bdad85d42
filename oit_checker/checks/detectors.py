"""Built-in element detectors: things an assessor recognises by shape, not by wording."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..dates import find_dates

_PHONE_NUMBER = r"(?:\+66[\s-]?\(?|\(?0[\s-]?)[1-9]\)?(?:[\s-]?\d){7,8}(?!\d)"
"""A Thai number: 0 + 8 digits (landline, 02-881-4999) or 9 (mobile, 081-234-5678), or +66 without the
0; spaces or hyphens anywhere, the area code maybe in brackets. Its second digit is never 0, and
fewer digits (01-10-2566, a date) or a longer run of digits are not a number."""
_PHONE = re.compile(r"(?<![\d.,/])" + _PHONE_NUMBER)
_FAX = re.compile(r"(?:โทรสาร|แฟกซ์|แฟ็กซ์|แฟ๊กซ์|fax|facsimile)\s*[.:]?\s*(?:\(?\s*อัตโนมัติ\s*\)?\s*)?" + _PHONE_NUMBER,
                  re.IGNORECASE)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}\.[A-Za-z]{2,}")
"""Tried only where a run of address characters starts, each part bounded: linear on any text (the
unanchored form was quadratic on a long run of letters: hours on a 2 MB page)."""
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_MONEY = re.compile(
    rf"(?<![\d,.])(?:{_AMOUNT})\s*(?:\.-|-)?\s*(?:ล้าน|แสน|หมื่น|พัน)?\s*บาท"  # 20,000.- บาท, 1.5 ล้านบาท
    rf"|(?:฿|THB|บาท)\s?(?:{_AMOUNT})(?!\d)"                             # ฿20,000, THB 20,000
    r"|[\u0e01-\u0e4e]{2,40}บาท(?:ถ้วน|[\u0e01-\u0e4e]{0,40}สตางค์)",         # (สามแสนบาทถ้วน); bounded: linear
    re.IGNORECASE)
"""An amount is tried only where a number starts (else a long run of digits costs n² steps)."""
_TITLE = (r"(?:นางสาว|นาง|นาย(?!ก|อำเภอ|ทะเบียน|ช่าง|ตรวจ|ด่าน|ท่า|ร้อย|สิบ|พล|หมู่|ดาบ|ห้าง|จ้าง|งาน|หน้า)"
          r"|น\.ส\.|ดร\.|ผศ\.|รศ\.|ศ\.|ผู้ช่วยศาสตราจารย์|รองศาสตราจารย์|ศาสตราจารย์"
          r"|นพ\.|พญ\.|ทพ\.|ทพญ\.|ภก\.|ภญ\.|นายแพทย์|แพทย์หญิง"
          r"|ว่าที่\s?(?:ร้อย(?:ตรี|โท|เอก)|ร\.\s?[ตทอ]\.)(?:หญิง)?"
          r"|(?:พล\.)?[พรนจสด]\.[ตอทสจ]\.(?:[อทต]\.)?(?:หญิง)?)")
"""Titles before a name: นาย, นาง, นางสาว (น.ส.), ดร., academic (ผศ., รศ., ศ. and in full), medical
(นพ., พญ. …), ว่าที่ร้อยตรี, and police and military ranks (พ.ต.อ., ร.ต.ท., จ.ส.ต., พล.ต.อ. …)."""
_NAME = r"[ก-ฮเ-ไ][\u0e01-\u0e4e]+"
_PERSON = re.compile(rf"(?:{_TITLE}\s?)+{_NAME}\s+{_NAME}")
_URL = re.compile(r"https?://\S+")


def _regex(pattern: re.Pattern[str]) -> Callable[[str], tuple[int, int] | None]:
    def detect(text: str) -> tuple[int, int] | None:
        match = pattern.search(text)
        return match.span() if match else None
    return detect


def _thai_date(text: str) -> tuple[int, int] | None:
    mentions = find_dates(text)
    return mentions[0].span if mentions else None


DETECTOR_FUNCTIONS: dict[str, Callable[[str], tuple[int, int] | None]] = {
    "phone": _regex(_PHONE),
    "fax": _regex(_FAX),
    "email": _regex(_EMAIL),
    "money": _regex(_MONEY),
    "person_name": _regex(_PERSON),
    "url": _regex(_URL),
    "thai_date": _thai_date,
}
"""Detector name -> function returning the span of the first match in normalised text."""
