"""Does the URL open? Status after redirects, network failures, TLS, soft 404s."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from ..checklist import Item
from ..models import Check, Finding, Status
from ..thai import compact
from .interface import Context, Page

NETWORK_ERRORS = {
    "timeout": Status.UNVERIFIED, "dns_error": Status.UNVERIFIED, "connect_error": Status.UNVERIFIED,
    "rate_limited": Status.UNVERIFIED, "blocked_address": Status.UNVERIFIED,
    "tls_handshake_failed": Status.UNVERIFIED, "redirect_loop": Status.FAIL, "too_many_redirects": Status.FAIL,
}
LEFT_TO_PUBLIC = frozenset({401, 403, 999})
"""Statuses the public check judges (login wall or bot wall)."""
NOT_FOUND_PHRASES = tuple(compact(p) for p in (
    "ไม่พบหน้าที่ต้องการ", "ไม่พบหน้าที่คุณต้องการ", "ไม่พบหน้าเว็บ", "ไม่พบหน้านี้", "ไม่พบหน้า",
    "ไม่พบข้อมูลที่ท่านต้องการ", "ไม่พบไฟล์", "page not found", "404 not found", "error 404",
    "the page you requested", "page cannot be found", "page does not exist",
))
SHORT_PAGE = 800
"""A 'not found' phrase counts anywhere only on a page shorter than this (compacted characters)."""
LONG_CHAIN = 3


def fingerprint(title: str, text: str) -> str:
    """Identity of a page's visible content, to compare an item page with a random-path page."""
    return hashlib.sha256(compact(title + "\n" + text[:4000]).encode()).hexdigest()[:16]


def check_reachable(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring. 401/403 are left to the public check."""
    fetch = page.fetch
    evidence = {"final_url": fetch.final_url, "http_status": fetch.status, "attempts": fetch.attempts}
    if fetch.error:
        # An error this table does not know is still no proof against the agency: unverified.
        return [Finding(Check.REACHABLE, NETWORK_ERRORS.get(fetch.error, Status.UNVERIFIED), fetch.error,
                        {"detail": fetch.error_detail, "limit": len(fetch.redirects) - 1}, evidence)]
    status = fetch.status or 0
    params = {"http_status": status}
    findings: list[Finding] = []
    if fetch.tls_error:
        findings.append(Finding(Check.REACHABLE, Status.WARN, "tls_error", {"detail": fetch.tls_error}, evidence))
    if status in LEFT_TO_PUBLIC:
        return findings
    if status >= 500:
        return [*findings, Finding(Check.REACHABLE, Status.UNVERIFIED, "server_error", params, evidence)]
    if status == 404:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, "http_404", params, evidence)]
    if status == 410:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, "http_410", params, evidence)]
    if not 200 <= status < 300:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, "http_client_error", params, evidence)]
    soft = _soft_404(page, ctx)
    if soft:
        return [*findings, Finding(Check.REACHABLE, Status.FAIL, "soft_404", params, {**evidence, "why": soft})]
    findings.append(Finding(Check.REACHABLE, Status.PASS, "reachable", params, evidence))
    if len(fetch.redirects) >= LONG_CHAIN:
        chain = [r.url for r in fetch.redirects] + [fetch.final_url]
        findings.append(Finding(Check.REACHABLE, Status.WARN, "long_redirect_chain",
                                {"hops": len(fetch.redirects)}, {"redirects": chain}))
    if fetch.truncated:
        findings.append(Finding(Check.REACHABLE, Status.WARN, "body_truncated",
                                {"limit_mb": round(ctx.max_body_bytes / 2**20)}, evidence))
    return findings


def _soft_404(page: Page, ctx: Context) -> str:
    """Why the page looks like a 'not found' page despite its 200, or ''."""
    doc = page.doc
    if doc is None or doc.kind != "html":
        return ""
    head = compact(" ".join((doc.title, *doc.headings[:2])))
    body = compact(doc.text)
    for phrase in NOT_FOUND_PHRASES:
        if phrase in head or (len(body) < SHORT_PAGE and phrase in body):
            return f"says '{phrase}'"
    host = urlsplit(page.fetch.final_url).hostname or ""
    probe = ctx.soft_404_fingerprints.get(host)
    same_as_home = page.fetch.final_url.rstrip("/") == ctx.homepage.rstrip("/")
    if probe and not same_as_home and probe == fingerprint(doc.title, doc.text):
        return "same content as a random, non-existent path on this host"
    return ""
