"""Does the content cover the period the item requires? The reasoning behind the *fresh* check.

What the page says is read through ``checks/text.py`` (main content, no site boilerplate); the
title stays a source. Years inside the name of a cited law, regulation, order or standing plan
(``oit_checker.citations``) are set aside first: a citation never decides freshness, whatever its
year (evidence ``citations_ignored``). The page's own evidence, strongest first:

1. the period the document *reports on*: fiscal years, quarters, ranges, years and months in its
   title and headings (for a PDF, its first lines; for a workbook, sheet names and title rows);
   a multi-year plan named there is the document's own period;
2. the page's own dated evidence: full dates anywhere ("ประกาศ ณ วันที่ 8 มกราคม 2567",
   "ข้อมูล ณ วันที่ …", signatures) and period statements in the text ("ปีงบประมาณ พ.ศ. 2566",
   "ไตรมาส 2/2567", "ประจำปี 2567", months, ranges);
3. multi-year plans named in the text: they cover every year in them, but never make a page stale;
4. bare years in the text ("พ.ศ. 2566"), the weakest;
5. real date cells of a workbook (the data itself);
6. the file's own dates (PDF CreationDate/ModDate, DOCX/XLSX core properties), then the server's
   ``Last-Modified``.

The first source that has something decides, and the evidence names the deciding mention
(``deciding``); within a source a stated period outranks a date beside it (a FY2563 report
"updated 8 January 2567" is not a FY2567 report: unclear, not pass). Rules per period:

* ``current_fiscal_year`` / ``previous_fiscal_year``: a mention covering the year passes; only
  when every mention of the deciding source lies before the year is it stale
  (``stale_fiscal_year``): a report titled for FY2565 fails even when its body mentions plans for
  FY2566; later years or a mix without the year warn (a FY2566 report signed in November 2566 is
  dated FY2567). From file dates alone: a file made after the year began warns
  (``date_from_metadata``); a file whose own properties say it was made before it could have
  existed fails (a report before its year began, a plan more than a year before), unless the
  content cited laws (their dates were set aside: the page has no own date we trust). A server's
  ``Last-Modified`` alone never fails.
* ``six_months``: the first half (October–March) of the current fiscal year: a range covering it,
  "รอบ 6 เดือน" with the year, or every one of the six months.
* ``monthly``: every month of the current fiscal year that ended at least ``MONTH_GRACE_DAYS``
  before the audit must be there (named in the text or as a date cell); missing months are
  listed (``missing_months``). Judged in ``checks/monthly.py``.

Text read by OCR: years found are labelled "(OCR)"; a stale verdict resting on them is
``stale_year_ocr`` and no readable year is ``year_unread_ocr``, both ``unverified`` (Tesseract
reads ๖ as ๒ and ๗ as ๓: the fix is to check the scan, not to publish the data).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..checklist import Item, Period
from ..citations import citation_spans
from ..dates import SOURCE_RANK, DateMention, file_dates, find_dates, fiscal_year_bounds, fiscal_year_of
from ..models import Check, DocDate, Document, Finding, Status
from ..reasons import Reason
from ..thai import compact
from .documents import ocr_evidence, read_by_ocr
from .interface import Context, Page
from .monthly import judge_months, month_key, months_present
from .text import content_headings, content_text

SNIPPET = 60
PLAN_LEAD_DAYS = 365
"""A plan for a fiscal year may be written up to this long before the year begins."""
REPORT_KINDS = ("fiscal_year", "range", "year", "month")
"""Mentions that name the period a document reports on (a day is usually a signing date)."""
STATEMENT_KINDS = ("fiscal_year", "range", "month")
"""Mentions in the text that state a period; a year counts too when written "ประจำปี …"."""
OWN_IN_HEAD = ("plan",)
"""Citation kinds that are the document's own period when in its title or headings."""
MAX_CITATIONS_IN_EVIDENCE = 10
HALF_YEAR_PHRASES = tuple(compact(p) for p in (
    "รอบ 6 เดือน", "รอบหกเดือน", "6 เดือนแรก", "หกเดือนแรก", "ครึ่งปีแรก", "ครึ่งปีงบประมาณ", "ไตรมาส 1-2",
    "ไตรมาสที่ 1-2", "first half", "six months", "6 months",
))
MAX_DATES_IN_EVIDENCE = 10


