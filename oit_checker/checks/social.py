"""The social-network verdict on a rendered page: public, private, behind a bot wall, or unclear.

``oit_checker.social`` holds the rules and ``judge``; this check turns its verdict into the
public check's finding, from the browser's innerText and title (``Page.browser``) and the
rendered DOM. Pure: no browser, no I/O beyond the rules file already loaded.
"""

from __future__ import annotations

from typing import Any

from ..checklist import Item
from ..messages import social_why
from ..models import Check, Finding, Status
from ..reasons import Reason
from ..social import SocialRules, SocialVerdict, judge, load_rules
from .content import check_content
from .fresh import check_fresh
from .interface import Context, Page


def _rules(ctx: Context) -> SocialRules:
    return ctx.social_rules if ctx.social_rules is not None else load_rules()


def verdict_finding(verdict: SocialVerdict, final_url: str) -> Finding:
    """The public check's finding for a social verdict."""
    th, en = social_why(verdict.why)
    params: dict[str, Any] = {"network": verdict.network.name, "why": th, "why_en": en}
    if verdict.reason == Reason.BOT_WALL:
        params = {"detail": f"{verdict.network.name}: {en}"}
    evidence = {"network": verdict.network.id, "rule": verdict.why, "matched": list(verdict.matched),
                "final_url": final_url}
    return Finding(Check.PUBLIC, verdict.status, verdict.reason, params, evidence)


def social_verdict(page: Page, ctx: Context) -> SocialVerdict | None:
    """``judge`` over the rendered page, or None when its URL is on no known network."""
    rules = _rules(ctx)
    url, final = page.fetch.url, page.fetch.final_url
    network = rules.network_for(final) or rules.network_for(url)
    if network is None:
        return None
    view, doc = page.browser, page.doc
    seen = view is not None and view.rendered
    return judge(network, rules, final_url=final, html=page.fetch.body.decode("utf-8", "replace"),
                 text=view.text if view is not None and seen else (doc.text if doc else ""),
                 title=view.title if view is not None and seen else (doc.title if doc else ""))


def check_social(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """The public check's finding for a social-network page (empty when not on a known network)."""
    verdict = social_verdict(page, ctx)
    return [] if verdict is None else [verdict_finding(verdict, page.fetch.final_url)]


def with_social_verdict(findings: list[Finding], page: Page, item: Item, ctx: Context) -> list[Finding]:
    """The generic findings with the social verdict in place of the public check's. A bot wall
    the HTTP check saw stays; a verdict other than ``pass`` drops fresh and content (the page's
    text is then not the agency's); a ``pass`` with nothing else blocking runs fresh and content
    the generic check had stopped (``check_fresh``, not ``check_fresh_linked``: as it always did)."""
    if any(f.reason == Reason.BOT_WALL for f in findings if f.check is Check.PUBLIC):
        return findings
    verdict = social_verdict(page, ctx)
    if verdict is None:
        return findings
    kept = [f for f in findings if f.check is not Check.PUBLIC
            and (verdict.status is Status.PASS or f.check not in (Check.FRESH, Check.CONTENT))]
    at = next((n for n, f in enumerate(kept) if f.check is not Check.REACHABLE), len(kept))
    out = [*kept[:at], verdict_finding(verdict, page.fetch.final_url), *kept[at:]]
    judged = {f.check for f in out}
    if verdict.status is Status.PASS and page.doc is not None and not judged & {Check.FRESH, Check.CONTENT} \
            and not any(f.status in (Status.FAIL, Status.UNVERIFIED) for f in out):
        out += check_fresh(page, item, ctx) + check_content(page, item, ctx)  # the generic check had stopped them
    return out
