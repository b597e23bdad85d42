"""Does the content cover the period the item requires? The reasoning behind the *fresh* check.

Sources, strongest first (``oit_checker.dates.SOURCE_RANK``):

1. the year the document *reports on*: fiscal years, ranges, years and months written in its
   title and headings (for a PDF, its first lines; for a workbook, sheet names and title rows);
2. the same kinds of mention anywhere in the text; then any date in the text;
3. real date cells of a workbook (the data itself);
4. the file's own dates (PDF CreationDate/ModDate, DOCX/XLSX core properties), then the server's
   ``Last-Modified``.

The first source that has something decides. Rules per period:

* ``current_fiscal_year`` / ``previous_fiscal_year``: a mention covering the year passes; only
  older years fail (``stale_fiscal_year``): a report titled for FY2565 fails even when its body
  mentions plans for FY2566; only later years warn (a FY2566 report signed in November 2566 is
  dated FY2567). From file dates alone: a file made after the year began warns
  (``date_from_metadata``); a file made before it could have existed fails (a report before its
  year began, a plan more than a year before).
* ``six_months``: the first half (October–March) of the current fiscal year: a range covering it,
  "รอบ 6 เดือน" with the year, or every one of the six months.
* ``monthly``: every month of the current fiscal year that ended at least ``MONTH_GRACE_DAYS``
  before the audit must be there (named in the text or as a date cell); missing months are
  listed (``missing_months``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..checklist import Item, Period
from ..dates import SOURCE_RANK, file_dates
from ..models import Check, DocDate, Document, Finding, Status
from ..thai import (
    THAI_MONTH_ABBREVIATIONS,
    THAI_MONTHS,
    DateMention,
    compact,
    find_dates,
    fiscal_year_bounds,
    fiscal_year_of,
)
from .interface import Context, Page

SNIPPET = 60
MONTH_GRACE_DAYS = 15
"""Days after a month ends before its monthly summary is due."""
PLAN_LEAD_DAYS = 365
"""A plan for a fiscal year may be written up to this long before the year begins."""
REPORT_KINDS = ("fiscal_year", "range", "year", "month")
"""Mentions that name the period a document reports on (a day is usually a signing date)."""
HALF_YEAR_PHRASES = tuple(compact(p) for p in (
    "รอบ 6 เดือน", "รอบหกเดือน", "6 เดือนแรก", "หกเดือนแรก", "ครึ่งปีแรก", "ครึ่งปีงบประมาณ", "ไตรมาส 1-2",
    "ไตรมาสที่ 1-2", "first half", "six months", "6 months",
))
MAX_DATES_IN_EVIDENCE = 10

MONTHS_TH = ("", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
             "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_EN = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def required_fiscal_year(item: Item, ctx: Context) -> int | None:
    """The B.E. fiscal year the item's content must cover, or None when no year is required."""
    if item.period in (Period.CURRENT_FISCAL_YEAR, Period.SIX_MONTHS, Period.MONTHLY):
        return ctx.assessment_year
    if item.period is Period.PREVIOUS_FISCAL_YEAR:
        return ctx.assessment_year - 1
    return None


@dataclass(frozen=True)
class _Found:
    """A mention with the place it was found."""

    mention: DateMention
    source: str
    """``title``, ``heading`` or ``text``."""
    context: str
    """The text it was found in (for the snippet)."""

    @property
    def snippet(self) -> str:
        start, end = self.mention.span
        return " ".join(self.context[max(0, start - SNIPPET): end + SNIPPET].split())


def judge_period(page: Page, item: Item, ctx: Context, doc: Document) -> list[Finding]:
    """The fresh findings for a readable document (see the module docstring)."""
    year = required_fiscal_year(item, ctx)
    if year is None:
        return [Finding(Check.FRESH, Status.PASS, "no_period_required")]
    head, body = _mentions(doc)
    files = file_dates(doc, page.fetch.headers)
    evidence: dict[str, Any] = {"dates": _date_evidence(head, body, files), "text_source": doc.text_source}
    if item.period is Period.MONTHLY:
        findings = _monthly(year, head + body, files, doc, ctx.today, evidence)
        if findings is not None:
            return findings
    if item.period is Period.SIX_MONTHS:
        return _half_year(year, head, body, files, doc, evidence)
    return _year(year, item.period, head, body, files, doc, evidence)


def _mentions(doc: Document) -> tuple[list[_Found], list[_Found]]:
    head: list[_Found] = []
    if doc.title:
        head += [_Found(m, "title", doc.title) for m in find_dates(doc.title)]
    for heading in doc.headings:
        head += [_Found(m, "heading", heading) for m in find_dates(heading)]
    body = [_Found(m, "text", doc.text) for m in find_dates(doc.text)]
    return head, body


def _covers(mention: DateMention, year: int) -> bool:
    if mention.kind == "range":
        start, end = fiscal_year_bounds(year)
        return mention.start <= end and mention.end >= start
    return mention.fiscal_year == year