def single_years(item: Item) -> tuple[Item, ...]:
    """The item as one-year requirements: ``current_and_previous_fiscal_year`` is judged as the
    current year and the previous year apart (each may be covered by another linked file, and the
    report names the year that is missing); any other item is itself."""
    if item.period is not Period.CURRENT_AND_PREVIOUS_FISCAL_YEAR:
        return (item,)
    return tuple(item.model_copy(update={"period": p}) for p in (Period.CURRENT_FISCAL_YEAR, Period.PREVIOUS_FISCAL_YEAR))


def required_fiscal_year(item: Item, ctx: Context) -> int | None:
    """The B.E. fiscal year the item's content must cover, or None when no year is required (for a
    two-year item, the current one: see ``single_years``)."""
    if item.period in (Period.CURRENT_FISCAL_YEAR, Period.SIX_MONTHS, Period.MONTHLY,
                       Period.CURRENT_AND_PREVIOUS_FISCAL_YEAR):
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
    citation: str = ""
    """The cited name the mention is part of ("" for the page's own dates)."""
    citation_kind: str = ""

    @property
    def snippet(self) -> str:
        start, end = self.mention.span
        return " ".join(self.context[max(0, start - SNIPPET): end + SNIPPET].split())


def judge_period(page: Page, item: Item, ctx: Context, doc: Document) -> list[Finding]:
    """The fresh findings for one readable document (see the module docstring); the caller
    combines the findings of an item page and the documents it links. Years read by OCR say so,
    and a stale year resting on them is ``stale_year_ocr`` (unverified: check the scan)."""
    findings = _judge(page, item, ctx, doc)
    return [_read_by_ocr(f, doc) for f in findings] if read_by_ocr(doc) else findings


CONTENT_SOURCES = ("title", "heading", "text")
"""Where a date read by OCR may have come from (a file's properties are not read by OCR)."""


NO_YEAR_REASONS = (Reason.NO_DATE_FOUND, Reason.DATE_FROM_METADATA)
"""Findings that say the content gave no year: on a scan, OCR may have missed or garbled it."""


def _read_by_ocr(finding: Finding, doc: Document) -> Finding:
    """A finding on years read by OCR: labelled so; a stale verdict becomes ``stale_year_ocr``
    (Tesseract reads ๖ as ๒: the scan must be checked by eye, not the data republished), and no
    year at all is ``year_unread_ocr``: the year printed on a scan may be one OCR garbled."""
    source = finding.evidence.get("source")
    from_file = finding.reason == Reason.STALE_FISCAL_YEAR and source not in CONTENT_SOURCES
    if finding.reason in NO_YEAR_REASONS or from_file:
        return dataclasses.replace(finding, status=Status.UNVERIFIED, reason=Reason.YEAR_UNREAD_OCR,
                                   evidence={**finding.evidence, **ocr_evidence(doc), "text_source": doc.text_source,
                                             "was": finding.reason})
    if source not in CONTENT_SOURCES:
        return finding
    evidence = {**finding.evidence, **ocr_evidence(doc), "text_source": doc.text_source}
    params = dict(finding.params)
    if "found" in params:
        params["found"] = f"{params['found']} (OCR)"
    if finding.reason != Reason.STALE_FISCAL_YEAR:
        return dataclasses.replace(finding, params=params, evidence=evidence)
    year = int(finding.params.get("year", 0))
    misread = any(year in ocr_readings(y) for y in finding.evidence.get("years_found", ()))
    return dataclasses.replace(finding, status=Status.UNVERIFIED, reason=Reason.STALE_YEAR_OCR, params=params,
                               evidence={**evidence, "downgraded_from": "fail", "may_be_misread_year": misread})


OCR_CONFUSED_DIGITS = {"2": "6", "6": "2", "3": "7", "7": "3"}
"""Thai digits Tesseract mixes up (๒/๖, ๓/๗), as Arabic digits."""


