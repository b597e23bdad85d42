"""The bounds and policy of one crawl (the ``[crawl]`` table of the config)."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PDF_BYTES = 20 * 1024 * 1024
"""Site PDFs are read for links up to this size (no config key)."""


@dataclass(frozen=True)
class CrawlOptions:
    """Bounds and policy of one crawl. No defaults for what the config sets: ``oit_checker.options``
    builds them from ``[crawl]`` (and ``[http]``), whose models hold every default (tests:
    ``options.defaults().crawl``)."""

    max_pages: int
    """URLs fetched on the main website (pages and files), the homepage included."""
    max_depth: int
    """Clicks from the homepage; links on pages at this depth are recorded but not followed."""
    obey_robots: bool
    sitemap: bool
    pdf_links: str
    """Read links from PDFs on the site: ``none``, ``oit`` (item URLs and PDFs linked with OIT
    words), ``all``."""
    max_page_bytes: int
    """HTML pages are read up to this size for links."""
    exclude: tuple[str, ...]
    """Regular expressions; matching URLs are not crawled (calendars, search results …)."""
    check_links: bool
    """Check every link of the OIT index pages (broken links)."""
    max_link_checks: int
    max_crawl_delay: float
    """The longest robots.txt ``Crawl-delay`` honoured (seconds)."""
    workers: int
    """Requests the crawl keeps in flight (``[http] max_concurrency``; the per-host limits still apply)."""
    max_rendered: int
    """Pages with script-built navigation opened in the browser during the crawl (0: none)."""
    user_agent: str
    """``[http] user_agent``: its product token is the robots.txt agent."""
    max_pdf_bytes: int = MAX_PDF_BYTES
