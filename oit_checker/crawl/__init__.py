"""A bounded crawl of the main website: breadth-first from the homepage, a link graph, and the
shortest click path (homepage -> ... -> URL) to every URL it saw linked.

- Breadth-first, one depth level at a time, so the first link found to a URL is on a shortest
  path; ``max_depth`` and ``max_pages`` bound it, and hitting either is recorded (a URL not found
  is then "not known", never "not linked").
- Pages go through the run's one fetcher (per-host concurrency, interval, retries, Retry-After).
  Files are checked without being downloaded: only the headers are read, unless the caller
  reads the URL in full anyway (the audit's item URLs, through the ``SharedFetches`` it hands
  the crawl: one request for both) or it is a PDF whose links are wanted.
- ``robots.txt`` is obeyed for crawling when ``obey_robots`` is on (``Crawl-delay`` too, capped);
  the homepage and configured item URLs are always fetched (``crawl/robots.py``).
- ``sitemap.xml`` (and ``Sitemap:`` lines) add pages the links did not reach; a page known only
  from a sitemap has no click path.
- Links come from ``<a>``, ``<area>``, ``<iframe>``/``<frame>``, ``<meta http-equiv=refresh>`` and
  from PDFs; only HTML pages (and such PDFs) are read for links, only main-website pages are
  followed. URLs are compared with ``oit_checker.urls.page_key`` (no loops, no refetching).
- The homepage and the pages that look like the OIT index (title, headings or URL say OIT/ITA,
  or they link to two item URLs or more) keep their outgoing links, which are checked at the
  end: the broken links assessors would click.
- **Unread pages.** A linked main-website page that could not be read (network error, timeout,
  5xx, 429, bot wall; not 404/410: those pages are gone, not hidden) may hold the only link to
  an item, so the crawl did not see the whole site: ``LinkGraph.unread_pages()`` lists them and
  "not linked" becomes ``unverified`` (``checks/location.py``).
- **Script-built navigation.** A page with scripts whose HTML gives nothing new to follow — no
  link but to itself or the homepage, or an OIT-looking page whose links were all seen already
  (an accordion or a client-side menu fills it) — is opened in the browser when the crawl has
  a ``renderer`` (at most ``max_rendered`` pages), and its rendered links are followed. Without
  one, or past the bound, the page counts as unread (``needs_browser``). Item URLs are not
  rendered here: the audit opens them for their verdict, and they are the ends of click paths.
- **Boilerplate by frequency.** The visible text of the first ``BOILERPLATE_SAMPLE`` pages read
  (item URLs left out, so that only the site's own pages decide) is split into lines;
  a line (``thai.compact``-ed, with a letter in it, 2–``BOILERPLATE_MAX_CHARS`` characters) on
  at least half of them, with at least ``BOILERPLATE_MIN_PAGES`` pages read, is
  ``LinkGraph.boilerplate``: menus, headers, footers.

Memory stays small for big sites: per URL only its string, parent, depth, status and flags.

One job per module: ``options`` (``CrawlOptions``), ``graph`` (``LinkGraph``: the only module
that reads its arrays), ``crawler`` (``Crawler``), ``pages`` (OIT words, files), ``boilerplate``,
``robots`` (rules, sitemap files, the per-origin cache), ``sitemaps`` (seeding) and
``broken_links`` (the link check of the OIT pages).
"""

from __future__ import annotations

from .boilerplate import (
    BOILERPLATE_MAX_CHARS,
    BOILERPLATE_MAX_LINES,
    BOILERPLATE_MIN_PAGES,
    BOILERPLATE_SAMPLE,
    BOILERPLATE_SHARE,
    boilerplate_lines,
)
from .crawler import KEY_CACHE, MAX_OIT_PAGES, Crawler, PageVisitor, Renderer
from .graph import NO_PARENT, SEED, UNREAD_PROBLEMS, LinkGraph, UnreadPage, UrlInfo
from .options import CrawlOptions
from .pages import is_oit_page
from .sitemaps import MAX_SITEMAP_FILES

__all__ = [
    "BOILERPLATE_MAX_CHARS",
    "BOILERPLATE_MAX_LINES",
    "BOILERPLATE_MIN_PAGES",
    "BOILERPLATE_SAMPLE",
    "BOILERPLATE_SHARE",
    "KEY_CACHE",
    "MAX_OIT_PAGES",
    "MAX_SITEMAP_FILES",
    "NO_PARENT",
    "SEED",
    "UNREAD_PROBLEMS",
    "CrawlOptions",
    "Crawler",
    "LinkGraph",
    "PageVisitor",
    "Renderer",
    "UnreadPage",
    "UrlInfo",
    "boilerplate_lines",
    "is_oit_page",
]
