"""Is the URL on the main website, or an accepted external host linked from it?

Until the crawl lands, "linked" is proven only by a link on the homepage itself; anything else
is ``unverified`` (never ``pass`` on faith).
"""

from __future__ import annotations

from ..checklist import Item
from ..models import Check, Finding, Status
from ..urls import host_matches, host_of, normalize_url, same_page
from .interface import Context, Page


def check_location(page: Page, item: Item, ctx: Context) -> list[Finding]:
    """See the module docstring."""
    url = page.fetch.url
    host = host_of(url)
    params = {"host": host}
    if same_page(url, ctx.homepage):
        return [Finding(Check.LOCATION, Status.WARN, "homepage_as_item_url", params, {"homepage": ctx.homepage})]
    if host_matches(host, ctx.domains):
        return [Finding(Check.LOCATION, Status.PASS, "on_main_site", params, {"domains": list(ctx.domains)})]
    linked = ctx.homepage_links is not None and (
        normalize_url(url) in ctx.homepage_links or normalize_url(page.fetch.final_url) in ctx.homepage_links)
    if linked:
        evidence = {"click_path": [ctx.homepage, url]}
        if host_matches(host, item.allowed_hosts):
            return [Finding(Check.LOCATION, Status.PASS, "linked_from_homepage", params, evidence)]
        return [Finding(Check.LOCATION, Status.WARN, "external_host_linked", params, evidence)]
    if host_matches(host, item.allowed_hosts):
        return [Finding(Check.LOCATION, Status.UNVERIFIED, "link_not_verified", params,
                        {"allowed_hosts": list(item.allowed_hosts)})]
    return [Finding(Check.LOCATION, Status.FAIL, "not_on_main_site", params,
                    {"domains": list(ctx.domains), "allowed_hosts": list(item.allowed_hosts)})]
