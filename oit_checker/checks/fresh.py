"""Does the content cover the fiscal year the item requires?

Dates are read from what the page says (``checks/text.py``: main content without site
boilerplate, its headings, and the title), then from the file's own dates and the server's
``Last-Modified`` (``oit_checker.dates``); the reasoning per period is in ``checks/period.py``.
A wrong year is ``fail`` only when the page's own dates all lie before the year required; years
of cited laws never count; dates only of later years (a report for FY2566 signed in November
2566 = FY2567) are ``warn``: never a false fail.

Files: a stale year read by OCR, or no year OCR could read, is ``unverified`` with its own reason
(``stale_year_ocr``, ``year_unread_ocr``: check the scan, Tesseract reads ๖ as ๒), and any other
``fail`` from OCR text or a partly read file is ``unverified`` too (``checks/documents.py``).
"""

from __future__ import annotations

from ..checklist import Item
from ..models import Check, Finding, Status
from ..reasons import Reason
from .documents import is_unreadable, never_fail_unsure
from .interface import Context, Page
from .period import judge_period, required_fiscal_year, single_years

__all__ = ["check_fresh", "required_fiscal_year"]


def check_fresh(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring. Silent when there is no readable text (content says why)."""
    if len(singles := single_years(item)) > 1:  # both years required: one verdict per year
        return [f for single in singles for f in check_fresh(page, single, ctx)]
    if required_fiscal_year(item, ctx) is None:
        return [Finding(Check.FRESH, Status.PASS, Reason.NO_PERIOD_REQUIRED)]
    doc = page.doc
    if doc is None or is_unreadable(doc) or not (doc.text.strip() or doc.dates):
        return []
    findings = judge_period(page, item, ctx, doc)
    return never_fail_unsure(findings, doc, keep=lambda f: f.evidence.get("source") in ("title", "heading"))
