"""The agency config (``config.toml``): who the agency is, which checklist, the URLs per item.

Every key is documented in ``docs/config.md``; unknown keys are errors, so a typo never
silently changes what is checked.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from .checklist import Checklist, _read_toml, _Strict, load_checklist, validate_model
from .checklist_choice import CONFIGURED, NEWEST_GENERAL, ChecklistChoice, describe, newest_general
from .errors import ConfigError

DEFAULT_USER_AGENT = "oit-checker/{version} (+https://github.com/oit-checker/oit-checker; OIT disclosure audit)"


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


class Agency(_Strict):
    """The agency whose main website is audited."""

    name: str
    name_en: str = ""
    homepage: str
    """The main website's homepage; where assessors start."""
    domains: tuple[str, ...] = ()
    """Hosts that count as the main website (subdomains included); default: the homepage host."""
    serve_from: dict[str, str] = {}
    """Production origin -> where it is served now (``"https://college.vercel.app" =
    "http://127.0.0.1:3000"``): a staging copy audited as if it were the real site; reports show
    the production URLs."""

    @field_validator("serve_from")
    @classmethod
    def _origins(cls, value: dict[str, str]) -> dict[str, str]:
        for production, actual in value.items():
            for origin in (production, actual):
                parts = urlsplit(origin)
                if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") \
                        or parts.query or parts.fragment:
                    raise ValueError(f"{origin!r} is not an origin (scheme://host[:port], no path)")
        return {k.rstrip("/"): v.rstrip("/") for k, v in value.items()}

    @field_validator("homepage")
    @classmethod
    def _homepage_http(cls, value: str) -> str:
        return _check_http_url(value)

    @model_validator(mode="after")
    def _default_domains(self) -> Agency:
        if not self.domains:
            host = urlsplit(self.homepage).hostname or ""
            object.__setattr__(self, "domains", (host.removeprefix("www."),))
        return self


class AuditSettings(_Strict):
    """What to audit and how to report it."""

    checklist: str = ""
    """A bundled checklist id, or a path (relative to the config file) to a checklist TOML; empty:
    the newest bundled general list, and the report says which and why (``checklist_choice``)."""
    select: tuple[str, ...] = ()
    """Audit only these item codes (e.g. the ones a division answers for); default: every item."""
    lang: str = Field(default="th", pattern="^(th|en)$")
    fail_on: str = Field(default="fail", pattern="^(warn|fail)$")
    """``warn`` makes warnings fail the run (exit 1) too."""
    max_evidence_links: int = Field(default=10, ge=0, le=100)
    """Documents and pages an item page links that are opened as its evidence (0: judge the page alone)."""
    max_minutes: float = Field(default=30.0, gt=0, le=24 * 60)
    """The whole run's deadline (crawl, fetches, browser, evidence links); what is unfinished then is
    ``run_deadline`` (unverified) and every item is still reported. A fraction is allowed (tests)."""


