"""The bounds and policy of one crawl (the ``[crawl]`` table of the config)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrawlOptions:
    """Bounds and policy of one crawl (the ``[crawl]`` table of the config)."""

    max_pages: int = 500
    """URLs fetched on the main website (pages and files), the homepage included."""
    max_depth: int = 5
    """Clicks from the homepage; links on pages at this depth are recorded but not followed."""
    obey_robots: bool = True
    sitemap: bool = True
    pdf_links: str = "oit"
    """Read links from PDFs on the site: ``none``, ``oit`` (item URLs and PDFs linked with OIT
    words), ``all``."""
    max_page_bytes: int = 5 * 1024 * 1024
    """HTML pages are read up to this size for links."""
    max_pdf_bytes: int = 20 * 1024 * 1024
    exclude: tuple[str, ...] = ()
    """Regular expressions; matching URLs are not crawled (calendars, search results …)."""
    check_links: bool = True
    """Check every link of the OIT index pages (broken links)."""
    max_link_checks: int = 500
    max_crawl_delay: float = 10.0
    """The longest robots.txt ``Crawl-delay`` honoured (seconds)."""
    workers: int = 16
    """Requests the crawl keeps in flight (the fetcher's per-host limits still apply)."""
    max_rendered: int = 10
    """Pages with script-built navigation opened in the browser during the crawl (0: none)."""
    user_agent: str = "oit-checker"
