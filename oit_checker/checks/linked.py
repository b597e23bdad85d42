"""An item page judged with the evidence it links (``Page.attachments``, ``oit_checker.attachments``).

- **Freshness** is judged for the page and for each readable linked file or page; one that covers
  the required year makes the item current (the evidence names the file). The item is stale only
  when every dated source is stale and nothing linked was left unread.
- **Broken evidence** (``broken_attachment``): a linked document that answers 404/410 or another
  client error, loops, or is not there. It fails the item when the content is not otherwise
  complete (the assessor would have needed it), and warns when it is.
- **Placeholder links** (``placeholder_link``): links in the main content where a document should
  be (``href="#"``, ``href=""``, ``javascript:``) whose text says they lead to evidence.

Network trouble on a linked file (timeout, 5xx, 429, bot wall) is never broken: it is unread
evidence, and the content check says ``unverified`` when an element might be in it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .. import attachments as linking
from ..checklist import Item
from ..models import Check, FetchResult, Finding, Status
from ..reasons import Reason
from ..urls import host_matches
from .fresh import check_fresh
from .interface import Attachment, Context, Page
from .period import single_years

BROKEN_ERRORS = frozenset({Reason.REDIRECT_LOOP, Reason.TOO_MANY_REDIRECTS})
"""Fetch errors that mean the link itself is broken (not our network)."""
DEAD_HOST_ERRORS = frozenset({Reason.DNS_ERROR, Reason.CONNECT_ERROR})
"""Fetch errors that mean the server is down (ours or the agency's: see ``own_server_down``)."""
UNSURE_STATUSES = frozenset({401, 403, 407, 408, 429, 999})
"""Client statuses that may be a firewall answering us rather than a missing file."""
MAX_LISTED = 5
_EVIDENCE_WORDS = re.compile(
    r"ดาวน์โหลด|ดาวโหลด|download|ไฟล์|เอกสาร|รายงาน|ประกาศ|แผน|คู่มือ|คำสั่ง|สรุปผล|ข้อมูล|รายละเอียด"
    r"|คลิก|click|pdf|doc|xls|ปีงบประมาณ|[0-9]{4}", re.IGNORECASE)


def own_server_down(fetch: FetchResult, ctx: Context) -> bool:
    """The agency's own server would not answer (name or connection) while its homepage did: what
    the assessor meets too, so it is the agency's fault, not our network's."""
    return fetch.error in DEAD_HOST_ERRORS and ctx.homepage_ok \
        and host_matches(urlsplit(fetch.final_url).hostname or "", ctx.domains)


def is_broken(attachment: Attachment, ctx: Context) -> bool:
    """Is the linked evidence missing for everyone, not just for us? A dead server on the agency's
    own host counts when its homepage answered (the assessor meets the same dead link)."""
    fetch = attachment.fetch
    if fetch.error is not None:
        return fetch.error in BROKEN_ERRORS or own_server_down(fetch, ctx)
    status = fetch.status or 0
    return 400 <= status < 500 and status not in UNSURE_STATUSES


def check_fresh_linked(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """``check_fresh`` over the page and the evidence it links (see the module docstring); a
    two-year item is judged year by year, each year by whichever source covers it."""
    if len(singles := single_years(item)) > 1:
        return [f for single in singles for f in check_fresh_linked(page, single, ctx)]
    own = check_fresh(page, item, ctx)
    readable = [a for a in page.attachments if a.fetch.ok and a.doc is not None]
    if not readable:
        return own
    judged = [(a, check_fresh(Page(a.fetch, a.doc), item, ctx)) for a in readable]
    unread = [a.url for a, findings in judged if not findings] + \
             [a.url for a in page.attachments if not a.fetch.ok and not is_broken(a, ctx)]
    sources: list[tuple[str, Finding]] = [("page", f) for f in own]
    sources += [(a.url, f) for a, findings in judged for f in findings]
    per_source = {url: f.reason for url, f in sources}
    passing = next(((url, f) for url, f in sources if f.status is Status.PASS), None)
    if passing is not None:
        return [_from(passing, per_source)]
    dated = [(url, f) for url, f in sources if not (url == "page" and f.reason == Reason.NO_DATE_FOUND)]
    if not dated:
        return own
    worst_first = sorted(dated, key=lambda pair: -pair[1].status.severity)
    if all(f.status is Status.FAIL for _, f in dated):
        chosen = _from(worst_first[0], per_source)
        if unread:  # the current report may be the file we could not read
            chosen = dataclasses.replace(chosen, status=Status.UNVERIFIED,
                                         evidence={**chosen.evidence, "unread_evidence": unread,
                                                   "downgraded_from": "fail"})
        return [chosen]
    unverified = next((pair for pair in dated if pair[1].status is Status.UNVERIFIED), None)
    if unverified is not None:
        return [_from(unverified, per_source)]
    return [_from(next(pair for pair in dated if pair[1].status is Status.WARN), per_source)]


def _from(pair: tuple[str, Finding], per_source: Mapping[str, str]) -> Finding:
    url, finding = pair
    evidence: dict[str, Any] = {**finding.evidence, "judged_in": url, "sources": per_source}
    return dataclasses.replace(finding, evidence=evidence)


def linked_findings(page: Page, item: Item, ctx: Context, *, content_complete: bool) -> list[Finding]:
    """``broken_attachment`` and ``placeholder_link`` findings: warn when the content is complete
    without them, fail when it is not."""
    status = Status.WARN if content_complete else Status.FAIL
    findings: list[Finding] = []
    for attachment in page.attachments:
        if is_broken(attachment, ctx):
            fetch = attachment.fetch
            problem = fetch.error or f"HTTP {fetch.status}"
            findings.append(Finding(Check.CONTENT, status, Reason.BROKEN_ATTACHMENT,
                                    {"text": linking.link_label(attachment), "problem": problem},
                                    {"url": attachment.url, "final_url": fetch.final_url, "http_status": fetch.status,
                                     "error": fetch.error}))
    doc = page.doc
    placeholders = [link for link in (doc.placeholders if doc is not None else ())
                    if _EVIDENCE_WORDS.search(link.text) or linking.names_item(link.text, item)]
    if placeholders:
        texts = [" ".join(link.text.split()) for link in placeholders[:MAX_LISTED]]
        findings.append(Finding(Check.CONTENT, status, Reason.PLACEHOLDER_LINK,
                                {"text": ", ".join(texts), "count": len(placeholders)},
                                {"links": [{"text": link.text, "href": link.url} for link in placeholders[:MAX_LISTED]]}))
    return findings


__all__ = ["check_fresh_linked", "is_broken", "linked_findings"]