def _tiers(head: list[_Found], body: list[_Found]) -> list[list[_Found]]:
    """Content mentions from strongest to weakest (see the module docstring)."""
    return [[f for f in head if f.mention.kind in REPORT_KINDS],
            [f for f in body if f.mention.kind in REPORT_KINDS],
            [*head, *body]]


def _params(year: int, **more: Any) -> dict[str, Any]:
    return {"year": year, **more}


def _found_evidence(found: _Found, evidence: dict[str, Any]) -> dict[str, Any]:
    return {**evidence, "source": found.source, "matched": found.mention.text, "snippet": found.snippet}


def _year(year: int, period: Period, head: list[_Found], body: list[_Found], files: list[DocDate],
          doc: Document, evidence: dict[str, Any]) -> list[Finding]:
    for tier in _tiers(head, body):
        if not tier:
            continue
        covering = [f for f in tier if _covers(f.mention, year)]
        if covering:
            best = min(covering, key=lambda f: _KIND_RANK.get(f.mention.kind, 9))
            return [Finding(Check.FRESH, Status.PASS, "fiscal_year_found", _params(year),
                            _found_evidence(best, evidence))]
        years = sorted({f.mention.fiscal_year for f in tier})
        if all(y < year for y in years):
            return [_stale(year, years, tier[0].source, [f.snippet for f in tier[:5]], evidence)]
    mentions = head + body
    if mentions:  # only later years, or a mix without the year itself
        years = sorted({f.mention.fiscal_year for f in mentions})
        return [Finding(Check.FRESH, Status.WARN, "fiscal_year_unclear",
                        _params(year, found=", ".join(str(y) for y in years[-5:])),
                        {**evidence, "source": "text", "years_found": years,
                         "snippets": [f.snippet for f in mentions[:5]]})]
    return _from_file_dates(year, period, files, doc, evidence)


def _stale(year: int, years: list[int], source: str, snippets: list[str], evidence: dict[str, Any]) -> Finding:
    return Finding(Check.FRESH, Status.FAIL, "stale_fiscal_year",
                   _params(year, found=", ".join(str(y) for y in years[-5:])),
                   {**evidence, "source": source, "years_found": years, "snippets": snippets})


def _from_file_dates(year: int, period: Period, files: list[DocDate], doc: Document,
                     evidence: dict[str, Any]) -> list[Finding]:
    cells = [d for d in files if d.source == "xlsx_cell"]
    if cells:
        years = sorted({fiscal_year_of(d.value) for d in cells})
        first = next((d for d in cells if fiscal_year_of(d.value) == year), None)
        if first is not None:
            return [Finding(Check.FRESH, Status.PASS, "fiscal_year_found", _params(year),
                            {**evidence, "source": "xlsx_cell", "matched": f"{first.field} = {first.value}"})]
        if all(y < year for y in years):
            return [_stale(year, years, "xlsx_cell", [f"{d.field} = {d.value}" for d in cells[:5]], evidence)]
    own = [d for d in files if d.source != "xlsx_cell"]
    if not own:
        return [Finding(Check.FRESH, Status.WARN, "no_date_found", _params(year), evidence)]
    start, _ = fiscal_year_bounds(year)
    newest = max(own, key=lambda d: (d.value, -SOURCE_RANK.get(d.source, 9)))
    lead = PLAN_LEAD_DAYS if period is Period.CURRENT_FISCAL_YEAR else 0
    params = _params(year, source=newest.source, date=newest.value.isoformat(), found=fiscal_year_of(newest.value))
    detail = {**evidence, "source": newest.source, "matched": f"{newest.field} = {newest.value}"}
    is_file = doc.kind != "html" or newest.source != "http_last_modified"
    if is_file and newest.value < start - dt.timedelta(days=lead):
        return [Finding(Check.FRESH, Status.FAIL, "stale_fiscal_year", params, detail)]
    return [Finding(Check.FRESH, Status.WARN, "date_from_metadata", params, detail)]


def _half_year(year: int, head: list[_Found], body: list[_Found], files: list[DocDate], doc: Document,
               evidence: dict[str, Any]) -> list[Finding]:
    start, _ = fiscal_year_bounds(year)
    march_end = dt.date(start.year + 1, 3, 31)
    mentions = head + body
    for found in mentions:
        m = found.mention
        if m.kind == "range" and start <= m.start <= dt.date(start.year, 10, 31) and m.end >= dt.date(start.year + 1, 3, 1):
            return [Finding(Check.FRESH, Status.PASS, "half_year_found", _params(year),
                            _found_evidence(found, evidence))]
    in_year = [f for f in mentions if _covers(f.mention, year)]
    text = compact(" ".join((doc.title, *doc.headings, doc.text[:20000]))).lower()
    phrase = next((p for p in HALF_YEAR_PHRASES if p in text), None)
    if phrase and in_year:
        return [Finding(Check.FRESH, Status.PASS, "half_year_found", _params(year),
                        {**_found_evidence(in_year[0], evidence), "phrase": phrase})]
    months = _months_present(mentions, [], year)
    half = {_month_key(start.year, 10), _month_key(start.year, 11), _month_key(start.year, 12),
            *(_month_key(start.year + 1, m) for m in (1, 2, 3))}
    if half <= set(months):
        return [Finding(Check.FRESH, Status.PASS, "half_year_found", _params(year),
                        {**evidence, "source": "text", "months": sorted(half)})]
    if in_year:
        return [Finding(Check.FRESH, Status.WARN, "half_year_unclear",
                        _params(year, until=f"{march_end:%Y-%m-%d}"), _found_evidence(in_year[0], evidence))]
    return _year(year, Period.CURRENT_FISCAL_YEAR, head, body, files, doc, evidence)