class HttpSettings(_Strict):
    """How pages are fetched. Defaults suit small government servers."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=20.0, gt=0)
    total_timeout: float = Field(default=60.0, gt=0)
    """Cap on one attempt however slowly the server sends (a slow-loris server ends as ``timeout``)."""
    max_concurrency: int = Field(default=16, ge=1, le=256)
    per_host_concurrency: int = Field(default=2, ge=1, le=64)
    per_host_interval: float = Field(default=0.25, ge=0)
    """Minimum seconds between two requests to the same host."""
    retries: int = Field(default=3, ge=0, le=10)
    """Extra attempts after a timeout, a 5xx or a 429."""
    backoff: float = Field(default=0.5, ge=0)
    """First retry delay in seconds; doubled each attempt, with jitter."""
    max_retry_after: float = Field(default=60.0, ge=0)
    """The longest Retry-After honoured; a longer one ends the fetch as ``rate_limited``."""
    max_redirects: int = Field(default=10, ge=0, le=50)
    max_body_mb: float = Field(default=25.0, gt=0)
    verify_tls: bool = True
    url_budget: float = Field(default=120.0, gt=0)
    """Seconds one URL may take in all (attempts, retry delays, redirects); past it: ``timeout``."""
    breaker_failures: int = Field(default=3, ge=0, le=100)
    """Timeouts/resets in a row on one host before its other URLs end ``host_unresponsive`` (0: never)."""
    breaker_cooldown: float = Field(default=60.0, ge=0)
    """Seconds before a host that stopped answering is tried again."""
    proxy: str = ""
    """Proxy URL for every request (``http://host:port``); overrides HTTP(S)_PROXY/ALL_PROXY."""
    soft_404_probe: bool = True
    """Fetch a random path on each host to recognise pages that answer 200 for everything."""


class CrawlSettings(_Strict):
    """The crawl of the main website that proves each item is linked from it (``oit_checker.crawl``)."""

    max_pages: int = Field(default=500, ge=1, le=1_000_000)
    """URLs fetched on the main website (pages and files, the homepage included)."""
    max_depth: int = Field(default=5, ge=0, le=50)
    """Clicks from the homepage; deeper pages are not read."""
    obey_robots: bool = True
    """Obey robots.txt while crawling; configured item URLs are checked whatever it says."""
    sitemap: bool = True
    """Read sitemap.xml (and robots.txt ``Sitemap:`` lines) for pages the links do not reach."""
    pdf_links: str = Field(default="oit", pattern="^(none|oit|all)$")
    """Read links from site PDFs: ``none``, ``oit`` (item URLs and PDFs linked with OIT words), ``all``."""
    max_page_mb: float = Field(default=5.0, gt=0)
    """HTML pages are read for links up to this size; files are never downloaded by the crawl."""
    exclude: tuple[str, ...] = ()
    """Regular expressions; URLs matching one are not crawled (calendars, search results …)."""
    check_links: bool = True
    """Check every link on the OIT index pages and report the broken ones."""
    max_link_checks: int = Field(default=500, ge=0, le=100_000)
    max_crawl_delay: float = Field(default=10.0, ge=0)
    """The longest robots.txt ``Crawl-delay`` honoured, in seconds."""
    max_rendered: int = Field(default=10, ge=0, le=1000)
    """Pages whose navigation is built by JavaScript opened in the browser during the crawl (0: none)."""

    @field_validator("exclude")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        import re

        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
        return value


class ItemUrls(_Strict):
    """The URL(s) the agency will submit to ITAS for one item."""

    urls: tuple[str, ...] = ()
    note: str = ""
    urls_mode: str = Field(default="any", pattern="^(any|all)$")
    """``any``: the URLs are alternatives, the best one decides; ``all``: the item needs every one
    (a plan *and* its report), the worst one decides."""

    @field_validator("urls")
    @classmethod
    def _urls_http(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for url in value:
            _check_http_url(url)
        return value


class StorageSettings(_Strict):
    """Where the history of runs is kept: a SQLite file, or PostgreSQL (see ``oit_checker.store``)."""

    enabled: bool = True
    """Save every ``audit`` and ``schedule`` run; ``--no-store`` turns it off for one run."""
    path: str = ""
    """The SQLite file, relative to the config file; default: the user's data directory."""
    url: str = ""
    """PostgreSQL instead (``postgresql://…``, ``oit-checker[postgres]``); ``$OIT_CHECKER_STORAGE_URL`` wins."""

    @model_validator(mode="after")  # not on the field: a wrong URL, maybe with its password, is never echoed
    def _postgresql_url(self) -> StorageSettings:
        if self.url and (self.path or not self.url.lower().startswith(("postgresql://", "postgres://"))):
            raise ValueError("url: give a postgresql://user@host:5432/database URL, and no path with it")
        return self


class ScheduleSettings(_Strict):
    """When ``oit-checker schedule`` runs the audit (APScheduler 3.x cron trigger)."""

    cron: str = "0 2 * * *"
    """Five-field crontab expression: minute hour day month weekday."""
    timezone: str = "Asia/Bangkok"
    misfire_grace: int = Field(default=3600, ge=1)
    """Seconds a run may start late (the machine was asleep or busy) before it is skipped."""
    coalesce: bool = True
    """Run once, not once per missed time, after the machine sleeps through several."""
    lock_file: str = ""
    """Lock that keeps one run at a time; default: next to the history database."""

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value, timezone="UTC")
        except ValueError as exc:
            raise ValueError(f"not a five-field crontab expression ({exc})") from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone; use an IANA name such as Asia/Bangkok") from exc
        return value


class WebhookSettings(_Strict):
    """A generic JSON webhook (POST), signed with HMAC-SHA256 when a secret is set."""

    url: str = ""
    """Where to POST; empty (and no ``url_env`` variable set) turns the webhook off."""
    url_env: str = "OIT_CHECKER_WEBHOOK_URL"
    """Environment variable that holds the URL instead (for URLs that embed a token)."""
    secret_env: str = "OIT_CHECKER_WEBHOOK_SECRET"  # noqa: S105 - the name of a variable, not a secret
    """Environment variable holding the HMAC secret (never put the secret in this file)."""
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("url")
    @classmethod
    def _url_http(cls, value: str) -> str:
        return _check_http_url(value) if value else value


class EmailSettings(_Strict):
    """E-mail over SMTP; the password comes from an environment variable."""

    host: str = ""
    """SMTP server; empty turns e-mail off."""
    port: int = Field(default=587, ge=1, le=65535)
    security: str = Field(default="starttls", pattern="^(starttls|ssl|none)$")
    """``starttls`` (port 587), ``ssl`` (implicit TLS, port 465) or ``none`` (a local relay only)."""
    username: str = ""
    password_env: str = "OIT_CHECKER_SMTP_PASSWORD"  # noqa: S105 - the name of a variable, not a password
    """Environment variable holding the SMTP password (never put the password in this file)."""
    sender: str = ""
    """The From address; default: ``username``."""
    to: tuple[str, ...] = ()
    ca_file: str = ""
    """Extra CA certificate (PEM) to trust, for a mail server with a private CA."""
    timeout: float = Field(default=30.0, gt=0)


class NotifySettings(_Strict):
    """Who is told when an item regresses or recovers, or a run fails."""

    confirm_after: int = Field(default=2, ge=1, le=30)
    """An item must fail (or warn) on this many runs in a row before anyone is told."""
    on_run_failure: bool = True
    """Also tell when a run itself fails (crash, bad config, no server answered)."""
    lang: str = Field(default="th", pattern="^(th|en)$")
    webhook: WebhookSettings = WebhookSettings()
    email: EmailSettings = EmailSettings()


class AssessmentSettings(_Strict):
    """The assessment calendar: how many days are left to fix what fails."""

    submission_deadline: dt.date | None = None
    """The ITAS closing date (``2025-03-31``; a year above 2400 is read as B.E.)."""
    warn_days: int = Field(default=30, ge=0)
    """Within this many days of the deadline, items still failing are raised in the summary."""

    @field_validator("submission_deadline", mode="before")
    @classmethod
    def _buddhist_era(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit() and int(value[:4]) > 2400:
            value = f"{int(value[:4]) - 543:04d}{value[4:]}"
        elif isinstance(value, dt.date) and value.year > 2400:
            value = value.replace(year=value.year - 543)
        return value


class BrowserSettings(_Strict):
    """When and how item pages are opened in a real browser (Chromium through Playwright)."""

    mode: str = Field(default="auto", pattern="^(auto|always|never)$")
    """``auto``: only pages that need it (script-built, social networks, ``hosts_needing_browser``);
    ``always``: every HTML item page; ``never``: no browser (those pages end ``needs_browser``)."""
    executable_path: str = ""
    """A Chromium to use; default: Playwright's own, else /usr/bin/chromium, chromium-browser."""
    max_pages: int = Field(default=2, ge=1, le=16)
    """Pages open at once (each one is a browser tab using 50-150 MB)."""
    navigation_timeout: float = Field(default=30.0, gt=0)
    page_timeout: float = Field(default=60.0, gt=0)
    """Cap on one page: loading, waiting for scripts, reading it and the screenshot."""
    idle_wait: float = Field(default=2.0, ge=0)
    """After the page loads, at most this long waiting for its scripts' requests to finish."""
    recycle_after: int = Field(default=50, ge=1)
    """Start a fresh browser after this many pages (long runs stay lean)."""
    hosts_needing_browser: tuple[str, ...] = ()
    """Hosts (subdomains included) whose pages are always opened in the browser in ``auto`` mode."""
    social_rules: str = ""
    """Your own social-network rules file (TOML, relative to this file), merged over the bundled ones."""

    @field_validator("hosts_needing_browser")
    @classmethod
    def _bare_hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for host in value:
            if not host or "/" in host or ":" in host or host != host.strip().lower():
                raise ValueError(f"{host!r} is not a bare lower-case host name (no scheme, path or port)")
        return value


class EvidenceSettings(_Strict):
    """The evidence bundle kept for every run (``oit_checker.evidence``)."""

    enabled: bool = True
    dir: str = ""
    """Where runs' evidence goes (relative to this file); default: ``$OIT_CHECKER_EVIDENCE_DIR``,
    else ``evidence`` in the user's data directory, next to the history (``oit_checker.paths``)."""
    screenshots: str = Field(default="all", pattern="^(all|rendered|none)$")
    """``all``: every item page (HTML in the browser, PDF page 1 with pdftoppm); ``rendered``: only
    pages the browser opened for the verdict; ``none``."""
    screenshot_max_height: int = Field(default=8000, ge=500, le=50000)
    """Full-page screenshots are cut at this height in pixels."""
    warc: bool = False
    """Also write the fetched responses as a WARC file (``--warc`` turns it on for one run)."""
    max_age_days: int = Field(default=90, ge=0)
    """Runs' evidence older than this is deleted at the next run; 0 keeps everything."""


class DocumentSettings(_Strict):
    """How PDF, DOCX and XLSX files are read (``oit_checker.extract.options``): caps and OCR."""

    ocr: str = Field(default="auto", pattern="^(auto|off)$")
    """``auto``: read scanned pages with Tesseract when it and its language data are installed; ``off``."""
    ocr_languages: str = Field(default="tha+eng", pattern=r"^[a-z_]+(\+[a-z_]+)*$")
    ocr_max_pages: int = Field(default=10, ge=1, le=500)
    ocr_dpi: int = Field(default=200, ge=72, le=600)
    ocr_min_confidence: float = Field(default=60.0, ge=0, le=100)
    """Mean word confidence (0–100) below which OCR text is too poor to judge (``no_text_layer``)."""
    max_pages: int = Field(default=200, ge=1, le=10000)
    max_decompressed_mb: float = Field(default=100.0, gt=0)
    max_cells: int = Field(default=200_000, ge=1)
    timeout: float = Field(default=120.0, gt=0)
    """Seconds for one document, OCR included."""


class Config(_Strict):
    """The whole agency config file."""

    agency: Agency
    audit: AuditSettings = AuditSettings()
    http: HttpSettings = HttpSettings()
    crawl: CrawlSettings = CrawlSettings()
    storage: StorageSettings = StorageSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    notify: NotifySettings = NotifySettings()
    assessment: AssessmentSettings = AssessmentSettings()
    browser: BrowserSettings = BrowserSettings()
    evidence: EvidenceSettings = EvidenceSettings()
    documents: DocumentSettings = DocumentSettings()
    items: dict[str, ItemUrls] = {}


class LoadedConfig:
    """A validated config together with its checklist and where it came from."""

    def __init__(self, config: Config, checklist: Checklist, path: str,
                 choice: ChecklistChoice | None = None, base_dir: Path | None = None) -> None:
        self.config = config
        self.checklist = checklist
        self.path = path
        self.base_dir = (base_dir or Path(path).parent).resolve()
        """The folder relative paths in the config are resolved against (``oit_checker.paths``):
        the config file's, or the one given for a config held in memory (the demo's)."""
        self.choice = choice or describe(checklist, CONFIGURED)
        """Which checklist and why (reported in every format)."""

    @property
    def agency(self) -> Agency:
        """See ``Config.agency``."""
        return self.config.agency

    def urls_mode(self, code: str) -> str:
        """``any`` (alternatives) or ``all`` (every URL is required) for an item."""
        entry = self.config.items.get(code)
        return entry.urls_mode if entry else "any"

    def urls_for(self, code: str) -> tuple[str, ...]:
        """The configured URLs of an item (empty when none were given)."""
        entry = self.config.items.get(code)
        return entry.urls if entry else ()


def load_config(path: str | Path) -> LoadedConfig:
    """Read, validate and cross-check a config file and its checklist."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(str(file), "", "config file not found",
                          "pass -c PATH, or run `oit-checker demo` to see an example")
    return parse_config(_read_toml(file), str(file), file.parent)


def parse_config_text(text: str, name: str, base_dir: Path) -> LoadedConfig:
    """Like ``load_config`` for text already in memory (the demo's template)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(name, "", f"not valid TOML: {exc}") from exc
    return parse_config(data, name, base_dir)


def parse_config(data: dict[str, Any], name: str, base_dir: Path) -> LoadedConfig:
    """Validate parsed TOML; item codes must exist in the checklist."""
    config = validate_model(Config, data, name)
    base_dir = base_dir.resolve()
    if config.audit.checklist:
        checklist, why = load_checklist(config.audit.checklist, relative_to=base_dir), CONFIGURED
    else:
        checklist, why = newest_general(), NEWEST_GENERAL
    keys = [(f"items.{code}", code) for code in config.items]
    keys += [(f"audit.select[{i}]", code) for i, code in enumerate(config.audit.select)]
    for key, code in keys:
        if checklist.item(code) is None:
            raise ConfigError(name, key, f"item {code} is not in checklist {checklist.id}",
                              f"use one of: {', '.join(checklist.codes)}")
    return LoadedConfig(config, checklist, name, describe(checklist, why), base_dir)


def host_is_private(host: str) -> bool:
    """True for loopback/private IP literals and ``localhost`` (an intranet or the demo)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_private
    except ValueError:
        return False
