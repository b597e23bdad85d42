"""Does the content cover the fiscal year the item requires?

Dates are read from the title, headings and text (``oit_checker.thai``). A wrong year is
``fail`` only when every year found is older than the one required; dates only of later
years (a report for FY2566 signed in November 2566 = FY2567) are ``warn``: never a false fail.
"""

from __future__ import annotations

from ..checklist import Item, Period
from ..models import Check, Finding, Status
from ..thai import DateMention, find_dates, fiscal_year_bounds
from .interface import Context, Page

SNIPPET = 60


def required_fiscal_year(item: Item, ctx: Context) -> int | None:
    """The B.E. fiscal year the item's content must cover, or None when no year is required."""
    if item.period is Period.CURRENT_FISCAL_YEAR:
        return ctx.assessment_year
    if item.period is Period.PREVIOUS_FISCAL_YEAR:
        return ctx.assessment_year - 1
    return None


def check_fresh(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring. Silent when there is no readable text (content says why)."""
    year = required_fiscal_year(item, ctx)
    if year is None:
        return [Finding(Check.FRESH, Status.PASS, "no_period_required")]
    doc = page.doc
    if doc is None or not doc.text.strip() or "no_text_layer" in doc.warnings:
        return []
    text = "\n".join((doc.title, *doc.headings, doc.text))
    mentions = find_dates(text)
    params: dict[str, object] = {"year": year}
    covering = [m for m in mentions if _covers(m, year)]
    if covering:
        best = min(covering, key=lambda m: _KIND_RANK.get(m.kind, 9))
        return [Finding(Check.FRESH, Status.PASS, "fiscal_year_found", params,
                        {"source": "text", "matched": best.text, "snippet": _snippet(text, best)})]
    if not mentions:
        evidence: dict[str, object] = {}
        if "last-modified" in page.fetch.headers:
            evidence = {"last_modified": page.fetch.headers["last-modified"]}
        return [Finding(Check.FRESH, Status.WARN, "no_date_found", params, evidence)]
    found = sorted({m.fiscal_year for m in mentions})
    evidence = {"source": "text", "years_found": found,
                "snippets": [_snippet(text, m) for m in mentions[:5]]}
    params["found"] = ", ".join(str(y) for y in found[-5:])
    if all(y < year for y in found):
        return [Finding(Check.FRESH, Status.FAIL, "stale_fiscal_year", params, evidence)]
    return [Finding(Check.FRESH, Status.WARN, "fiscal_year_unclear", params, evidence)]


_KIND_RANK = {"fiscal_year": 0, "range": 1, "year": 2, "month": 3, "day": 4}


def _covers(mention: DateMention, year: int) -> bool:
    if mention.kind == "range":
        start, end = fiscal_year_bounds(year)
        return mention.start <= end and mention.end >= start
    return mention.fiscal_year == year


def _snippet(text: str, mention: DateMention) -> str:
    start, end = mention.span
    return " ".join(text[max(0, start - SNIPPET): end + SNIPPET].split())
