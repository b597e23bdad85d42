"""The run's options, built from the agency config in this one place.

Every default lives in the config models (``oit_checker.config``); the option dataclasses of the
lower layers (``HttpOptions``, ``CrawlOptions``, ``ExtractOptions``, ``BrowserOptions``,
``EvidenceOptions``) declare none for what the config sets, so a default changed there changes the
run. Those layers stay free of pydantic; this module is where the two meet. ``defaults()`` gives the
options of a config that sets nothing (tests and bench: ``dataclasses.replace(defaults().crawl, ...)``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, paths
from .config import LoadedConfig, host_is_private, parse_config_text
from .crawl.options import CrawlOptions
from .evidence import THUMBNAIL_QUALITY, THUMBNAIL_WIDTH, EvidenceOptions, resolve_dir
from .extract.options import ExtractOptions
from .fetch.addresses import AddressPolicy
from .fetch.browser import BrowserOptions
from .fetch.http import HttpOptions
from .fetch.proxy import ProxySettings
from .fetch.serve_from import OriginMap
from .urls import host_of

if TYPE_CHECKING:
    from .browse import ShotPaths

MIB = 1024 * 1024
THUMBNAIL = (THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 3 // 2, THUMBNAIL_QUALITY)
"""The small JPEG of the top of a page that reports embed: width, most height, quality."""


@dataclass(frozen=True)
class RunOptions:
    """Every option of one run, built once from its config."""

    http: HttpOptions
    crawl: CrawlOptions
    documents: ExtractOptions
    browser: BrowserOptions
    evidence: EvidenceOptions | None
    """None when ``[evidence] enabled = false``."""
    origins: OriginMap
    social_rules: Path | None
    proxy: ProxySettings


def user_agent(loaded: LoadedConfig) -> str:
    """``[http] user_agent`` with ``{version}`` filled in (the fetcher's header and the robots agent)."""
    return loaded.config.http.user_agent.format(version=__version__)


def http_options(loaded: LoadedConfig) -> HttpOptions:
    """The fetcher settings from ``[http]``."""
    http = loaded.config.http
    return HttpOptions(
        user_agent=user_agent(loaded),
        connect_timeout=http.connect_timeout, read_timeout=http.read_timeout, total_timeout=http.total_timeout,
        max_concurrency=http.max_concurrency, per_host_concurrency=http.per_host_concurrency,
        per_host_interval=http.per_host_interval, retries=http.retries, backoff=http.backoff,
        max_retry_after=http.max_retry_after, max_redirects=http.max_redirects,
        max_body_bytes=int(http.max_body_mb * MIB), verify_tls=http.verify_tls,
        url_budget=http.url_budget, breaker_failures=http.breaker_failures, breaker_cooldown=http.breaker_cooldown,
        proxy=http.proxy,
    )


def crawl_options(loaded: LoadedConfig) -> CrawlOptions:
    """The crawl settings from ``[crawl]`` (workers and user agent follow ``[http]``)."""
    crawl = loaded.config.crawl
    return CrawlOptions(
        max_pages=crawl.max_pages, max_depth=crawl.max_depth, obey_robots=crawl.obey_robots,
        sitemap=crawl.sitemap, pdf_links=crawl.pdf_links, max_page_bytes=int(crawl.max_page_mb * MIB),
        exclude=crawl.exclude, check_links=crawl.check_links, max_link_checks=crawl.max_link_checks,
        max_crawl_delay=crawl.max_crawl_delay, max_rendered=crawl.max_rendered,
        workers=loaded.config.http.max_concurrency, user_agent=user_agent(loaded),
    )


def document_options(loaded: LoadedConfig) -> ExtractOptions:
    """The document-reading settings from ``[documents]``."""
    return ExtractOptions(**loaded.config.documents.model_dump())


def run_proxy(loaded: LoadedConfig) -> ProxySettings:
    """The run's proxy: ``[http] proxy``, else the environment's (the HTTP client's settings)."""
    return ProxySettings.resolve(loaded.config.http.proxy)


def origins(loaded: LoadedConfig) -> OriginMap:
    """``[agency] serve_from``: production origins served elsewhere (``fetch/serve_from.py``)."""
    return OriginMap.from_config(loaded.config.agency.serve_from)


def browser_options(loaded: LoadedConfig, shots: ShotPaths | None = None) -> BrowserOptions:
    """The browser fetcher's settings from ``[browser]``; screenshot sizes from ``shots`` (the run's
    staging) when given, else from ``[evidence]``."""
    settings = loaded.config.browser
    return BrowserOptions(
        executable_path=settings.executable_path, max_pages=settings.max_pages,
        navigation_timeout=settings.navigation_timeout, page_timeout=settings.page_timeout,
        idle_wait=settings.idle_wait, recycle_after=settings.recycle_after,
        screenshot_max_height=(shots.max_height if shots is not None
                               else loaded.config.evidence.screenshot_max_height),
        thumbnail=shots.thumbnail if shots is not None else THUMBNAIL,
        user_agent_suffix=f"oit-checker/{__version__}", proxy=run_proxy(loaded), serve_from=origins(loaded))


def evidence_options(loaded: LoadedConfig, warc: bool | None = None) -> EvidenceOptions | None:
    """What to keep from ``[evidence]`` (``warc`` overrides its ``warc``: ``--warc``); None when disabled."""
    evidence = loaded.config.evidence
    if not evidence.enabled:
        return None
    return EvidenceOptions(resolve_dir(loaded), evidence.screenshots,
                           evidence.warc if warc is None else warc, evidence.max_age_days)


def social_rules_path(loaded: LoadedConfig) -> Path | None:
    """``[browser] social_rules`` (relative to the config file), None for the bundled rules only."""
    value = loaded.config.browser.social_rules
    return paths.from_config(loaded, value) if value else None


def address_policy(loaded: LoadedConfig) -> AddressPolicy:
    """The run's address rule without a name lookup: private addresses only when the address the
    homepage is served from is a private literal (or ``localhost``)."""
    home = origins(loaded).actual(loaded.config.agency.homepage)  # the address contacted
    return AddressPolicy(private_ok=host_is_private(host_of(home)))


async def resolved_address_policy(loaded: LoadedConfig) -> AddressPolicy:
    """The run's address rule after resolving the homepage's host (what the audit uses)."""
    return await AddressPolicy.for_homepage(origins(loaded).actual(loaded.config.agency.homepage))


def run_options(loaded: LoadedConfig, *, warc: bool | None = None) -> RunOptions:
    """Every option of a run on ``loaded``."""
    return RunOptions(http=http_options(loaded), crawl=crawl_options(loaded), documents=document_options(loaded),
                      browser=browser_options(loaded), evidence=evidence_options(loaded, warc),
                      origins=origins(loaded), social_rules=social_rules_path(loaded), proxy=run_proxy(loaded))


@functools.cache
def default_config() -> LoadedConfig:
    """A config that sets nothing but its agency (every table at its default)."""
    text = '[agency]\nname = "defaults"\nhomepage = "https://www.example.test/"\n'
    return parse_config_text(text, "defaults.toml", Path.cwd())


def defaults() -> RunOptions:
    """The options of a config that sets nothing: what tests and bench start from."""
    return run_options(default_config())


__all__ = ["RunOptions", "address_policy", "browser_options", "crawl_options", "default_config", "defaults",
           "document_options", "evidence_options", "http_options", "origins", "resolved_address_policy",
           "run_options", "run_proxy", "social_rules_path", "user_agent"]
