"""The agency config (``config.toml``): who the agency is, which checklist, the URLs per item.

Every key is documented in ``docs/config.md``; unknown keys are errors, so a typo never
silently changes what is checked.
"""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from .checklist import Checklist, _read_toml, _Strict, load_checklist, validate_model
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

    checklist: str = "ita-2567"
    """A bundled checklist id, or a path (relative to the config file) to a checklist TOML."""
    select: tuple[str, ...] = ()
    """Audit only these item codes (e.g. the ones a division answers for); default: every item."""
    lang: str = Field(default="th", pattern="^(th|en)$")
    fail_on: str = Field(default="fail", pattern="^(warn|fail)$")
    """``warn`` makes warnings fail the run (exit 1) too."""


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
    soft_404_probe: bool = True
    """Fetch a random path on each host to recognise pages that answer 200 for everything."""


class ItemUrls(_Strict):
    """The URL(s) the agency will submit to ITAS for one item."""

    urls: tuple[str, ...] = ()
    note: str = ""

    @field_validator("urls")
    @classmethod
    def _urls_http(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for url in value:
            _check_http_url(url)
        return value


class Config(_Strict):
    """The whole agency config file."""

    agency: Agency
    audit: AuditSettings = AuditSettings()
    http: HttpSettings = HttpSettings()
    items: dict[str, ItemUrls] = {}


class LoadedConfig:
    """A validated config together with its checklist and where it came from."""

    def __init__(self, config: Config, checklist: Checklist, path: str) -> None:
        self.config = config
        self.checklist = checklist
        self.path = path

    @property
    def agency(self) -> Agency:
        """See ``Config.agency``."""
        return self.config.agency

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
    checklist = load_checklist(config.audit.checklist, relative_to=base_dir)
    keys = [(f"items.{code}", code) for code in config.items]
    keys += [(f"audit.select[{i}]", code) for i, code in enumerate(config.audit.select)]
    for key, code in keys:
        if checklist.item(code) is None:
            raise ConfigError(name, key, f"item {code} is not in checklist {checklist.id}",
                              f"use one of: {', '.join(checklist.codes)}")
    return LoadedConfig(config, checklist, name)


def host_is_private(host: str) -> bool:
    """True for loopback/private IP literals and ``localhost`` (an intranet or the demo)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_private
    except ValueError:
        return False