def ocr_readings(year: int) -> set[int]:
    """Every year OCR may have read as ``year`` by confusing digits (``OCR_CONFUSED_DIGITS``)."""
    out = {""}
    for digit in str(year):
        out = {head + d for head in out for d in {digit, OCR_CONFUSED_DIGITS.get(digit, digit)}}
    return {int(y) for y in out}


def _judge(page: Page, item: Item, ctx: Context, doc: Document) -> list[Finding]:
    year = required_fiscal_year(item, ctx)
    if year is None:
        return [Finding(Check.FRESH, Status.PASS, Reason.NO_PERIOD_REQUIRED)]
    seen = _mentions(doc, ctx)
    head, body = seen.head, seen.body
    files = file_dates(doc, page.fetch.headers)
    evidence: dict[str, Any] = {"dates": _date_evidence(head, body, files), "text_source": doc.text_source}
    if seen.cited:
        evidence["citations_ignored"] = _citation_evidence(seen.cited)
    if item.period is Period.MONTHLY:
        mentions = head + body
        on_year = any(_covers(f.mention, year) for f in mentions if f.mention.kind in REPORT_KINDS)
        findings = judge_months(year, mentions, files, seen.text, ctx.today, evidence, reports_on_year=on_year)
        if findings is not None:
            return findings
    if item.period is Period.SIX_MONTHS:
        return _half_year(year, seen, files, doc, evidence)
    return _year(year, item.period, seen, files, doc, evidence)


@dataclass(frozen=True)
class _Seen:
    """The mentions of one document, sorted by what they may decide."""

    head: list[_Found]
    """Title and headings, citations set aside (a plan named there is the document's own)."""
    body: list[_Found]
    """The text, citations set aside."""
    plans: list[_Found]
    """Multi-year plans named in the text: they cover the years in them, never make a page stale."""
    cited: list[_Found]
    """Set aside: years and dates inside cited names."""
    text: str
    """What the page says (``content_text``) with its headings and title, for phrases."""


def _mentions(doc: Document, ctx: Context) -> _Seen:
    head: list[_Found] = []
    cited: list[_Found] = []
    plans: list[_Found] = []
    headings = content_headings(doc)
    for source, texts in (("title", (doc.title,) if doc.title else ()), ("heading", headings)):
        for text in texts:
            for found in _found_in(text, source):
                own = not found.citation or found.citation_kind in OWN_IN_HEAD
                (head if own else cited).append(found)
    text = content_text(doc, ctx)
    body: list[_Found] = []
    for found in _found_in(text, "text"):
        if not found.citation:
            body.append(found)
        elif found.citation_kind == "plan":
            plans.append(found)
        else:
            cited.append(found)
    return _Seen(head, body, plans, cited, "\n".join((doc.title, *headings, text)))


def _found_in(text: str, source: str) -> list[_Found]:
    """The mentions of ``text``, each with the citation it is part of (a period statement such
    as "ปีงบประมาณ พ.ศ. 2567" never is)."""
    citations = citation_spans(text) if text else []
    starts = [c.span[0] for c in citations]
    out = []
    for mention in find_dates(text):
        start, end = mention.span
        i = bisect.bisect_right(starts, start) - 1  # the last citation starting at or before it
        inside = citations[i] if i >= 0 and end <= citations[i].span[1] else None
        if inside is None or mention.kind == "fiscal_year":
            out.append(_Found(mention, source, text))
        else:
            out.append(_Found(mention, source, text, " ".join(inside.text.split()), inside.kind))
    return out


def _covers(mention: DateMention, year: int) -> bool:
    if mention.kind == "range":
        start, end = fiscal_year_bounds(year)
        return mention.start <= end and mention.end >= start
    return mention.fiscal_year == year


def _is_statement(found: _Found) -> bool:
    """A period stated in the text: a fiscal year, quarter, range, month, or "ประจำปี 2567"."""
    kind = found.mention.kind
    return kind in STATEMENT_KINDS or (kind == "year" and compact(found.mention.text).startswith("ประจำปี"))


