"""What a page the verdict needed a browser for says when the browser did not render it.

Pure functions of the generic checks' findings and the page's ``BrowserView`` (``oit_checker.browse``
records what the browser did): the browser turned off, missing, crashed, or the page's navigation
failed in it. Such a page is ``unverified`` with the reason, never ``fail`` on the HTTP view alone.
"""

from __future__ import annotations

from typing import Any

from ..checklist import Item
from ..models import Check, Finding, Status
from ..reasons import Reason, as_reason, check_of
from .interface import BrowserView, Page

NAVIGATION = "navigation_failed"
"""``BrowserView.why`` of a page the browser could not load (``code`` holds the network reason)."""
_REASON_FOR = {"browser_off": Reason.NEEDS_BROWSER, "no_browser": Reason.NEEDS_BROWSER,
               "browser_crashed": Reason.BROWSER_CRASHED, "browser_failed": Reason.BROWSER_FAILED}


def check_without_browser(findings: list[Finding], page: Page, item: Item) -> list[Finding]:
    """The findings of a page the verdict wanted rendered and the browser did not render."""
    view = page.browser or BrowserView()
    needs = view.needs.get(item.code, ())
    if view.why == NAVIGATION and ("social" in needs or "host" in needs):
        return navigation_failed(findings, needs, view)
    reason = _REASON_FOR.get(view.why, Reason.BROWSER_FAILED)
    params = {"detail": view.detail}
    evidence: dict[str, Any] = {"why": view.why, "needed_for": list(needs), "detail": view.detail}
    if "social" in needs or "host" in needs:
        # The HTTP view of such a page proves nothing either way (social networks answer
        # scripts with login walls): keep only the URL's location and network trouble.
        keep = [f for f in findings if f.check is Check.LOCATION
                or (f.check is Check.REACHABLE and f.status is Status.UNVERIFIED)]
        return [*keep, Finding(Check.PUBLIC, Status.UNVERIFIED, reason, params, evidence)]
    if "script" in needs:
        shell = [f for f in findings if f.reason == Reason.NEEDS_BROWSER]
        if not shell:
            return findings  # the HTTP text already decided the content
        out = [f for f in findings if f.reason != Reason.NEEDS_BROWSER]
        return [*out, Finding(Check.CONTENT, Status.UNVERIFIED, reason, params, {**shell[0].evidence, **evidence})]
    if "always" in needs and view.why in ("browser_crashed", "browser_failed"):
        return [*findings, Finding(Check.REACHABLE, Status.UNVERIFIED, reason, params, evidence)]
    return findings


def navigation_failed(findings: list[Finding], needs: tuple[str, ...], view: BrowserView) -> list[Finding]:
    """A social (or browser-only) page the browser could not load: ``unverified``, said once.
    The HTTP view proves nothing either way (see ``check_without_browser``): only the location and
    a network problem the HTTP fetch already reported are kept; without one, one finding gives
    the browser's network reason."""
    kept = [f for f in findings if f.check is Check.LOCATION
            or (f.check is Check.REACHABLE and f.status is not Status.PASS)]
    if any(f.check is Check.REACHABLE for f in kept):
        return kept
    code = view.code
    known = as_reason(code)
    reason = known if known is not None and check_of(known) is Check.REACHABLE else Reason.BROWSER_FAILED
    evidence = {"why": NAVIGATION, "code": code, "needed_for": list(needs), "detail": view.detail}
    return [Finding(Check.REACHABLE, Status.UNVERIFIED, reason, {"detail": view.detail or code}, evidence), *kept]
