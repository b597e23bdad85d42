"""Does the URL open? Status after redirects, network failures, TLS, soft 404s.

A network failure is ours to doubt (``unverified``), except on the agency's own host while its
homepage answers: then the assessor meets the same dead link (``fail``). A soft 404 is judged on
what the page says, its main content: it looks like the site's not-found answer (says so in its
title or main heading, or in a short main content, or has the same main content as a random path)
and it lacks the item's content (no element of the item in it, no evidence it links opened).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from ..checklist import Item
from ..models import NO_BROWSER, Check, Finding, Status
from ..reasons import Reason
from ..thai import compact
from .content import _Text, judged_text, match_element
from .interface import Context, Page
from .linked import own_server_down
from .text import content_headings, content_text

NETWORK_ERRORS = {
    Reason.TIMEOUT: Status.UNVERIFIED, Reason.DNS_ERROR: Status.UNVERIFIED, Reason.CONNECT_ERROR: Status.UNVERIFIED,
    Reason.RATE_LIMITED: Status.UNVERIFIED, Reason.BLOCKED_ADDRESS: Status.UNVERIFIED,
    Reason.TLS_HANDSHAKE_FAILED: Status.UNVERIFIED, Reason.HOST_UNRESPONSIVE: Status.UNVERIFIED,
    Reason.BAD_RESPONSE: Status.UNVERIFIED, Reason.REDIRECT_LOOP: Status.FAIL, Reason.TOO_MANY_REDIRECTS: Status.FAIL,
}
LEFT_TO_PUBLIC = frozenset({401, 403, 999})
"""Statuses the public check judges (login wall or bot wall)."""
NOT_FOUND_PHRASES = tuple(compact(p) for p in (
    "ไม่พบหน้าที่ต้องการ", "ไม่พบหน้าที่คุณต้องการ", "ไม่พบหน้าเว็บ", "ไม่พบหน้านี้", "ไม่พบหน้า",
    "ไม่พบข้อมูลที่ท่านต้องการ", "ไม่พบไฟล์", "page not found", "404 not found", "error 404",
    "the page you requested", "page cannot be found", "page does not exist",
))
SHORT_PAGE = 800
"""A 'not found' phrase counts anywhere in main content shorter than this (compacted characters)."""
FINGERPRINT_CHARS = 200_000
"""Text hashed by ``fingerprint`` (enough to tell any two pages apart)."""
LONG_CHAIN = 3


def fingerprint(title: str, text: str) -> str:
    """Identity of a page's title and main content (``doc.main_text or doc.text``), to compare an
    item page with the site's answer to a random path. All of it: a prefix is the site's header."""
    return hashlib.sha256(compact(title + "\n" + text[:FINGERPRINT_CHARS]).encode()).hexdigest()[:16]


def check_reachable(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring. 401/403 are left to the public check."""
    fetch = page.fetch
    evidence = {"final_url": fetch.final_url, "http_status": fetch.status, "attempts": fetch.attempts}
    if fetch.error:
        # (``no_browser`` never reaches here: the browser pass keeps the HTTP page then)
        error = Reason.BROWSER_FAILED if fetch.error == NO_BROWSER else fetch.error
        if own_server_down(fetch, ctx):
            return [Finding(Check.REACHABLE, Status.FAIL, error, {"detail": fetch.error_detail, "fix": "own_host"},
                            {**evidence, "homepage_ok": True, "homepage": ctx.homepage})]
        # An error this table does not know is still no proof against the agency: unverified.
        return [Finding(Check.REACHABLE, NETWORK_ERRORS.get(error, Status.UNVERIFIED), error,
                        {"detail": fetch.error_detail, "limit": len(fetch.redirects) - 1}, evidence)]
    status = fetch.status or 0
    params = {"http_status": status}
    findings: list[Finding] = []
    if fetch.tls_error:
        findings.append(Finding(Check.REACHABLE, Status.WARN, Reason.TLS_ERROR, {"detail": fetch.tls_error}, evidence))
    if status in LEFT_TO_PUBLIC:
        return findings
    if status >= 500:
        return [*findings, Finding(Check.REACHABLE, Status.UNVERIFIED, Reason.SERVER_ERROR, params, evidence)]
    if status == 404:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, Reason.HTTP_404, params, evidence)]
    if status == 410:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, Reason.HTTP_410, params, evidence)]
    if not 200 <= status < 300:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, Reason.HTTP_CLIENT_ERROR, params, evidence)]
    soft = _soft_404(page, item, ctx)
    if soft:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, Reason.SOFT_404, params, {**evidence, "why": soft})]
    findings.append(Finding(Check.REACHABLE, Status.PASS, Reason.REACHABLE, params, evidence))
    if len(fetch.redirects) >= LONG_CHAIN:
        chain = [r.url for r in fetch.redirects] + [fetch.final_url]
        findings.append(Finding(Check.REACHABLE, Status.WARN, Reason.LONG_REDIRECT_CHAIN,
                                {"hops": len(fetch.redirects)}, {"redirects": chain}))
    if fetch.truncated:
        findings.append(Finding(Check.REACHABLE, Status.WARN, Reason.BODY_TRUNCATED,
                                {"limit_mb": round(ctx.max_body_bytes / 2**20)}, evidence))
    return findings


def _soft_404(page: Page, item: Item, ctx: Context) -> str:
    """Why the page looks like a 'not found' page despite its 200, or '' (also when it holds the item's content)."""
    doc = page.doc
    if doc is None or doc.kind != "html":
        return ""
    head = compact(" ".join((doc.title, *content_headings(doc)[:2])))
    body = compact(content_text(doc, ctx))
    why = next((f"says '{phrase}'" for phrase in NOT_FOUND_PHRASES
                if phrase in head or (len(body) < SHORT_PAGE and phrase in body)), "")
    host = urlsplit(page.fetch.final_url).hostname or ""
    probe = ctx.soft_404_fingerprints.get(host)
    same_as_home = page.fetch.final_url.rstrip("/") == ctx.homepage.rstrip("/")
    if not why and probe and not same_as_home and probe == fingerprint(doc.title, doc.main_text or doc.text):
        why = "same main content as a random, non-existent path on this host"
    if why and _holds_item(page, item, ctx):
        return ""
    return why


def _holds_item(page: Page, item: Item, ctx: Context) -> bool:
    """Does the page show what the item asks for: one of its elements in the main content, or
    evidence it links that opened? A not-found page has neither."""
    if any(a.fetch.ok for a in page.attachments):
        return True
    if page.doc is None or not item.elements:
        return False
    text = _Text(judged_text(page.doc, ctx, item))
    return any(match_element(element, text, page.doc) is not None for element in item.elements)
