"""The five checks of DESIGN §4, each a pure function ``(Page, Item, Context) -> [Finding]``, and
what a browser changes in them (``browser``: pages it could not render; ``social``: the verdict on
a rendered social-network page)."""

from __future__ import annotations

from ..checklist import Item
from ..models import Finding, Status
from .browser import check_without_browser
from .content import check_content
from .fresh import check_fresh
from .interface import Attachment, BrowserView, CheckFn, Context, Page
from .linked import check_fresh_linked, linked_findings
from .location import check_location
from .public import check_public
from .reachable import check_reachable
from .social import with_social_verdict

__all__ = ["Attachment", "BrowserView", "CheckFn", "Context", "Page", "run_checks", "check_reachable", "check_public",
           "check_location", "check_fresh", "check_content"]

BLOCKING = (Status.FAIL, Status.UNVERIFIED)


def run_checks(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """Every check in order; content checks run only on a page that opened and is public.

    Location is a property of the URL, so it is reported even when the page did not open. A page
    the browser pass planned (``page.browser``) then gets the social verdict when rendered, or the
    ``unverified`` findings of a page that needed a browser it did not get.
    """
    findings = _generic(page, item, ctx)
    view = page.browser
    if view is None or not view.planned:
        return findings
    if view.rendered:
        return with_social_verdict(findings, page, item, ctx) if item.social else findings
    return check_without_browser(findings, page, item)


def _generic(page: Page, item: Item, ctx: Context) -> list[Finding]:
    findings = check_reachable(page, item, ctx)
    blocked = any(f.status in BLOCKING for f in findings)
    if page.fetch.error is None:
        public = check_public(page, item, ctx)
        findings += public
        blocked = blocked or any(f.status in BLOCKING for f in public)
    findings += check_location(page, item, ctx)
    if not blocked and page.doc is not None:
        findings += check_fresh_linked(page, item, ctx)  # the page with the evidence it links
        content = check_content(page, item, ctx)
        findings += content
        findings += linked_findings(page, item, ctx, content_complete=all(f.status is Status.PASS for f in content))
    return findings