def _tiers(seen: _Seen) -> list[tuple[str, list[_Found], bool]]:
    """(name, mentions, may it make the page stale?) from strongest to weakest (module docstring)."""
    return [("head", [f for f in seen.head if f.mention.kind in REPORT_KINDS], True),
            ("dated", [f for f in seen.head if f.mention.kind == "day"]
             + [f for f in seen.body if f.mention.kind == "day" or _is_statement(f)], True),
            ("plans", seen.plans, False),
            ("bare", [f for f in seen.body if f.mention.kind == "year" and not _is_statement(f)], True)]


def _params(year: int, **more: Any) -> dict[str, Any]:
    return {"year": year, **more}


def _deciding(found: _Found) -> dict[str, Any]:
    m = found.mention
    return {"source": found.source, "text": m.text, "kind": m.kind, "fiscal_year": m.fiscal_year,
            "snippet": found.snippet}


def _found_evidence(found: _Found, evidence: dict[str, Any]) -> dict[str, Any]:
    return {**evidence, "source": found.source, "matched": found.mention.text, "snippet": found.snippet,
            "deciding": _deciding(found)}


def _year(year: int, period: Period, seen: _Seen, files: list[DocDate], doc: Document,
          evidence: dict[str, Any]) -> list[Finding]:
    for name, tier, may_fail in _tiers(seen):
        # a stated period outranks a date beside it (a FY2563 report updated in 2567 is no FY2567 report)
        statements = [f for f in tier if f.mention.kind != "day"]
        covering = [f for f in statements or tier if _covers(f.mention, year)]
        if covering:
            best = min(covering, key=lambda f: _KIND_RANK.get(f.mention.kind, 9))
            return [Finding(Check.FRESH, Status.PASS, Reason.FISCAL_YEAR_FOUND, _params(year),
                            {**_found_evidence(best, evidence), "tier": name})]
        if not tier or not may_fail:
            continue
        years = sorted({f.mention.fiscal_year for f in tier})
        if all(y < year for y in years):
            newest = max(tier, key=lambda f: (f.mention.end, -_KIND_RANK.get(f.mention.kind, 9)))
            return [_stale(year, years, newest, [f.snippet for f in tier[:5]], {**evidence, "tier": name})]
        return [Finding(Check.FRESH, Status.WARN, Reason.FISCAL_YEAR_UNCLEAR,
                        _params(year, found=", ".join(str(y) for y in years[-5:])),
                        {**evidence, "source": tier[0].source, "years_found": years, "tier": name,
                         "deciding": _deciding(max(tier, key=lambda f: f.mention.end)),
                         "snippets": [f.snippet for f in tier[:5]]})]
    return _from_file_dates(year, period, files, doc, evidence)


def _stale(year: int, years: list[int], newest: _Found, snippets: list[str], evidence: dict[str, Any]) -> Finding:
    """Every mention of the deciding source is older than ``year``; ``newest`` is the latest."""
    return Finding(Check.FRESH, Status.FAIL, Reason.STALE_FISCAL_YEAR,
                   _params(year, found=", ".join(str(y) for y in years[-5:])),
                   {**evidence, "source": newest.source, "years_found": years, "snippets": snippets,
                    "deciding": _deciding(newest)})