def _month_key(year_ce: int, month: int) -> str:
    return f"{year_ce:04d}-{month:02d}"


def _months_present(mentions: list[_Found], files: list[DocDate], year: int) -> dict[str, str]:
    """Month ('2023-10') -> where it was seen, for months of fiscal year ``year``."""
    out: dict[str, str] = {}
    for found in mentions:
        m = found.mention
        if m.fiscal_year != year and m.kind != "range":
            continue
        if m.kind in ("month", "day") or (m.kind == "range" and (m.start.year, m.start.month) == (m.end.year, m.end.month)):
            if fiscal_year_of(m.start) == year:
                out.setdefault(_month_key(m.start.year, m.start.month), f"{found.source}: {found.mention.text}")
    for d in files:
        if d.source == "xlsx_cell" and fiscal_year_of(d.value) == year:
            out.setdefault(_month_key(d.value.year, d.value.month), f"{d.field} = {d.value}")
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


def _monthly(year: int, mentions: list[_Found], files: list[DocDate], doc: Document, today: dt.date,
             evidence: dict[str, Any]) -> list[Finding] | None:
    """Findings for a ``monthly`` item, or None to judge the year alone (no month due yet)."""
    due = due_months(year, today)
    if not due:
        return None
    present = _months_present(mentions, files, year)
    reports_on_year = any(_covers(f.mention, year) for f in mentions if f.mention.kind in REPORT_KINDS)
    if reports_on_year:  # month names without a year, under a heading that names the fiscal year
        start, _ = fiscal_year_bounds(year)
        for month in bare_months(doc.text):
            month_year = start.year if month >= 10 else start.year + 1
            present.setdefault(_month_key(month_year, month), f"text: {MONTHS_TH[month]}")
    if not present and not reports_on_year:
        return None  # no month of the year at all: the year rules say stale, unclear or no date
    missing = [(y, m) for y, m in due if _month_key(y, m) not in present]
    evidence = {**evidence, "months_found": present}
    if not missing:
        first, last = due[0], due[-1]
        return [Finding(Check.FRESH, Status.PASS, "months_found",
                        _params(year, count=len(due), first=_month_th(*first), last=_month_th(*last),
                                first_en=_month_en(*first), last_en=_month_en(*last)), evidence)]
    params = _params(year, months=", ".join(_month_th(y, m) for y, m in missing),
                     months_en=", ".join(_month_en(y, m) for y, m in missing), count=len(missing))
    return [Finding(Check.FRESH, Status.FAIL, "missing_months", params,
                    {**evidence, "missing": [_month_key(y, m) for y, m in missing]})]


_BARE_MONTH = re.compile("|".join(sorted(
    [re.escape(name) for name in THAI_MONTHS] + [re.escape(abbr) for abbr in THAI_MONTH_ABBREVIATIONS],
    key=len, reverse=True)))


def bare_months(text: str) -> set[int]:
    """Months named in the text, with or without a year ('ตุลาคม', 'ต.ค.')."""
    return {THAI_MONTHS.get(m.group(0)) or THAI_MONTH_ABBREVIATIONS[m.group(0)] for m in _BARE_MONTH.finditer(text)}


def _month_th(year_ce: int, month: int) -> str:
    return f"{MONTHS_TH[month]} {year_ce + 543}"


def _month_en(year_ce: int, month: int) -> str:
    return f"{MONTHS_EN[month]} {year_ce} (B.E. {year_ce + 543})"


def _date_evidence(head: list[_Found], body: list[_Found], files: list[DocDate]) -> list[dict[str, Any]]:
    """Every date seen, with where it came from (capped), for the report."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for found in [*head, *body]:
        key = (found.source, found.mention.text)
        if key not in seen and len(out) < MAX_DATES_IN_EVIDENCE:
            seen.add(key)
            out.append({"source": found.source, "text": found.mention.text, "kind": found.mention.kind,
                        "fiscal_year": found.mention.fiscal_year})
    by_source: dict[str, int] = {}
    for d in files:  # a few of each kind: a workbook may hold thousands of date cells
        by_source[d.source] = by_source.get(d.source, 0) + 1
        if by_source[d.source] <= 3:
            out.append({"source": d.source, "field": d.field, "date": d.value.isoformat(),
                        "fiscal_year": fiscal_year_of(d.value)})
    return out


_KIND_RANK = {"fiscal_year": 0, "range": 1, "year": 2, "month": 3, "day": 4}
