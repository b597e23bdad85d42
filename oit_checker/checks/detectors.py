"""Built-in element detectors: things an assessor recognises by shape, not by wording."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..thai import find_dates

_PHONE = re.compile(r"(?<!\d)(?:\+66[\s-]?|0)(?:\d[\s-]?){7,9}\d(?!\d)")
_FAX = re.compile(r"(?:โทรสาร|แฟกซ์|แฟ็กซ์|fax)\s*[.:]?\s*(?:\+66[\s-]?|0)(?:\d[\s-]?){7,9}\d", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_MONEY = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?\s*(?:ล้าน)?\s*บาท|\d+(?:\.\d{1,2})?\s*(?:ล้าน)?\s*บาท")
_PERSON = re.compile(r"(?:นางสาว|นาย|นาง|ดร\.|ผศ\.|รศ\.|ศ\.|ว่าที่\s?ร\.ต\.)\s?[ก-๙]{2,}\s+[ก-๙]{2,}")
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
