"""The ``monthly`` period: every month of the fiscal year that is due must be there.

A month is due ``MONTH_GRACE_DAYS`` after it ends. Months are seen as mentions (a month, a day, a
range within one month), as real date cells of a workbook, or, under a heading that names the
fiscal year, as bare month names ("ตุลาคม", "ต.ค."). Missing months are named in the finding
(``missing_months``), in the ``month`` style of ``dates.format_date``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, Protocol

from ..dates import (
    THAI_MONTH_ABBREVIATIONS,
    THAI_MONTHS,
    DateMention,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    month_name,
)
from ..models import Check, DocDate, Finding, Status
from ..reasons import Reason

__all__ = ["MONTH_GRACE_DAYS", "bare_months", "due_months", "judge_months", "month_key", "months_present"]

MONTH_GRACE_DAYS = 15
"""Days after a month ends before its monthly summary is due."""


class Located(Protocol):
    """A mention with where it was found (``checks.period``'s ``_Found``)."""

    @property
    def mention(self) -> DateMention: ...

    @property
    def source(self) -> str: ...


def month_key(year_ce: int, month: int) -> str:
    """'2023-10': how months are keyed in the evidence (sorts in time order)."""
    return f"{year_ce:04d}-{month:02d}"


def months_present(mentions: Sequence[Located], files: list[DocDate], year: int) -> dict[str, str]:
    """Month ('2023-10') -> where it was seen, for months of fiscal year ``year``."""
    out: dict[str, str] = {}
    for found in mentions:
        m = found.mention
        if m.fiscal_year != year and m.kind != "range":
            continue
        if m.kind in ("month", "day") or (m.kind == "range" and (m.start.year, m.start.month) == (m.end.year, m.end.month)):
            if fiscal_year_of(m.start) == year:
                out.setdefault(month_key(m.start.year, m.start.month), f"{found.source}: {found.mention.text}")
    for d in files:
        if d.source == "xlsx_cell" and fiscal_year_of(d.value) == year:
            out.setdefault(month_key(d.value.year, d.value.month), f"{d.field} = {d.value}")
    return out


def due_months(year: int, today: dt.date) -> list[tuple[int, int]]:
    """(C.E. year, month) of fiscal year ``year`` whose summary is due on ``today``."""
    start, _ = fiscal_year_bounds(year)
    out = []
    for offset in range(12):
        month_year, month = start.year + (start.month - 1 + offset) // 12, (start.month - 1 + offset) % 12 + 1
        next_first = dt.date(month_year + month // 12, month % 12 + 1, 1)
        if next_first + dt.timedelta(days=MONTH_GRACE_DAYS - 1) <= today:
            out.append((month_year, month))
    return out


def judge_months(year: int, mentions: Sequence[Located], files: list[DocDate], text: str, today: dt.date,
                 evidence: dict[str, Any], *, reports_on_year: bool) -> list[Finding] | None:
    """Findings for a ``monthly`` item, or None to judge the year alone (no month due yet, or no
    month of the year at all). ``reports_on_year``: the title or headings name the fiscal year."""
    due = due_months(year, today)
    if not due:
        return None
    present = months_present(mentions, files, year)
    if reports_on_year:  # month names without a year, under a heading that names the fiscal year
        start, _ = fiscal_year_bounds(year)
        for month in bare_months(text):
            month_year = start.year if month >= 10 else start.year + 1
            present.setdefault(month_key(month_year, month), f"text: {month_name(month, 'th', 'month')}")
    if not present and not reports_on_year:
        return None  # no month of the year at all: the year rules say stale, unclear or no date
    missing = [(y, m) for y, m in due if month_key(y, m) not in present]
    evidence = {**evidence, "months_found": present}
    if not missing:
        first, last = due[0], due[-1]
        return [Finding(Check.FRESH, Status.PASS, Reason.MONTHS_FOUND,
                        {"year": year, "count": len(due), "first": _label(*first, "th"), "last": _label(*last, "th"),
                         "first_en": _label(*first, "en"), "last_en": _label(*last, "en")}, evidence)]
    params = {"year": year, "months": ", ".join(_label(y, m, "th") for y, m in missing),
              "months_en": ", ".join(_label(y, m, "en") for y, m in missing), "count": len(missing)}
    return [Finding(Check.FRESH, Status.FAIL, Reason.MISSING_MONTHS, params,
                    {**evidence, "missing": [month_key(y, m) for y, m in missing]})]


_BARE_MONTH = re.compile("|".join(sorted(
    [re.escape(name) for name in THAI_MONTHS] + [re.escape(abbr) for abbr in THAI_MONTH_ABBREVIATIONS],
    key=len, reverse=True)))


def bare_months(text: str) -> set[int]:
    """Months named in the text, with or without a year ('ตุลาคม', 'ต.ค.')."""
    return {THAI_MONTHS.get(m.group(0)) or THAI_MONTH_ABBREVIATIONS[m.group(0)] for m in _BARE_MONTH.finditer(text)}


def _label(year_ce: int, month: int, lang: str) -> str:
    """'มีนาคม 2567' / 'Mar 2024 (B.E. 2567)'."""
    return format_date(dt.date(year_ce, month, 1), lang, "month")
