"""The crawl's part of a report: what was crawled, and the broken links on the OIT pages.

Shared by the reporters so every format says the same; page text (link texts) is untrusted and
is only ever put into ``rich.text.Text`` (no markup) or JSON strings.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..messages import reason_fix, reason_message, status_label, ui
from ..models import BrokenLink, CrawlSummary, Status
from .terminal import terminal_safe

COLOURS = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "red", Status.UNVERIFIED: "blue"}


def crawl_dict(crawl: CrawlSummary | None, lang: str) -> dict[str, Any] | None:
    """The ``crawl`` object of the JSON report (None when no crawl ran)."""
    if crawl is None:
        return None
    return {
        "pages": crawl.pages, "fetches": crawl.fetches, "urls_seen": crawl.urls_seen,
        "depth_reached": crawl.depth_reached, "limit_reached": crawl.limit_reached or None,
        "max_pages": crawl.max_pages, "max_depth": crawl.max_depth, "robots_blocked": crawl.robots_blocked,
        "sitemap_urls": crawl.sitemap_urls, "elapsed_s": crawl.elapsed, "oit_pages": list(crawl.oit_pages),
        "unread_pages": crawl.unread_pages, "rendered_pages": crawl.rendered_pages,
        "broken_links": [broken_link_dict(b, lang) for b in crawl.broken_links],
    }


def broken_link_dict(link: BrokenLink, lang: str) -> dict[str, Any]:
    """One broken link as plain data, with its message and fix in ``lang``."""
    params = {"http_status": link.http_status, "detail": link.detail or link.reason}
    return {"page": link.page, "url": link.url, "text": link.text, "status": link.status.value,
            "reason": link.reason, "http_status": link.http_status, "detail": link.detail,
            "other_pages": link.other_pages,
            "message": reason_message(link.reason, params, lang), "fix": reason_fix(link.reason, params, lang)}


def crawl_lines(crawl: CrawlSummary | None, lang: str) -> Group | None:
    """The console section: one summary line, limits, and the broken-links table."""
    if crawl is None:
        return None
    parts: list[Text | Table] = [Text(ui("crawl_summary", lang, pages=crawl.pages, depth=crawl.depth_reached,
                                         seconds=f"{crawl.elapsed:.1f}"), style="dim")]
    if crawl.limit_reached:
        parts.append(Text("• " + ui("crawl_limited", lang, limit=crawl.limit_reached, max_pages=crawl.max_pages,
                                    max_depth=crawl.max_depth), style="yellow"))
    if crawl.robots_blocked:
        parts.append(Text("• " + ui("crawl_robots", lang, blocked=crawl.robots_blocked), style="dim"))
    if crawl.unread_pages:
        parts.append(Text("• " + ui("crawl_unread", lang, count=crawl.unread_pages), style="yellow"))
    pages = len(crawl.oit_pages)
    if not crawl.broken_links:
        if pages:
            parts.append(Text(ui("broken_links_none", lang, pages=pages), style="green"))
        return Group(*parts)
    table = Table(title=ui("broken_links_title", lang, count=len(crawl.broken_links), pages=pages),
                  title_justify="left", title_style="bold", show_header=False, show_lines=True, expand=True,
                  pad_edge=False)
    table.add_column(width=12, no_wrap=True)
    table.add_column(ratio=1)
    for link in crawl.broken_links:
        colour = COLOURS[link.status]
        params = {"http_status": link.http_status, "detail": link.detail or link.reason}
        details = Text.assemble(
            (terminal_safe(link.text or link.url), "bold"), "\n", (terminal_safe(link.url), "dim"), "\n",
            (reason_message(link.reason, params, lang), colour), (f"  [{link.reason}]", "dim"), "\n",
            (f"{ui('broken_link_on', lang)} ", "dim"), (terminal_safe(link.page), "dim"),
            (f" {ui('broken_link_more', lang, count=link.other_pages)}" if link.other_pages else "", "dim"))
        table.add_row(Text(status_label(link.status, lang), style=f"bold {colour}"), details)
    parts.append(table)
    return Group(*parts)