def _from_file_dates(year: int, period: Period, files: list[DocDate], doc: Document,
                     evidence: dict[str, Any]) -> list[Finding]:
    cells = [d for d in files if d.source == "xlsx_cell"]
    if cells:
        years = sorted({fiscal_year_of(d.value) for d in cells})
        first = next((d for d in cells if fiscal_year_of(d.value) == year), None)
        if first is not None:
            return [Finding(Check.FRESH, Status.PASS, Reason.FISCAL_YEAR_FOUND, _params(year),
                            {**evidence, "source": "xlsx_cell", "matched": f"{first.field} = {first.value}",
                             "deciding": _file_deciding(first)})]
        if all(y < year for y in years):
            newest_cell = max(cells, key=lambda d: d.value)
            return [Finding(Check.FRESH, Status.FAIL, Reason.STALE_FISCAL_YEAR,
                            _params(year, found=", ".join(str(y) for y in years[-5:])),
                            {**evidence, "source": "xlsx_cell", "years_found": years,
                             "snippets": [f"{d.field} = {d.value}" for d in cells[:5]],
                             "deciding": _file_deciding(newest_cell)})]
    own = [d for d in files if d.source != "xlsx_cell"]
    if not own:
        return [Finding(Check.FRESH, Status.WARN, Reason.NO_DATE_FOUND, _params(year), evidence)]
    start, _ = fiscal_year_bounds(year)
    newest = max(own, key=lambda d: (d.value, -SOURCE_RANK.get(d.source, 9)))
    lead = PLAN_LEAD_DAYS if period is Period.CURRENT_FISCAL_YEAR else 0
    params = _params(year, source=newest.source, date=newest.value.isoformat(), found=fiscal_year_of(newest.value))
    detail = {**evidence, "source": newest.source, "matched": f"{newest.field} = {newest.value}",
              "deciding": _file_deciding(newest)}
    # the server's Last-Modified is weak (a copy, a restore); a page whose content cited laws has
    # dates we set aside, so its file date alone cannot say it is stale either
    trusted = newest.source != "http_last_modified" and "citations_ignored" not in evidence
    if trusted and newest.value < start - dt.timedelta(days=lead):
        return [Finding(Check.FRESH, Status.FAIL, Reason.STALE_FISCAL_YEAR, params, detail)]
    return [Finding(Check.FRESH, Status.WARN, Reason.DATE_FROM_METADATA, params, detail)]


def _file_deciding(d: DocDate) -> dict[str, Any]:
    return {"source": d.source, "text": f"{d.field} = {d.value.isoformat()}", "fiscal_year": fiscal_year_of(d.value)}


def _half_year(year: int, seen: _Seen, files: list[DocDate], doc: Document,
               evidence: dict[str, Any]) -> list[Finding]:
    start, _ = fiscal_year_bounds(year)
    march_end = dt.date(start.year + 1, 3, 31)
    mentions = seen.head + seen.body
    for found in mentions:
        m = found.mention
        if m.kind == "range" and start <= m.start <= dt.date(start.year, 10, 31) and m.end >= dt.date(start.year + 1, 3, 1):
            return [Finding(Check.FRESH, Status.PASS, Reason.HALF_YEAR_FOUND, _params(year),
                            _found_evidence(found, evidence))]
    in_year = [f for f in mentions if _covers(f.mention, year)]
    text = compact(seen.text[:20000]).lower()
    phrase = next((p for p in HALF_YEAR_PHRASES if p in text), None)
    if phrase and in_year:
        return [Finding(Check.FRESH, Status.PASS, Reason.HALF_YEAR_FOUND, _params(year),
                        {**_found_evidence(in_year[0], evidence), "phrase": phrase})]
    months = months_present(mentions, [], year)
    half = {month_key(start.year, 10), month_key(start.year, 11), month_key(start.year, 12),
            *(month_key(start.year + 1, m) for m in (1, 2, 3))}
    if half <= set(months):
        return [Finding(Check.FRESH, Status.PASS, Reason.HALF_YEAR_FOUND, _params(year),
                        {**evidence, "source": "text", "months": sorted(half)})]
    if in_year:
        return [Finding(Check.FRESH, Status.WARN, Reason.HALF_YEAR_UNCLEAR,
                        _params(year, until=f"{march_end:%Y-%m-%d}"), _found_evidence(in_year[0], evidence))]
    return _year(year, Period.CURRENT_FISCAL_YEAR, seen, files, doc, evidence)


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


def _citation_evidence(cited: list[_Found]) -> list[dict[str, Any]]:
    """The citations set aside (capped), each once, with the year they would have given."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for found in cited:
        if found.citation in seen or len(out) >= MAX_CITATIONS_IN_EVIDENCE:
            continue
        seen.add(found.citation)
        out.append({"source": found.source, "kind": found.citation_kind, "citation": found.citation,
                    "text": found.mention.text, "fiscal_year": found.mention.fiscal_year})
    return out


_KIND_RANK = {"fiscal_year": 0, "range": 1, "year": 2, "month": 3, "day": 4}
