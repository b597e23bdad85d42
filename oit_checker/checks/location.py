"""Is the URL on the main website, or an accepted external host, **and** linked from it?

"Linked" is proven by the crawl (``ctx.crawl``): the shortest click path homepage -> … -> URL is
the evidence. A URL the crawl never reached is an ``orphan_page`` (warn) on the main website and
``not_linked_from_main_site`` (fail) on an allowed external host -- but only when the crawl saw
the whole site; when it stopped at a limit, robots.txt kept it out of linked pages, or linked
pages could not be read (network error, 5xx, bot wall, script-built navigation without a
browser: ``crawl_incomplete``, naming them), the answer is ``unverified``, never ``fail``. An
orphan verdict is held back the same way: "no page links it" is only known of a site seen whole.
Without a crawl (``ctx.crawl`` is None) a URL on the main website passes on its host alone and
an external one is ``link_not_verified``.
"""

from __future__ import annotations

from ..checklist import Item
from ..models import Check, Finding, Status
from ..reasons import Reason
from ..urls import host_matches, host_of, same_page
from .interface import Context, Page

UNREAD_SHOWN = 10
"""Unread pages named in a ``crawl_incomplete`` finding's evidence (the message names three)."""


def check_location(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring."""
    url = page.fetch.url
    host = host_of(url)
    params: dict[str, object] = {"host": host}
    if same_page(url, ctx.homepage):
        return [Finding(Check.LOCATION, Status.WARN, Reason.HOMEPAGE_AS_ITEM_URL, params, {"homepage": ctx.homepage})]
    on_site = host_matches(host, ctx.domains)
    allowed = host_matches(host, item.allowed_hosts)
    crawl = ctx.crawl
    if crawl is None:
        if on_site:
            return [Finding(Check.LOCATION, Status.PASS, Reason.ON_MAIN_SITE, params, {"domains": list(ctx.domains)})]
        if allowed:
            return [Finding(Check.LOCATION, Status.UNVERIFIED, Reason.LINK_NOT_VERIFIED, params,
                            {"allowed_hosts": list(item.allowed_hosts)})]
        return [_not_on_main_site(params, item, ctx)]
    path = crawl.click_path(url) or crawl.click_path(page.fetch.final_url)
    if path is not None:
        evidence = {"click_path": path, "clicks": len(path) - 1}
        if on_site or allowed:
            return [Finding(Check.LOCATION, Status.PASS, Reason.LINKED_FROM_MAIN_SITE,
                            {**params, "clicks": len(path) - 1}, evidence)]
        return [Finding(Check.LOCATION, Status.WARN, Reason.EXTERNAL_HOST_LINKED, params, evidence)]
    if not (on_site or allowed):
        return [_not_on_main_site(params, item, ctx)]
    summary = crawl.summary()
    evidence = {"pages_crawled": summary.pages, "limit_reached": summary.limit_reached,
                "max_pages": summary.max_pages, "max_depth": summary.max_depth}
    info = crawl.info(url)
    if info is not None and info.in_sitemap:
        evidence["in_sitemap"] = True
    if not crawl.root_ok:
        problem = crawl.homepage_problem or "unknown"
        return [Finding(Check.LOCATION, Status.UNVERIFIED, Reason.HOMEPAGE_UNREADABLE, {**params, "problem": problem},
                        evidence)]
    if summary.limit_reached:
        return [Finding(Check.LOCATION, Status.UNVERIFIED, Reason.CRAWL_LIMIT_REACHED,
                        {**params, "limit": summary.limit_reached}, evidence)]
    if summary.robots_blocked:
        return [Finding(Check.LOCATION, Status.UNVERIFIED, Reason.CRAWL_BLOCKED_BY_ROBOTS,
                        {**params, "blocked": summary.robots_blocked}, evidence)]
    unread = crawl.unread_pages()  # (an unread page is linked: never the URL judged here, which has no path)
    if unread:
        shown = unread[:UNREAD_SHOWN]
        return [Finding(Check.LOCATION, Status.UNVERIFIED, Reason.CRAWL_INCOMPLETE,
                        {**params, "unread": len(unread), "pages": ", ".join(p.url for p in shown[:3])},
                        {**evidence, "unread_pages": [{"url": p.url, "problem": p.problem, "detail": p.detail}
                                                      for p in shown]})]
    if on_site:
        return [Finding(Check.LOCATION, Status.WARN, Reason.ORPHAN_PAGE, {**params, "pages": summary.pages}, evidence)]
    return [Finding(Check.LOCATION, Status.FAIL, Reason.NOT_LINKED_FROM_MAIN_SITE, {**params, "pages": summary.pages},
                    evidence)]


def _not_on_main_site(params: dict[str, object], item: Item, ctx: Context) -> Finding:
    return Finding(Check.LOCATION, Status.FAIL, Reason.NOT_ON_MAIN_SITE, params,
                   {"domains": list(ctx.domains), "allowed_hosts": list(item.allowed_hosts)})
